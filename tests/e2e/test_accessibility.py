"""axe-core finds no WCAG 2.1 A/AA violations on Kring's pages, and the skip link works."""

import pytest

from groups.models import Group, Membership
from ideas.models import Board, Idea
from tests.conftest import DEMO_PASSWORD
from tests.e2e.helpers import assert_no_axe_violations, log_in, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def populated(make_user):
    """A member, and groups and ideas of every kind so the home page lists render."""
    anna = make_user("anna@provincie.example", display_name="Anna de Vries")
    bram = make_user(display_name="Bram Bakker")
    fiets = Group.objects.create(
        name="Fietsbeleid", slug="fietsbeleid", kind=Group.Kind.IMPROVEMENT
    )
    Group.objects.create(
        name="Leesclub",
        slug="leesclub",
        kind=Group.Kind.INTEREST,
        visibility=Group.Visibility.CLOSED,
    )
    Membership.objects.create(group=fiets, user=anna, role=Membership.Role.OWNER)
    Membership.objects.create(group=fiets, user=bram)
    board = Board.objects.create(group=fiets, title="Minder autokilometers")
    for votes, status in [
        (12, Idea.Status.ACCEPTED),
        (3, Idea.Status.NEW),
        (1, Idea.Status.DECLINED),
    ]:
        Idea.objects.create(
            board=board,
            author=bram,
            title=f"Idee met {votes} stemmen",
            body="Meer **fietsenstallingen** bij het provinciehuis.",
            status=status,
            vote_count=votes,
        )
    return anna


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/toegankelijkheid/",
    ],
)
def test_anonymous_pages_have_no_axe_violations(browser_page, path):
    visit(browser_page, path)
    assert_no_axe_violations(browser_page)


def test_logged_in_pages_have_no_axe_violations(browser_page, populated):
    log_in(browser_page, populated.email, DEMO_PASSWORD)
    assert browser_page.locator("h1").inner_text().endswith("Anna de Vries")
    assert browser_page.locator(".cards .card").count() == 2
    assert browser_page.locator(".idea-list li").count() == 3
    assert_no_axe_violations(browser_page)

    visit(browser_page, "/profiel/")
    assert_no_axe_violations(browser_page)


def test_login_errors_have_no_axe_violations(browser_page, member):
    visit(browser_page, "/accounts/login/")
    browser_page.locator("input[name=login]").fill(member.email)
    browser_page.locator("input[name=password]").fill("niet-het-wachtwoord")
    with browser_page.expect_navigation():
        browser_page.locator("main form button[type=submit]").click()
    # allauth's "wrong email or password" is a form error, announced as an alert.
    assert browser_page.locator("main form [role=alert]").is_visible()
    assert_no_axe_violations(browser_page)


def test_signup_errors_have_no_axe_violations(browser_page):
    visit(browser_page, "/accounts/signup/")
    # Valid for the browser's own checks, refused by the server.
    browser_page.locator("input[name=email]").fill("nieuw@provincie.example")
    browser_page.locator("input[name=display_name]").fill("Nina Nieuw")
    browser_page.locator("input[name=password1]").fill("kort")
    browser_page.locator("input[name=password2]").fill("anders")
    with browser_page.expect_navigation():
        browser_page.locator("main form button[type=submit]").click()
    password = browser_page.locator("input[name=password1]")
    assert password.get_attribute("aria-invalid") == "true"
    # The rules and the error are both tied to the field for screen readers.
    described_by = password.get_attribute("aria-describedby").split()
    for element_id in described_by:
        assert browser_page.locator(f"#{element_id}").is_visible()
    assert "id_password1_error" in described_by
    assert browser_page.locator("#id_password1_helptext li").count() >= 1
    assert_no_axe_violations(browser_page)


def test_skip_link_moves_focus_to_main(browser_page):
    visit(browser_page, "/")
    browser_page.keyboard.press("Tab")
    skip_link = browser_page.locator("a.skip-link")
    assert skip_link.evaluate("el => el === document.activeElement")
    assert skip_link.is_visible()  # shown when focused, hidden otherwise
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert browser_page.url.endswith("#main")


def test_axe_check_reports_violations(browser_page):
    """The helper really runs the WCAG rules: a page with known faults must fail it."""
    browser_page.set_content(
        "<html><head><title>Kapot</title></head><body><main>"
        '<img src="x.png"><input type="text"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_axe_violations(browser_page)
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)
