"""Notification emails: one at once (delivery "email") and the daily digest ("digest").

Both mark what they sent in the database, so a retry or a second run never sends twice.
Links in mails point straight at what the notification is about (a post, an invitation):
people see where a link goes before they follow it.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hub.models import Delivery, Digest, Notification, User
from hub.urls_absolute import absolute_url

logger = logging.getLogger(__name__)


def _language(user) -> str:
    """The person's saved language if Kring speaks it, else the site's (Dutch)."""
    language = user.language or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _render(template: str, user, context: dict) -> tuple[str, str]:
    with translation.override(_language(user)):
        context = {
            "user": user,
            "site_url": absolute_url("/"),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            **context,
        }
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}_message.txt", context)
    return " ".join(subject.split()), body


def _with_links(notifications) -> list:
    for notification in notifications:
        notification.absolute_url = absolute_url(notification.url)
    return notifications


def send_immediately(notification_ids: list[int]) -> int:
    """Email each notification that asked for it and was not emailed yet; returns the count.

    Runs after the commit that made them. The row is claimed (emailed_at set) before the
    mail goes, so two workers never both send it; a send that fails is logged and the
    claim let go (emailed_at empty again, so the admin shows it did not go out).
    """
    sent = 0
    pending = (
        Notification.objects.filter(
            pk__in=notification_ids, delivery=Delivery.EMAIL, emailed_at__isnull=True
        )
        .select_related("recipient", "actor", "group")
        .order_by("pk")
    )
    for notification in pending:
        claimed_at = timezone.now()
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=claimed_at
        )
        user = notification.recipient
        if not claimed or not user.email or user.deleted_at or not user.is_active:
            continue
        subject, body = _render("single", user, {"notification": _with_links([notification])[0]})
        try:
            send_mail(subject, body, None, [user.email])
            sent += 1
        except Exception:
            logger.exception("could not email notification %s", notification.pk)
            Notification.objects.filter(pk=notification.pk, emailed_at=claimed_at).update(
                emailed_at=None
            )
    return sent


def _local_today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class DigestRun:
    sent: int  # emails sent
    failed: int  # people whose email failed: nothing of theirs was marked, a rerun retries


def send_digests(day: date | None = None) -> DigestRun:
    """Send each person one email with their digest notifications of ``day`` (default today).

    At most one digest per person per day (a unique ``Digest`` row), so running this twice,
    or in two processes at once, never sends twice. Notifications that arrive after
    today's digest wait for the next day's.

    Only what is still unread when the digest goes out is in it: a digest tells people
    what they missed, and what they already read in Kring would only be noise. Those read
    notifications are marked as digested all the same (without a mail of their own), so
    they never turn up in a later digest.
    """
    day = day or _local_today()
    waiting = Notification.objects.filter(delivery=Delivery.DIGEST, digest__isnull=True)
    sent = failed = 0
    for user_id in waiting.values_list("recipient_id", flat=True).distinct().order_by():
        outcome = _send_digest(user_id, day)
        sent += outcome is True
        failed += outcome is None
    return DigestRun(sent=sent, failed=failed)


def _send_digest(user_id: int, day: date) -> bool | None:
    """True if sent, False if there was nothing to send (or it was sent already), None if
    the mail failed."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user_id=user_id, day=day)
            user = User.objects.get(pk=user_id)
            rows = list(
                Notification.objects.filter(
                    recipient_id=user_id, delivery=Delivery.DIGEST, digest__isnull=True
                )
                .select_related("actor", "group")
                .order_by("created_at", "pk")
            )
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(digest=digest)
            unread = [n for n in rows if n.read_at is None]
            if not unread or not user.email or user.deleted_at or not user.is_active:
                return False
            subject, body = _render(
                "digest", user, {"notifications": _with_links(unread), "day": day}
            )
            # Sending inside the transaction: if the mail server refuses, nothing is marked
            # and a rerun tries again. A second run meanwhile waits on the Digest row.
            send_mail(subject, body, None, [user.email])
            digest.sent_at = timezone.now()
            digest.save(update_fields=["sent_at"])
            return True
    except IntegrityError:  # this day's digest for this person exists: sent already
        return False
    except Exception:
        logger.exception("could not send the digest to user %s", user_id)
        return None
