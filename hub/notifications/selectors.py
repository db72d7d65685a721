"""Reads of the notification centre that pages, the badge and the socket share."""

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hub.models import DEFAULT_DELIVERY, Notification, NotificationPreference

PAGE_SIZE = 30
# A socket further behind than this tells the page to reload instead of replaying.
CATCH_UP_LIMIT = 50


def _per_recipient(queryset, aggregate) -> Subquery:
    value = (
        queryset.filter(recipient=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(value, output_field=IntegerField())


def with_notification_counts(users: QuerySet) -> QuerySet:
    """Users with ``unread_notifications`` and ``latest_notification_id`` (0 for none),
    computed in the same query as the users themselves."""
    return users.annotate(
        unread_notifications=Coalesce(
            _per_recipient(Notification.objects.filter(read_at__isnull=True), Count("pk")), 0
        ),
        latest_notification_id=Coalesce(_per_recipient(Notification.objects.all(), Max("pk")), 0),
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def latest_id(user) -> int:
    return (
        Notification.objects.filter(recipient=user)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def for_display(queryset: QuerySet) -> QuerySet:
    """What the list item partial needs, in one query."""
    return queryset.select_related("actor", "group")


def notifications_of(user, *, unread_only: bool = False) -> QuerySet:
    """The person's notifications, newest first."""
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return for_display(rows).order_by("-created_at", "-pk")


def newer_than(user, after: int, limit: int) -> list[Notification]:
    """The person's notifications with an id above ``after``, oldest first, at most ``limit``."""
    rows = for_display(Notification.objects.filter(recipient=user, pk__gt=after))
    return list(rows.order_by("pk")[:limit])


def preferences_of(user) -> dict[str, str]:
    """How the person hears of each kind: their choice, else the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Notification.Kind.values}
