"""The admin shows notifications with their delivery, preferences and digests."""

import pytest
from django.urls import reverse

from hub.models import Delivery, Digest, Notification, NotificationPreference
from hub.notifications import emails, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(people, tell):
    services.set_preferences(people.anna, {"mention": Delivery.DIGEST})
    tell(people.anna, actor=people.olga, group=people.group)
    emails.send_digests()
    return people


@pytest.mark.parametrize("model", [Notification, NotificationPreference, Digest])
def test_every_notification_admin_page_opens(client, staff, rows, model):
    client.force_login(staff)
    info = model._meta.app_label, model._meta.model_name
    changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert changelist.status_code == 200
    first = model.objects.get()
    assert (
        client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk])).status_code == 200
    )


def test_the_notification_list_shows_delivery_and_when_it_was_emailed(client, staff, rows):
    client.force_login(staff)
    page = client.get(reverse("admin:hub_notification_changelist")).content.decode()
    assert "column-delivery" in page and "column-emailed_at" in page


def test_digests_are_not_added_by_hand(client, staff, rows):
    client.force_login(staff)
    assert client.get(reverse("admin:hub_digest_add")).status_code == 403
