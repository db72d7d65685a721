"""Who may open which site-wide page: anonymous, member, leadership, staff."""

import pytest
from django.urls import reverse

from hub.permissions import can_use_admin, is_leadership

ROLES = ["anonymous", "member", "leader", "staff"]


@pytest.fixture
def as_role(client, make_user):
    def login(role):
        if role != "anonymous":
            user = make_user(
                leadership=role == "leader",
                staff=role == "staff",
                is_superuser=role == "staff",
            )
            client.force_login(user)
        return client

    return login


def _expect(url_name, role):
    everyone = {
        "home",
        "accessibility",
        "healthz",
        "account_login",
        "account_signup",
        "account_reset_password",
    }
    if url_name in everyone:
        return 200
    if url_name == "profile":
        return 302 if role == "anonymous" else 200
    if url_name == "admin:index":
        return 200 if role == "staff" else 302
    raise AssertionError(url_name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "accessibility",
        "healthz",
        "profile",
        "admin:index",
        "account_login",
        "account_signup",
        "account_reset_password",
    ],
)
def test_page_access(as_role, role, url_name):
    response = as_role(role).get(reverse(url_name))
    expected = _expect(url_name, role)
    # Signed-in people are sent on from login/signup by allauth.
    if role != "anonymous" and url_name in {"account_login", "account_signup"}:
        expected = 302
    assert response.status_code == expected
    if expected == 302 and url_name in {"profile", "admin:index"}:
        assert "login" in response["Location"]


@pytest.mark.django_db
def test_anonymous_visitors_see_no_groups_or_ideas(client, member):
    from groups.models import Group

    Group.objects.create(name="Fietsers", slug="fietsers", kind="interest")
    page = client.get("/").content.decode()
    assert "Fietsers" not in page
    assert "Inloggen" in page


@pytest.mark.django_db
def test_leadership_is_a_permission_given_through_the_leiding_group(make_user):
    assert is_leadership(make_user(leadership=True))
    assert not is_leadership(make_user())
    assert can_use_admin(make_user(staff=True))
    assert not can_use_admin(make_user())
