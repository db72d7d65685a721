# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""Groups, people and threads for the discussion tests.

make_user comes from tests/conftest.py; make_group, add_member and acc_client are the
groups tests' own fixtures, reused here so both apps build their worlds the same way.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from discussions import services
from discussions.models import Post, PostRevision, Reaction, ReadMarker, Thread, ThreadEvent
from groups.models import Group, Membership, ModerationLogEntry
from hub.models import Notification
from tests.groups.conftest import (  # noqa: F401  (fixtures)
    acc_client,
    add_member,
    make_group,
    moderator,
    owner,
)

ROLES = ["anonymous", "nonmember", "member", "muted", "moderator", "staff", "leader"]
VISIBILITIES = ["open", "closed", "private"]
POSTERS = {"member", "moderator"}  # may write in the group (members, not muted)
MODERATORS = {"moderator", "staff"}
LOGIN = "login"  # expected outcome: a redirect to the login page


@pytest.fixture(autouse=True)
def _no_rate_limit():
    """Most tests post more than a person could; the rate-limit test switches it back on."""
    with override_settings(KRING_POSTS_PER_MINUTE=0):
        yield


@pytest.fixture
def make_thread():
    def make(group, author, title="Fietsenstalling bij het provinciehuis", body="Wie fietst mee?"):
        return services.create_thread(author=author, group=group, title=title, body=body)

    return make


@pytest.fixture
def make_post():
    def make(thread, author, body="Goed idee!", reply_to=None):
        return services.create_post(author=author, thread=thread, body=body, reply_to=reply_to)

    return make


@dataclass
class World:
    """A group with a thread, everyone who may meet it, and a second group to move to."""

    group: Group
    other: Group  # open; the moderator moderates it too
    thread: Thread
    post: Post  # by the member
    hidden: Post  # by the member, hidden by the owner
    users: dict = field(default_factory=dict)  # role -> user (no "anonymous")


@pytest.fixture
def world(make_user, make_group):
    def build(visibility="open") -> World:
        group_owner = make_user(display_name="Olga Eigenaar")
        users = {
            "nonmember": make_user(display_name="Nils Buitenstaander"),
            "member": make_user(display_name="Mia Lid"),
            "muted": make_user(display_name="Stijn Stil"),
            "moderator": make_user(display_name="Mo Moderator"),
            "staff": make_user(display_name="Sam Beheer", staff=True, is_superuser=True),
            "leader": make_user(display_name="Lotte Leiding", leadership=True),
        }
        group = make_group(
            owner=group_owner, name=f"Kringgroep {visibility}", visibility=visibility
        )
        other = make_group(owner=group_owner, name="Andere groep")
        Role = Membership.Role
        for target in (group, other):
            Membership.objects.create(group=target, user=users["moderator"], role=Role.MODERATOR)
        Membership.objects.create(group=group, user=users["member"])
        muted = Membership.objects.create(group=group, user=users["muted"])
        thread = services.create_thread(
            author=group_owner, group=group, title="Thuiswerken op vrijdag", body="Wie doet mee?"
        )
        services.create_post(author=users["muted"], thread=thread, body="Ik, voor ik stil was.")
        post = services.create_post(author=users["member"], thread=thread, body="Ik ook!")
        hidden = services.create_post(author=users["member"], thread=thread, body="Oeps")
        services.hide_post(moderator=group_owner, post=hidden, reason="Buiten het onderwerp")
        muted.muted_until = timezone.now() + timedelta(days=3)
        muted.save()
        users["owner"] = group_owner
        return World(group=group, other=other, thread=thread, post=post, hidden=hidden, users=users)

    return build


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def sees(role, visibility) -> bool:
    """permissions.can_read_thread for an active group."""
    return role == "staff" or visibility != "private" or role in {"member", "muted", "moderator"}


def snapshot() -> dict:
    """Everything a discussion action could change, as plain values."""
    return {
        "threads": sorted(
            Thread.objects.values_list(
                "id", "group_id", "title", "is_pinned", "is_locked", "post_count", "last_seq"
            )
        ),
        "posts": sorted(
            Post.objects.values_list(
                "id", "thread_id", "author_id", "body", "edited_at", "deleted_at", "hidden_at"
            )
        ),
        "revisions": PostRevision.objects.count(),
        "reactions": sorted(Reaction.objects.values_list("post_id", "user_id", "emoji")),
        "markers": sorted(
            ReadMarker.objects.values_list("user_id", "thread_id", "last_read_post_id")
        ),
        "events": ThreadEvent.objects.count(),
        "log": ModerationLogEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:500]
