"""A new colleague signs up, verifies their address, logs in and out, and switches language."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.helpers import assert_no_axe_violations, log_in, visit

pytestmark = pytest.mark.browser

EMAIL = "nina.nieuw@provincie.example"
NAME = "Nina Nieuw"
PASSWORD = "Fietsen-langs-de-Vecht-2026"


def heading(page) -> str:
    return page.locator("main h1").inner_text().strip()


def test_sign_up_verify_log_in_and_switch_language(browser_page, mailbox):
    page = browser_page

    # Sign up through allauth's form, with Kring's extra fields. The browser
    # asks for English, but Kring starts in Dutch.
    visit(page, "/")
    page.get_by_role("link", name="Registreren").first.click()
    page.wait_for_url("**/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Weergavenaam").fill(NAME)
    page.get_by_label("Afdeling of team").fill("Mobiliteit")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Registreren").click()

    # Told to verify; not logged in yet.
    assert heading(page) == "Verifieer je e-mailadres"
    assert_no_axe_violations(page)
    assert page.get_by_role("button", name="Uitloggen").count() == 0
    user = get_user_model().objects.get(email=EMAIL)
    assert (user.display_name, user.department) == (NAME, "Mobiliteit")

    # The verification mail, written by the server process.
    message = mailbox.latest(to=EMAIL)
    assert message["Subject"].startswith("[Kring] ")
    links = [link for link in mailbox.links(message) if "/accounts/confirm-email/" in link]
    assert len(links) == 1, mailbox.text(message)
    assert links[0].startswith(page.url.split("/accounts/")[0])  # this server, over http

    # Following the link only shows a confirm button (no confirming on GET).
    visit(page, links[0])
    assert heading(page) == "Bevestig e-mailadres"
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Bevestigen").click()

    # Confirming logs the new colleague in and lands on the Dutch home page.
    assert heading(page) == f"Welkom, {NAME}"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert user.emailaddress_set.get(email=EMAIL).verified

    # Log out through the header's button (a POST form).
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    assert heading(page) == "Kring: samen ons werk verbeteren"
    assert page.get_by_role("button", name="Uitloggen").count() == 0

    # And back in with email and password.
    log_in(page, EMAIL, PASSWORD)
    assert heading(page) == f"Welkom, {NAME}"

    # Switch to English with the header's switcher: same page, now in English.
    switcher = page.locator("header form.language-switch")
    with page.expect_navigation():
        switcher.get_by_role("button", name="English").click()
    assert re.fullmatch(r"http://[^/]+/", page.url)
    assert heading(page) == f"Welcome, {NAME}"
    assert page.locator("html").get_attribute("lang") == "en"
    assert_no_axe_violations(page)
    assert get_user_model().objects.get(email=EMAIL).language == "en"

    # The choice sticks on the next page loads.
    page.reload()
    assert heading(page) == f"Welcome, {NAME}"
    visit(page, "/profiel/")
    assert heading(page) == "My profile"

    # And switching back gives Dutch again, on the page we were on.
    with page.expect_navigation():
        switcher.get_by_role("button", name="Nederlands").click()
    assert page.url.endswith("/profiel/")
    assert heading(page) == "Mijn profiel"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert get_user_model().objects.get(email=EMAIL).language == "nl"
