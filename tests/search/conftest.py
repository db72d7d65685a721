# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""A small world to search: an open, a closed and a private group with something of each
kind in each, and the people who may or may not see them."""

from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import override_settings

from discussions import services as discussions
from discussions.models import Post, Thread
from groups.models import Group, Membership
from hub.search.backends import FallbackSearch, PostgresSearch
from ideas import services as ideas
from ideas.models import Idea
from tests.groups.conftest import acc_client, add_member, make_group  # noqa: F401  (fixtures)

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _no_rate_limit():
    with override_settings(KRING_POSTS_PER_MINUTE=0):
        yield


def require_postgres():
    """Skip off PostgreSQL; with KRING_REQUIRE_SERVICES=1 (CI) a skip is a failure."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.fixture(params=["fallback", "postgres"])
def backend(request):
    """Each search test once per backend; the fallback is plain ORM and runs anywhere."""
    if request.param == "postgres":
        require_postgres()
        return PostgresSearch
    return FallbackSearch


@dataclass
class Content:
    group: Group
    thread: Thread
    post: Post
    idea: Idea


@dataclass
class World:
    open: Content
    closed: Content
    private: Content
    owner: object
    member: object  # of every group
    outsider: object  # of none
    items: dict = field(default_factory=dict)


def fill(group, author, word) -> Content:
    """A thread, a reply and an idea in ``group``, each carrying ``word``."""
    thread = discussions.create_thread(
        author=author, group=group, title=f"Agenda {word}", body="Het eerste bericht."
    )
    post = discussions.create_post(author=author, thread=thread, body=f"Over de {word} van maandag")
    board = ideas.create_board(moderator=author, group=group, title="Ideeën", brief="")
    idea = ideas.create_idea(
        author=author, board=board, title=f"Idee {word}", body=f"Een {word} per week"
    )
    return Content(group=group, thread=thread, post=post, idea=idea)


@pytest.fixture
def world(make_user, make_group):
    owner = make_user(display_name="Olga Eigenaar")
    member = make_user(display_name="Mia Lid")
    outsider = make_user(display_name="Nils Buitenstaander")
    contents = {}
    for visibility in ("open", "closed", "private"):
        group = make_group(
            owner=owner,
            name=f"Groep {visibility}",
            visibility=visibility,
            description=f"De {visibility} vergadering",
        )
        Membership.objects.create(group=group, user=member)
        # Every group has the same word; only the visibility differs.
        contents[visibility] = fill(group, owner, "vergadering")
    return World(owner=owner, member=member, outsider=outsider, **contents)
