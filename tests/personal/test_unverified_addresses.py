"""An address someone added but never verified is not theirs: it shows them no invitation
in their data download, and deleting their account touches nobody else's invitation."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from groups import services as groups
from groups.models import Invitation, ModerationLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited_address(history, make_group):
    secret = make_group(owner=history.olga, name="Geheime fusie", visibility="private")
    invitation = groups.invite(inviter=history.olga, group=secret, email="ceo@provincie.example")
    # Anna types the address in her account's email settings; she cannot verify it.
    EmailAddress.objects.create(user=history.anna, email="ceo@provincie.example", verified=False)
    return invitation


def test_the_download_shows_no_invitation_to_an_unverified_address(
    client, history, invited_address
):
    client.force_login(history.anna)
    response = client.post(reverse("personal:export"))
    data = json.loads(b"".join(response.streaming_content))
    assert "Geheime fusie" not in [row["group_name"] for row in data["invitations"]]


def test_deleting_leaves_invitations_to_an_unverified_address_alone(
    client, history, invited_address
):
    client.force_login(history.anna)
    response = client.post(reverse("personal:delete"), {"email": history.anna.email})
    assert response.status_code == 302
    assert Invitation.objects.filter(pk=invited_address.pk).exists()
    assert ModerationLogEntry.objects.filter(detail__iexact="ceo@provincie.example").exists()
