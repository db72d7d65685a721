"""Bad input to the discussion pages gets a clear error and loses nothing; never a server error.

The test client re-raises any exception a view lets through, so every test here also
proves "no 500". Each refused request leaves the database exactly as it was.
"""

import pytest
from django.urls import reverse

from discussions import urls
from discussions.models import Post
from tests.discussions.conftest import snapshot

pytestmark = pytest.mark.django_db

HUGE = "9" * 18  # matches the id converter, fits a bigint, is no row
HUGER = "9" * 40  # too long for the id converter: no such URL at all

POST_ONLY = {"reply", "mark_read", "pin", "lock", "react", "unhide"}
GET_ONLY = {"list", "thread", "mention_suggestions", "post", "history"}
BODIES = ["", "   ", "\x00", "\x00\x00 \x00", "x" * 20_001, "\n\n\t"]
REPLY_TOS = ["abc", "-1", "0", HUGER, "\x00", "1.5", "١٢"]


@pytest.fixture
def bad(world):
    return world("closed")


def as_role(client, world, role="member"):
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("body", BODIES)
def test_bad_reply_bodies_are_form_errors(acc_client, bad, body):
    as_role(acc_client, bad)
    before = snapshot()
    url = reverse("discussions:reply", args=[bad.group.slug, bad.thread.pk])
    response = acc_client.post(url, {"body": body})
    assert response.status_code == 400 and response.context["form"].errors
    response = acc_client.post(url, {"body": body}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and response.json()["error"]
    assert snapshot() == before


def test_nul_characters_are_dropped_not_stored(acc_client, bad):
    as_role(acc_client, bad)
    url = reverse("discussions:reply", args=[bad.group.slug, bad.thread.pk])
    assert acc_client.post(url, {"body": "Hal\x00lo"}).status_code == 302
    assert Post.objects.filter(body="Hallo").exists()


@pytest.mark.parametrize("reply_to", REPLY_TOS)
def test_nonsense_reply_to_is_no_reply(acc_client, bad, reply_to):
    as_role(acc_client, bad)
    url = reverse("discussions:reply", args=[bad.group.slug, bad.thread.pk])
    assert acc_client.post(url, {"body": "Hoi", "reply_to": reply_to}).status_code == 302
    assert Post.objects.get(body="Hoi").reply_to is None


@pytest.mark.parametrize(
    "title, body",
    [
        ("", "Tekst"),
        ("\x00", "Tekst"),
        ("x" * 201, "Tekst"),
        ("Titel", ""),
        ("Titel", "x" * 20_001),
    ],
)
def test_bad_new_threads_are_form_errors(acc_client, bad, title, body):
    as_role(acc_client, bad)
    before = snapshot()
    response = acc_client.post(
        reverse("discussions:create", args=[bad.group.slug]), {"title": title, "body": body}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("reason", ["", " ", "\x00", "x" * 501])
def test_bad_hide_reasons_are_form_errors(acc_client, bad, reason):
    as_role(acc_client, bad, "moderator")
    before = snapshot()
    response = acc_client.post(reverse("discussions:hide", args=[bad.post.pk]), {"reason": reason})
    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("group", ["", "abc", HUGE, HUGER, "\x00", "-1", "same", "unmoderated"])
def test_bad_move_targets_are_form_errors(acc_client, bad, make_group, group):
    as_role(acc_client, bad, "moderator")
    if group == "same":
        group = bad.group.pk
    elif group == "unmoderated":
        group = make_group(name="Niet van mij").pk
    before = snapshot()
    response = acc_client.post(
        reverse("discussions:move", args=[bad.group.slug, bad.thread.pk]), {"group": group}
    )
    assert response.status_code == 200 and response.context["form"].errors["group"]
    assert snapshot() == before


def test_an_archived_group_is_no_move_target(acc_client, bad, make_group):
    as_role(acc_client, bad, "staff")
    archived = make_group(name="Gearchiveerd", archived=True)
    before = snapshot()
    response = acc_client.post(
        reverse("discussions:move", args=[bad.group.slug, bad.thread.pk]), {"group": archived.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["group"]
    assert snapshot() == before


@pytest.mark.parametrize("value", ["", "2", "true", "\x00", "1" * 1000])
@pytest.mark.parametrize("name", ["pin", "lock"])
def test_bad_flag_values_change_nothing(acc_client, bad, name, value):
    as_role(acc_client, bad, "moderator")
    before = snapshot()
    url = reverse(f"discussions:{name}", args=[bad.group.slug, bad.thread.pk])
    assert acc_client.post(url, {"value": value}).status_code == 302
    assert snapshot() == before


# --- Ids that name nothing, and unknown slugs ----------------------------------------------


def _names():
    return [pattern.name for pattern in urls.group_patterns + urls.post_patterns]


def _url_for(name, *, slug, thread_id, post_id):
    if name in {"list", "create", "mention_suggestions"}:
        return reverse(f"discussions:{name}", args=[slug])
    if name in {"thread", "reply", "mark_read", "pin", "lock", "move"}:
        return reverse(f"discussions:{name}", args=[slug, thread_id])
    return reverse(f"discussions:{name}", args=[post_id])


def _wrong(name, method) -> bool:
    return (method == "get" and name in POST_ONLY) or (method == "post" and name in GET_ONLY)


@pytest.mark.parametrize("method", ["get", "post"])
def test_ids_that_name_nothing_are_404(acc_client, bad, method):
    as_role(acc_client, bad, "staff")
    before = snapshot()
    for name in _names():
        url = _url_for(name, slug="bestaat-niet", thread_id=HUGE, post_id=HUGE)
        expected = 405 if _wrong(name, method) else 404
        assert getattr(acc_client, method)(url).status_code == expected, url
    assert snapshot() == before


def test_ids_too_long_for_any_row_are_no_url(acc_client, bad):
    as_role(acc_client, bad, "staff")
    for url in (
        f"/discussies/berichten/{HUGER}/",
        f"/groepen/{bad.group.slug}/discussies/{HUGER}/",
        "/discussies/berichten/-1/",
    ):
        assert acc_client.get(url).status_code == 404


def test_a_thread_id_under_a_slug_that_does_not_exist_still_finds_the_thread(acc_client, bad):
    """The id names the thread; an unknown slug is an old address, so follow it."""
    as_role(acc_client, bad)
    response = acc_client.get(reverse("discussions:thread", args=["oud-adres", bad.thread.pk]))
    assert response.status_code == 302 and response["Location"] == bad.thread.get_absolute_url()


# --- Wrong methods ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", _names())
def test_wrong_methods_are_405(acc_client, bad, name):
    as_role(acc_client, bad, "staff")
    before = snapshot()
    url = _url_for(name, slug=bad.group.slug, thread_id=bad.thread.pk, post_id=bad.post.pk)
    wrong = ["put", "patch", "delete", *(m for m in ("get", "post") if _wrong(name, m))]
    for method in wrong:
        assert getattr(acc_client, method)(url).status_code == 405, (method, url)
    assert snapshot() == before
