# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""Three groups (open, closed, private) with boards, ideas, votes and decisions, and the
people who meet them, for the leadership review and decision log tests."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from groups.models import Group, Membership, ModerationLogEntry
from hub.models import Notification, User
from ideas import services
from ideas.models import Board, BoardEvent, Follow, Idea, StatusChange, Vote
from tests.groups.conftest import add_member, make_group  # noqa: F401  (fixtures)

ROLES = ["anonymous", "member", "moderator", "leader", "staff"]
LOGIN = "login"
THRESHOLD = 2  # votes before the response deadline starts (settings, small for tests)
RESPONSE_DAYS = 14


@pytest.fixture(autouse=True)
def _review_settings():
    with override_settings(
        KRING_POSTS_PER_MINUTE=0,
        KRING_RESPONSE_VOTE_THRESHOLD=THRESHOLD,
        KRING_RESPONSE_DAYS=RESPONSE_DAYS,
    ):
        yield


@dataclass
class World:
    open: Group
    closed: Group
    private: Group
    boards: dict  # visibility -> Board
    ideas: dict  # name -> Idea
    users: dict = field(default_factory=dict)  # role -> User (no "anonymous")

    def idea(self, name) -> Idea:
        return Idea.objects.get(pk=self.ideas[name].pk)


def _supporters(group, count, make_user):
    people = []
    for _n in range(count):
        person = make_user()
        Membership.objects.create(group=group, user=person)
        people.append(person)
    return people


@pytest.fixture
def world(make_user, make_group):
    """Ideas by name:

    - ``popular``: open group, 3 votes (over the threshold), no response;
    - ``answered``: open group, 3 votes, accepted with a response;
    - ``quiet``: open group, no votes;
    - ``closed``: closed group, 3 votes, under review with a response;
    - ``secret``: private group, 3 votes, planned with a response ("Geheim");
    - ``hidden``: open group, hidden by a moderator, declined with a response.
    """
    boss = make_user(display_name="Olga Eigenaar")
    users = {
        "member": make_user(display_name="Mia Lid"),
        "moderator": make_user(display_name="Mo Moderator"),
        "leader": make_user(display_name="Lotte Leiding", leadership=True),
        "staff": make_user(display_name="Sam Beheer", staff=True, is_superuser=True),
        "insider": make_user(display_name="Ida Binnen"),
        "owner": boss,
    }
    groups = {
        visibility: make_group(
            owner=boss,
            name=f"Groep {visibility}",
            visibility=visibility,
            kind=Group.Kind.IMPROVEMENT if visibility == "open" else Group.Kind.INTEREST,
        )
        for visibility in ("open", "closed", "private")
    }
    Membership.objects.create(
        group=groups["open"], user=users["moderator"], role=Membership.Role.MODERATOR
    )
    Membership.objects.create(group=groups["open"], user=users["member"])
    Membership.objects.create(group=groups["private"], user=users["insider"])
    boards = {
        visibility: services.create_board(
            moderator=boss, group=group, title=f"Bord {visibility}", tags=["Fiets", "Groen"]
        )
        for visibility, group in groups.items()
    }
    fans = {visibility: _supporters(group, 3, make_user) for visibility, group in groups.items()}

    def idea(visibility, title, votes=3, tags=()):
        board = boards[visibility]
        tag_ids = [tag.pk for tag in board.tags.filter(name__in=tags)]
        made = services.create_idea(
            author=boss, board=board, title=title, body=f"Over {title}", tag_ids=tag_ids
        )
        for fan in fans[visibility][:votes]:
            services.cast_vote(user=fan, idea=made)
        return made

    ideas = {
        "popular": idea("open", "Overdekte fietsenstalling", tags=["Fiets"]),
        "answered": idea("open", "Treinkaart voor iedereen", tags=["Groen"]),
        "quiet": idea("open", "Stille ruimte", votes=0),
        "closed": idea("closed", "Besloten voorstel"),
        "secret": idea("private", "Geheim plan"),
        "hidden": idea("open", "Verborgen voorstel"),
    }
    services.change_status(
        actor=boss, idea=ideas["answered"], status="accepted", response="We doen het **graag**."
    )
    services.change_status(
        actor=boss, idea=ideas["closed"], status="under_review", response="Besloten antwoord."
    )
    services.change_status(
        actor=boss, idea=ideas["secret"], status="planned", response="Geheim antwoord."
    )
    services.change_status(
        actor=boss, idea=ideas["hidden"], status="declined", response="Verborgen antwoord."
    )
    services.hide_idea(moderator=boss, idea=ideas["hidden"], reason="Dubbel")
    return World(
        open=groups["open"],
        closed=groups["closed"],
        private=groups["private"],
        boards=boards,
        ideas=ideas,
        users=users,
    )


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def english(client):
    """Pages in English (the language middleware reads the cookie, not the test's override)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:500]


def age(idea, *, reached_days_ago=None, responded_days_ago=None, created_days_ago=None):
    """Move an idea's clock back: when it reached the threshold, was answered, was posted."""
    now = timezone.now()
    changes = {}
    if reached_days_ago is not None:
        changes["threshold_reached_at"] = now - timedelta(days=reached_days_ago)
    if responded_days_ago is not None:
        changes["responded_at"] = now - timedelta(days=responded_days_ago)
    if created_days_ago is not None:
        changes["created_at"] = now - timedelta(days=created_days_ago)
    Idea.objects.filter(pk=idea.pk).update(**changes)


def snapshot() -> dict:
    """Everything a decision could change, as plain values."""
    return {
        "ideas": sorted(
            Idea.objects.values_list(
                "id", "status", "duplicate_of_id", "owner_id", "responded_at", "status_changed_at"
            )
        ),
        "decisions": StatusChange.objects.count(),
        "follows": sorted(Follow.objects.values_list("idea_id", "user_id")),
        "events": BoardEvent.objects.count(),
        "log": ModerationLogEntry.objects.count(),
        "notifications": Notification.objects.count(),
        "votes": Vote.objects.count(),
        "boards": sorted(Board.objects.values_list("id", "last_seq")),
        "tokens": sorted(User.objects.exclude(feed_token=None).values_list("id", "feed_token")),
    }
