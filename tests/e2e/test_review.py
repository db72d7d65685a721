"""Leadership review and the notification centre in the browser.

A leader answers the most supported idea from the leadership dashboard while a colleague
who follows it has Kring open: her notification badge goes up and a polite announcement
is made without a page load, the notification leads her to the response, and the decision
is in the public decision log. axe (WCAG 2.1 AA) is clean on the new pages, each with
content in it; "Mark all as read" works with the keyboard.

The server is a forked process: settings overridden in a test do not reach it, so the
idea awaiting a response really has KRING_RESPONSE_VOTE_THRESHOLD votes (backdated).
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from discussions import services as discussion_services
from groups import services as group_services
from groups.models import Group, Membership
from hub.models import Notification
from ideas import services
from ideas.models import Idea, StatusChange, Vote
from tests.conftest import DEMO_PASSWORD
from tests.e2e.helpers import assert_no_axe_violations, log_in, nl, visit

pytestmark = pytest.mark.browser

RESPONSE = "We leggen de overdekte stalling in 2027 aan, bij de oostingang."


@pytest.fixture
def scene(make_user, leadership_group):
    """Jeroen runs an open group with a board. "Overdekte stalling" has had enough votes
    (Anna's among them) for three weeks without a response: it awaits one. "Meer rekken"
    has a single vote. Lotte is leadership."""
    lotte = make_user("lotte@provincie.example", display_name="Lotte Leiding", leadership=True)
    jeroen = make_user("jeroen@provincie.example", display_name="Jeroen Bakker")
    anna = make_user("anna@provincie.example", display_name="Anna de Vries")
    group = group_services.create_group(
        creator=jeroen, name="Fietsers", kind="interest", visibility="open"
    )
    board = services.create_board(moderator=jeroen, group=group, title="Ideeën voor 2027")
    top = services.create_idea(
        author=jeroen, board=board, title="Overdekte stalling", body="Bij de **oostingang**."
    )
    other = services.create_idea(author=jeroen, board=board, title="Meer rekken", body="Bij B")

    voters = [anna] + [
        make_user(display_name=f"Collega {n:02d}")
        for n in range(1, settings.KRING_RESPONSE_VOTE_THRESHOLD + 1)
    ]
    for voter in voters:
        Membership.objects.create(group=group, user=voter)
        services.cast_vote(user=voter, idea=top)
    services.cast_vote(user=voters[1], idea=other)

    # One vote a day, the last one more than KRING_RESPONSE_DAYS ago: a sparkline that
    # rises, and the threshold reached long enough ago for the idea to await a response.
    now = timezone.now()
    votes = list(Vote.objects.filter(idea=top).order_by("pk"))
    for n, vote in enumerate(votes):
        days_ago = settings.KRING_RESPONSE_DAYS + len(votes) - n
        Vote.objects.filter(pk=vote.pk).update(created_at=now - timedelta(days=days_ago))
    reached = votes[settings.KRING_RESPONSE_VOTE_THRESHOLD - 1]
    Idea.objects.filter(pk=top.pk).update(
        threshold_reached_at=Vote.objects.get(pk=reached.pk).created_at
    )
    return lotte, jeroen, anna, group, board, top, other


def signed_in(new_browser_page, user, path):
    page = new_browser_page()
    log_in(page, user.email, DEMO_PASSWORD)
    visit(page, path)
    return page


def badge(page):
    """The unread count in the header: its data attribute is the number shown."""
    return page.locator(".notifications-link [data-notification-count]")


def open_all_details(page):
    """Chart tables sit in <details>: open them so axe checks them too."""
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")


def test_a_leader_answers_the_top_idea_and_its_follower_hears_it_live(new_browser_page, scene):
    lotte, jeroen, anna, group, board, top, other = scene

    # Anna has Mijn Kring open; it must not reload while she is told.
    hers = signed_in(new_browser_page, anna, "/mijn-kring/")
    expect(badge(hers)).to_have_attribute("data-notification-count", "0")
    hers.evaluate("window.stillTheSamePage = true")

    # Lotte's dashboard: the top idea first, with its sparkline, flagged as awaiting.
    his = signed_in(new_browser_page, lotte, "/leiding/")
    expect(his.locator(".awaiting-count")).to_have_text("1")
    rows = his.locator(".review-table tbody tr")
    expect(rows).to_have_count(2)
    first = rows.first
    expect(first.get_by_role("rowheader").get_by_role("link")).to_have_text(top.title)
    expect(first.locator("td.number").first).to_have_text(
        str(settings.KRING_RESPONSE_VOTE_THRESHOLD + 1)
    )
    expect(first.locator("svg[role=img]")).to_be_visible()
    expect(first.locator(".flag-awaiting")).to_contain_text(nl("Awaiting response"))
    assert_no_axe_violations(his)

    # She answers it: planned, with a response, and Jeroen responsible for follow-up.
    first.get_by_role("link", name=re.compile(nl("Answer"))).click()
    expect(his.get_by_role("heading", level=1)).to_contain_text(top.title)
    assert_no_axe_violations(his)
    his.get_by_label(re.compile("^" + re.escape(nl("Status")))).select_option("planned")
    his.get_by_label(nl("Official response")).fill(RESPONSE)
    his.get_by_label(nl("Responsible for follow-up")).select_option(label="Jeroen Bakker")
    with his.expect_navigation(url=re.compile(r"/leiding/(\?.*)?$")):
        his.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(his.locator(".messages")).to_contain_text(
        nl("Saved. The decision is on the idea page; followers are told.")
    )
    expect(his.locator(".awaiting-count")).to_have_text("0")
    expect(rows.first.locator(".idea-status")).to_have_text(nl("Planned"))
    expect(rows.first).to_contain_text("Jeroen Bakker")

    # Anna, without a reload: the badge counts the decision and who is responsible,
    # and the news is announced politely.
    expect(badge(hers)).to_have_attribute("data-notification-count", "2")
    expect(badge(hers).locator(".count-badge")).to_have_text("2")
    unread = nl("%(count)s unread") % {"count": 2}
    expect(hers.locator(".notifications-link")).to_have_accessible_name(
        f"{nl('Notifications')} ({unread})"
    )
    both = nl("%(count)s new notifications") % {"count": 2}
    announced = re.compile(re.escape("Lotte Leiding") + "|" + re.escape(both))
    expect(hers.locator("#notifications-announcer")).to_have_text(announced)
    assert hers.locator("#notifications-announcer").get_attribute("aria-live") == "polite"
    assert hers.evaluate("window.stillTheSamePage === true")

    # The notification centre lists it; opening it leads to the response on the idea.
    hers.locator(".notifications-link").click()
    status_kind = str(Notification.Kind.IDEA_STATUS.label)
    listed = hers.locator("#notification-list").get_by_role(
        "link", name=re.compile(re.escape(nl(status_kind)))
    )
    expect(listed).to_have_count(1)
    expect(hers.locator("#notification-list .notification--unread")).to_have_count(2)
    assert_no_axe_violations(hers)
    with hers.expect_navigation(url=re.compile(re.escape(top.get_absolute_url()))):
        listed.click()
    expect(hers.locator(".status-history")).to_contain_text(RESPONSE)
    expect(badge(hers)).to_have_attribute("data-notification-count", "1")

    # The decision is in the public decision log.
    visit(his, "/besluiten/")
    decision = his.locator(".decision-log .decision").first
    expect(decision.get_by_role("heading")).to_have_text(top.title)
    expect(decision).to_contain_text(RESPONSE)
    expect(decision).to_contain_text("Lotte Leiding")
    assert_no_axe_violations(his)

    change = StatusChange.objects.get(idea=top)
    assert (change.to_status, change.actor_id) == ("planned", lotte.pk)
    assert Idea.objects.get(pk=top.pk).owner_id == jeroen.pk


def test_leadership_charts_have_no_axe_violations(new_browser_page, scene):
    lotte, jeroen, anna, group, board, top, other = scene
    services.change_status(actor=jeroen, idea=other, status="accepted", response="Goed idee.")
    page = signed_in(new_browser_page, lotte, "/cijfers/")
    expect(page.locator("figure svg[role=img]")).to_be_visible()
    expect(page.locator(".small-multiple")).to_have_count(1)
    open_all_details(page)
    expect(page.locator("table.chart-table").first).to_be_visible()
    assert_no_axe_violations(page)


def test_a_members_own_pages_have_no_axe_violations(new_browser_page, scene, make_user):
    lotte, jeroen, anna, group, board, top, other = scene
    # Something new in her group, a decision on an idea she follows, and an invitation.
    discussion_services.create_thread(
        author=jeroen, group=group, title="Fietsdag in juni", body="Wie helpt er mee?"
    )
    services.change_status(actor=jeroen, idea=top, status="under_review", response="We kijken.")
    club = group_services.create_group(
        creator=jeroen, name="Leesclub", kind="interest", visibility=Group.Visibility.CLOSED
    )
    group_services.invite(inviter=jeroen, group=club, user=anna)
    assert anna.notifications.count() == 2

    page = signed_in(new_browser_page, anna, "/mijn-kring/")
    expect(page.locator(".my-groups .unread-count")).to_be_visible()
    expect(page.locator(".followed-idea")).to_contain_text(top.title)
    expect(page.locator("#invitations-heading")).to_be_visible()
    assert_no_axe_violations(page)

    visit(page, "/meldingen/")
    expect(page.locator("#notification-list .notification")).to_have_count(2)
    assert_no_axe_violations(page)

    visit(page, "/meldingen/instellingen/")
    expect(page.locator("main fieldset input[type=radio]").first).to_be_visible()
    assert_no_axe_violations(page)

    visit(page, "/zoeken/?q=stalling")
    expect(page.locator(".search-results .search-result").first).to_be_visible()
    expect(page.locator(".search-results mark").first).to_be_visible()
    assert_no_axe_violations(page)

    visit(page, "/profiel/mijn-gegevens/")
    expect(page.get_by_role("button", name=nl("Download my data"))).to_be_visible()
    assert_no_axe_violations(page)

    visit(page, "/profiel/account-verwijderen/")
    expect(page.get_by_role("button", name=nl("Delete my account for good"))).to_be_visible()
    assert_no_axe_violations(page)


def test_mark_all_as_read_with_the_keyboard(new_browser_page, scene):
    lotte, jeroen, anna, group, board, top, other = scene
    services.change_status(actor=jeroen, idea=top, status="under_review", response="We kijken.")
    services.change_status(actor=jeroen, idea=top, status="accepted", response="Het komt er.")
    page = signed_in(new_browser_page, anna, "/meldingen/")
    expect(badge(page)).to_have_attribute("data-notification-count", "2")
    # A second tab of hers, on another page, keeps its badge in step.
    other_tab = page.context.new_page()
    visit(other_tab, "/mijn-kring/")
    expect(badge(other_tab)).to_have_attribute("data-notification-count", "2")

    button = page.get_by_role("button", name=nl("Mark all as read"))
    page.locator("main").focus()
    for _ in range(20):  # Tab through the page to the button, as a keyboard user does
        if button.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text(nl("All notifications are marked as read."))
    expect(badge(page)).to_have_attribute("data-notification-count", "0")
    expect(badge(page).locator(".count-badge")).to_have_count(0)
    expect(page.locator("#notification-list .notification--unread")).to_have_count(0)
    expect(page.locator("form[data-mark-all]")).to_be_hidden()
    expect(badge(other_tab)).to_have_attribute("data-notification-count", "0")
    expect(badge(other_tab).locator(".count-badge")).to_have_count(0)
    assert anna.notifications.filter(read_at__isnull=True).count() == 0
    assert_no_axe_violations(page)
