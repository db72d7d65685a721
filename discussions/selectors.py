"""Read queries that discussion pages (and the group and home pages) share.

Unread counts are correlated subqueries on the reader's ``ReadMarker``, so a list
of threads or groups with their unread counts is still one query. Unread means:
a visible post (not deleted, not hidden) by someone else, after the marker; a
thread the reader never opened is unread from its first post.
"""

import re

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from discussions.models import Post, ReadMarker, Thread
from groups.models import Group, Membership
from groups.selectors import active_groups_for

THREAD_PAGE_SIZE = 50
_DIGITS = re.compile(r"[0-9]{1,18}")


def _visible_posts():
    return Post.objects.filter(deleted_at__isnull=True, hidden_at__isnull=True)


def _unread_posts(user, **outer):
    """Visible posts by others after the reader's marker in the post's own thread."""
    marker = ReadMarker.objects.filter(user=user, thread=OuterRef("thread")).values(
        "last_read_post_id"
    )[:1]
    return (
        _visible_posts()
        .filter(**outer)
        .exclude(author=user)
        .filter(id__gt=Coalesce(Subquery(marker), Value(0)))
    )


def _count(queryset, by: str):
    counted = queryset.order_by().values(by).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_unread_counts(threads: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Each thread with ``unread``: what ``user`` has not read in it yet."""
    if not user.is_authenticated:
        return threads.annotate(unread=Value(0, output_field=IntegerField()))
    return threads.annotate(unread=_count(_unread_posts(user, thread=OuterRef("pk")), "thread"))


def threads_for(group: Group, user) -> QuerySet[Thread]:
    """A group's threads, pinned first then by last activity, with the reader's unread counts."""
    threads = Thread.objects.filter(group=group).select_related("author")
    return with_unread_counts(threads, user).order_by("-is_pinned", "-last_activity_at", "-id")


def my_groups_with_unread(user) -> QuerySet[Group]:
    """The active groups the user is a member of, each with ``unread`` over all its threads."""
    unread = _unread_posts(user, thread__group=OuterRef("pk"))
    return (
        active_groups_for(user)
        .filter(memberships__user=user)
        .annotate(unread=_count(unread, "thread__group"))
        .order_by("-last_activity_at", "name")
    )


def reading_state(thread: Thread, user, **exists: QuerySet) -> dict:
    """In one query: ``last_read`` (how far the reader got; None when they never opened the
    thread), ``first_unread`` (the first post new to them; None on a first visit or when
    all is read), and for each keyword whether its queryset has a row (the thread page
    asks for an open board and linked ideas this way, a round trip each saved)."""
    # Not correlated: PostgreSQL reads the marker once, then walks the thread's posts by id.
    last_read = ReadMarker.objects.filter(thread=thread, user=user).values("last_read_post_id")[:1]
    first_unread = (
        _visible_posts()
        .filter(thread=thread, id__gt=Subquery(last_read))
        .exclude(author=user)
        .order_by("id")
        .values("id")[:1]
    )
    return (
        Thread.objects.filter(pk=thread.pk)
        .annotate(
            last_read=Subquery(last_read),
            first_unread=Subquery(first_unread),
            **{name: Exists(queryset) for name, queryset in exists.items()},
        )
        .values("last_read", "first_unread", *exists)
        .get()
    )


def page_of_post(thread_id: int, post_id: int) -> int:
    """The page (1-based, THREAD_PAGE_SIZE posts each) that shows the post."""
    before = Post.objects.filter(thread_id=thread_id, id__lt=post_id).count()
    return before // THREAD_PAGE_SIZE + 1


def page_to_open(thread: Thread, last_read: int | None, first_unread: int | None):
    """Where a reader lands: page 1 on a first visit, else the first unread post's page,
    else (all read) the last page."""
    if last_read is None:
        return 1
    if first_unread is not None:
        return page_of_post(thread.pk, first_unread)
    return "last"


def post_in_thread(thread: Thread, post_id: int | None) -> Post | None:
    if post_id is None:
        return None
    return Post.objects.filter(pk=post_id, thread=thread).first()


def quotable_post(thread: Thread, raw_id) -> Post | None:
    """The post behind ``?citeer=``: in this thread and readable, else None."""
    if not raw_id or not _DIGITS.fullmatch(raw_id):
        return None
    return _visible_posts().filter(pk=int(raw_id), thread=thread).select_related("author").first()


def groups_to_move_to(user, thread: Thread) -> QuerySet[Group]:
    """Active groups the moderator also runs: where a thread may go."""
    groups = Group.objects.filter(status=Group.Status.ACTIVE, archived_at__isnull=True).exclude(
        pk=thread.group_id
    )
    if not user.is_staff:
        runs = Membership.objects.filter(
            user=user, role__in=[Membership.Role.OWNER, Membership.Role.MODERATOR]
        )
        groups = groups.filter(pk__in=runs.values("group_id"))
    return groups.order_by("name")


def mention_candidates(group: Group, query: str, *, exclude=None, limit: int = 8) -> list:
    """Active members whose username, display name or a word of it starts with ``query``."""
    members = (
        Membership.objects.filter(group=group, user__is_active=True)
        .filter(
            Q(user__username__istartswith=query)
            | Q(user__display_name__istartswith=query)
            | Q(user__display_name__icontains=f" {query}")
        )
        .select_related("user")
        .order_by("user__username")
    )
    if exclude is not None:
        members = members.exclude(user=exclude)
    return [m.user for m in members[:limit]]
