"""Every notification is made here, so preferences, email and the live badge apply to all.

Sources (discussions, groups, ideas) call ``notify`` inside their transaction; the rows
commit with the change that caused them, and email and the live push happen after commit.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from groups.selectors import viewers
from hub.models import DEFAULT_DELIVERY, Delivery, Notification, NotificationPreference, User
from hub.realtime import publish_on_commit, stream_name

# Kinds about the group itself, told to people outside it (an invitation, an answer to a
# request to join); every other kind is about what is said or decided inside the group.
ABOUT_MEMBERSHIP = {Notification.Kind.INVITATION, Notification.Kind.JOIN_DECISION}


def user_stream(user_id: int) -> str:
    """The per-user WebSocket stream: the notification badge and list."""
    return stream_name("user", user_id)


def deliveries_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each person's chosen delivery for ``kind`` (one query), else the default."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    default = DEFAULT_DELIVERY[kind]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def notify(
    recipients: Iterable, *, kind: str, actor=None, group=None, url: str, excerpt: str = ""
) -> list[Notification]:
    """Tell each recipient (users or ids) once, as their preference for ``kind`` says.

    The actor is never told about their own action; deleted and inactive accounts are
    skipped, and so is whoever may not see the group (a follower or thread starter who
    left a private group). Returns the rows made (none for people who turned this kind off).
    """
    ids = {getattr(r, "pk", r) for r in recipients}
    ids.discard(getattr(actor, "pk", None))
    if not ids:
        return []
    users = User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True)
    if group is not None and kind not in ABOUT_MEMBERSHIP:
        users = users.filter(viewers(group))
    ids = set(users.values_list("pk", flat=True))
    deliveries = deliveries_for(ids, kind)
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            actor=actor,
            group=group,
            url=url,
            excerpt=excerpt.strip()[:300],
            delivery=delivery,
        )
        for user_id, delivery in sorted(deliveries.items())
        if delivery != Delivery.OFF
    ]
    if not rows:
        return []
    made = Notification.objects.bulk_create(rows)  # PostgreSQL and SQLite return the ids
    for notification in made:
        publish_on_commit(
            user_stream(notification.recipient_id),
            {"type": "notification.new", "id": notification.pk},
        )
    to_email = [n.pk for n in made if n.delivery == Delivery.EMAIL]
    if to_email:
        from hub.notifications.emails import send_immediately

        transaction.on_commit(lambda: send_immediately(to_email))
    return made


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of the user's notifications read; returns how many.

    Other open tabs hear it, so every badge shows the same number."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    with transaction.atomic():
        count = unread.update(read_at=timezone.now())
        if count:
            publish_on_commit(user_stream(user.pk), {"type": "notification.read"})
    return count


def forget_group(user, group) -> int:
    """Someone who left (or was removed from) a private group keeps no excerpts of it:
    their notifications about its messages and ideas go (unread ones would still show
    them, and a digest would mail them). Returns how many went."""
    from groups.models import Group

    if group.visibility != Group.Visibility.PRIVATE or user.is_staff:
        return 0
    about = Notification.objects.filter(recipient=user, group=group)
    count, _ = about.exclude(kind__in=ABOUT_MEMBERSHIP).delete()
    if count:
        publish_on_commit(user_stream(user.pk), {"type": "notification.read"})
    return count


@transaction.atomic
def set_preferences(user, choices: dict[str, str]) -> None:
    """Save the person's delivery per kind; a choice equal to the default is stored too,
    so a later change of defaults does not change what they chose."""
    for kind, delivery in choices.items():
        if kind not in Notification.Kind.values or delivery not in Delivery.values:
            raise ValueError(f"unknown kind or delivery: {kind}={delivery}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
