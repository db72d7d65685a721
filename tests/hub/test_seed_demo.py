"""`manage.py seed_demo`: the demo province people see after `make run`."""

import io
import re
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from discussions.models import Post, Thread
from groups.models import Group, JoinRequest, Membership
from hub.management.commands.seed_demo import DEMO_PASSWORD
from ideas.models import Board, Idea, Vote

User = get_user_model()
EMAIL = re.compile(r"[\w.-]+@provincie\.example")
MODELS = (
    User,
    EmailAddress,
    User.groups.through,
    Group,
    Membership,
    Thread,
    Post,
    Board,
    Idea,
    Vote,
)


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot():
    """Every column of every row the command could touch."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def content():
    """The demo as people see it, without database ids or timestamps."""
    return {
        "members": sorted(Membership.objects.values_list("group__slug", "user__email", "role")),
        "posts": sorted(
            Post.objects.values_list(
                "thread__group__slug", "thread__title", "author__email", "body"
            )
        ),
        "ideas": sorted(
            Idea.objects.values_list("board__title", "title", "author__email", "status")
        ),
        "votes": sorted(Vote.objects.values_list("idea__title", "user__email")),
    }


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    # PBKDF2 is slow on purpose; these tests are about the data, not the hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def output(db):
    return seed()


def test_creates_a_province_of_employees_who_can_log_in_right_away(output):
    users = User.objects.all()
    assert 25 <= users.count() <= 40
    assert len({user.department for user in users}) >= 8
    for user in users:
        assert user.display_name and user.email.endswith("@provincie.example"), user
        assert user.username == user.email.split("@")[0], user
        assert user.check_password(DEMO_PASSWORD), user
    anna = User.objects.get(email="anna.devries@provincie.example")
    assert (anna.first_name, anna.last_name) == ("Anna", "de Vries")
    assert anna.display_name == "Anna de Vries"
    verified = EmailAddress.objects.filter(verified=True, primary=True)
    assert sorted(verified.values_list("user__email", flat=True)) == sorted(
        users.values_list("email", flat=True)
    )


def test_twelve_groups_of_both_kinds_and_every_visibility_each_with_an_owner(output):
    groups = Group.objects.filter(status="active")
    assert groups.count() == 12
    assert {group.kind for group in groups} == {"improvement", "interest"}
    visibility = Counter(group.visibility for group in groups)
    assert visibility["private"] >= 1 and visibility["closed"] >= 2 and visibility["open"] >= 1
    for group in groups:
        roles = Counter(group.memberships.values_list("role", flat=True))
        assert roles["owner"] == 1, group
        assert 1 <= roles["moderator"] <= 2, group
        assert roles["member"] >= 3, group
        assert group.description_html.startswith("<"), group


def test_every_group_has_discussions_ideas_and_votes_by_its_members(output):
    for group in Group.objects.filter(status="active"):
        member_ids = set(group.memberships.values_list("user_id", flat=True))
        threads = group.threads.annotate(n=Count("posts"))
        assert 2 <= len(threads) <= 4, group
        assert all(2 <= thread.n <= 6 for thread in threads), group
        posts = Post.objects.filter(thread__group=group)
        assert set(posts.values_list("author_id", flat=True)) <= member_ids, group
        boards = group.boards.annotate(n=Count("ideas"))
        assert 1 <= len(boards) <= 2, group
        assert all(3 <= board.n <= 8 for board in boards), group
        votes = Vote.objects.filter(idea__board__group=group)
        assert votes and set(votes.values_list("user_id", flat=True)) <= member_ids, group
    assert len(set(Idea.objects.values_list("status", flat=True))) >= 5
    # The count shown next to an idea is exactly its number of votes.
    ideas = Idea.objects.annotate(counted=Count("votes"))
    assert [idea.vote_count for idea in ideas] == [idea.counted for idea in ideas]
    assert sum(idea.vote_count for idea in ideas) == Vote.objects.count()


def test_running_it_again_adds_and_changes_nothing(output):
    before = snapshot()
    second = seed()
    assert snapshot() == before
    assert "nothing added" in second
    assert EMAIL.findall(second) == EMAIL.findall(output)


def test_the_same_province_every_time(output):
    first = content()
    Group.objects.all().delete()
    User.objects.all().delete()
    seed()
    assert content() == first


def test_the_printed_logins_work_on_the_real_login_page(client, output):
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/" in output
    logins = EMAIL.findall(output)
    assert logins[0] == "beheer@provincie.example"
    admin, leader, moderator, member = (User.objects.get(email=email) for email in logins)
    assert admin.is_staff and admin.is_superuser
    assert leader.has_perm("hub.review_ideas") and not leader.is_staff
    assert moderator.memberships.filter(role="moderator").exists()
    assert set(member.memberships.values_list("role", flat=True)) == {"member"}
    assert not member.has_perm("hub.review_ideas")

    for user in (leader, member):
        data = {"login": user.email, "password": DEMO_PASSWORD}
        assert client.post(reverse("account_login"), data).status_code == 302, user
        assert client.session["_auth_user_id"] == str(user.pk)
        assert user.display_name in client.get("/").content.decode()
        client.logout()


def test_refuses_on_what_looks_like_a_real_site(make_user, settings):
    settings.DEBUG = False
    make_user("echte.medewerker@provincie.example")
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Group.objects.exists()
    seed(force=True)
    assert Group.objects.filter(status="active").count() == 12


def test_moderators_and_staff_find_work_waiting(output):
    proposed = Group.objects.get(status="pending")
    assert proposed.kind == "improvement"
    assert proposed.memberships.get().role == "owner"
    request = JoinRequest.objects.get(status="pending")
    assert request.group.visibility == "closed" and request.message
    assert not request.group.memberships.filter(user=request.user).exists()
