"""Preferences decide what happens: nothing, a row, a row and a mail, or the daily digest.

Mails go out after the commit (``django_capture_on_commit_callbacks(execute=True)``), the
digest from ``manage.py send_digests``.
"""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from hub.models import DEFAULT_DELIVERY, Delivery, Digest, Notification
from hub.notifications import services
from tests.helpers import free_port

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
DAY = date(2026, 12, 1)


def prefer(user, delivery, *kinds):
    services.set_preferences(user, {kind: delivery for kind in kinds or Kind.values})


def digests(day=DAY) -> str:
    out = io.StringIO()
    call_command("send_digests", f"--day={day.isoformat()}", stdout=out)
    return out.getvalue()


def test_off_makes_no_notification(people, tell, django_capture_on_commit_callbacks):
    prefer(people.anna, Delivery.OFF, Kind.MENTION)
    with django_capture_on_commit_callbacks(execute=True):
        assert tell(people.anna, actor=people.olga, kind=Kind.MENTION) is None
        assert tell(people.anna, actor=people.olga, kind=Kind.REPLY) is not None  # other kinds
    assert list(Notification.objects.values_list("kind", flat=True)) == [Kind.REPLY]


def test_in_kring_only_makes_a_row_and_no_mail(people, tell, django_capture_on_commit_callbacks):
    prefer(people.anna, Delivery.APP)
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(people.anna, actor=people.olga)
    assert notification.delivery == Delivery.APP
    assert mail.outbox == []
    digests()
    assert mail.outbox == []


def test_email_sends_one_mail_at_once_in_the_recipients_language(
    people, tell, django_capture_on_commit_callbacks, settings
):
    settings.KRING_SITE_URL = "https://kring.provincie.example"
    prefer(people.anna, Delivery.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(
            people.anna, actor=people.olga, group=people.group, excerpt="Kijk <even> hier"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.anna.email]
    assert message.subject == "[Kring] Olga Eigenaar mentioned you: Fietsen naar het werk"
    assert "Hello Anna de Vries," in message.body
    assert "Kijk <even> hier" in message.body  # plain text: nothing escaped
    # Absolute links: to what it is about, and to the settings.
    assert "https://kring.provincie.example/groepen/\n" in message.body
    assert "https://kring.provincie.example" + reverse("notifications:preferences") in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    digests()
    assert len(mail.outbox) == 1  # not again in the digest


def test_a_dutch_reader_gets_a_dutch_mail(people, tell, django_capture_on_commit_callbacks):
    prefer(people.bram, Delivery.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        tell(people.bram, actor=people.anna, kind=Kind.MENTION)
    # (Kind labels are in the catalogue already; the new mail texts get translated with it.)
    assert "Anna de Vries heeft je genoemd" in mail.outbox[0].body
    assert "Anna de Vries heeft je genoemd" in mail.outbox[0].subject


def test_an_immediate_mail_that_fails_is_not_marked_as_sent(
    people, tell, django_capture_on_commit_callbacks, settings
):
    refuse_mail(settings)
    prefer(people.anna, Delivery.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(people.anna, actor=people.olga)
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_digest_sends_nothing_at_once(people, tell, django_capture_on_commit_callbacks):
    prefer(people.anna, Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        tell(people.anna, actor=people.olga)
    assert mail.outbox == []
    assert Notification.objects.get().delivery == Delivery.DIGEST


def test_the_default_is_used_until_someone_chooses(people, tell):
    for kind in Kind.values:
        assert tell(people.anna, actor=people.olga, kind=kind).delivery == DEFAULT_DELIVERY[kind]


@pytest.fixture
def digest_world(people, tell):
    """Anna (English) and Bram (Dutch) each have two digest notifications; Mo one in the app."""
    for person in (people.anna, people.bram):
        prefer(person, Delivery.DIGEST)
    prefer(people.mo, Delivery.APP)
    tell(people.anna, actor=people.olga, group=people.group, excerpt="Eerste")
    tell(people.anna, actor=people.bram, kind=Kind.REPLY, excerpt="Tweede")
    tell(people.bram, actor=people.olga, kind=Kind.IDEA_STATUS, excerpt="Gepland")
    tell(people.bram, actor=people.anna, kind=Kind.REPLY, excerpt="Ook dit")
    tell(people.mo, actor=people.olga)
    return people


def test_send_digests_sends_each_person_one_mail_with_all_their_items(digest_world, settings):
    settings.KRING_SITE_URL = "https://kring.provincie.example"
    people = digest_world
    assert digests() == "Sent 2 digest emails.\n"
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {people.anna.email, people.bram.email}

    english = by_recipient[people.anna.email]
    assert english.subject == "[Kring] Your daily summary: 2 notifications"
    assert "Hello Anna de Vries," in english.body
    assert "Olga Eigenaar mentioned you (Fietsen naar het werk)" in english.body
    assert "Eerste" in english.body and "Tweede" in english.body
    assert english.body.count("https://kring.provincie.example/groepen/\n") == 2

    dutch = by_recipient[people.bram.email]
    assert "Olga Eigenaar heeft de status gewijzigd van een idee dat je volgt" in dutch.body
    assert "Gepland" in dutch.body and "Ook dit" in dutch.body
    assert "changed the status" not in dutch.body

    assert Digest.objects.filter(day=DAY, sent_at__isnull=False).count() == 2


def test_running_send_digests_twice_sends_nothing_more(digest_world):
    digests()
    assert digests() == "Sent 0 digest emails.\n"
    assert len(mail.outbox) == 2


def test_new_items_the_same_day_wait_for_the_next_day(digest_world, tell):
    people = digest_world
    digests()
    later = tell(people.anna, actor=people.olga, excerpt="Later die dag")
    assert digests() == "Sent 0 digest emails.\n"
    assert len(mail.outbox) == 2
    assert digests(DAY + timedelta(days=1)) == "Sent 1 digest email.\n"
    assert len(mail.outbox) == 3
    tomorrow = mail.outbox[-1]
    assert tomorrow.to == [people.anna.email]
    assert "Later die dag" in tomorrow.body and "Eerste" not in tomorrow.body
    later.refresh_from_db()
    assert later.digest.day == DAY + timedelta(days=1)


def test_what_was_read_in_kring_stays_out_of_the_digest(digest_world):
    people = digest_world
    services.mark_read(people.bram)  # Bram read both of his
    first = Notification.objects.filter(recipient=people.anna).order_by("pk").first()
    services.mark_read(people.anna, [first.pk])  # Anna one of hers
    assert digests() == "Sent 1 digest email.\n"
    (message,) = mail.outbox
    assert message.to == [people.anna.email]
    assert message.subject == "[Kring] Your daily summary: 1 notification"
    assert "Tweede" in message.body and "Eerste" not in message.body
    # Read ones are done with: not in tomorrow's digest either.
    assert digests(DAY + timedelta(days=1)) == "Sent 0 digest emails.\n"
    assert not Notification.objects.filter(delivery=Delivery.DIGEST, digest=None).exists()


def refuse_mail(settings):
    """A real SMTP connection to a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2


def test_a_failing_mail_server_leaves_nothing_marked_and_a_rerun_sends(digest_world, settings):
    backend = settings.EMAIL_BACKEND
    refuse_mail(settings)
    with pytest.raises(CommandError, match="2 digest emails could not be sent"):
        digests()
    assert not Digest.objects.exists()
    assert Notification.objects.filter(delivery=Delivery.DIGEST, digest=None).count() == 4
    settings.EMAIL_BACKEND = backend
    assert digests() == "Sent 2 digest emails.\n"
    assert len(mail.outbox) == 2


def test_deleted_accounts_get_no_digest(digest_world):
    people = digest_world
    people.bram.deleted_at = timezone.now()
    people.bram.save()
    assert digests() == "Sent 1 digest email.\n"
    assert [m.to for m in mail.outbox] == [[people.anna.email]]


def test_the_day_must_be_a_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "--day=gisteren")


def test_without_a_day_it_is_today(digest_world):
    call_command("send_digests", stdout=io.StringIO())
    assert set(Digest.objects.values_list("day", flat=True)) == {timezone.localdate()}
