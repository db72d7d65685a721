"""Helpers for the browser tests: axe-core checks, logging in through the real form,
and the Dutch wording the pages show."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

# WCAG 2.1 level A and AA, the level Dutch government sites must meet. axe's
# "best-practice" rules are left out: they are advice, not the standard.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations"],
}

_axe = Axe()


def assert_no_axe_violations(page, *, context=None) -> None:
    """Fail with axe's readable report if the current page breaks a WCAG 2.1 A/AA rule."""
    results = _axe.run(page, context=context, options=AXE_OPTIONS)
    if results.violations_count:
        pytest.fail(f"axe on {page.url}\n{results.generate_report()}", pytrace=False)


def log_in(page, email: str, password: str) -> None:
    """Log in through /accounts/login/ and wait for the redirect to the home page."""
    visit(page, "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def visit(page, path: str, *, status: int = 200):
    """Go to ``path`` and check the final response's status."""
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path}: expected {status}, got {response and response.status}"
    )
    return response


def nl(message: str, plural: str | None = None, count: int | None = None, **values) -> str:
    """What Kring's Dutch catalogue makes of ``message``, as the server renders it.

    Tests name the source text (easy to find in the templates and views) and
    assert the Dutch one, so a rewording in the catalogue does not break them.
    ``plural`` and ``count`` follow ngettext; ``values`` fill the placeholders.
    """
    with translation.override("nl"):
        if plural is None:
            text = translation.gettext(message)
        else:
            text = translation.ngettext(message, plural, count)
    return text % values if values else text


def path_of(url: str) -> str:
    """The path (and query) of an absolute link, e.g. one from a mail, to visit on
    the live server: mails link to ``KRING_SITE_URL``, not to the test's port."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
