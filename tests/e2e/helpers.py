"""Helpers for the browser tests: axe-core checks and logging in through the real form."""

import pytest
from axe_playwright_python.sync_playwright import Axe

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
