"""Idea boards in the browser: two colleagues vote and each sees the count and the
ranking change live; a moderator's decision with an official response reaches the
idea; axe (WCAG 2.1 AA) is clean on the board and idea pages.
"""

import re

import pytest
from playwright.sync_api import expect

from groups import services as group_services
from groups.models import Membership
from ideas import services
from ideas.models import Idea
from tests.conftest import DEMO_PASSWORD
from tests.e2e.helpers import assert_no_axe_violations, log_in, nl, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(make_user, settings):
    """Jeroen runs an open group with a board of two ideas; Anna and Bram are members."""
    settings.KRING_POSTS_PER_MINUTE = 0
    jeroen = make_user("jeroen@provincie.example", display_name="Jeroen Bakker")
    anna = make_user("anna@provincie.example", display_name="Anna de Vries")
    bram = make_user("bram@provincie.example", display_name="Bram de Jong")
    group = group_services.create_group(
        creator=jeroen, name="Fietsers", kind="interest", visibility="open"
    )
    Membership.objects.create(group=group, user=anna)
    Membership.objects.create(group=group, user=bram)
    board = services.create_board(moderator=jeroen, group=group, title="Ideeën voor 2027")
    first = services.create_idea(author=jeroen, board=board, title="Fietsdag", body="In juni")
    second = services.create_idea(author=jeroen, board=board, title="Meer rekken", body="Bij B")
    services.cast_vote(user=anna, idea=first)  # "Fietsdag" leads with one vote
    return jeroen, anna, bram, board, first, second


def open_page(new_browser_page, user, path):
    page = new_browser_page()
    log_in(page, user.email, DEMO_PASSWORD)
    visit(page, path)
    return page


def card(page, idea):
    return page.locator(f"#idea-{idea.pk}")


def order(page) -> list[str]:
    return page.locator("li.idea-card").evaluate_all("cards => cards.map(c => c.id)")


def test_votes_and_ranking_change_live_for_everyone(new_browser_page, scene):
    jeroen, anna, bram, board, first, second = scene
    hers = open_page(new_browser_page, anna, board.get_absolute_url())
    his = open_page(new_browser_page, bram, board.get_absolute_url())
    assert order(his) == [f"idea-{first.pk}", f"idea-{second.pk}"]
    assert_no_axe_violations(his)

    # Bram supports the second idea: Anna sees its count go up without a reload.
    support = card(his, second).get_by_role("button", name=re.compile(nl("Support")))
    support.click()
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(card(hers, second).locator(".vote-count")).to_have_text("1")

    # Anna supports it too: now it leads, and both pages re-rank (Top).
    card(hers, second).get_by_role("button", name=re.compile(nl("Support"))).click()
    expect(card(his, second).locator(".vote-count")).to_have_text("2")
    expect(his.locator("li.idea-card").first).to_have_id(f"idea-{second.pk}")
    expect(hers.locator("li.idea-card").first).to_have_id(f"idea-{second.pk}")

    # Bram takes his vote back; Anna sees it.
    support.click()
    expect(support).to_have_attribute("aria-pressed", "false")
    expect(card(hers, second).locator(".vote-count")).to_have_text("1")
    second.refresh_from_db()
    assert second.vote_count == second.votes.count() == 1


def test_a_decision_with_a_response_reaches_the_idea(new_browser_page, scene):
    jeroen, anna, bram, board, first, second = scene
    hers = open_page(new_browser_page, anna, board.get_absolute_url())
    his = open_page(new_browser_page, jeroen, first.get_absolute_url())
    assert_no_axe_violations(his)

    his.get_by_role("link", name=nl("Change status or respond")).click()
    his.get_by_label(nl("New status")).select_option("planned")
    his.get_by_label(nl("Official response")).fill("We plannen de fietsdag op 12 juni.")
    with his.expect_navigation():
        his.get_by_role("button", name=nl("Save decision")).click()

    # The idea page shows the decision and response in its history.
    history = his.locator(".status-history")
    expect(history).to_contain_text("We plannen de fietsdag op 12 juni.")
    expect(his.locator("#idea-status")).to_have_text(nl("Planned"))
    # Anna's board shows the new status live.
    expect(card(hers, first).locator(".idea-status")).to_have_text(nl("Planned"))
    assert Idea.objects.get(pk=first.pk).status == "planned"
    # She follows the idea (she voted for it), so she was notified.
    assert anna.notifications.filter(kind="idea_status").count() == 1
    assert_no_axe_violations(his)

    visit(hers, first.get_absolute_url())
    expect(hers.locator(".status-history")).to_contain_text("We plannen de fietsdag op 12 juni.")
    assert_no_axe_violations(hers)


def test_similar_ideas_are_suggested_while_typing_a_title(new_browser_page, scene):
    jeroen, anna, bram, board, first, second = scene
    page = open_page(new_browser_page, anna, board.get_absolute_url())
    page.get_by_role("link", name=nl("New idea")).click()
    page.locator("main input[name=title]").press_sequentially("Een fietsdag in juni", delay=30)
    suggestions = page.locator("#similar-ideas")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link", name="Fietsdag")).to_have_attribute(
        "href", first.get_absolute_url()
    )
    expect(page.locator("#announcer")).not_to_be_empty()
    assert_no_axe_violations(page)
