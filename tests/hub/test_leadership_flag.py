"""The header's Leadership link reads a flag loaded with the user, not two permission queries;
the flag must agree with Django's own permission check for every kind of account."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from hub.auth_backends import AuthenticationBackend
from hub.permissions import is_leadership

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(make_user, leader, staff):
    direct = make_user(display_name="Direct Recht")
    direct.user_permissions.add(Permission.objects.get(codename="review_ideas"))
    plain = make_user(display_name="Gewone Medewerker")
    gone = make_user(display_name="Oud Leiding", leadership=True)
    gone.is_active = False
    gone.save()
    return {"group": leader, "direct": direct, "superuser": staff, "plain": plain, "gone": gone}


@pytest.mark.parametrize("who", ["group", "direct", "superuser", "plain"])
def test_the_loaded_flag_agrees_with_has_perm(accounts, who):
    user = accounts[who]
    loaded = AuthenticationBackend().get_user(user.pk)
    assert loaded.holds_leadership_permission is not None
    assert is_leadership(loaded) == user.has_perm("hub.review_ideas") == (who != "plain")


def test_an_inactive_leader_is_not_loaded_at_all(accounts):
    assert AuthenticationBackend().get_user(accounts["gone"].pk) is None


def test_only_leadership_sees_the_leadership_link(client, accounts):
    link = f'href="{reverse("review:dashboard")}"'
    for who, expected in [("group", True), ("plain", False)]:
        client.force_login(accounts[who])
        assert (link in client.get(reverse("home")).content.decode()) is expected


def test_a_session_naming_no_account_loads_nobody(accounts):
    backend = AuthenticationBackend()
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None


def test_the_badge_counts_come_with_the_user(accounts):
    from hub.models import Notification

    user = accounts["plain"]
    made = Notification.objects.bulk_create(
        Notification(recipient=user, kind="reply", url="/", excerpt=f"Bericht {n}")
        for n in range(3)
    )
    loaded = AuthenticationBackend().get_user(user.pk)
    assert loaded.unread_notifications == 3
    assert loaded.latest_notification_id == max(n.pk for n in made)
    assert loaded.name == user.name and loaded.date_joined == user.date_joined
