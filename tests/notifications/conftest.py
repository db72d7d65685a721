# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""People in a group, and ways to make notifications the way the app makes them."""

from dataclasses import dataclass

import pytest
from django.test import override_settings

from groups.models import Group, Membership
from hub.models import Notification
from hub.notifications import services
from tests.groups.conftest import (  # noqa: F401  (fixtures)
    acc_client,
    add_member,
    make_group,
    moderator,
    owner,
)

Kind = Notification.Kind


@pytest.fixture(autouse=True)
def _no_rate_limit():
    with override_settings(KRING_POSTS_PER_MINUTE=0):
        yield


@dataclass
class People:
    group: Group
    olga: object  # owns the group
    anna: object  # member, reads Kring in English
    bram: object  # member, reads Kring in Dutch
    mo: object  # moderator


@pytest.fixture
def people(make_user, make_group, add_member) -> People:
    olga = make_user("olga@provincie.example", display_name="Olga Eigenaar", language="nl")
    group = make_group(owner=olga, name="Fietsen naar het werk")
    anna = add_member(
        group, make_user("anna@provincie.example", display_name="Anna de Vries", language="en")
    ).user
    bram = add_member(
        group, make_user("bram@provincie.example", display_name="Bram Bakker", language="nl")
    ).user
    mo = add_member(
        group,
        make_user("mo@provincie.example", display_name="Mo Moderator", language="en"),
        Membership.Role.MODERATOR,
    ).user
    return People(group=group, olga=olga, anna=anna, bram=bram, mo=mo)


@pytest.fixture
def tell():
    """``tell(recipient, actor=…, kind=…, excerpt=…)``: one notification through ``notify``."""

    def make(
        recipient, *, actor=None, kind=Kind.MENTION, group=None, url="/groepen/", excerpt="Hoi"
    ):
        made = services.notify(
            [recipient], kind=kind, actor=actor, group=group, url=url, excerpt=excerpt
        )
        return made[0] if made else None

    return make
