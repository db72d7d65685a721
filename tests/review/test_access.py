"""Who may open every URL of hub/review/urls.py: anonymous, a plain member, a moderator,
leadership and staff. The dashboard and decision form are for leadership; the decision log,
its exports, the charts and the open data for everyone signed in."""

import pytest
from django.urls import reverse

from hub.review import urls
from tests.review.conftest import LOGIN, ROLES, assert_status, login, snapshot

pytestmark = pytest.mark.django_db

LEADERS = {"leader", "staff"}  # staff in these tests are superusers: every permission


def _leadership(role):
    if role == "anonymous":
        return LOGIN
    return 200 if role in LEADERS else 403


def _signed_in(role):
    return LOGIN if role == "anonymous" else 200


GET_PAGES = {
    "dashboard": (lambda world: reverse("review:dashboard"), _leadership),
    "decide": (
        lambda world: reverse("review:decide", args=[world.ideas["popular"].pk]),
        _leadership,
    ),
    "decisions": (lambda world: reverse("review:decisions"), _signed_in),
    "decisions_csv": (lambda world: reverse("review:decisions_csv"), _signed_in),
    "decisions_feed": (lambda world: reverse("review:decisions_feed"), _signed_in),
    "charts": (lambda world: reverse("review:charts"), _signed_in),
    "open_data": (lambda world: reverse("review:open_data"), _signed_in),
}


def test_every_review_url_is_in_this_matrix():
    named = {pattern.name for pattern in urls.urlpatterns}
    assert named == {*GET_PAGES, "decisions_feed_token", "feed_token"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(GET_PAGES))
def test_who_may_open_each_page(client, world, role, page):
    url, rule = GET_PAGES[page]
    response = login(client, world, role).get(url(world))
    assert_status(response, rule(role))


@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_a_decision(client, world, role):
    idea = world.ideas["popular"]
    before = snapshot()
    response = login(client, world, role).post(
        reverse("review:decide", args=[idea.pk]), {"status": "under_review", "response": "Ja"}
    )
    expected = _leadership(role)
    assert_status(response, 302 if expected == 200 else expected)
    if expected == 200:
        assert world.idea("popular").status == "under_review"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("role", ["leader", "member", "moderator"])
def test_a_private_idea_is_not_found_for_leadership_outside_the_group(client, world, role):
    """Leadership sees open and closed groups, and private ones only as members."""
    url = reverse("review:decide", args=[world.ideas["secret"].pk])
    expected = 404 if role == "leader" else 403
    assert_status(login(client, world, role).get(url), expected)
    assert_status(login(client, world, role).post(url, {"status": "declined"}), expected)
    assert world.idea("secret").status == "planned"


def test_staff_and_member_leaders_may_decide_on_private_ideas(client, world):
    url = reverse("review:decide", args=[world.ideas["secret"].pk])
    assert login(client, world, "staff").get(url).status_code == 200
    leader = world.users["leader"]
    world.private.memberships.create(user=leader)
    client.force_login(leader)
    assert client.get(url).status_code == 200


def test_hidden_and_unknown_ideas_are_not_found(client, world):
    login(client, world, "leader")
    assert client.get(reverse("review:decide", args=[world.ideas["hidden"].pk])).status_code == 404
    assert client.get(reverse("review:decide", args=[999999])).status_code == 404


def test_leadership_means_the_permission_not_being_staff(client, world, make_user):
    client.force_login(make_user(staff=True))  # staff without the leadership permission
    assert client.get(reverse("review:dashboard")).status_code == 403
    assert client.get(reverse("review:decisions")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_who_may_make_a_feed_link(client, world, role):
    url = reverse("review:feed_token")
    response = login(client, world, role).post(url)
    if role == "anonymous":
        assert_status(response, LOGIN)
        assert not snapshot()["tokens"]
        return
    assert response.status_code == 302
    world.users[role].refresh_from_db()
    assert world.users[role].feed_token
    assert client.get(url).status_code == 405  # only a form post changes it


@pytest.mark.parametrize("role", ROLES)
def test_the_personal_feed_link_needs_no_session(client, world, role):
    """Whoever holds the link reads that person's feed: a feed reader cannot log in."""
    owner = world.users["member"]
    owner.feed_token = "geheim-token-van-mia-0123456789"
    owner.save()
    url = reverse("review:decisions_feed_token", args=[owner.feed_token])
    response = login(client, world, role).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")


@pytest.mark.parametrize(
    "token", ["onbekend", "x" * 65, "%20", "geheim-token-van-mia-0123456789-niet"]
)
def test_a_wrong_feed_link_is_not_found(client, world, token):
    world.users["member"].feed_token = "geheim-token-van-mia-0123456789"
    world.users["member"].save()
    assert client.get(f"/besluiten/feed/{token}/").status_code == 404


@pytest.mark.parametrize("state", ["inactive", "deleted"])
def test_the_feed_link_of_a_closed_account_is_not_found(client, world, state):
    from django.utils import timezone

    person = world.users["member"]
    person.feed_token = "geheim-token-van-mia-0123456789"
    if state == "inactive":
        person.is_active = False
    else:
        person.deleted_at = timezone.now()
    person.save()
    url = reverse("review:decisions_feed_token", args=[person.feed_token])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["dashboard", "decisions", "decisions_csv", "decisions_feed", "charts", "open_data"]
)
def test_pages_take_no_posts(client, world, name):
    login(client, world, "staff")
    assert client.post(reverse(f"review:{name}")).status_code == 405
