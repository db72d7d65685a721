"""Who may open or do what on idea boards: every URL of ideas/urls.py, for every kind of
person, in open, closed and private groups.

Each (url, role, visibility) is its own test. Every write is checked against the database:
a refused action changes nothing at all, an allowed one does what it says.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from groups.models import ModerationLogEntry
from ideas import urls
from ideas.models import Board, Comment, Follow, Idea, Vote
from tests.ideas.conftest import (
    DECIDERS,
    LOGIN,
    MODERATORS,
    POSTERS,
    ROLES,
    VISIBILITIES,
    assert_status,
    login,
    sees,
    snapshot,
)

pytestmark = pytest.mark.django_db


def _everyone(role):
    return (200, False)


def _for(allowed: set, ok=200, changes=False):
    def rule(role):
        return (ok, changes) if role in allowed else (403, False)

    return rule


def _members_redirect(changer: str):
    """Posters get a redirect (a change only for ``changer``, a message for the other); else 403."""

    def rule(role):
        if role in POSTERS:
            return (302, role == changer)
        return (403, False)

    return rule


@dataclass
class Case:
    name: str  # the URL name, with [GET]/[POST …] when a URL has several
    method: str
    url: Callable  # world -> path
    rule: Callable  # role -> (status, changes), for people who may see the group
    data: Callable = lambda world: {}
    verify: Callable | None = None  # (world, user) -> None, when the change happened

    @property
    def url_name(self) -> str:
        return self.name.split("[")[0]


def _group_url(name):
    return lambda world: reverse(f"ideas:{name}", args=[world.group.slug])


def _board_url(name):
    return lambda world: reverse(f"ideas:{name}", args=[world.group.slug, world.board.pk])


def _idea_url(name, which="idea"):
    return lambda world: reverse(f"ideas:{name}", args=[getattr(world, which).pk])


def _comment_url(name, which="comment"):
    return lambda world: reverse(f"ideas:{name}", args=[getattr(world, which).pk])


def _promote_url(with_post=False):
    def url(world):
        path = reverse("ideas:promote", args=[world.group.slug, world.thread.pk])
        return f"{path}?bericht={world.post.pk}" if with_post else path

    return url


def _verify_board_created(world, user):
    board = Board.objects.get(title="Nieuw bord")
    assert board.group == world.group and board.votes_per_member == 3
    assert sorted(board.tags.values_list("name", flat=True)) == ["Groen", "Snel"]
    assert ModerationLogEntry.objects.filter(action="create_board", actor=user).exists()


def _verify_board_changed(world, user):
    board = Board.objects.get(pk=world.board.pk)
    assert board.title == "Nieuwe titel" and board.state == "closed"


def _verify_idea_created(world, user):
    idea = Idea.objects.get(title="Meer groen")
    assert idea.author == user and list(idea.tags.all()) == [world.tag]


def _verify_promoted(world, user, post=None):
    idea = Idea.objects.get(thread=world.thread)
    assert idea.title == "Uit de discussie" and idea.board == world.board
    assert idea.post == post


def _verify_idea_edited(world, user):
    idea = Idea.objects.get(pk=world.own.pk)
    assert idea.title == "Deelfietsen overal" and idea.revisions.count() == 1


def _verify_voted(world, user):
    assert Vote.objects.filter(idea=world.other, user=user).exists()
    assert Idea.objects.get(pk=world.other.pk).vote_count == 1


def _verify_unvoted(world, user):
    assert not Vote.objects.filter(idea=world.idea, user=user).exists()
    assert Idea.objects.get(pk=world.idea.pk).vote_count == 0


def _verify_moved(world, user):
    assert not Vote.objects.filter(idea=world.duplicate, user=user).exists()
    assert Vote.objects.filter(idea=world.other, user=user).exists()


def _verify_status(world, user):
    idea = Idea.objects.get(pk=world.idea.pk)
    assert idea.status == "under_review"
    assert idea.status_changes.get(actor=user).response == "We kijken ernaar"


def _verify_followed(world, user):
    assert Follow.objects.filter(idea=world.other, user=user).exists()


def _verify_commented(world, user):
    assert Comment.objects.filter(idea=world.idea, author=user, body="Mee eens").exists()


def _verify_hidden(world, user):
    idea = Idea.objects.get(pk=world.idea.pk)
    assert idea.hidden_reason == "Te persoonlijk" and idea.hidden_by == user


def _verify_unhidden(world, user):
    assert not Idea.objects.get(pk=world.hidden.pk).is_hidden


def _verify_locked(world, user):
    assert Idea.objects.get(pk=world.idea.pk).comments_locked


def _verify_comment_edited(world, user):
    comment = Comment.objects.get(pk=world.comment.pk)
    assert comment.body == "Goed plan, echt" and comment.revisions.count() == 1


def _verify_comment_deleted(world, user):
    assert Comment.objects.get(pk=world.comment.pk).deleted_at is not None


def _verify_comment_hidden(world, user):
    comment = Comment.objects.get(pk=world.comment.pk)
    assert comment.hidden_reason == "Te persoonlijk" and comment.hidden_by == user


def _verify_comment_unhidden(world, user):
    assert Comment.objects.get(pk=world.hidden_comment.pk).hidden_at is None


PROMOTERS = MODERATORS
POST_PROMOTERS = MODERATORS | {"member"}  # the member wrote the post

CASES = [
    Case("boards", "get", _group_url("boards"), _everyone),
    Case("create_board[GET]", "get", _group_url("create_board"), _for(MODERATORS)),
    Case(
        "create_board[POST]",
        "post",
        _group_url("create_board"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"title": "Nieuw bord", "votes_per_member": "3", "tags": "Snel\nGroen"},
        verify=_verify_board_created,
    ),
    Case("board", "get", _board_url("board"), _everyone),
    Case("board_settings[GET]", "get", _board_url("board_settings"), _for(MODERATORS)),
    Case(
        "board_settings[POST]",
        "post",
        _board_url("board_settings"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"title": "Nieuwe titel", "state": "closed", "tags": "Fiets\nTrein"},
        verify=_verify_board_changed,
    ),
    Case("create_idea[GET]", "get", _board_url("create_idea"), _for(POSTERS)),
    Case(
        "create_idea[POST]",
        "post",
        _board_url("create_idea"),
        _for(POSTERS, 302, True),
        data=lambda world: {"title": "Meer groen", "body": "Bomen", "tags": [world.tag.pk]},
        verify=_verify_idea_created,
    ),
    Case(
        "similar",
        "get",
        lambda world: _board_url("similar")(world) + "?titel=fietsenstalling",
        _everyone,
    ),
    Case("promote[GET]", "get", _promote_url(), _for(PROMOTERS)),
    Case("promote[GET post]", "get", _promote_url(with_post=True), _for(POST_PROMOTERS)),
    Case(
        "promote[POST]",
        "post",
        _promote_url(),
        _for(PROMOTERS, 302, True),
        data=lambda world: {"board": world.board.pk, "title": "Uit de discussie"},
        verify=_verify_promoted,
    ),
    Case(
        "promote[POST post]",
        "post",
        _promote_url(),
        _for(POST_PROMOTERS, 302, True),
        data=lambda world: {
            "board": world.board.pk,
            "title": "Uit de discussie",
            "post": world.post.pk,
        },
        verify=lambda world, user: _verify_promoted(world, user, world.post),
    ),
    Case("idea", "get", _idea_url("idea"), _everyone),
    Case("edit_idea[GET]", "get", _idea_url("edit_idea", "own"), _for(MODERATORS | {"member"})),
    Case(
        "edit_idea[POST]",
        "post",
        _idea_url("edit_idea", "own"),
        _for(MODERATORS | {"member"}, 302, True),
        data=lambda world: {"title": "Deelfietsen overal", "body": "Voor iedereen"},
        verify=_verify_idea_edited,
    ),
    Case("idea_history", "get", _idea_url("idea_history"), _everyone),
    Case(
        "vote",
        "post",
        _idea_url("vote", "other"),
        _for(POSTERS, 302, True),
        verify=_verify_voted,
    ),
    Case(
        "unvote",
        "post",
        _idea_url("unvote"),
        _members_redirect("member"),
        verify=_verify_unvoted,
    ),
    Case(
        "move_vote",
        "post",
        _idea_url("move_vote", "duplicate"),
        _members_redirect("member"),
        verify=_verify_moved,
    ),
    Case("change_status[GET]", "get", _idea_url("change_status"), _for(DECIDERS)),
    Case(
        "change_status[POST]",
        "post",
        _idea_url("change_status"),
        _for(DECIDERS, 302, True),
        data=lambda world: {"status": "under_review", "response": "We kijken ernaar"},
        verify=_verify_status,
    ),
    Case(
        "follow",
        "post",
        _idea_url("follow", "other"),
        lambda role: (302, True),
        data=lambda world: {"follow": "1"},
        verify=_verify_followed,
    ),
    Case(
        "comment",
        "post",
        _idea_url("comment"),
        _for(POSTERS, 302, True),
        data=lambda world: {"body": "Mee eens"},
        verify=_verify_commented,
    ),
    Case("hide_idea[GET]", "get", _idea_url("hide_idea"), _for(MODERATORS)),
    Case(
        "hide_idea[POST]",
        "post",
        _idea_url("hide_idea"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"reason": "Te persoonlijk"},
        verify=_verify_hidden,
    ),
    Case(
        "unhide_idea",
        "post",
        _idea_url("unhide_idea", "hidden"),
        _for(MODERATORS, 302, True),
        verify=_verify_unhidden,
    ),
    Case(
        "lock_comments",
        "post",
        _idea_url("lock_comments"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"value": "1"},
        verify=_verify_locked,
    ),
    Case("edit_comment[GET]", "get", _comment_url("edit_comment"), _for({"member"})),
    Case(
        "edit_comment[POST]",
        "post",
        _comment_url("edit_comment"),
        _for({"member"}, 302, True),
        data=lambda world: {"body": "Goed plan, echt"},
        verify=_verify_comment_edited,
    ),
    Case("delete_comment[GET]", "get", _comment_url("delete_comment"), _for({"member", "staff"})),
    Case(
        "delete_comment[POST]",
        "post",
        _comment_url("delete_comment"),
        _for({"member", "staff"}, 302, True),
        verify=_verify_comment_deleted,
    ),
    Case("hide_comment[GET]", "get", _comment_url("hide_comment"), _for(MODERATORS)),
    Case(
        "hide_comment[POST]",
        "post",
        _comment_url("hide_comment"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"reason": "Te persoonlijk"},
        verify=_verify_comment_hidden,
    ),
    Case(
        "unhide_comment",
        "post",
        _comment_url("unhide_comment", "hidden_comment"),
        _for(MODERATORS, 302, True),
        verify=_verify_comment_unhidden,
    ),
]


def expected_outcome(case, role, visibility):
    if role == "anonymous":
        return (LOGIN, False)
    if not sees(role, visibility):
        return (404, False)  # a private group's boards and ideas do not exist for outsiders
    return case.rule(role)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_idea_url_access(acc_client, world, case, role, visibility):
    world = world(visibility)
    login(acc_client, world, role)
    before = snapshot()

    response = getattr(acc_client, case.method)(case.url(world), case.data(world))

    status, changes = expected_outcome(case, role, visibility)
    assert_status(response, status)
    if changes:
        case.verify(world, world.users[role])
        return
    assert snapshot() == before, "a refused action changed something"


def test_every_idea_url_is_in_the_matrix():
    declared = {
        pattern.name for pattern in urls.board_patterns + urls.thread_patterns + urls.idea_patterns
    }
    assert declared == {case.url_name for case in CASES}


@pytest.mark.parametrize("name", sorted({case.url_name for case in CASES}))
def test_wrong_methods_are_405(acc_client, world, name):
    world = world("open")
    login(acc_client, world, "moderator")
    case = next(case for case in CASES if case.url_name == name)
    methods = {c.method for c in CASES if c.url_name == name}
    wrong = "put" if "get" in methods else "get"
    if "get" in methods and "post" not in methods:
        wrong = "post"
    before = snapshot()
    assert getattr(acc_client, wrong)(case.url(world)).status_code == 405
    assert snapshot() == before
