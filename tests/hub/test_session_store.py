"""Sessions are Django's database sessions, read by SQL built once (hub/session_store.py):
a live session signs the person in; an expired, deleted or forged one does not."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = "profile"  # signed-in only, shows the name: a sign-in page otherwise


@pytest.fixture
def signed_in(client, make_user):
    client.force_login(make_user(display_name="Sessie Saskia"))
    return client


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_the_engine_is_ours():
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.cached_db":
        assert settings.SESSION_ENGINE == "hub.session_store"


def test_a_live_session_signs_the_person_in(signed_in):
    response = signed_in.get(reverse(PAGE))
    assert response.status_code == 200
    assert "Sessie Saskia" in response.content.decode()


def test_an_expired_session_asks_to_sign_in_again(signed_in):
    session = _session(signed_in)
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    response = signed_in.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deleted_session_asks_to_sign_in_again(signed_in):
    _session(signed_in).delete()
    response = signed_in.get(reverse(PAGE))
    assert response.status_code == 302


def test_a_forged_session_key_is_nobody(client, make_user):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get(reverse(PAGE)).status_code == 302


def test_tampered_session_data_is_nobody(signed_in):
    session = _session(signed_in)
    session.session_data = session.session_data[:-3] + "abc"
    session.save()
    assert signed_in.get(reverse(PAGE)).status_code == 302


def test_what_the_session_holds_survives_the_round_trip(signed_in):
    """The language switcher stores nothing in the session, but a message does: it is
    written at the end of one request and read back by the next."""
    store = signed_in.session
    store["kring-test"] = {"a": [1, 2, 3]}
    store.save()
    from importlib import import_module

    again = import_module(settings.SESSION_ENGINE).SessionStore(store.session_key)
    assert again["kring-test"] == {"a": [1, 2, 3]}
