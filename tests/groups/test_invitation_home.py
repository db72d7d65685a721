"""An open invitation shows on the invited person's home page, and only there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groups import services

pytestmark = pytest.mark.django_db


def test_an_invited_colleague_sees_the_invitation_on_their_home_page(
    client, private_group, owner, make_user
):
    guest = make_user("gast@provincie.example")
    invitation = services.invite(inviter=owner, group=private_group, user=guest)
    client.force_login(guest)
    page = client.get("/").content.decode()
    assert invitation.get_absolute_url() in page
    assert private_group.name in page


def test_others_do_not_see_it_and_it_disappears_once_expired(
    client, private_group, owner, make_user
):
    guest, bystander = make_user(), make_user()
    invitation = services.invite(inviter=owner, group=private_group, user=guest)
    client.force_login(bystander)
    assert private_group.name not in client.get("/").content.decode()

    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    client.force_login(guest)
    assert invitation.get_absolute_url() not in client.get("/").content.decode()
