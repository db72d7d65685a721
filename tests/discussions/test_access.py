"""Who may open or do what in a discussion: every URL of discussions/urls.py, for every kind
of person, in open, closed and private groups.

Each (url, role, visibility) is its own test. Every write is checked against the database:
a refused action changes nothing at all, an allowed one does what it says.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from discussions import urls
from discussions.models import Post, Reaction, ReadMarker, Thread
from groups.models import ModerationLogEntry
from tests.discussions.conftest import (
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


@dataclass
class Case:
    name: str  # the URL name, with [GET]/[POST] when a URL has both
    method: str
    url: Callable  # world -> path
    rule: Callable  # role -> (status, changes), for people who may see the thread
    data: Callable = lambda world: {}
    verify: Callable | None = None  # (world, user) -> None, when the change happened
    reads: bool = False  # a page view: it may move the viewer's read marker

    @property
    def url_name(self) -> str:
        return self.name.split("[")[0]


def _group_url(name):
    return lambda world: reverse(f"discussions:{name}", args=[world.group.slug])


def _thread_url(name):
    return lambda world: reverse(f"discussions:{name}", args=[world.group.slug, world.thread.pk])


def _post_url(name, which="post"):
    return lambda world: reverse(f"discussions:{name}", args=[getattr(world, which).pk])


def _verify_thread_created(world, user):
    thread = Thread.objects.get(title="Nieuw onderwerp")
    assert thread.group == world.group and thread.author == user
    assert list(thread.posts.values_list("body", flat=True)) == ["Eerste bericht"]


def _verify_replied(world, user):
    assert Post.objects.filter(thread=world.thread, author=user, body="Mijn antwoord").exists()


def _verify_marked(world, user):
    marker = ReadMarker.objects.get(user=user, thread=world.thread)
    assert marker.last_read_post_id >= world.post.pk


def _verify_pinned(world, user):
    assert Thread.objects.get(pk=world.thread.pk).is_pinned


def _verify_locked(world, user):
    assert Thread.objects.get(pk=world.thread.pk).is_locked


def _verify_moved(world, user):
    assert Thread.objects.get(pk=world.thread.pk).group == world.other
    assert ModerationLogEntry.objects.filter(group=world.other, action="move_thread_in").exists()


def _verify_edited(world, user):
    post = Post.objects.get(pk=world.post.pk)
    assert post.body == "Verbeterd" and post.revisions.count() == 1


def _verify_deleted(world, user):
    assert Post.objects.get(pk=world.post.pk).is_deleted


def _verify_reacted(world, user):
    assert Reaction.objects.filter(post=world.post, user=user, emoji="heart").exists()


def _verify_hidden(world, user):
    post = Post.objects.get(pk=world.post.pk)
    assert post.hidden_reason == "Te persoonlijk" and post.hidden_by == user
    assert ModerationLogEntry.objects.filter(action="hide_post", actor=user).exists()


def _verify_unhidden(world, user):
    assert Post.objects.get(pk=world.hidden.pk).is_visible


CASES = [
    Case("list", "get", _group_url("list"), _everyone),
    Case("create[GET]", "get", _group_url("create"), _for(POSTERS)),
    Case(
        "create[POST]",
        "post",
        _group_url("create"),
        _for(POSTERS, 302, True),
        data=lambda world: {"title": "Nieuw onderwerp", "body": "Eerste bericht"},
        verify=_verify_thread_created,
    ),
    Case(
        "mention_suggestions",
        "get",
        lambda world: _group_url("mention_suggestions")(world) + "?q=m",
        _for(POSTERS),
    ),
    Case("thread", "get", _thread_url("thread"), _everyone, reads=True),
    Case(
        "reply",
        "post",
        _thread_url("reply"),
        _for(POSTERS, 302, True),
        data=lambda world: {"body": "Mijn antwoord"},
        verify=_verify_replied,
    ),
    Case(
        "mark_read",
        "post",
        _thread_url("mark_read"),
        lambda role: (204, True),
        data=lambda world: {"post": world.post.pk},
        verify=_verify_marked,
    ),
    Case(
        "pin",
        "post",
        _thread_url("pin"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"value": "1"},
        verify=_verify_pinned,
    ),
    Case(
        "lock",
        "post",
        _thread_url("lock"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"value": "1"},
        verify=_verify_locked,
    ),
    Case("move[GET]", "get", _thread_url("move"), _for(MODERATORS)),
    Case(
        "move[POST]",
        "post",
        _thread_url("move"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"group": world.other.pk},
        verify=_verify_moved,
    ),
    Case("post", "get", _post_url("post"), lambda role: (302, False)),
    Case("edit[GET]", "get", _post_url("edit"), _for({"member"})),
    Case(
        "edit[POST]",
        "post",
        _post_url("edit"),
        _for({"member"}, 302, True),
        data=lambda world: {"body": "Verbeterd"},
        verify=_verify_edited,
    ),
    Case("history", "get", _post_url("history"), _everyone),
    Case("delete[GET]", "get", _post_url("delete"), _for({"member", "staff"})),
    Case(
        "delete[POST]",
        "post",
        _post_url("delete"),
        _for({"member", "staff"}, 302, True),
        verify=_verify_deleted,
    ),
    Case(
        "react",
        "post",
        _post_url("react"),
        _for(POSTERS, 302, True),
        data=lambda world: {"emoji": "heart"},
        verify=_verify_reacted,
    ),
    Case("hide[GET]", "get", _post_url("hide"), _for(MODERATORS)),
    Case(
        "hide[POST]",
        "post",
        _post_url("hide"),
        _for(MODERATORS, 302, True),
        data=lambda world: {"reason": "Te persoonlijk"},
        verify=_verify_hidden,
    ),
    Case(
        "unhide",
        "post",
        _post_url("unhide", "hidden"),
        _for(MODERATORS, 302, True),
        verify=_verify_unhidden,
    ),
]


def expected_outcome(case, role, visibility):
    if role == "anonymous":
        return (LOGIN, False)
    if not sees(role, visibility):
        return (404, False)  # a private group's threads do not exist for outsiders
    return case.rule(role)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_discussion_url_access(acc_client, world, case, role, visibility):
    world = world(visibility)
    login(acc_client, world, role)
    before = snapshot()

    response = getattr(acc_client, case.method)(case.url(world), case.data(world))

    status, changes = expected_outcome(case, role, visibility)
    assert_status(response, status)
    after = snapshot()
    if changes:
        case.verify(world, world.users[role])
        return
    if case.reads and status == 200:  # reading moves the reader's own marker, nothing else
        before.pop("markers"), after.pop("markers")
    assert after == before, "a refused action changed something"


def test_every_discussion_url_is_in_the_matrix():
    declared = {pattern.name for pattern in urls.group_patterns + urls.post_patterns}
    assert declared == {case.url_name for case in CASES}


@pytest.mark.parametrize("role", ["member", "moderator", "staff", "nonmember"])
def test_a_thread_page_shows_each_person_only_their_controls(acc_client, world, role):
    world = world("open")
    login(acc_client, world, role)
    page = acc_client.get(world.thread.get_absolute_url()).content.decode()
    edit = f'<li data-for="author"><a href="{reverse("discussions:edit", args=[world.post.pk])}"'
    assert (edit in page) == (role == "member")
    assert ('id="antwoord"' in page) == (role in POSTERS)
    assert ('id="moderator-heading"' in page) == (role in MODERATORS)
    assert (reverse("discussions:pin", args=[world.group.slug, world.thread.pk]) in page) == (
        role in MODERATORS
    )
