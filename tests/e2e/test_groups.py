"""Groups in the browser: finding and joining, asking to join, invitations, the
moderators' pages, and WCAG 2.1 AA (axe) on every groups page.

Assertions go through the Dutch catalogue (``nl``): the site starts in Dutch
even for this English-speaking browser, and the tests name the source text
found in the templates and views.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils.text import capfirst

from groups import services
from groups.models import Group, Invitation, JoinRequest, Membership
from tests.conftest import DEMO_PASSWORD
from tests.e2e.helpers import assert_no_axe_violations, log_in, nl, path_of, visit

pytestmark = pytest.mark.browser

OPEN, CLOSED, PRIVATE = Group.Visibility.OPEN, Group.Visibility.CLOSED, Group.Visibility.PRIVATE
INTEREST, IMPROVEMENT = Group.Kind.INTEREST, Group.Kind.IMPROVEMENT


def heading(page) -> str:
    return page.locator("main h1").inner_text().strip()


def success_message(page) -> str:
    return page.locator("main .messages .message-success").inner_text().strip()


def membership_box(page):
    """The detail page's sidebar: membership state, the join/leave buttons, the members."""
    return page.get_by_role("complementary", name=nl("Membership"))


def group_nav(page):
    return page.get_by_role("navigation", name=nl("Group"))


def member_count(n: int) -> str:
    return nl("%(counter)s member", "%(counter)s members", n, counter=n)


def create_group(creator, name, *, visibility=OPEN, kind=INTEREST, **fields) -> Group:
    return services.create_group(
        creator=creator, name=name, kind=kind, visibility=visibility, **fields
    )


# --- 1. An open group ----------------------------------------------------------


def test_member_finds_joins_and_leaves_an_open_group(browser_page, make_user):
    page = browser_page
    owner = make_user(display_name="Olga Eigenaar")
    anna = make_user("anna@provincie.example", display_name="Anna de Vries")
    bikes = create_group(
        owner,
        "Fietsers van het provinciehuis",
        description="Samen **op de fiets** naar het werk.",
        colour="green",
    )
    create_group(owner, "Leesclub", visibility=CLOSED, colour="purple")
    create_group(owner, "Moestuin op het dak", colour="orange")

    log_in(page, anna.email, DEMO_PASSWORD)
    page.get_by_role("navigation", name=nl("Main menu")).get_by_role(
        "link", name=nl("Groups")
    ).click()
    page.wait_for_url("**/groepen/")
    assert heading(page) == nl("Groups")
    assert page.locator(".cards .group-card").count() == 3

    # Search through the directory's search form.
    search = page.get_by_role("search", name=nl("Find groups"))
    search.get_by_label(nl("Search")).fill("fiets")
    with page.expect_navigation():
        search.get_by_role("button", name=nl("Show")).click()
    assert "q=fiets" in page.url
    status = nl("%(counter)s group found", "%(counter)s groups found", 1, counter=1)
    assert page.get_by_role("status").inner_text().strip() == status
    cards = page.locator(".cards .group-card")
    assert cards.count() == 1
    cards.get_by_role("link", name="Fietsers van het provinciehuis").click()
    page.wait_for_url(f"**/groepen/{bikes.slug}/")
    assert heading(page) == "Fietsers van het provinciehuis"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator(".prose strong").inner_text() == "op de fiets"

    box = membership_box(page)
    assert box.get_by_role("heading", name=member_count(1)).is_visible()
    join = box.get_by_role("button", name=nl("Join group"))
    assert join.inner_text() == "Lid worden"  # really Dutch, not the English source text
    with page.expect_navigation():
        join.click()
    assert success_message(page) == nl("Welcome to the group!")
    box = membership_box(page)
    assert nl("You are a member of this group.") in box.inner_text()
    assert box.get_by_role("heading", name=member_count(2)).is_visible()
    assert box.get_by_role("listitem").filter(has_text="Anna de Vries").count() == 1
    assert Membership.objects.filter(group=bikes, user=anna, role="member").exists()

    # The directory now marks the group as hers.
    visit(page, "/groepen/?mine=on")
    card = page.locator(".cards .group-card")
    assert card.count() == 1
    assert nl("You are a member") in card.inner_text()

    # And out again.
    visit(page, bikes.get_absolute_url())
    with page.expect_navigation():
        membership_box(page).get_by_role("button", name=nl("Leave group")).click()
    assert page.url.endswith(bikes.get_absolute_url())
    assert success_message(page) == nl("You have left the group.")
    box = membership_box(page)
    assert box.get_by_role("heading", name=member_count(1)).is_visible()
    assert box.get_by_role("button", name=nl("Join group")).is_visible()
    assert not Membership.objects.filter(group=bikes, user=anna).exists()


# --- 2. A closed group: ask, approve in a second browser --------------------------


def test_closed_group_request_is_approved_by_a_moderator(new_browser_page, make_user):
    owner = make_user("mirjam@provincie.example", display_name="Mirjam Moderator")
    bram = make_user("bram@provincie.example", display_name="Bram Bakker", department="Water")
    books = create_group(owner, "Leesclub", visibility=CLOSED)

    # Bram asks to join, in his own browser.
    requester = new_browser_page()
    log_in(requester, bram.email, DEMO_PASSWORD)
    visit(requester, books.get_absolute_url())
    box = membership_box(requester)
    assert nl("This group is closed: moderators decide who joins.") in box.inner_text()
    assert box.get_by_role("button", name=nl("Join group")).count() == 0
    box.get_by_role("link", name=nl("Ask to join")).click()
    requester.wait_for_url("**/groepen/leesclub/aanvragen/")
    assert heading(requester) == nl("Ask to join %(name)s", name="Leesclub")
    requester.get_by_label(nl("Message to the moderators (optional)")).fill(
        "Ik wil graag meedenken"
    )
    with requester.expect_navigation():
        requester.get_by_role("button", name=nl("Send request")).click()
    assert requester.url.endswith(books.get_absolute_url())
    assert success_message(requester) == nl("Your request has been sent to the moderators.")
    box = membership_box(requester)
    assert nl("You have asked to join. A moderator will answer your request.") in box.inner_text()
    assert box.get_by_role("button", name=nl("Withdraw request")).is_visible()

    # Mirjam, logged in in a second browser, sees the request with its message.
    moderator = new_browser_page()
    log_in(moderator, owner.email, DEMO_PASSWORD)
    visit(moderator, books.get_absolute_url())
    members_link = group_nav(moderator).get_by_role("link", name=nl("Members"))
    assert nl("%(counter)s request", "%(counter)s requests", 1, counter=1) in (
        members_link.inner_text()
    )
    members_link.click()
    moderator.wait_for_url("**/groepen/leesclub/leden/")
    requests = moderator.get_by_role("region", name=nl("Requests to join"))
    request = requests.get_by_role("listitem").filter(has_text="Bram Bakker")
    assert request.get_by_role("heading").inner_text() == "Bram Bakker · Water"
    assert request.locator("blockquote").inner_text() == "Ik wil graag meedenken"
    with moderator.expect_navigation():
        request.get_by_role("button", name=nl("Approve %(name)s", name="Bram Bakker")).click()
    assert success_message(moderator) == nl("%(name)s is now a member.", name="Bram Bakker")
    assert nl("No open requests.") in (
        moderator.get_by_role("region", name=nl("Requests to join")).inner_text()
    )
    members = moderator.get_by_role("region", name=member_count(2))
    assert members.locator(".member").filter(has_text="Bram Bakker").count() == 1

    # Back in Bram's browser: after a reload he is a member.
    requester.reload()
    box = membership_box(requester)
    assert nl("You are a member of this group.") in box.inner_text()
    assert box.get_by_role("button", name=nl("Leave group")).is_visible()
    assert box.get_by_role("heading", name=member_count(2)).is_visible()

    # The moderation log records who approved whom.
    group_nav(moderator).get_by_role("link", name=nl("Moderation log")).click()
    moderator.wait_for_url("**/groepen/leesclub/logboek/")
    row = moderator.get_by_role("row").filter(has_text=nl("approved a join request"))
    assert row.count() == 1
    cells = [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()]
    assert cells[1:4] == ["Mirjam Moderator", nl("approved a join request"), "Bram Bakker"]
    request = JoinRequest.objects.get(group=books, user=bram)
    assert (request.status, request.decided_by) == (JoinRequest.Status.APPROVED, owner)


# --- 3. A private group: invitation by mail ------------------------------------------


def test_private_group_invitation_by_mail(new_browser_page, make_user, mailbox):
    owner = make_user("mirjam@provincie.example", display_name="Mirjam Moderator")
    chris = make_user("chris@provincie.example", display_name="Chris Collega")
    board = create_group(
        owner,
        "Regiegroep Omgevingswet",
        visibility=PRIVATE,
        description="Vertrouwelijk overleg over de *invoering*.",
    )

    # Before any invitation the colleague cannot find the group, not even by its address.
    colleague = new_browser_page()
    log_in(colleague, chris.email, DEMO_PASSWORD)
    visit(colleague, board.get_absolute_url(), status=404)
    visit(colleague, "/groepen/?q=Regiegroep")
    assert colleague.locator(".cards .group-card").count() == 0

    # The owner invites Chris by email address through the invite page.
    moderator = new_browser_page()
    log_in(moderator, owner.email, DEMO_PASSWORD)
    visit(moderator, board.get_absolute_url())
    group_nav(moderator).get_by_role("link", name=nl("Invite")).click()
    moderator.wait_for_url(f"**/groepen/{board.slug}/uitnodigen/")
    moderator.get_by_label(nl("Email address or username of the colleague")).fill(
        "Chris@Provincie.example"
    )
    with moderator.expect_navigation():
        moderator.get_by_role("button", name=nl("Send invitation")).click()
    assert moderator.url.endswith(f"/groepen/{board.slug}/leden/")
    assert success_message(moderator) == nl("The invitation has been sent.")
    invitations = moderator.get_by_role("region", name=nl("Open invitations"))
    assert "Chris Collega" in invitations.inner_text()

    # Chris has an account, so the invitation is a notification, mailed at once by default
    # (written by the server process); it links to the invitation page.
    message = mailbox.latest(to=chris.email)
    invited = nl("invited you to a group")
    assert message["Subject"] == f"[Kring] {owner.name} {invited}: Regiegroep Omgevingswet"
    invitation = Invitation.objects.get(group=board)
    links = [link for link in mailbox.links(message) if "/groepen/uitnodiging/" in link]
    assert links == [settings.KRING_SITE_URL.rstrip("/") + invitation.get_absolute_url()]

    # Still no access to the group itself until the invitation is accepted.
    visit(colleague, board.get_absolute_url(), status=404)
    visit(colleague, path_of(links[0]))
    assert heading(colleague) == nl("Invitation to %(name)s", name="Regiegroep Omgevingswet")
    assert (
        nl("%(inviter)s invites you to join this group.", inviter="Mirjam Moderator")
        in colleague.locator("main").inner_text()
    )
    assert colleague.locator("main .prose em").inner_text() == "invoering"
    assert_no_axe_violations(colleague)
    with colleague.expect_navigation():
        colleague.get_by_role("button", name=nl("Accept invitation")).click()
    assert colleague.url.endswith(board.get_absolute_url())
    assert success_message(colleague) == nl("Welcome to the group!")
    assert heading(colleague) == "Regiegroep Omgevingswet"
    assert nl("You are a member of this group.") in membership_box(colleague).inner_text()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.user) == (Invitation.Status.ACCEPTED, chris)

    # The invitation link now only says it was used.
    visit(colleague, path_of(links[0]))
    assert nl("You have accepted this invitation.") in colleague.locator("main").inner_text()


# --- 4. axe on every groups page ----------------------------------------------------


@dataclass
class World:
    owner: object  # owner of every group below
    anna: object  # member of the open and the closed group
    bram: object  # asked to join the closed group
    dirk: object  # muted member of the closed group
    eva: object  # member of nothing
    chris: object  # invited to the closed group, not a member yet
    staff: object
    bikes: Group  # open special-interest group
    books: Group  # closed, with a pending request and an open invitation
    board: Group  # private
    proposal: Group  # improvement group waiting for staff
    invitation: Invitation


@pytest.fixture
def world(make_user):
    owner = make_user("mirjam@provincie.example", display_name="Mirjam Moderator")
    anna = make_user(
        "anna@provincie.example", display_name="Anna de Vries", department="Mobiliteit"
    )
    bram = make_user("bram@provincie.example", display_name="Bram Bakker", department="Water")
    dirk = make_user("dirk@provincie.example", display_name="Dirk Demper")
    eva = make_user("eva@provincie.example", display_name="Eva Elders")
    chris = make_user("chris@provincie.example", display_name="Chris Collega")
    staff = make_user("sam@provincie.example", display_name="Sam Beheer", staff=True)

    bikes = create_group(
        owner, "Fietsers van het provinciehuis", description="Samen fietsen.", colour="green"
    )
    services.join_group(user=anna, group=bikes)
    books = create_group(
        owner,
        "Leesclub",
        visibility=CLOSED,
        colour="purple",
        description="We lezen **één boek** per maand.\n\n- romans\n- [non-fictie](https://example.org)",
    )
    for user in (anna, dirk):
        request = services.request_to_join(user=user, group=books, message="Graag!")
        services.decide_join_request(
            moderator=owner, join_request=request, approve=True, reason="Welkom"
        )
    services.mute_member(
        actor=owner,
        membership=Membership.objects.get(group=books, user=dirk),
        duration=timedelta(days=1),
        reason="Even afkoelen",
    )
    services.update_group_settings(actor=owner, group=books, colour="red")
    services.request_to_join(user=bram, group=books, message="Ik wil graag meedenken")
    invitation = services.invite(inviter=owner, group=books, email=chris.email)
    board = create_group(owner, "Regiegroep Omgevingswet", visibility=PRIVATE, colour="grey")
    create_group(owner, "Moestuin op het dak", colour="orange")
    proposal = create_group(
        anna,
        "Minder papier",
        kind=IMPROVEMENT,
        description="Alle formulieren **digitaal** in 2027.",
    )
    assert proposal.status == Group.Status.PENDING
    return World(
        owner, anna, bram, dirk, eva, chris, staff, bikes, books, board, proposal, invitation
    )


# name: (viewer, path, a text the page must show), for pages axe checks as they load.
# The text proves the page is in the state worth checking (a form, a list, a notice).
STATIC_PAGES = {
    "directory": ("anna", lambda w: "/groepen/", lambda: nl("You are a member")),
    "directory-nothing-found": (
        "anna",
        lambda w: "/groepen/?q=onvindbaar&kind=interest",
        lambda: nl("No groups match. Try other words, or propose a new group."),
    ),
    "group-as-member": (
        "anna",
        lambda w: w.books.get_absolute_url(),
        lambda: nl("You are a member of this group."),
    ),
    "group-as-non-member-of-closed-group": (
        "eva",
        lambda w: w.books.get_absolute_url(),
        lambda: nl("This group is closed: moderators decide who joins."),
    ),
    "group-with-pending-request": (
        "bram",
        lambda w: w.books.get_absolute_url(),
        lambda: nl("Withdraw request"),
    ),
    "group-as-moderator": (
        "owner",
        lambda w: w.books.get_absolute_url(),
        lambda: nl("Moderation log"),
    ),
    "pending-group-as-its-creator": (
        "anna",
        lambda w: w.proposal.get_absolute_url(),
        lambda: nl(
            "This group is waiting for approval by staff. Until then only you and staff can see it."
        ),
    ),
    "ask-to-join": (
        "eva",
        lambda w: f"/groepen/{w.books.slug}/aanvragen/",
        lambda: nl("Send request"),
    ),
    "members-as-member": ("anna", lambda w: f"/groepen/{w.books.slug}/leden/", lambda: "Dirk"),
    "settings": (
        "owner",
        lambda w: f"/groepen/{w.books.slug}/instellingen/",
        lambda: nl("Archive group"),
    ),
    "moderation-log": (
        "owner",
        lambda w: f"/groepen/{w.books.slug}/logboek/",
        lambda: nl("muted a member"),
    ),
    "invite": (
        "owner",
        lambda w: f"/groepen/{w.books.slug}/uitnodigen/",
        lambda: nl("Send invitation"),
    ),
    "invitation": (
        "chris",
        lambda w: w.invitation.get_absolute_url(),
        lambda: nl("Accept invitation"),
    ),
    "create": ("anna", lambda w: "/groepen/nieuw/", lambda: nl("Create group")),
    "review-queue": (
        "staff",
        lambda w: "/groepen/te-beoordelen/",
        lambda: nl("Approve %(name)s", name="Minder papier"),
    ),
}


@pytest.mark.parametrize("name", STATIC_PAGES)
def test_groups_pages_have_no_axe_violations(browser_page, world, name):
    viewer, path, expected_text = STATIC_PAGES[name]
    log_in(browser_page, getattr(world, viewer).email, DEMO_PASSWORD)
    visit(browser_page, path(world))
    assert browser_page.locator("main h1").count() == 1
    assert expected_text() in browser_page.locator("main").inner_text()
    assert_no_axe_violations(browser_page)


def test_directory_lists_the_viewers_groups(browser_page, world):
    """The directory page axe checks is the rich one: several groups, one of them Anna's."""
    log_in(browser_page, world.anna.email, DEMO_PASSWORD)
    visit(browser_page, "/groepen/?sort=name")
    cards = browser_page.locator(".cards .group-card")
    names = [name.strip() for name in cards.locator("h3").all_inner_texts()]
    # Active, visible groups only: not the private one, not the proposal.
    assert names == ["Fietsers van het provinciehuis", "Leesclub", "Moestuin op het dak"]
    assert nl("You are a member") in cards.nth(0).inner_text()
    assert nl("You are a member") not in cards.nth(2).inner_text()


def test_members_page_as_moderator_has_no_axe_violations(browser_page, world):
    page = browser_page
    log_in(page, world.owner.email, DEMO_PASSWORD)
    visit(page, f"/groepen/{world.books.slug}/leden/")
    requests = page.get_by_role("region", name=nl("Requests to join"))
    assert "Ik wil graag meedenken" in requests.inner_text()
    invitations = page.get_by_role("region", name=nl("Open invitations"))
    assert "Chris Collega" in invitations.inner_text()
    assert nl("Allow posting again") not in page.locator("main").inner_text()  # all closed

    manage = page.locator("details.member-actions").filter(
        has=page.get_by_text(nl("Manage %(name)s", name="Anna de Vries"))
    )
    manage.locator("summary").click()
    assert manage.evaluate("details => details.open")
    assert manage.get_by_role("button", name=nl("Change role")).is_visible()
    assert_no_axe_violations(page)

    # The muted member's panel offers to lift the mute instead.
    muted = page.locator("details.member-actions").filter(
        has=page.get_by_text(nl("Manage %(name)s", name="Dirk Demper"))
    )
    muted.locator("summary").click()
    assert muted.get_by_role("button", name=nl("Allow posting again")).is_visible()
    assert_no_axe_violations(page)


def test_create_group_errors_have_no_axe_violations(browser_page, world):
    page = browser_page
    log_in(page, world.eva.email, DEMO_PASSWORD)
    visit(page, "/groepen/nieuw/")
    assert heading(page) == nl("Propose a new group")
    # An existing name and no kind: both refused by the server.
    page.locator("main input[name=name]").fill("leesclub")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=nl("Create group")).click()
    assert page.locator("main .field-invalid").count() == 2
    assert nl("There is already a group with this name.") in page.locator("main").inner_text()
    # The radio buttons form a group named by its legend, described by its error.
    kinds = page.get_by_role("group", name=capfirst(nl("kind")))
    assert kinds.get_by_role("radio").count() >= 2
    assert kinds.get_attribute("aria-describedby") == "id_kind_error"
    assert page.locator("#id_kind_error").inner_text() == nl("This field is required.")
    assert_no_axe_violations(page)


def test_invite_errors_have_no_axe_violations(browser_page, world):
    page = browser_page
    log_in(page, world.owner.email, DEMO_PASSWORD)
    visit(page, f"/groepen/{world.books.slug}/uitnodigen/")
    page.get_by_label(nl("Email address or username of the colleague")).fill("niemand")
    with page.expect_navigation():
        page.get_by_role("button", name=nl("Send invitation")).click()
    assert nl("No colleague has this username.") in page.locator("main").inner_text()
    assert_no_axe_violations(page)


# --- 5. Keyboard ---------------------------------------------------------------------


def focused(page):
    """A description of the element that has the keyboard focus."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const panel = el.closest('details.member-actions');
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.innerText || el.value || '').trim(),
                id: el.id,
                panel: panel && panel.querySelector('summary').innerText.trim(),
                visible: !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length),
                focusVisible: el.matches(':focus-visible'),
            };
        }"""
    )


def test_member_management_works_with_the_keyboard(browser_page, world):
    page = browser_page
    log_in(page, world.owner.email, DEMO_PASSWORD)
    visit(page, f"/groepen/{world.books.slug}/leden/")
    summary_text = nl("Manage %(name)s", name="Anna de Vries")
    manage = page.locator("details.member-actions").filter(has=page.get_by_text(summary_text))

    # Tab from the top of the page to Anna's summary: it is in the tab order.
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused(page)["text"] == summary_text:
            break
    else:
        pytest.fail(f"Tab never reached {summary_text!r}")
    assert focused(page)["focusVisible"], "the focused summary shows no focus indicator"
    assert not manage.evaluate("details => details.open")

    # Enter opens it; Tab then walks through every control inside, in order.
    page.keyboard.press("Enter")
    assert manage.evaluate("details => details.open")
    user_id = world.anna.id
    expected = [
        ("select", f"role-{user_id}"),
        ("button", nl("Change role")),
        ("select", f"period-{user_id}"),
        ("input", f"mute-reason-{user_id}"),
        ("button", nl("Mute")),
        ("input", f"remove-reason-{user_id}"),
        ("button", nl("Remove %(name)s from the group", name="Anna de Vries")),
    ]
    for tag, id_or_text in expected:
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["tag"] == tag and id_or_text in (now["id"], now["text"]), now
        assert now["panel"] == summary_text and now["visible"] and now["focusVisible"], now
    page.keyboard.press("Tab")
    # On to the next member's (closed) panel.
    assert focused(page)["text"] == nl("Manage %(name)s", name="Dirk Demper")

    # Shift+Tab comes back; Space on the summary closes the panel again.
    for _ in expected:
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == summary_text
    page.keyboard.press(" ")
    assert not manage.evaluate("details => details.open")

    # And the controls work from the keyboard: mute Anna for the default period.
    page.keyboard.press("Enter")
    for _ in range(4):
        page.keyboard.press("Tab")
    page.keyboard.type("Te veel berichten")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == nl("Mute")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert success_message(page) == nl("%(name)s has been muted.", name="Anna de Vries")
    membership = Membership.objects.get(group=world.books, user=world.anna)
    assert membership.is_muted()


# --- Reflow ------------------------------------------------------------------------


def test_groups_pages_reflow_at_320_css_pixels(browser_page, world):
    """WCAG 1.4.10: at 320 CSS pixels wide nothing needs horizontal scrolling
    (the moderation log's table scrolls inside its own focusable region, as allowed)."""
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, world.owner.email, DEMO_PASSWORD)
    for path in [
        "/groepen/",
        world.books.get_absolute_url(),
        f"/groepen/{world.books.slug}/leden/",
        f"/groepen/{world.books.slug}/logboek/",
        f"/groepen/{world.books.slug}/instellingen/",
    ]:
        visit(page, path)
        for summary in page.locator("details.member-actions summary").all():
            summary.click()
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at 320 px: {widths}"
