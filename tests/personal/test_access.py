"""Who may use the personal pages: only the signed-in person, only for themselves."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["personal:dashboard", "personal:export", "personal:delete"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, name, method):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["member", "leader", "staff"])
def test_every_signed_in_person_opens_their_own_pages(client, name, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_other_methods_are_refused(client, member, name):
    client.force_login(member)
    assert client.put(reverse(name)).status_code == 405


def test_mijn_kring_only_reads(client, member):
    client.force_login(member)
    assert client.post(reverse("personal:dashboard")).status_code == 405


def test_the_profile_page_links_to_export_and_deletion(client, member):
    client.force_login(member)
    page = client.get(reverse("profile")).content.decode()
    assert reverse("personal:export") in page and reverse("personal:delete") in page


def test_the_pages_are_never_cached(client, member):
    client.force_login(member)
    for name in ("personal:export", "personal:delete"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"]
