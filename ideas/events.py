"""Board events as the client sees them: built from the database, live and on catch-up alike.

As discussions.events does for threads: a frame is serialised once per event and
language (not once per recipient). Cards carry HTML from the same partial as the
board page, rendered without a viewer (controls for some viewers only are shown
by the page's JavaScript; the server checks every action again anyway). Vote
frames carry no HTML: they are the most frequent event and only change numbers.
"""

from django.utils import translation

from discussions.events import languages, serialise, thread_stream
from hub.realtime import publish, stream_name
from ideas import fragments
from ideas.models import Board, BoardEvent, Idea

# A client further behind than this reloads the page instead of replaying.
CATCH_UP_LIMIT = 500

Kind = BoardEvent.Kind
CARD_KINDS = (Kind.IDEA_CREATED, Kind.IDEA_UPDATED)
# The changes a linked thread shows on its idea card.
THREAD_KINDS = (Kind.IDEA_VOTES, Kind.IDEA_UPDATED)


def board_stream(board_id: int) -> str:
    return stream_name("board", board_id)


def ideas_for_display(queryset):
    """What the card partial needs, in a fixed number of queries."""
    return queryset.select_related("author").prefetch_related("tags")


def render_card(idea: Idea, board: Board) -> str:
    """For everyone on the socket: the vote form hidden and unpressed, no CSRF token;
    boards.js applies the viewer's rules (fragments.may_vote) and fills the token in."""
    return fragments.personalise(fragments.render_card(idea, board), fragments.NOBODY)


def _frame(event: BoardEvent, board: Board, idea: Idea | None) -> dict:
    frame = {"type": event.kind, "seq": event.seq, "board": board.pk}
    if event.kind == Kind.BOARD_UPDATED:
        frame.update(
            state=board.state,
            voting_open=board.voting_is_open(),
            votes_per_member=board.votes_per_member,
        )
    elif idea is not None:
        frame.update(idea=idea.pk, votes=idea.vote_count, trending=idea.trending)
        if event.kind == Kind.IDEA_UPDATED:
            frame["status"] = idea.status
        if event.kind in CARD_KINDS:
            frame["html"] = render_card(idea, board)
    return frame


def _load(board_id: int, after: int, limit: int):
    """The board, its events after ``after`` (oldest first) and their ideas as they are now."""
    board = Board.objects.select_related("group").get(pk=board_id)
    rows = list(BoardEvent.objects.filter(board_id=board_id, seq__gt=after).order_by("seq")[:limit])
    idea_ids = {row.idea_id for row in rows if row.idea_id}
    ideas = {}
    if idea_ids:
        queryset = Idea.objects.filter(pk__in=idea_ids)
        if any(row.kind in CARD_KINDS for row in rows):
            queryset = ideas_for_display(queryset)
        for idea in queryset:
            idea.board = board  # the card asks its board; not once more from the database
            ideas[idea.pk] = idea
    return board, rows, ideas


def frames_after(
    board_id: int, after: int, language: str, limit: int = CATCH_UP_LIMIT
) -> list[dict]:
    """Every event after seq ``after``, oldest first, rendered as it is now, in ``language``."""
    board, rows, ideas = _load(board_id, after, limit)
    with translation.override(language):
        return [_frame(row, board, ideas.get(row.idea_id)) for row in rows]


def publish_board_event(board_id: int, seq: int) -> None:
    """After commit: the frame, serialised once per language, to everyone on the board.

    A vote or a change on an idea promoted from a discussion also goes to that
    thread's page (``thread.idea``, no seq: the thread page shows the idea's
    count and status, and a reload shows the truth).
    """
    board, rows, ideas = _load(board_id, seq - 1, 1)
    if not rows or rows[0].seq != seq:
        return
    publish_loaded(board, rows[0], ideas.get(rows[0].idea_id))


def publish_loaded(board: Board, event: BoardEvent, idea: Idea | None) -> None:
    """As publish_board_event, from rows the caller holds (votes: no query after commit)."""
    seq = event.seq
    if event.kind in CARD_KINDS:  # the card's HTML is in the reader's language
        texts = _per_language(lambda: serialise(_frame(event, board, idea)))
    else:  # numbers and codes only: one frame serves every language
        texts = dict.fromkeys(languages(), serialise(_frame(event, board, idea)))
    linked = {}
    if idea is not None and idea.thread_id and event.kind in THREAD_KINDS:
        linked = _per_language(lambda: serialise(thread_frame(idea)))
    # ``kind`` and ``group`` let consumers decide without parsing a frame.
    publish(
        board_stream(board.pk),
        {
            "type": "board.event",
            "seq": seq,
            "kind": event.kind,
            "group": board.group_id,
            "frames": texts,
        },
    )
    if linked:
        publish(
            thread_stream(idea.thread_id),
            {"type": "thread.idea", "idea": idea.pk, "group": board.group_id, "frames": linked},
        )


def _per_language(build) -> dict[str, str]:
    texts = {}
    for language in languages():
        with translation.override(language):
            texts[language] = build()
    return texts


def thread_frame(idea: Idea) -> dict:
    """The idea's card on its thread's page, in the active language."""
    return {
        "type": "thread.idea",
        "idea": idea.pk,
        "votes": idea.vote_count,
        "status": idea.status,
        "status_label": str(Idea.Status(idea.status).label),
    }
