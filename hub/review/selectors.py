"""Reads for the leadership dashboard, the decision log, the charts and the open data.

Who sees what is decided once, here, as querysets of groups (``groups.selectors.viewable``
is ``can_view_group`` in SQL): private groups only for their members (and staff), never
hidden ideas. Every function asks a fixed number of queries however many groups, ideas
or votes there are: counts come from aggregate queries grouped in the database.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone

from discussions.models import Post
from groups.models import Group
from groups.selectors import active_groups_for, viewable
from hub.models import User
from ideas import ranking
from ideas.models import Board, Comment, Idea, StatusChange, Tag, Vote
from ideas.permissions import CLOSED_STATUSES

SORTS = {
    "stemmen": ranking.ORDERINGS["top"],
    "trending": ranking.ORDERINGS["trending"],
}
PERIODS = (7, 30, 90, 365)  # days; none means all time
TREND_DAYS = 30
TAG_CHOICES = 200
OWNER_CHOICES = 200


def _days_ago(days: int, now=None) -> datetime:
    return (now or timezone.now()) - timedelta(days=days)


# --- Leadership dashboard --------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilters:
    days: int | None = None  # ideas created in the last N days; None: all time
    kind: str = ""  # Group.Kind
    group: str = ""  # a group's slug
    status: str = ""
    tag: str = ""  # a tag name (boards have their own tags; the same name matches on all)
    sort: str = "stemmen"
    awaiting: bool = False


def review_groups(user) -> QuerySet[Group]:
    """Active, unarchived groups the person may see: an archived group's ideas wait for
    nobody. Leadership sees open and closed groups, and the private ones they are in."""
    return active_groups_for(user)


def awaiting_response(now=None) -> Q:
    """Over the vote threshold for more than N days without an official response since.

    A response given before the idea reached the threshold does not count: the support
    came after it. Decided ideas (declined, duplicate, implemented) wait for nothing.
    """
    deadline = _days_ago(settings.KRING_RESPONSE_DAYS, now)
    return (
        Q(vote_count__gte=settings.KRING_RESPONSE_VOTE_THRESHOLD)
        & Q(threshold_reached_at__lte=deadline)
        & (Q(responded_at__isnull=True) | Q(responded_at__lt=F("threshold_reached_at")))
        & ~Q(status__in=CLOSED_STATUSES)
    )


def _visible_ideas(user) -> QuerySet[Idea]:
    return Idea.objects.filter(board__group__in=review_groups(user), hidden_at__isnull=True)


def _filtered(filters: ReviewFilters, now) -> Q:
    """The filters as one condition on ideas (the dashboard counts with it and pages by it)."""
    condition = Q()
    if filters.days:
        condition &= Q(created_at__gte=_days_ago(filters.days, now))
    if filters.kind:
        condition &= Q(board__group__kind=filters.kind)
    if filters.group:
        condition &= Q(board__group__slug=filters.group)
    if filters.status:
        condition &= Q(status=filters.status)
    if filters.tag:
        tagged = Idea.tags.through.objects.filter(idea=OuterRef("pk"), tag__name=filters.tag)
        condition &= Q(Exists(tagged))
    if filters.awaiting:
        condition &= awaiting_response(now)
    return condition


def _with_answers(ideas: QuerySet[Idea], now) -> QuerySet[Idea]:
    """``awaiting`` (bool) and ``answered_at`` (the first response since the threshold)."""
    first_answer = (
        StatusChange.objects.filter(
            idea=OuterRef("pk"),
            created_at__gte=Coalesce(OuterRef("threshold_reached_at"), OuterRef("created_at")),
        )
        .exclude(response="")
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return ideas.annotate(
        awaiting=Case(When(awaiting_response(now), then=Value(True)), default=Value(False)),
        answered_at=Subquery(first_answer),
    ).select_related("board__group", "owner")


def _sorted(ideas: QuerySet[Idea], filters: ReviewFilters) -> QuerySet[Idea]:
    return ideas.order_by(*SORTS.get(filters.sort, SORTS["stemmen"]))


def review_ideas(user, filters: ReviewFilters, now=None) -> QuerySet[Idea]:
    """The ideas on the dashboard, with ``awaiting`` (bool) per idea."""
    now = now or timezone.now()
    ideas = _visible_ideas(user).filter(_filtered(filters, now))
    return _sorted(_with_answers(ideas, now), filters)


def awaiting_count(user, now=None) -> int:
    """All ideas awaiting a response that the person may see, whatever the filters."""
    return _visible_ideas(user).filter(awaiting_response(now)).count()


def vote_trends(ideas, *, days: int = TREND_DAYS) -> tuple[list[date], dict[int, list[int]]]:
    """Each idea's vote count at the end of each of the last ``days`` days (local time).

    One aggregate query for all the ideas: votes per idea per day within the window; the
    count before the window follows from the idea's current count.
    """
    today = timezone.localdate()
    dates = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    votes = Vote.objects.filter(idea_id__in=[idea.pk for idea in ideas])
    bounds = _midnights([*dates, today + timedelta(days=1)])
    buckets = counts_between(votes, "idea_id", bounds)
    per_day = {
        idea_id: dict(zip(dates, counts, strict=True)) for idea_id, counts in buckets.items()
    }
    trends = {}
    for idea in ideas:
        counts = per_day.get(idea.pk, {})
        running = max(idea.vote_count - sum(counts.values()), 0)
        series = []
        for day in dates:
            running += counts.get(day, 0)
            series.append(running)
        trends[idea.pk] = series
    return dates, trends


def _midnights(days: list[date]) -> list[datetime]:
    """The start of each day, in local time."""
    return [timezone.make_aware(datetime.combine(day, time.min)) for day in days]


def counts_between(queryset, key: str, bounds: list[datetime]) -> dict:
    """How many rows per ``key`` were created in each interval [bounds[i], bounds[i + 1]).

    One query: a CASE puts each row in its interval with plain comparisons on
    created_at, grouped by key and interval. (TruncDate/TruncWeek call a Python function
    for every row on SQLite: 1.5 s for 200,000 votes.)
    """
    size = len(bounds) - 1
    interval = Case(
        *[When(created_at__lt=end, then=Value(i)) for i, end in enumerate(bounds[1:])],
        output_field=IntegerField(),
    )
    rows = (
        queryset.filter(created_at__gte=bounds[0], created_at__lt=bounds[-1])
        .annotate(interval=interval)
        .values_list(key, "interval")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = defaultdict(lambda: [0] * size)
    for value, i, n in rows:
        counts[value][i] = n
    return dict(counts)


_UNSET = object()


def waited(idea, now=None) -> tuple[timedelta, bool]:
    """How long the idea has waited for an answer, and whether it has one.

    From reaching the vote threshold (or, below it, from being posted) to the first
    official response after that (``answered_at`` from ``review_ideas``), or to now.
    """
    now = now or timezone.now()
    start = idea.threshold_reached_at or idea.created_at
    answered_at = getattr(idea, "answered_at", _UNSET)
    if answered_at is _UNSET:  # not from review_ideas: the latest response is all we know
        latest = idea.responded_at
        answered_at = latest if latest is not None and latest >= start else None
    end = answered_at or now
    return max(end - start, timedelta(0)), answered_at is not None


# The dashboard counts and orders 12,000 ideas, the decision log joins them to find its
# page: most of a page view. What that gives (the counts, which rows are on the page, the
# tag names, the sparklines, the HTML) is kept in one cache entry per view of the page (one
# read, at most one write), keyed by everything it depends on:
# - the visible groups and the event sequences of their boards (``_with_state``): every
#   write to an idea through ideas.services (new idea, vote, decision, owner, hiding,
#   comment) and every change of a board's tags records a BoardEvent and bumps its board's
#   ``last_seq``;
# - the query string (filters, sort, page) and the settings that define "awaiting";
# - the minute: whether an idea awaits a response, or falls in "the last 7 days", changes
#   with time alone. Writes that bypass the services (the admin) show within a minute too.
# The rows on the page are read fresh on every view. Sparklines and HTML are kept with
# what they were made from and made again when that differs, so they are never stale: a
# vote or a retraction always changes an idea's vote count or trending score (ranking.py).
REVIEW_CACHE_SECONDS = 60


def _with_state(groups: QuerySet[Group]) -> list:
    """The groups by name, as named tuples (pk, slug, name, kind, state); ``state`` changes
    whenever an idea in the group does (a board event) or a board is added or removed."""
    return list(
        groups.annotate(
            state=Concat(
                Coalesce(Sum("boards__last_seq"), 0),
                Value(":"),
                Count("boards"),
                Value(":"),
                Coalesce(Max("boards__id"), 0),
                output_field=CharField(),
            )
        )
        .order_by("name", "pk")
        .values_list("pk", "slug", "name", "kind", "state", named=True)
    )


def review_group_options(user) -> list:
    """The dashboard's groups (``review_groups``), for its filter and its cache: one query."""
    return _with_state(review_groups(user))


class ReviewCache:
    """The cache entry of one view of a review page (see above): ``page`` names it,
    ``groups`` come from ``review_group_options`` or ``decision_group_options``, ``query``
    is the request's QueryDict. ``save()`` writes it back if anything was made."""

    def __init__(self, page: str, groups: list, query, now):
        parts = [
            page,
            [tuple(group) for group in groups],
            sorted(query.lists()),  # a QueryDict: the query string
            settings.KRING_RESPONSE_VOTE_THRESHOLD,
            settings.KRING_RESPONSE_DAYS,
            settings.TIME_ZONE,
            int(now.timestamp() // 60),
        ]
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()
        self.key = f"review:page:{digest}"
        self.entry = caches["rendered"].get(self.key) or {}
        self.changed = False

    def remember(self, name: str, make):
        """The value kept under ``name``, made (and kept) if there is none."""
        if name not in self.entry:
            self.entry[name] = make()
            self.changed = True
        return self.entry[name]

    def made_from(self, name: str, source, make):
        """The value kept under ``name`` if it was made from an equal ``source``; else
        ``make()``, kept with its source."""
        kept = self.entry.get(name)
        if kept is not None and kept[0] == source:
            return kept[1]
        value = make()
        self.entry[name] = (source, value)
        self.changed = True
        return value

    def save(self) -> None:
        if self.changed:
            caches["rendered"].set(self.key, self.entry, REVIEW_CACHE_SECONDS)
            self.changed = False


@dataclass(frozen=True)
class DashboardPage:
    page: Page  # of ideas from review_ideas (with ``awaiting`` and ``answered_at``)
    trends: dict[int, list[int]]  # idea id -> votes at the end of each of the last 30 days
    awaiting_total: int  # all visible ideas awaiting a response, whatever the filters


PERSON_FIELDS = ("display_name", "first_name", "last_name", "email", "username", "deleted_at")


def _person(path: str) -> list[str]:
    """What ``User.name`` reads, for ``only()``."""
    return [f"{path}__{name}" for name in PERSON_FIELDS]


# What a dashboard row shows and ``waited`` needs: not the ideas' texts, nor the groups'.
ROW_FIELDS = (
    "title",
    "status",
    "vote_count",
    "trending",
    "comment_count",
    "created_at",
    "threshold_reached_at",
    "responded_at",
    "board__group__name",
    *_person("owner"),
)


class _Counted:
    """What the Paginator needs: a known count, and the ids of a slice on demand."""

    def __init__(self, count: int, ids: QuerySet | None = None):
        self._count, self._ids = count, ids

    def count(self) -> int:
        return self._count

    def __getitem__(self, part: slice) -> list[int]:
        return list(self._ids[part]) if self._ids is not None else []


def _listing(visible: QuerySet[Idea], filters: ReviewFilters, number, per_page, now) -> dict:
    """Both counts in one query over the visible ideas, then the ids on the page."""
    condition = _filtered(filters, now)
    counts = visible.aggregate(
        total=Count("pk", filter=condition) if condition else Count("pk"),
        awaiting=Count("pk", filter=awaiting_response(now)),
    )
    ids = _sorted(visible.filter(condition), filters).values_list("pk", flat=True)
    chosen = Paginator(_Counted(counts["total"], ids), per_page).get_page(number)
    return {**counts, "number": chosen.number, "ids": list(chosen.object_list)}


def dashboard_page(
    user,
    filters: ReviewFilters,
    number,
    *,
    groups: list,
    cached: ReviewCache,
    per_page: int,
    now=None,
) -> DashboardPage:
    """One page of the dashboard. ``groups`` from ``review_group_options(user)``.

    Kept in ``cached``: the counts and the page's ids (two queries when not), and each
    row's sparkline (one query for those that are not). Always: one query for the rows.
    """
    now = now or timezone.now()
    visible = Idea.objects.filter(
        board__group__in=[group.pk for group in groups], hidden_at__isnull=True
    )
    listing = cached.remember("listing", lambda: _listing(visible, filters, number, per_page, now))
    found = _with_answers(visible.filter(pk__in=listing["ids"]), now).only(*ROW_FIELDS)
    by_id = {idea.pk: idea for idea in found.order_by()}
    rows = [by_id[pk] for pk in listing["ids"] if pk in by_id]  # in the listing's order
    today = timezone.localdate(now)
    sources = {idea.pk: (today, idea.vote_count, idea.trending) for idea in rows}
    trends = cached.remember("trends", dict)  # idea id -> (source, series)
    stale = [idea for idea in rows if trends.get(idea.pk, (None,))[0] != sources[idea.pk]]
    if stale:
        _dates, fresh = vote_trends(stale)
        trends.update({idea.pk: (sources[idea.pk], fresh[idea.pk]) for idea in stale})
        cached.changed = True
    paginator = Paginator(_Counted(listing["total"]), per_page)
    return DashboardPage(
        page=Page(rows, listing["number"], paginator),
        trends={idea.pk: trends[idea.pk][1] for idea in rows},
        awaiting_total=listing["awaiting"],
    )


def tag_names(user) -> list[str]:
    """The tag names used on boards the person may see, for the filter (bounded)."""
    names = (
        Tag.objects.filter(board__group__in=review_groups(user))
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return list(names[:TAG_CHOICES])


def leadership_users() -> QuerySet[User]:
    """Active accounts with the leadership permission (through a group, directly, or as
    superuser), in one query."""
    by_group = Q(
        groups__permissions__codename="review_ideas",
        groups__permissions__content_type__app_label="hub",
    )
    direct = Q(
        user_permissions__codename="review_ideas",
        user_permissions__content_type__app_label="hub",
    )
    return User.objects.filter(
        by_group | direct | Q(is_superuser=True), is_active=True, deleted_at__isnull=True
    ).distinct()


def owner_candidates(idea) -> QuerySet[User]:
    """Who may be made responsible: the group's members, and leadership unless the group
    is private (they could not see it). The service checks again (ideas.services)."""
    group = idea.board.group
    members = Q(memberships__group=group)
    if group.visibility != Group.Visibility.PRIVATE:
        members |= Q(pk__in=leadership_users().values("pk"))
    return (
        User.objects.filter(members, is_active=True, deleted_at__isnull=True)
        .distinct()
        .order_by("display_name", "email")
    )


def offered_owners(idea) -> list[User]:
    """What the owner select lists: the current owner, then candidates (bounded)."""
    offered = list(owner_candidates(idea)[:OWNER_CHOICES])
    if idea.owner_id and idea.owner_id not in {user.pk for user in offered}:
        offered.insert(0, idea.owner)
    return offered


# --- Decision log ----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionFilters:
    group: str = ""  # a group's slug
    status: str = ""  # the status decided on
    days: int | None = None
    with_response: bool = False


def decision_groups(user) -> QuerySet[Group]:
    """Groups whose decisions the person may read: active ones they may see; archived
    groups keep their history."""
    return viewable(user, Group.objects.filter(status=Group.Status.ACTIVE))


def decisions(user, filters: DecisionFilters = DecisionFilters(), now=None):
    """Every decision on a visible, not hidden idea, newest first."""
    changes = StatusChange.objects.filter(
        idea__board__group__in=decision_groups(user), idea__hidden_at__isnull=True
    )
    if filters.group:
        changes = changes.filter(idea__board__group__slug=filters.group)
    if filters.status:
        changes = changes.filter(to_status=filters.status)
    if filters.days:
        changes = changes.filter(created_at__gte=_days_ago(filters.days, now))
    if filters.with_response:
        changes = changes.exclude(response="")
    return changes.select_related(
        "idea__board__group", "idea__owner", "actor", "duplicate_of"
    ).order_by("-created_at", "-id")


def decision_group_options(user) -> list:
    """The decision log's groups (``decision_groups``), for its filter and its cache."""
    return _with_state(decision_groups(user))


# What the decision log shows of a decision: not the ideas' texts, nor the groups'.
DECISION_FIELDS = (
    "from_status",
    "to_status",
    "response_html",
    "created_at",
    "idea__title",
    "idea__board__group__name",
    "duplicate_of__title",
    *_person("idea__owner"),
    *_person("actor"),
)


def decision_page(
    user,
    filters: DecisionFilters,
    number,
    *,
    groups: list,
    cached: ReviewCache,
    per_page: int,
    now=None,
) -> Page:
    """One page of ``decisions``; ``groups`` from ``decision_group_options(user)``. The
    count and the page's ids are kept in ``cached`` (two queries when not); the decisions
    themselves are read on every view (one query)."""

    def listing() -> dict:
        changes = decisions(user, filters, now).values_list("pk", flat=True)
        chosen = Paginator(_Counted(changes.count(), changes), per_page).get_page(number)
        return {"total": chosen.paginator.count, "number": chosen.number, "ids": list(chosen)}

    kept = cached.remember("listing", listing)
    rows = (
        StatusChange.objects.filter(
            pk__in=kept["ids"],
            idea__board__group__in=[group.pk for group in groups],
            idea__hidden_at__isnull=True,
        )
        .select_related("idea__board__group", "idea__owner", "actor", "duplicate_of")
        .only(*DECISION_FIELDS)
        .order_by("-created_at", "-id")
    )
    return Page(list(rows), kept["number"], Paginator(_Counted(kept["total"]), per_page))


# --- Charts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupActivity:
    group: Group
    weeks: list[dict]  # per week: {"start": date, "posts", "ideas", "comments", "votes", "total"}
    total: int


ACTIVITY_KINDS = ("posts", "ideas", "comments", "votes")


def week_starts(weeks: int) -> list[date]:
    """The Mondays of the last ``weeks`` weeks, this week last (local time)."""
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


# The participation chart summarises weeks; a few minutes old is fresh enough, and it
# saves recounting every vote of the last 12 weeks on each view (bench/review.py).
PARTICIPATION_CACHE_SECONDS = 300


def participation(user, *, weeks: int = 12, top: int = 10) -> tuple[list[date], list]:
    """Posts, ideas, comments and votes per week in the most active groups the person may
    see: one query for the groups, then (unless cached for this set of groups) four
    aggregate queries (one per kind) and one for the groups' names.

    Everything people did counts, also what a moderator hid later (the numbers show no
    content); posts and comments their authors deleted do not.
    """
    mondays = week_starts(weeks)
    group_ids = sorted(review_groups(user).values_list("pk", flat=True))
    digest = hashlib.sha256(f"{weeks}:{top}:{mondays[-1]}:{group_ids}".encode()).hexdigest()
    key = f"review:participation:{digest}"
    cached = caches["rendered"].get(key)
    if cached is None:
        cached = _participation(group_ids, mondays, top)
        caches["rendered"].set(key, cached, PARTICIPATION_CACHE_SECONDS)
    return mondays, cached


def _participation(groups: list[int], mondays: list[date], top: int) -> list:
    sources = {
        "posts": (
            Post.objects.filter(thread__group__in=groups, deleted_at__isnull=True),
            "thread__group_id",
        ),
        "ideas": (Idea.objects.filter(board__group__in=groups), "board__group_id"),
        "comments": (
            Comment.objects.filter(idea__board__group__in=groups, deleted_at__isnull=True),
            "idea__board__group_id",
        ),
        "votes": (Vote.objects.filter(idea__board__group__in=groups), "idea__board__group_id"),
    }
    counts = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(ACTIVITY_KINDS, 0)))
    bounds = _midnights([*mondays, mondays[-1] + timedelta(weeks=1)])
    for kind, (queryset, group_field) in sources.items():
        for group_id, per_week in counts_between(queryset, group_field, bounds).items():
            for monday, n in zip(mondays, per_week, strict=True):
                counts[group_id][monday][kind] += n
    totals = {
        group_id: sum(sum(week.values()) for week in by_week.values())
        for group_id, by_week in counts.items()
    }
    busiest = sorted(totals, key=lambda group_id: (-totals[group_id], group_id))[:top]
    names = Group.objects.in_bulk(busiest)
    result = []
    for group_id in busiest:
        series = []
        for monday in mondays:
            week = dict(counts[group_id].get(monday, dict.fromkeys(ACTIVITY_KINDS, 0)))
            series.append({"start": monday, **week, "total": sum(week.values())})
        result.append(GroupActivity(group=names[group_id], weeks=series, total=totals[group_id]))
    return result


def ideas_by_status(user) -> list[tuple[str, str, int]]:
    """(status, label, number of ideas) for every status, in the order of the workflow."""
    counted = dict(
        _visible_ideas(user).values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [(value, label, counted.get(value, 0)) for value, label in Idea.Status.choices]


# --- Open data -------------------------------------------------------------------------

OPEN_DATA_VERSION = 1


def open_data(absolute) -> dict:
    """Boards, ideas and their totals in open, active groups: nothing personal (no names),
    nothing from closed or private groups, no hidden ideas. ``absolute(path)`` makes a
    full URL. Three queries."""
    groups = list(
        Group.objects.filter(
            status=Group.Status.ACTIVE,
            archived_at__isnull=True,
            visibility=Group.Visibility.OPEN,
        ).order_by("name", "pk")
    )
    boards = Board.objects.filter(group__in=groups).order_by("group_id", "title", "pk")
    ideas = (
        Idea.objects.filter(board__group__in=groups, hidden_at__isnull=True)
        .annotate(
            responses=Count("status_changes", filter=~Q(status_changes__response="")),
        )
        .order_by("board_id", "-vote_count", "-created_at", "-pk")
        .values(
            "pk",
            "board_id",
            "title",
            "status",
            "vote_count",
            "comment_count",
            "created_at",
            "responses",
        )
    )
    ideas_of = defaultdict(list)
    for idea in ideas:
        ideas_of[idea["board_id"]].append(
            {
                "id": idea["pk"],
                "title": idea["title"],
                "status": idea["status"],
                "votes": idea["vote_count"],
                "comments": idea["comment_count"],
                "created": idea["created_at"].isoformat(),
                "url": absolute(reverse("ideas:idea", args=[idea["pk"]])),
                "official_responses": idea["responses"],
            }
        )
    slugs = {group.pk: group.slug for group in groups}
    boards_of = defaultdict(list)
    for board in boards:
        board_ideas = ideas_of.get(board.pk, [])
        by_status = dict.fromkeys(Idea.Status.values, 0)
        for idea in board_ideas:
            by_status[idea["status"]] += 1
        boards_of[board.group_id].append(
            {
                "id": board.pk,
                "title": board.title,
                "state": board.state,
                "url": absolute(reverse("ideas:board", args=[slugs[board.group_id], board.pk])),
                "idea_count": len(board_ideas),
                "ideas_by_status": by_status,
                "vote_total": sum(idea["votes"] for idea in board_ideas),
                "ideas": board_ideas,
            }
        )
    return {
        "version": OPEN_DATA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "statuses": list(Idea.Status.values),
        "groups": [
            {
                "slug": group.slug,
                "name": group.name,
                "kind": group.kind,
                "url": absolute(group.get_absolute_url()),
                "boards": boards_of.get(group.pk, []),
            }
            for group in groups
        ],
    }
