"""Bad input to the idea pages gets a clear error and loses nothing; never a server error.

The test client re-raises any exception a view lets through, so every test here also
proves "no 500". Each refused request leaves the database exactly as it was.
"""

import pytest
from django.urls import reverse

from tests.ideas.conftest import snapshot

pytestmark = pytest.mark.django_db

HUGE = "9" * 18  # matches the id converter, fits a bigint, is no row
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def bad(world):
    return world("closed")


def as_role(client, world, role="member"):
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize(
    "data",
    [
        {"title": ""},
        {"title": "\x00"},
        {"title": "x" * 121},
        {"title": "Bord", "brief": "x" * 5001},
        {"title": "Bord", "votes_per_member": "0"},
        {"title": "Bord", "votes_per_member": "-1"},
        {"title": "Bord", "votes_per_member": "abc"},
        {"title": "Bord", "votes_per_member": HUGE},
        {"title": "Bord", "voting_opens_at": "gisteren"},
        {
            "title": "Bord",
            "voting_opens_at": "2027-01-02T10:00",
            "voting_closes_at": "2027-01-01T10:00",
        },
        {"title": "Bord", "tags": "\n".join(f"tag {n}" for n in range(21))},
        {"title": "Bord", "tags": "x" * 41},
    ],
)
def test_bad_boards_are_form_errors(acc_client, bad, data):
    as_role(acc_client, bad, "moderator")
    before = snapshot()
    response = acc_client.post(reverse("ideas:create_board", args=[bad.group.slug]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("state", ["", "open2", "\x00", "deleted"])
def test_bad_board_states_are_form_errors(acc_client, bad, state):
    as_role(acc_client, bad, "moderator")
    before = snapshot()
    url = reverse("ideas:board_settings", args=[bad.group.slug, bad.board.pk])
    response = acc_client.post(url, {"title": "Bord", "state": state})
    assert response.status_code == 200 and response.context["form"].errors["state"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "body": "Tekst"},
        {"title": "\x00 ", "body": "Tekst"},
        {"title": "x" * 161, "body": "Tekst"},
        {"title": "Titel", "body": ""},
        {"title": "Titel", "body": "x" * 20_001},
        {"title": "Titel", "body": "Tekst", "tags": ["abc"]},
        {"title": "Titel", "body": "Tekst", "tags": [HUGE]},
        {"title": "Titel", "body": "Tekst", "tags": ["other-board"]},
    ],
)
def test_bad_ideas_are_form_errors(acc_client, bad, data, make_user):
    from ideas import services

    as_role(acc_client, bad)
    if data.get("tags") == ["other-board"]:
        other = services.create_board(
            moderator=bad.users["owner"], group=bad.group, title="Ander", tags=["Elders"]
        )
        data = {**data, "tags": [other.tags.get().pk]}
    before = snapshot()
    url = reverse("ideas:create_idea", args=[bad.group.slug, bad.board.pk])
    response = acc_client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize(
    "query", ["", "?titel=", "?titel=%00%00", "?titel=" + "x" * 5000, "?behalve=abc"]
)
def test_odd_similar_queries_answer_json(acc_client, bad, query):
    as_role(acc_client, bad)
    url = reverse("ideas:similar", args=[bad.group.slug, bad.board.pk]) + query
    response = acc_client.get(url)
    assert response.status_code == 200 and isinstance(response.json(), list)


@pytest.mark.parametrize(
    "query",
    [
        "?sortering=x",
        "?status=nope",
        "?tag=abc",
        f"?tag={HUGE}",
        "?pagina=-1",
        "?pagina=zz",
        "?pagina=999",
    ],
)
def test_odd_board_queries_still_show_the_board(acc_client, bad, query):
    as_role(acc_client, bad)
    response = acc_client.get(bad.board.get_absolute_url() + query)
    assert response.status_code == 200


@pytest.mark.parametrize("body", ["", "   ", "\x00", "x" * 10_001])
def test_bad_comments_are_form_errors(acc_client, bad, body):
    as_role(acc_client, bad)
    before = snapshot()
    url = reverse("ideas:comment", args=[bad.idea.pk])
    response = acc_client.post(url, {"body": body})
    assert response.status_code == 400 and response.context["comment_form"].errors
    response = acc_client.post(url, {"body": body}, headers=FETCH)
    assert response.status_code == 400 and response.json()["error"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [
        {"status": ""},
        {"status": "gone"},
        {"status": "duplicate"},
        {"status": "duplicate", "duplicate_of": "abc"},
        {"status": "duplicate", "duplicate_of": HUGE},
        {"status": "duplicate", "duplicate_of": "self"},
        {"status": "new"},  # the same status without a response
        {"status": "accepted", "response": "x" * 10_001},
    ],
)
def test_bad_status_changes_are_form_errors(acc_client, bad, data):
    as_role(acc_client, bad, "moderator")
    if data.get("duplicate_of") == "self":
        data = {**data, "duplicate_of": bad.idea.pk}
    before = snapshot()
    response = acc_client.post(reverse("ideas:change_status", args=[bad.idea.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("reason", ["", " ", "\x00", "x" * 501])
@pytest.mark.parametrize("what", ["hide_idea", "hide_comment"])
def test_bad_hide_reasons_are_form_errors(acc_client, bad, what, reason):
    as_role(acc_client, bad, "moderator")
    target = bad.idea if what == "hide_idea" else bad.comment
    before = snapshot()
    response = acc_client.post(reverse(f"ideas:{what}", args=[target.pk]), {"reason": reason})
    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("value", ["", "2", "true", "\x00"])
def test_bad_flags_change_nothing(acc_client, bad, value):
    as_role(acc_client, bad, "moderator")
    before = snapshot()
    assert (
        acc_client.post(
            reverse("ideas:lock_comments", args=[bad.idea.pk]), {"value": value}
        ).status_code
        == 302
    )
    response = acc_client.post(
        reverse("ideas:follow", args=[bad.other.pk]), {"follow": value}, headers=FETCH
    )
    assert response.status_code == 400 and response.json()["error"]
    assert snapshot() == before


@pytest.mark.parametrize("bericht", ["abc", HUGE, "-1", "\x00"])
def test_promoting_no_such_post_is_404(acc_client, bad, bericht):
    as_role(acc_client, bad, "moderator")
    url = reverse("ideas:promote", args=[bad.group.slug, bad.thread.pk])
    assert acc_client.get(url, {"bericht": bericht}).status_code == 404
    before = snapshot()
    assert (
        acc_client.post(url, {"board": bad.board.pk, "title": "X", "post": bericht}).status_code
        == 404
    )
    assert snapshot() == before


@pytest.mark.parametrize("board", ["", "abc", HUGE, "closed"])
def test_bad_promote_boards_are_form_errors(acc_client, bad, board):
    from ideas import services

    as_role(acc_client, bad, "moderator")
    if board == "closed":
        closed = services.create_board(moderator=bad.users["owner"], group=bad.group, title="Dicht")
        services.update_board(moderator=bad.users["owner"], board=closed, state="closed")
        board = closed.pk
    before = snapshot()
    url = reverse("ideas:promote", args=[bad.group.slug, bad.thread.pk])
    response = acc_client.post(url, {"board": board, "title": "Idee"})
    assert response.status_code == 200 and response.context["form"].errors["board"]
    assert snapshot() == before


def test_a_board_under_another_groups_slug_is_404(acc_client, bad, make_group):
    as_role(acc_client, bad, "staff")
    other = make_group(name="Andere groep")
    assert (
        acc_client.get(reverse("ideas:board", args=[other.slug, bad.board.pk])).status_code == 404
    )


@pytest.mark.parametrize("name", ["idea", "vote", "comment"])
def test_no_such_idea_is_404(acc_client, bad, name):
    as_role(acc_client, bad)
    method = acc_client.get if name == "idea" else acc_client.post
    assert method(reverse(f"ideas:{name}", args=[HUGE])).status_code == 404
