"""Every write on idea boards: one function per action.

Each checks its permission, runs in one transaction, appends a BoardEvent with
the board's next sequence number (published after commit, as discussions do)
and writes the group's moderation log when a moderator acted on someone else's
work. Votes lock the idea row (count); on a board with a vote budget the voter's
membership row first, so concurrent clicks never double-count or overspend.
"""

import math
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from discussions.models import Post, Thread
from discussions.services import check_posting_rate
from groups.models import Group, Membership, ModerationLogEntry
from groups.services import log_action, touch
from hub.models import Notification
from hub.notifications.services import notify
from hub.sequences import next_seq
from hub.sql import column as col
from hub.sql import convert, converters, table
from ideas import events, permissions, ranking
from ideas.models import (
    Board,
    BoardEvent,
    Comment,
    CommentRevision,
    Follow,
    Idea,
    IdeaRevision,
    StatusChange,
    Tag,
    Vote,
)

Action = ModerationLogEntry.Action
Kind = BoardEvent.Kind
MAX_TAGS = 20


class IdeaActionError(Exception):
    """A request that breaks a rule of the board; the message is for the person."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value: str, field, empty_message: str | None = None) -> str:
    value = (value or "").replace("\x00", "").strip()
    if not value and empty_message:
        raise IdeaActionError(empty_message)
    if len(value) > field.max_length:
        raise IdeaActionError(_("This text is too long."))
    return value


def _next_seq(board_id: int) -> int:
    """The board's next event number (the row stays locked until commit)."""
    return next_seq(Board, board_id)


def _record(board_id: int, kind: str, idea: Idea | None = None) -> int:
    """Append a board event with the next seq (row lock until commit) and publish it after."""
    seq = _next_seq(board_id)
    BoardEvent.objects.create(board_id=board_id, seq=seq, kind=kind, idea=idea)
    transaction.on_commit(lambda: events.publish_board_event(board_id, seq))
    return seq


def _record_votes(board: Board, idea: Idea, event: BoardEvent | None = None) -> None:
    """_record for a vote, published from the rows in hand: the frame carries the count
    and score this transaction wrote, and costs no query after commit.

    The board row stays locked from the seq to the commit, so the commit's flush (about
    4 ms on the test machine) caps one board at a few hundred votes a second. Turning
    synchronous_commit off would lift that, at the price of losing the last votes if the
    database server crashes; a vote someone was told was counted must stay counted.
    """
    if event is None:  # else written with the vote (_vote_written, _retraction_written)
        event = BoardEvent.objects.create(
            board=board, seq=_next_seq(board.pk), kind=Kind.IDEA_VOTES, idea=idea
        )
    transaction.on_commit(lambda: events.publish_loaded(board, event, idea))


def follow(*, user, idea: Idea) -> None:
    _require(permissions.can_follow(user, idea))
    Follow.objects.get_or_create(idea=idea, user=user)


def unfollow(*, user, idea: Idea) -> None:
    Follow.objects.filter(idea=idea, user=user).delete()


def _follow_quietly(user, idea) -> None:
    """Authors, voters and commenters follow automatically (and may unfollow)."""
    Follow.objects.get_or_create(idea=idea, user=user)


# --- Boards ------------------------------------------------------------------------


def _set_tags(board: Board, names) -> None:
    wanted = []
    for name in names:
        name = " ".join((name or "").replace("\x00", "").split())[:40]
        if name and name.lower() not in {w.lower() for w in wanted}:
            wanted.append(name)
    if len(wanted) > MAX_TAGS:
        raise IdeaActionError(_("A board can have at most %(count)d tags.") % {"count": MAX_TAGS})
    existing = {tag.name.lower(): tag for tag in board.tags.all()}
    for name in wanted:
        if name.lower() not in existing:
            Tag.objects.create(board=board, name=name)
    keep = {name.lower() for name in wanted}
    board.tags.filter(pk__in=[t.pk for k, t in existing.items() if k not in keep]).delete()


def _check_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise IdeaActionError(_("Voting must close after it opens."))


@transaction.atomic
def create_board(
    *,
    moderator,
    group,
    title: str,
    brief: str = "",
    voting_opens_at=None,
    voting_closes_at=None,
    votes_per_member=None,
    tags=(),
) -> Board:
    _require(permissions.can_manage_boards(moderator, group))
    title = _text(title, Board._meta.get_field("title"), _("Give the board a title."))
    brief = _text(brief, Board._meta.get_field("brief"))
    _check_window(voting_opens_at, voting_closes_at)
    board = Board.objects.create(
        group=group,
        title=title,
        brief=brief,
        voting_opens_at=voting_opens_at,
        voting_closes_at=voting_closes_at,
        votes_per_member=votes_per_member or None,
        created_by=moderator,
    )
    _set_tags(board, tags)
    log_action(group=group, actor=moderator, action=Action.CREATE_BOARD, detail=title)
    touch(group)
    return board


BOARD_FIELDS = (
    "title",
    "brief",
    "state",
    "voting_opens_at",
    "voting_closes_at",
    "votes_per_member",
)


@transaction.atomic
def update_board(*, moderator, board: Board, tags=None, **fields) -> Board:
    unknown = set(fields) - set(BOARD_FIELDS)
    if unknown:
        raise ValueError(f"not a board setting: {sorted(unknown)}")
    _require(permissions.can_manage_boards(moderator, board.group))
    locked = Board.objects.select_for_update().select_related("group").get(pk=board.pk)
    if "title" in fields:
        fields["title"] = _text(
            fields["title"], Board._meta.get_field("title"), _("Give the board a title.")
        )
    if "brief" in fields:
        fields["brief"] = _text(fields["brief"], Board._meta.get_field("brief"))
    if "state" in fields and fields["state"] not in Board.State.values:
        raise IdeaActionError(_("Unknown state."))
    if "votes_per_member" in fields:
        fields["votes_per_member"] = fields["votes_per_member"] or None
    _check_window(
        fields.get("voting_opens_at", locked.voting_opens_at),
        fields.get("voting_closes_at", locked.voting_closes_at),
    )
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if changed:
        locked.save(update_fields=[*changed, "brief_html"])
    if tags is not None:
        before = sorted(locked.tags.values_list("name", flat=True))
        _set_tags(locked, tags)
        if sorted(locked.tags.values_list("name", flat=True)) != before:
            changed.append("tags")
    if changed:
        log_action(
            group=locked.group, actor=moderator, action=Action.CHANGE_BOARD, detail=locked.title
        )
        _record(locked.pk, Kind.BOARD_UPDATED)
    return locked


# --- Ideas ---------------------------------------------------------------------------


def _board_tags(board: Board, tag_ids) -> list[Tag]:
    ids = {int(t) for t in tag_ids or ()}
    tags = list(board.tags.filter(pk__in=ids))
    if len(tags) != len(ids):
        raise IdeaActionError(_("Choose tags from this board."))
    return tags


def create_idea(*, author, board: Board, title: str, body: str, tag_ids=()) -> Idea:
    _require(permissions.can_view_board(author, board))
    if board.state != Board.State.OPEN:
        raise IdeaActionError(_("This board no longer takes new ideas."))
    _require(permissions.can_add_idea(author, board))
    title = _text(title, Idea._meta.get_field("title"), _("Give your idea a title."))
    body = _text(body, Idea._meta.get_field("body"), _("Describe your idea."))
    tags = _board_tags(board, tag_ids)
    check_posting_rate(author)
    with transaction.atomic():
        return _add_idea(board, author, title, body, tags)


def _add_idea(board, author, title, body, tags, thread=None, post=None) -> Idea:
    idea = Idea.objects.create(
        board=board, author=author, title=title, body=body, thread=thread, post=post
    )
    idea.tags.set(tags)
    _follow_quietly(author, idea)
    _record(board.pk, Kind.IDEA_CREATED, idea)
    touch(board.group)
    return idea


@transaction.atomic
def edit_idea(*, editor, idea: Idea, title: str, body: str, tag_ids=None) -> Idea:
    _require(permissions.can_edit_idea(editor, idea))
    title = _text(title, Idea._meta.get_field("title"), _("Give your idea a title."))
    body = _text(body, Idea._meta.get_field("body"), _("Describe your idea."))
    locked = Idea.objects.select_for_update().select_related("board__group").get(pk=idea.pk)
    tags = None if tag_ids is None else _board_tags(locked.board, tag_ids)
    text_changed = (title, body) != (locked.title, locked.body)
    tags_changed = tags is not None and {t.pk for t in tags} != set(
        locked.tags.values_list("pk", flat=True)
    )
    if not (text_changed or tags_changed):
        return locked
    if text_changed:
        IdeaRevision.objects.create(
            idea=locked,
            title=locked.title,
            body=locked.body,
            written_at=locked.edited_at or locked.created_at,
        )
        locked.title, locked.body, locked.edited_at = title, body, timezone.now()
        locked.save(update_fields=["title", "body", "body_html", "edited_at"])
    if tags_changed:
        locked.tags.set(tags)
    if locked.author_id != editor.pk:
        log_action(
            group=locked.board.group,
            actor=editor,
            action=Action.EDIT_IDEA,
            target_user=locked.author,
            detail=locked.title,
        )
    _record(locked.board_id, Kind.IDEA_UPDATED, locked)
    return locked


# --- Votes ---------------------------------------------------------------------------
#
# A vote is the most frequent write (issue 7: hundreds a second). Each costs a fixed,
# small number of queries: lock the idea row (fresh status and counts, and the lock that
# makes "did this person vote already?" reliable), write the vote, update the counters
# with the values read under the lock, follow, append the board event. The voter's
# membership row is locked only where a budget needs one person's votes in a row.


def _lock_voter(user, board: Board) -> Membership:
    """The voter's membership row, locked: one person's votes on a board go one at a time."""
    membership = (
        Membership.objects.select_for_update().filter(group_id=board.group_id, user=user).first()
    )
    if membership is None:
        raise PermissionDenied
    return membership


def _voter(user, board: Board, membership) -> Membership:
    """The membership the vote checks: locked when the board has a budget (counted below,
    one vote at a time), else the one the caller read (None: look it up).

    Every vote path locks in one order: the idea(s), then the membership, then the board
    (its seq). The board read here is the locked idea's, so a budget set meanwhile counts."""
    if board.votes_per_member is not None or membership is None:
        return _lock_voter(user, board)
    return membership


def _can_view(user, idea: Idea, membership) -> bool:
    if membership is None:  # not read by the caller (or no member): ask as usual
        return permissions.can_view_idea(user, idea)
    return permissions.can_view_idea(user, idea, membership)


# What a vote reads of its idea: the rules (author, status, hidden) and the counters.
_VOTE_IDEA_FIELDS = (
    "id",
    "board",
    "author",
    "status",
    "hidden_at",
    "thread",
    "duplicate_of",
    "vote_count",
    "trending",
    "threshold_reached_at",
)
# Of its board and group, what the rules ask (voting window, budget, visibility, state) and
# the links need. Not the long texts, nor timestamps that nobody reads: psycopg's datetime
# parsing under Django is Python code, and it was most of this query's CPU.
_VOTE_BOARD_FIELDS = (
    "id",
    "group",
    "title",
    "state",
    "voting_opens_at",
    "voting_closes_at",
    "votes_per_member",
)
_VOTE_GROUP_FIELDS = (
    "id",
    "name",
    "slug",
    "kind",
    "visibility",
    "status",
    "created_by",
    "archived_at",
)
_VOTE_MEMBERSHIP_FIELDS = ("id", "group", "user", "role", "muted_until")


def _model_fields(model, names) -> list:
    """In model order, as Model.from_db takes a subset of the fields."""
    return [field for field in model._meta.concrete_fields if field.name in names]


class _VoteRows:
    """One row of an idea with its board and group (and the voter's membership, or None),
    by SQL written once per database: building the ORM's joins cost more CPU than running
    them (about 1 ms a query, on every vote). The instances are what the ORM's .only() would
    load: another field is read from the database when something asks for it."""

    def __init__(self, alias: str, *, membership: bool, lock: bool):
        conn = connections[alias]
        quote = conn.ops.quote_name
        self.alias = alias
        self.parts = [
            (Idea, _model_fields(Idea, _VOTE_IDEA_FIELDS), "i"),
            (Board, _model_fields(Board, _VOTE_BOARD_FIELDS), "b"),
            (Group, _model_fields(Group, _VOTE_GROUP_FIELDS), "g"),
        ]
        if membership:
            self.parts.append((Membership, _model_fields(Membership, _VOTE_MEMBERSHIP_FIELDS), "m"))
        self.converters = [converters(fields, conn, t) for _model, fields, t in self.parts]
        columns = ", ".join(
            f"{t}.{quote(field.column)}" for _model, fields, t in self.parts for field in fields
        )

        sql = (  # names from the models, not from input
            f"SELECT {columns} FROM {table(Idea, conn)} i"  # noqa: S608
            f" INNER JOIN {table(Board, conn)} b"
            f" ON b.{col(Board, 'id', conn)} = i.{col(Idea, 'board', conn)}"
            f" INNER JOIN {table(Group, conn)} g"
            f" ON g.{col(Group, 'id', conn)} = b.{col(Board, 'group', conn)}"
        )
        if membership:
            sql += (
                f" LEFT OUTER JOIN {table(Membership, conn)} m"
                f" ON m.{col(Membership, 'group', conn)} = g.{col(Group, 'id', conn)}"
                f" AND m.{col(Membership, 'user', conn)} = %(user)s"
            )
        sql += f" WHERE i.{col(Idea, 'id', conn)} = %(idea)s"
        if lock and conn.features.has_select_for_update_of:
            sql += " FOR UPDATE OF i"  # the idea row only; the board is locked by its seq
        self.sql = sql

    def get(self, idea_id: int, user=None) -> tuple[Idea, Membership | None]:
        """The idea (board and group attached) and the membership; Idea.DoesNotExist."""
        conn = connections[self.alias]
        with conn.cursor() as cursor:
            cursor.execute(self.sql, {"idea": idea_id, "user": getattr(user, "pk", None)})
            row = cursor.fetchone()
        if row is None:
            raise Idea.DoesNotExist
        loaded, at = [], 0
        for (model, fields, _t), found in zip(self.parts, self.converters, strict=True):
            values = convert(row[at : at + len(fields)], found, conn)
            at += len(fields)
            if values[0] is None:  # no membership row (LEFT JOIN)
                loaded.append(None)
                continue
            loaded.append(model.from_db(self.alias, [f.attname for f in fields], values))
        idea, board, group, *rest = loaded
        board.group = group
        idea.board = board
        membership = rest[0] if rest else None
        if membership is not None:
            membership.group = group
            if user is not None:
                membership.user = user
        return idea, membership


@cache
def _vote_rows(alias: str, membership: bool, lock: bool) -> _VoteRows:
    return _VoteRows(alias, membership=membership, lock=lock)


def vote_by_id(*, user, idea_id: int, support: bool) -> tuple[Idea, bool]:
    """The vote buttons: support an idea (``support``) or take support back, from its id.

    One query reads the idea with its board and group and the person's membership, and
    locks the idea row: the check, the vote and the answer's count share one transaction.
    Returns the idea (its count as this transaction left it) and whether anything changed.
    Idea.DoesNotExist when there is no such idea or the person may not see it.

    A refusal (budget spent, voting closed, not allowed) ends the transaction with a commit
    of nothing, not a rollback: _cast and _retract refuse before they write, and a rollback
    would make psycopg drop every prepared statement of the connection (bench/README.md)."""
    refused = None
    with transaction.atomic():
        alias = router.db_for_write(Idea)
        idea, membership = _vote_rows(alias, True, True).get(idea_id, user)
        if not permissions.can_view_idea(user, idea, membership):
            raise Idea.DoesNotExist
        # The steps of cast_vote and retract_vote, in this transaction (theirs would add a
        # savepoint: two more round trips).
        try:
            if support:
                changed = _cast(user, idea, membership, locked=idea)
            else:
                changed = _retract(user, idea, membership, locked=idea)
        except (IdeaActionError, PermissionDenied) as error:
            refused = error
    if refused is not None:
        raise refused
    return idea, changed


def _lock_idea(idea: Idea) -> Idea:
    """The idea row locked until commit, with its board and group as they are now."""
    return _vote_rows(router.db_for_write(Idea), False, True).get(idea.pk)[0]


def _counted(idea: Idea, locked: Idea) -> None:
    """Show the caller the counts as this transaction left them (the view answers with them)."""
    idea.vote_count, idea.trending = locked.vote_count, locked.trending


def votes_used(user, board: Board) -> int:
    return Vote.objects.filter(user=user, idea__board=board).count()


def _budget_spent(budget: int) -> IdeaActionError:
    return IdeaActionError(
        ngettext(
            "You have used your %(count)d vote on this board. Take one back to vote again.",
            "You have used all %(count)d votes on this board. Take one back to vote again.",
            budget,
        )
        % {"count": budget}
    )


def _writes_in_one_statement() -> bool:
    """PostgreSQL writes a vote's rows in one statement (data-modifying WITH): four round
    trips fewer, and the board row, locked by its seq, is held only until the commit."""
    return connection.vendor == "postgresql"


@cache
def _vote_sql() -> tuple[str, str]:
    """(a vote, a retraction): the count, (the vote and the follow,) the board's next seq and
    the event, in one statement. Names from the models, values as parameters."""

    event_columns = ", ".join(
        col(BoardEvent, name) for name in ("board", "seq", "kind", "idea", "created_at")
    )

    def record(only_if: str = "") -> str:
        return (
            f" seq AS (UPDATE {table(Board)} SET {col(Board, 'last_seq')} ="  # noqa: S608
            f" {col(Board, 'last_seq')} + 1 WHERE {col(Board, 'id')} = %(board)s{only_if}"
            f" RETURNING {col(Board, 'last_seq')} AS seq)"
            f" INSERT INTO {table(BoardEvent)} ({event_columns})"
            f" SELECT %(board)s, seq.seq, %(kind)s, %(idea)s, %(now)s FROM seq"
            f" RETURNING {col(BoardEvent, 'id')}, {col(BoardEvent, 'seq')}"
        )

    count = col(Idea, "vote_count")
    # A second vote by the same person (a double click) inserts nothing, and then nothing
    # else is written either: no row comes back. No error, so no rollback, which would
    # also make psycopg drop every prepared statement of the connection.
    vote = (
        f"WITH vote AS (INSERT INTO {table(Vote)} ({col(Vote, 'idea')}, {col(Vote, 'user')},"  # noqa: S608
        f" {col(Vote, 'created_at')}) VALUES (%(idea)s, %(user)s, %(now)s)"
        f" ON CONFLICT DO NOTHING RETURNING {col(Vote, 'idea')}),"
        f" counted AS (UPDATE {table(Idea)} SET {count} = {count} + 1,"
        f" {col(Idea, 'trending')} = %(trending)s,"
        f" {col(Idea, 'threshold_reached_at')} = %(reached)s WHERE {col(Idea, 'id')} = %(idea)s"
        f" AND EXISTS (SELECT FROM vote)),"
        f" follow AS (INSERT INTO {table(Follow)} ({col(Follow, 'idea')}, {col(Follow, 'user')},"
        f" {col(Follow, 'created_at')}) SELECT %(idea)s, %(user)s, %(now)s FROM vote"
        f" ON CONFLICT DO NOTHING),{record(' AND EXISTS (SELECT FROM vote)')}"
    )
    retraction = (
        f"WITH counted AS (UPDATE {table(Idea)} SET {count} = {count} - 1,"  # noqa: S608
        f" {col(Idea, 'trending')} = %(trending)s WHERE {col(Idea, 'id')} = %(idea)s),{record()}"
    )
    return vote, retraction


def _run_vote_sql(sql: str, board: Board, idea: Idea, now, **values) -> BoardEvent | None:
    """The event written, or None when nothing was (the person had already voted)."""
    params = {"board": board.pk, "idea": idea.pk, "kind": Kind.IDEA_VOTES, "now": now, **values}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    event_id, seq = row
    return BoardEvent(
        id=event_id, board=board, seq=seq, kind=Kind.IDEA_VOTES, idea=idea, created_at=now
    )


def _vote_taken_back(idea: Idea, user) -> datetime | None:
    """Delete the person's vote on the idea: when it was cast (None: there was none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table(Vote)} WHERE {col(Vote, 'idea')} = %s"  # noqa: S608
            f" AND {col(Vote, 'user')} = %s RETURNING {col(Vote, 'created_at')}",
            [idea.pk, user.pk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _without_vote(trending: float, vote_count_before: int, voted_at: datetime) -> float | None:
    """The stored trending score after one vote is taken back, without reading the others:
    log2(2**trending - 2**b), as ranking.with_vote adds one. None when what is left is too
    small a part of the sum for floats to keep (then the caller counts from the votes)."""
    if vote_count_before <= 1:
        return 0.0  # no votes left: as ranking.from_votes([])
    rest = 1 - 2 ** (ranking.exponent(voted_at) - trending)
    if rest < 1e-6:
        return None
    return trending + math.log2(rest)


def _vote_written(board, idea, user, now, trending, reached) -> BoardEvent | None:
    """The vote, the counts, the follow (again, if they had unfollowed) and the event; None
    and nothing written if the person's vote was already there."""
    sql = _vote_sql()[0]
    return _run_vote_sql(sql, board, idea, now, user=user.pk, trending=trending, reached=reached)


def _retraction_written(board, idea, now) -> BoardEvent:
    """The counts after a retraction (``idea.trending`` already recomputed) and the event."""
    return _run_vote_sql(_vote_sql()[1], board, idea, now, trending=idea.trending)


@transaction.atomic
def cast_vote(*, user, idea: Idea, membership=None) -> bool:
    """Support an idea. Returns False if this person already supported it (a double click).

    ``membership``: the voter's, if the caller has read it (saves a query)."""
    _require(_can_view(user, idea, membership))
    # Fresh status; concurrent votes on this idea wait here.
    return _cast(user, idea, membership, locked=_lock_idea(idea))


def _cast(user, idea: Idea, membership, locked: Idea) -> bool:
    """cast_vote's steps once the idea row is locked (``locked``, read in this transaction).
    Every refusal comes before the first write (vote_by_id commits after a refusal)."""
    board = locked.board
    membership = _voter(user, board, membership)
    now = timezone.now()
    if locked.author_id == user.pk:
        raise IdeaActionError(_("You cannot vote for your own idea."))
    if not board.voting_is_open(now):
        raise IdeaActionError(_("Voting on this board is closed."))
    if locked.status in permissions.CLOSED_STATUSES or locked.is_hidden:
        raise IdeaActionError(_("This idea no longer takes votes."))
    _require(permissions.can_vote(user, locked, membership, now))
    _counted(idea, locked)
    budget = board.votes_per_member
    if budget is not None:
        # "Already supported" before "budget spent"; under the locks, the answer holds.
        if Vote.objects.filter(idea=locked, user=user).exists():
            return False
        if votes_used(user, board) >= budget:
            raise _budget_spent(budget)
    reached = locked.threshold_reached_at
    if reached is None and locked.vote_count + 1 >= settings.KRING_RESPONSE_VOTE_THRESHOLD:
        reached = now  # the response deadline starts now (leadership dashboard)
    trending = ranking.with_vote(locked.trending, locked.vote_count, now)
    if _writes_in_one_statement():
        event = _vote_written(board, locked, user, now, trending, reached)
        if event is None:
            return False
    else:
        try:
            # No savepoint (two more round trips): a second vote by the same person breaks
            # the unique constraint and the whole vote, nothing written yet, rolls back.
            with transaction.atomic(savepoint=False):
                Vote.objects.create(idea=locked, user=user, created_at=now)
        except IntegrityError:
            return False
        event = None
    locked.trending = trending
    locked.vote_count += 1
    _counted(idea, locked)
    if event is None:
        Idea.objects.filter(pk=locked.pk).update(
            vote_count=F("vote_count") + 1, trending=trending, threshold_reached_at=reached
        )
        # Voters follow (again, if they had unfollowed), as get_or_create did, in one query.
        Follow.objects.bulk_create([Follow(idea=locked, user=user)], ignore_conflicts=True)
    _record_votes(board, locked, event)
    return True


@transaction.atomic
def retract_vote(*, user, idea: Idea, membership=None) -> bool:
    """Take support back. Returns False if there was none."""
    _require(_can_view(user, idea, membership))
    return _retract(user, idea, membership, locked=_lock_idea(idea))


def _retract(user, idea: Idea, membership, locked: Idea) -> bool:
    """retract_vote's steps once the idea row is locked. The voter's row is only looked up
    if the caller has not: taking a vote back can never overspend a budget. Every refusal
    comes before the first write (vote_by_id commits after a refusal)."""
    if membership is None:
        membership = _lock_voter(user, locked.board)
    if not locked.board.voting_is_open():
        raise IdeaActionError(_("Voting on this board is closed."))
    if locked.status in permissions.CLOSED_STATUSES:
        raise IdeaActionError(_("This idea no longer takes votes."))
    _require(permissions.can_retract_vote(user, locked, membership))
    _counted(idea, locked)
    if _writes_in_one_statement():
        voted_at = _vote_taken_back(locked, user)
        if voted_at is None:
            return False
        trending = _without_vote(locked.trending, locked.vote_count, voted_at)
    else:
        deleted, _rows = Vote.objects.filter(idea=locked, user=user).delete()
        if not deleted:
            return False
        trending = None
    if trending is None:  # from the votes left (SQLite; or floats could not subtract it)
        times = Vote.objects.filter(idea=locked).values_list("created_at", flat=True)
        trending = ranking.from_votes(times)
    locked.trending = trending
    locked.vote_count -= 1
    _counted(idea, locked)
    if _writes_in_one_statement():
        event = _retraction_written(locked.board, locked, timezone.now())
    else:
        Idea.objects.filter(pk=locked.pk).update(
            vote_count=F("vote_count") - 1, trending=locked.trending
        )
        event = None
    _record_votes(locked.board, locked, event)
    return True


@transaction.atomic
def move_vote(*, user, from_idea: Idea, to_idea: Idea) -> None:
    """From a duplicate to its original, in one step (the supporter chooses to)."""
    if from_idea.duplicate_of_id != to_idea.pk:
        raise IdeaActionError(_("You can only move your vote to the original idea."))
    if not Vote.objects.filter(idea=from_idea, user=user).exists():
        raise IdeaActionError(_("You have not voted for this idea."))
    # Both ideas first, in id order, then the voter, then the board's seq: the order every
    # vote takes its locks in (_voter), so none can deadlock with this one.
    list(
        Idea.objects.select_for_update()
        .filter(pk__in=[from_idea.pk, to_idea.pk])
        .order_by("pk")
        .only("pk")
    )
    # The duplicate no longer takes votes, but support may still leave it.
    _lock_voter(user, from_idea.board)
    Vote.objects.filter(idea=from_idea, user=user).delete()
    times = Vote.objects.filter(idea=from_idea).values_list("created_at", flat=True)
    Idea.objects.filter(pk=from_idea.pk).update(
        vote_count=F("vote_count") - 1, trending=ranking.from_votes(times)
    )
    _record(from_idea.board_id, Kind.IDEA_VOTES, from_idea)
    if not Vote.objects.filter(idea=to_idea, user=user).exists() and to_idea.author_id != user.pk:
        cast_vote(user=user, idea=to_idea)


def recount_votes(ideas=None) -> list[tuple[int, int, int]]:
    """Recompute vote_count and trending from the Vote rows; returns (idea id, stored, real)
    for every idea whose stored count was wrong (the drift)."""
    drift = []
    queryset = ideas if ideas is not None else Idea.objects.all()
    for idea_id in queryset.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            idea = Idea.objects.select_for_update().only("vote_count", "trending").get(pk=idea_id)
            times = list(Vote.objects.filter(idea_id=idea_id).values_list("created_at", flat=True))
            trending = ranking.from_votes(times)
            if idea.vote_count != len(times):
                drift.append((idea_id, idea.vote_count, len(times)))
            if idea.vote_count != len(times) or abs(idea.trending - trending) > 1e-6:
                Idea.objects.filter(pk=idea_id).update(vote_count=len(times), trending=trending)
    return drift


# --- Decisions -------------------------------------------------------------------------


def _notify_followers(idea: Idea, actor, kind: str, excerpt: str) -> None:
    notify(
        Follow.objects.filter(idea=idea).values_list("user", flat=True),
        kind=kind,
        actor=actor,
        group=idea.board.group,
        url=idea.get_absolute_url(),
        excerpt=excerpt,
    )


@transaction.atomic
def change_status(
    *, actor, idea: Idea, status: str, response: str = "", duplicate_of: Idea | None = None
) -> StatusChange:
    """A decision with an official response. The same status again with a response is an
    update (a follow-up). Marking as duplicate links to the original; supporters are
    invited, not forced, to move their vote."""
    _require(permissions.can_change_status(actor, idea))
    if status not in Idea.Status.values:
        raise IdeaActionError(_("Unknown status."))
    response = _text(response, StatusChange._meta.get_field("response"))
    locked = Idea.objects.select_for_update().select_related("board__group").get(pk=idea.pk)
    if status == locked.status and not response:
        raise IdeaActionError(_("The idea already has this status. Add a response to update it."))
    if status == Idea.Status.DUPLICATE:
        if duplicate_of is None:
            raise IdeaActionError(_("Choose the idea that this one duplicates."))
        if duplicate_of.pk == locked.pk or duplicate_of.board.group_id != locked.board.group_id:
            raise IdeaActionError(_("Choose another idea in the same group."))
        if duplicate_of.duplicate_of_id == locked.pk:
            raise IdeaActionError(_("That idea is already marked as a duplicate of this one."))
    else:
        duplicate_of = None
    change = StatusChange.objects.create(
        idea=locked,
        actor=actor,
        from_status=locked.status,
        to_status=status,
        response=response,
        duplicate_of=duplicate_of,
    )
    status_changed = status != locked.status
    locked.status = status
    locked.duplicate_of = duplicate_of
    locked.status_changed_at = change.created_at
    if response:
        locked.responded_at = change.created_at
    locked.save(update_fields=["status", "duplicate_of", "status_changed_at", "responded_at"])
    log_action(
        group=locked.board.group,
        actor=actor,
        action=Action.CHANGE_IDEA_STATUS,
        target_user=locked.author,
        detail=f"{locked.title}: {Idea.Status(status).label}",
    )
    kind = Notification.Kind.IDEA_STATUS if status_changed else Notification.Kind.IDEA_RESPONSE
    excerpt = f"{locked.title}: {Idea.Status(status).label}. {response}".strip()
    _notify_followers(locked, actor, kind, excerpt)
    _record(locked.board_id, Kind.IDEA_UPDATED, locked)
    return change


def can_be_owner(user, idea: Idea) -> bool:
    """A person responsible for follow-up: an active account that can see the idea."""
    return user.is_active and user.deleted_at is None and permissions.can_view_idea(user, idea)


@transaction.atomic
def assign_owner(*, actor, idea: Idea, owner) -> Idea:
    """Make ``owner`` responsible for following the idea up (None: nobody any more).

    Logged in the group's moderation log. The new owner is told (and follows the idea,
    so they hear of later decisions); the other followers hear who is responsible.
    """
    _require(permissions.can_change_status(actor, idea))
    locked = Idea.objects.select_for_update().select_related("board__group").get(pk=idea.pk)
    if owner is not None and not can_be_owner(owner, locked):
        raise IdeaActionError(_("Choose a colleague who can see this idea."))
    if locked.owner_id == (owner.pk if owner else None):
        return locked
    previous = locked.owner
    locked.owner = owner
    locked.save(update_fields=["owner"])
    group = locked.board.group
    # No action of its own: a new ModerationLogEntry.Action is for the groups app to add.
    responsible = owner.name if owner else _("nobody")
    log_action(
        group=group,
        actor=actor,
        action=Action.ASSIGN_IDEA_OWNER,
        target_user=owner or previous,
        detail=_("%(title)s: responsible: %(name)s") % {"title": locked.title, "name": responsible},
    )
    if owner is not None:
        _follow_quietly(owner, locked)
        url = locked.get_absolute_url()
        notify(
            [owner],
            kind=Notification.Kind.IDEA_OWNER,
            actor=actor,
            group=group,
            url=url,
            excerpt=locked.title,
        )
        notify(
            Follow.objects.filter(idea=locked).exclude(user=owner).values_list("user", flat=True),
            kind=Notification.Kind.IDEA_RESPONSE,
            actor=actor,
            group=group,
            url=url,
            excerpt=_("%(title)s: %(name)s is responsible for the follow-up.")
            % {"title": locked.title, "name": owner.name},
        )
    _record(locked.board_id, Kind.IDEA_UPDATED, locked)
    return locked


# --- Comments ------------------------------------------------------------------------


def add_comment(*, author, idea: Idea, body: str) -> Comment:
    _require(permissions.can_view_idea(author, idea))
    if idea.comments_locked and not permissions.can_moderate_ideas(author, idea.board):
        raise IdeaActionError(_("Comments on this idea are closed."))
    _require(permissions.can_comment(author, idea))
    body = _text(body, Comment._meta.get_field("body"), _("Write a comment first."))
    check_posting_rate(author)
    with transaction.atomic():
        comment = Comment.objects.create(idea=idea, author=author, body=body)
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        _follow_quietly(author, idea)
        _record(idea.board_id, Kind.IDEA_UPDATED, idea)
        touch(idea.board.group)
    return comment


@transaction.atomic
def edit_comment(*, editor, comment: Comment, body: str) -> Comment:
    _require(permissions.can_edit_comment(editor, comment))
    body = _text(body, Comment._meta.get_field("body"), _("Write a comment first."))
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if body == locked.body:
        return locked
    CommentRevision.objects.create(
        comment=locked, body=locked.body, written_at=locked.edited_at or locked.created_at
    )
    locked.body, locked.edited_at = body, timezone.now()
    locked.save(update_fields=["body", "body_html", "edited_at"])
    _record(comment.idea.board_id, Kind.IDEA_UPDATED, comment.idea)
    return locked


@transaction.atomic
def delete_comment(*, actor, comment: Comment) -> Comment:
    _require(permissions.can_delete_comment(actor, comment))
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.deleted_at:
        return locked
    locked.deleted_at, locked.body = timezone.now(), ""
    locked.save(update_fields=["deleted_at", "body", "body_html"])
    locked.revisions.all().delete()
    Idea.objects.filter(pk=locked.idea_id).update(comment_count=F("comment_count") - 1)
    _record(comment.idea.board_id, Kind.IDEA_UPDATED, comment.idea)
    return locked


# --- Moderation ------------------------------------------------------------------------


def _reason(reason: str) -> str:
    return _text(
        reason,
        Idea._meta.get_field("hidden_reason"),
        _("Give a reason: the author and readers will see it."),
    )


@transaction.atomic
def hide_idea(*, moderator, idea: Idea, reason: str) -> Idea:
    _require(permissions.can_moderate_ideas(moderator, idea.board))
    reason = _reason(reason)
    locked = Idea.objects.select_for_update().select_related("board__group").get(pk=idea.pk)
    if locked.is_hidden:
        raise IdeaActionError(_("This idea is already hidden."))
    locked.hidden_at, locked.hidden_by, locked.hidden_reason = timezone.now(), moderator, reason
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    log_action(
        group=locked.board.group,
        actor=moderator,
        action=Action.HIDE_IDEA,
        target_user=locked.author,
        reason=reason,
        detail=locked.title,
    )
    _record(locked.board_id, Kind.IDEA_UPDATED, locked)
    return locked


@transaction.atomic
def unhide_idea(*, moderator, idea: Idea) -> Idea:
    _require(permissions.can_moderate_ideas(moderator, idea.board))
    locked = Idea.objects.select_for_update().select_related("board__group").get(pk=idea.pk)
    if not locked.is_hidden:
        raise IdeaActionError(_("This idea is not hidden."))
    locked.hidden_at, locked.hidden_by, locked.hidden_reason = None, None, ""
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    log_action(
        group=locked.board.group,
        actor=moderator,
        action=Action.UNHIDE_IDEA,
        target_user=locked.author,
        detail=locked.title,
    )
    _record(locked.board_id, Kind.IDEA_UPDATED, locked)
    return locked


@transaction.atomic
def hide_comment(*, moderator, comment: Comment, reason: str) -> Comment:
    idea = comment.idea
    _require(permissions.can_moderate_ideas(moderator, idea.board))
    reason = _reason(reason)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.hidden_at or locked.deleted_at:
        raise IdeaActionError(_("This comment is already hidden."))
    locked.hidden_at, locked.hidden_by, locked.hidden_reason = timezone.now(), moderator, reason
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "body_html"])
    log_action(
        group=idea.board.group,
        actor=moderator,
        action=Action.HIDE_COMMENT,
        target_user=locked.author,
        reason=reason,
        detail=idea.title,
    )
    _record(idea.board_id, Kind.IDEA_UPDATED, idea)
    return locked


@transaction.atomic
def unhide_comment(*, moderator, comment: Comment) -> Comment:
    idea = comment.idea
    _require(permissions.can_moderate_ideas(moderator, idea.board))
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if not locked.hidden_at:
        raise IdeaActionError(_("This comment is not hidden."))
    locked.hidden_at, locked.hidden_by, locked.hidden_reason = None, None, ""
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "body_html"])
    log_action(
        group=idea.board.group,
        actor=moderator,
        action=Action.UNHIDE_COMMENT,
        target_user=locked.author,
        detail=idea.title,
    )
    _record(idea.board_id, Kind.IDEA_UPDATED, idea)
    return locked


@transaction.atomic
def set_comments_locked(*, moderator, idea: Idea, locked: bool) -> Idea:
    _require(permissions.can_moderate_ideas(moderator, idea.board))
    row = Idea.objects.select_for_update().select_related("board__group").get(pk=idea.pk)
    if row.comments_locked == locked:
        return row
    row.comments_locked = locked
    row.save(update_fields=["comments_locked"])
    action = Action.LOCK_COMMENTS if locked else Action.UNLOCK_COMMENTS
    log_action(group=row.board.group, actor=moderator, action=action, detail=row.title)
    _record(row.board_id, Kind.IDEA_UPDATED, row)
    return row


# --- From a discussion -------------------------------------------------------------------


def promote(*, actor, thread: Thread, board: Board, post: Post | None = None, title="") -> Idea:
    """Turn a thread (its first post) or one post into an idea on one of the group's boards.

    The idea's author is the writer of the text; idea and thread link to each other.
    """
    if board.group_id != thread.group_id:
        raise IdeaActionError(_("Choose a board of this discussion's group."))
    if post is not None and post.thread_id != thread.pk:
        raise IdeaActionError(_("Choose a message from this discussion."))
    _require(permissions.can_promote(actor, thread, post))
    if board.state != Board.State.OPEN:
        raise IdeaActionError(_("This board no longer takes new ideas."))
    source = post or thread.posts.order_by("id").first()
    if source is None or not source.is_visible:
        raise IdeaActionError(_("This message cannot be turned into an idea."))
    title = _text(
        title or thread.title, Idea._meta.get_field("title"), _("Give your idea a title.")
    )
    with transaction.atomic():
        author = source.author or actor
        idea = _add_idea(board, author, title, source.body, [], thread=thread, post=post)
        if author != actor:
            _follow_quietly(actor, idea)
            log_action(
                group=board.group,
                actor=actor,
                action=Action.PROMOTE_THREAD,
                target_user=source.author,
                detail=f"{thread.title} → {board.title}",
            )
    return idea
