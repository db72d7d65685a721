"""Discussions in the browser: two colleagues on one thread, each in their own
browser context, see each other's posts, typing, reactions, edits and removals
live; the thread page passes axe (WCAG 2.1 AA).

Every write goes through the browser to the daphne server; the live updates come
back over the WebSocket, through the same channel layer the server uses.
"""

import re

import pytest
from playwright.sync_api import expect

from discussions import services
from discussions.models import Post
from groups import services as group_services
from groups.models import Membership
from tests.conftest import DEMO_PASSWORD
from tests.e2e.helpers import assert_no_axe_violations, log_in, nl, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(make_user):
    """Jeroen runs an open group with a thread; Anna is a member."""
    jeroen = make_user("jeroen@provincie.example", display_name="Jeroen Bakker")
    anna = make_user("anna@provincie.example", display_name="Anna de Vries")
    group = group_services.create_group(
        creator=jeroen, name="Fietsers", kind="interest", visibility="open"
    )
    Membership.objects.create(group=group, user=anna)
    thread = services.create_thread(
        author=jeroen, group=group, title="Een overdekte fietsenstalling", body="Wie denkt mee?"
    )
    return jeroen, anna, thread


def open_thread(new_browser_page, user, thread):
    page = new_browser_page()
    log_in(page, user.email, DEMO_PASSWORD)
    visit(page, thread.get_absolute_url())
    expect(page.locator("#connection-status")).to_have_text(nl("Live updates are on."))
    return page


def post_item(page, post):
    return page.locator(f"#post-{post.pk}")


def test_two_colleagues_see_each_other_live(new_browser_page, scene):
    jeroen, anna, thread = scene
    his = open_thread(new_browser_page, jeroen, thread)
    hers = open_thread(new_browser_page, anna, thread)

    # Presence: each sees the other on the thread.
    expect(his.locator("#presence")).to_contain_text("Anna de Vries")
    expect(hers.locator("#presence")).to_contain_text("Jeroen Bakker")

    # Typing: Jeroen sees that Anna is writing, before she sends.
    box = hers.get_by_label(nl("Message"), exact=True)
    box.press_sequentially("Goed plan, ik ", delay=20)
    expect(his.locator("#typing")).to_have_text(nl("%(name)s is typing…", name="Anna de Vries"))

    # A reply: sent without a page load, appears for both, her text box empties.
    box.press_sequentially("doe mee!", delay=10)
    hers.get_by_role("button", name=nl("Send reply")).click()
    expect(his.locator("#posts")).to_contain_text("Goed plan, ik doe mee!")
    expect(hers.locator("#posts")).to_contain_text("Goed plan, ik doe mee!")
    expect(box).to_have_value("")
    reply = Post.objects.get(author=anna)
    expect(his.locator("#announcer")).to_contain_text("Anna de Vries")

    # A reaction from Jeroen shows up at Anna's, with the count.
    his_post = post_item(his, reply)
    his_post.get_by_text(nl("React")).click()
    his_post.get_by_role("button", name=nl("thumbs up")).click()
    thumbs = post_item(hers, reply).locator("button.reaction[value=thumbs_up]").first
    expect(thumbs).to_contain_text("1")
    expect(post_item(his, reply).locator("button.reaction[aria-pressed=true]")).to_have_count(1)

    # Anna edits her post; Jeroen sees the new text and the "edited" link.
    post_item(hers, reply).get_by_role("link", name=nl("Edit")).click()
    hers.locator("main textarea[name=body]").fill(
        "Goed plan, ik doe mee! Ik neem de tekeningen mee."
    )
    with hers.expect_navigation(url=re.compile(r"/discussies/\d+/")):
        hers.get_by_role("button", name=nl("Save changes")).click()
    expect(post_item(hers, reply)).to_contain_text("Ik neem de tekeningen mee.")
    expect(post_item(his, reply)).to_contain_text("Ik neem de tekeningen mee.")
    expect(post_item(his, reply).get_by_role("link", name=re.compile(nl("edited")))).to_be_visible()

    assert_no_axe_violations(his)
    assert_no_axe_violations(hers)

    # She removes it; Jeroen's page keeps a placeholder in its place.
    with hers.expect_navigation(url=re.compile(r"/verwijderen/$")):
        post_item(hers, reply).get_by_role("link", name=nl("Delete")).click()
    hers.get_by_role("button", name=nl("Remove message")).click()
    expect(post_item(his, reply)).to_contain_text(nl("This message was removed by its author."))
    assert Post.objects.get(pk=reply.pk).body == ""


def test_a_moderator_closes_a_thread_and_the_reply_form_goes_away(new_browser_page, scene):
    jeroen, anna, thread = scene
    his = open_thread(new_browser_page, jeroen, thread)
    hers = open_thread(new_browser_page, anna, thread)
    expect(hers.get_by_role("button", name=nl("Send reply"))).to_be_visible()

    his.get_by_role("button", name=nl("Close discussion")).click()

    expect(hers.locator("#locked-notice")).to_be_visible()
    expect(hers.get_by_role("button", name=nl("Send reply"))).to_be_hidden()
    assert_no_axe_violations(hers)


def test_mention_suggestions_can_be_used_with_the_keyboard(new_browser_page, scene):
    jeroen, anna, thread = scene
    hers = open_thread(new_browser_page, anna, thread)
    box = hers.get_by_label(nl("Message"), exact=True)
    box.press_sequentially("Vraag voor @jer", delay=30)
    option = hers.get_by_role("option", name=re.compile("Jeroen Bakker"))
    expect(option).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(f"Vraag voor @{jeroen.username} ")
    assert_no_axe_violations(hers)


def test_the_group_page_shows_new_posts_live(new_browser_page, scene):
    jeroen, anna, thread = scene
    group_page = new_browser_page()
    log_in(group_page, jeroen.email, DEMO_PASSWORD)
    visit(group_page, thread.group.get_absolute_url())
    expect(group_page.locator("#connection-status")).to_have_text(nl("Live updates are on."))

    hers = open_thread(new_browser_page, anna, thread)
    hers.get_by_label(nl("Message"), exact=True).fill("Ik zet het op de agenda.")
    hers.get_by_role("button", name=nl("Send reply")).click()

    expect(group_page.locator("#group-activity")).to_contain_text(nl("New messages in this group."))
    expect(group_page.locator(f'[data-thread-row="{thread.pk}"] .unread-count')).to_have_text(
        nl("1 new message")
    )
    assert_no_axe_violations(group_page)
