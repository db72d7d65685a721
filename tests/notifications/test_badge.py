"""The badge in the header: the unread count on every page, at no query of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hub.notifications import services
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def badge(page: str) -> str:
    start = page.index('class="notifications-link"')
    return page[start : page.index("</a>", start)]


def test_the_badge_shows_the_unread_count_in_words_too(client, people, tell):
    for _ in range(3):
        tell(people.anna, actor=people.olga)
    tell(people.bram, actor=people.olga)  # not Anna's
    client.force_login(people.anna)
    with translation.override("en"):
        html = badge(client.get(reverse("home")).content.decode())
    assert 'href="/meldingen/"' in html
    assert "Notifications" in html
    assert '<span class="count-badge" aria-hidden="true">3</span>' in html
    assert '<span class="visually-hidden">(3 unread)</span>' in html
    assert 'data-notification-count="3"' in html


def test_without_unread_notifications_only_the_hook_stays(client, people, tell):
    services.mark_read(people.anna, [tell(people.anna, actor=people.olga).pk])
    client.force_login(people.anna)
    html = badge(client.get(reverse("home")).content.decode())
    assert '<span data-notification-count="0"></span>' in html
    assert "count-badge" not in html and "unread" not in html


def test_the_count_follows_reading(client, people, tell):
    first = tell(people.anna, actor=people.olga)
    tell(people.anna, actor=people.olga)
    client.force_login(people.anna)
    client.get(reverse("notifications:open", args=[first.pk]))
    html = badge(client.get(reverse("home")).content.decode())
    assert 'data-notification-count="1"' in html


def test_the_badge_tells_the_script_where_to_pick_up(client, people, tell):
    latest = [tell(people.anna, actor=people.olga) for _ in range(2)][-1]
    tell(people.bram, actor=people.olga)  # a higher id, but not Anna's
    client.force_login(people.anna)
    html = badge(client.get(reverse("home")).content.decode())
    assert f'data-notifications-after="{latest.pk}"' in html


def test_the_count_comes_with_the_user_in_one_query(client, people, tell):
    for _ in range(3):
        tell(people.anna, actor=people.olga)
    client.force_login(people.anna)
    client.get(reverse("home"))  # warm-up
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    assert 'data-notification-count="3"' in page
    about_notifications = [q["sql"] for q in queries if "hub_notification" in q["sql"]]
    assert len(about_notifications) == 1
    assert 'FROM "hub_user"' in about_notifications[0]


def test_the_page_costs_the_same_with_or_without_notifications(client, people, tell):
    client.force_login(people.anna)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"))
    for _ in range(5):
        tell(people.anna, actor=people.olga)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("home"))
    assert len(after) == len(before)


def test_anonymous_visitors_have_no_badge_and_no_script(client):
    page = client.get(reverse("home")).content.decode()
    assert "notifications-link" not in page and "notifications.js" not in page


def test_signed_in_pages_load_the_script_and_its_texts(client, people):
    client.force_login(people.anna)
    page = client.get(reverse("home")).content.decode()
    assert '<script id="notification-strings" type="application/json">' in page
    assert 'id="notifications-announcer" aria-live="polite"' in page
    assert page.index("js/kring.js") < page.index("js/notifications.js")


def test_the_admin_login_still_takes_a_username(client, make_user):
    staff = make_user(staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": staff.username, "password": DEMO_PASSWORD, "next": "/beheer/"},
    )
    assert response.status_code == 302 and response["Location"] == "/beheer/"
    assert client.get("/beheer/").status_code == 200


def test_logging_in_with_an_email_address_still_works(client, people):
    response = client.post(
        reverse("account_login"), {"login": people.anna.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "notifications-link" in page
