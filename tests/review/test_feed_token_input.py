"""The personal feed link: junk is a 404 (never a 500), and it follows the owner's access."""

import pytest

from groups.models import Membership
from hub.review import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["%00", "x%00y", "a b", "..", "x" * 65, "é"])
def test_a_token_that_cannot_be_one_is_not_found(client, world, token):
    assert client.get(f"/besluiten/feed/{token}/").status_code == 404


def test_the_link_shows_what_its_owner_may_see_now(client, world):
    insider = world.users["insider"]
    token = services.reset_feed_token(insider)
    url = f"/besluiten/feed/{token}/"
    assert "Geheim plan" in client.get(url).content.decode()
    Membership.objects.filter(user=insider, group=world.private).delete()
    assert "Geheim plan" not in client.get(url).content.decode()
    insider.is_active = False
    insider.save()
    assert client.get(url).status_code == 404
