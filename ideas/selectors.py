import re

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from groups import permissions as group_permissions
from groups.selectors import active_groups_for
from ideas import ranking
from ideas.models import Board, Follow, Idea, StatusChange, Vote


def top_ideas(user, *, limit: int = 10):
    """The most supported ideas in active groups the user may see."""
    return (
        Idea.objects.filter(board__group__in=active_groups_for(user), hidden_at__isnull=True)
        .select_related("board__group", "author")
        .order_by("-vote_count", "-created_at")[:limit]
    )


def boards_of(group):
    return Board.objects.filter(group=group).exclude(state=Board.State.ARCHIVED)


def board_ideas(
    board, *, sort: str = "top", status: str = "", tag_id: int | None = None, voter=None
):
    """A board's ideas in one of the rankings (ideas/ranking.py), optionally filtered.

    Hidden ideas stay in the list (as a notice with the reason), so numbering and
    links do not shift under people. With a signed-in ``voter``, each idea has ``voted``:
    whether they support it (in the same query, not one more per page).
    """
    ideas = Idea.objects.filter(board=board)
    if status:
        ideas = ideas.filter(status=status)
    if tag_id:
        ideas = ideas.filter(tags=tag_id)
    if voter is not None and voter.is_authenticated:
        ideas = ideas.annotate(voted=Exists(Vote.objects.filter(idea=OuterRef("pk"), user=voter)))
    return (
        ideas.select_related("author")
        .prefetch_related("tags")
        .order_by(*ranking.ORDERINGS.get(sort, ranking.ORDERINGS["top"]))
    )


def votes_left(user, board) -> int | None:
    """None when the board has no budget."""
    if board.votes_per_member is None:
        return None
    used = Vote.objects.filter(user=user, idea__board=board).count()
    return max(board.votes_per_member - used, 0)


_WORD = re.compile(r"\w{4,}", re.UNICODE)


def similar_ideas(board, title: str, *, exclude_id: int | None = None, limit: int = 5) -> list:
    """Ideas on the board whose titles share words with ``title`` (to avoid duplicates).

    Portable (SQLite and PostgreSQL): candidates by word match, ranked by shared words.
    """
    words = {w.lower() for w in _WORD.findall(title or "")}
    if not words:
        return []
    match = Q()
    for word in list(words)[:8]:
        match |= Q(title__icontains=word)
    candidates = Idea.objects.filter(board=board, hidden_at__isnull=True).filter(match)
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    scored = []
    fields = ("pk", "title", "status", "vote_count", "board__title")
    for idea in candidates.select_related("board").only(*fields)[:200]:
        shared = len(words & {w.lower() for w in _WORD.findall(idea.title)})
        if shared:
            scored.append((shared, idea.vote_count, idea))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [idea for _shared, _votes, idea in scored[:limit]]


def idea_history(idea):
    return StatusChange.objects.filter(idea=idea).select_related("actor", "duplicate_of")


def comments_for_display(idea):
    return idea.comments.select_related("author", "hidden_by")


# --- Read helpers for the pages (ideas/views.py) ---------------------------------------


def boards_with_counts(group, *, include_archived: bool = True):
    """The group's boards with ``idea_count`` (ideas not hidden), open ones first."""
    boards = Board.objects.filter(group=group)
    if not include_archived:
        boards = boards.exclude(state=Board.State.ARCHIVED)
    state_order = Case(
        When(state=Board.State.OPEN, then=Value(0)),
        When(state=Board.State.CLOSED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return boards.annotate(
        idea_count=Count("ideas", filter=Q(ideas__hidden_at__isnull=True)),
        state_order=state_order,
    ).order_by("state_order", "title", "pk")


def open_boards(group):
    return Board.objects.filter(group=group, state=Board.State.OPEN).order_by("title", "pk")


def ideas_to_duplicate(idea):
    """The ideas in the same group that ``idea`` may be marked a duplicate of."""
    return (
        Idea.objects.filter(board__group_id=idea.board.group_id, hidden_at__isnull=True)
        .exclude(pk=idea.pk)
        .exclude(status=Idea.Status.DUPLICATE)
        .select_related("board")
        .order_by("board__title", "title", "pk")
    )


DUPLICATE_CHOICES = 100


def duplicate_suggestions(idea) -> list:
    """What the status form offers as "duplicate of": ideas with similar titles first, then
    the group's most supported ones. A select of 10,000 ideas helps nobody; the form still
    accepts any idea of the group (``ideas_to_duplicate``)."""
    similar = similar_ideas(idea.board, idea.title, exclude_id=idea.pk, limit=10)
    popular = ideas_to_duplicate(idea).order_by("-vote_count", "-created_at")[:DUPLICATE_CHOICES]
    current = ideas_to_duplicate(idea).filter(pk=idea.duplicate_of_id)[:1]
    seen, offered = set(), []
    for candidate in [*current, *similar, *popular]:
        if candidate.pk not in seen and candidate.status != Idea.Status.DUPLICATE:
            seen.add(candidate.pk)
            offered.append(candidate)
    return offered


def promote_rights(thread, user, membership, *, has_open_board: bool | None = None) -> dict:
    """Whether the group has an open board (asked only if the user could use one), and if
    so whether the user may turn any post into an idea (a moderator) or their own (a
    member who may post). One query at most; none when the caller already asked
    ``has_open_board`` (with ``open_boards(group)``) in a query of its own."""
    is_moderator = group_permissions.can_moderate(user, thread.group, membership)
    poster = group_permissions.can_post(user, thread.group, membership)
    if is_moderator or poster:
        open_board = has_open_board
        if open_board is None:
            open_board = open_boards(thread.group).exists()
    else:
        open_board = False
    return {
        "open_board": open_board,
        "moderator": bool(open_board and is_moderator),
        "poster": bool(open_board and poster),
    }


def linked_ideas(thread):
    """Ideas promoted from a thread (or one of its posts), for the thread page."""
    return (
        Idea.objects.filter(thread=thread, hidden_at__isnull=True)
        .select_related("board")
        .order_by("created_at", "pk")
    )


def thread_promotion(thread, user, membership, *, has_open_board=None, has_ideas=True) -> dict:
    """For the thread page: ``promote_rights``, the linked ideas, and whether the viewer may
    turn the thread itself into an idea. ``has_open_board`` and ``has_ideas`` may come from
    the page's own query (``discussions.selectors.reading_state``); ideas are only read when
    there may be some."""
    rights = promote_rights(thread, user, membership, has_open_board=has_open_board)
    return {
        **rights,
        "ideas": list(linked_ideas(thread)) if has_ideas else [],
        "thread": bool(rights["moderator"] or (rights["poster"] and thread.author_id == user.pk)),
    }


def has_voted(user, idea) -> bool:
    return user.is_authenticated and Vote.objects.filter(user=user, idea=idea).exists()


def is_following(user, idea) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, idea=idea).exists()
