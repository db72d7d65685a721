"""Shared fixtures. Set KRING_REQUIRE_SERVICES=1 (CI does) to turn every skip into a failure:
tests that need Redis, PostgreSQL or the browser must run there, never skip silently."""

import asyncio
import functools
import os

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import caches
from django.db import connections

REQUIRE_SERVICES = os.environ.get("KRING_REQUIRE_SERVICES") == "1"
DEMO_PASSWORD = "kring-test-wachtwoord-2026"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped, but KRING_REQUIRE_SERVICES=1 forbids skips: {reason}"


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_in_asgirefs_thread(django_db_setup):
    """Async tests run database work on asgiref's one shared thread, whose connection can
    outlive them; dropping the test database at the end then failed ("being accessed by
    other users"). Closed here, before the database goes (this fixture ends first)."""
    yield
    asyncio.run(sync_to_async(connections.close_all)())  # on that same thread


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    """Rate-limit counters and kept HTML live in the caches; no test inherits another's."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; hash the shared test password once per run.
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


@pytest.fixture
def make_user(db, django_user_model):
    counter = iter(range(1, 10_000))

    def make(email=None, *, display_name="", verified=True, staff=False, leadership=False, **extra):
        n = next(counter)
        email = email or f"medewerker{n}@provincie.example"
        user = django_user_model.objects.create(
            username=email.split("@")[0],
            email=email,
            password=_demo_password_hash(),
            display_name=display_name or f"Medewerker {n}",
            is_staff=staff,
            **extra,
        )
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        if leadership:
            from django.conf import settings

            user.groups.add(AuthGroup.objects.get(name=settings.KRING_LEADERSHIP_GROUP))
        return user

    return make


@pytest.fixture
def member(make_user):
    return make_user(display_name="Anna de Vries")


@pytest.fixture
def leader(make_user):
    return make_user(display_name="Lotte Leiding", leadership=True)


@pytest.fixture
def staff(make_user):
    return make_user(display_name="Sam Beheer", staff=True, is_superuser=True)


@pytest.fixture
def django_app_client():
    """A second, independent browser session."""
    from django.test import Client

    return Client()


@pytest.fixture
def english(client):
    """The client, reading Kring in English (the language switcher's cookie: the language
    middleware reads it, not the test's translation.override)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
