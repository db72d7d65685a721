"""Who may open or do what in a group: every URL of groups/urls.py, for every kind of person,
for open, closed and private groups.

Each (url, role, visibility) is its own test. POST actions are checked against the
database: a refused action changes nothing at all, an allowed one does what it says.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Invitation, JoinRequest, Membership, ModerationLogEntry

pytestmark = pytest.mark.django_db

VISIBILITIES = ["open", "closed", "private"]
# "leader" is leadership (make_user(leadership=True)): no extra powers in groups.
ROLES = ["anonymous", "nonmember", "requester", "member", "moderator", "owner", "staff", "leader"]
MEMBERS = {"member", "moderator", "owner"}
MODERATORS = {"moderator", "owner", "staff"}
LOGIN = "login"  # expected outcome: a redirect to the login page


# --- The world every test starts from -------------------------------------------


@dataclass
class AccWorld:
    group: Group
    users: dict = field(default_factory=dict)  # role -> user (no "anonymous")
    target: object = None  # a plain member that moderators act on
    muted: object = None  # a plain member who is muted
    invitee: object = None  # invited by account, not a member yet
    join_request: JoinRequest | None = None  # the requester's pending request
    email_invitation: Invitation | None = None  # open invitation to an address
    user_invitation: Invitation | None = None  # open invitation to ``invitee``


def _make_group(name, visibility, creator, status=Group.Status.ACTIVE):
    return Group.objects.create(
        name=name,
        slug=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
        kind=Group.Kind.INTEREST,
        visibility=visibility,
        status=status,
        description=f"Omschrijving van {name}",
        created_by=creator,
    )


def _invitation(group, inviter, *, user=None, email=""):
    return Invitation.objects.create(
        group=group,
        invited_by=inviter,
        user=user,
        email=user.email if user else email,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(days=14),
    )


@pytest.fixture
def acc_world(make_user):
    def build(visibility, *, status=Group.Status.ACTIVE) -> AccWorld:
        users = {
            "owner": make_user(display_name="Olga Eigenaar"),
            "moderator": make_user(display_name="Mo Moderator"),
            "member": make_user(display_name="Mia Lid"),
            "requester": make_user(display_name="Ria Aanvrager"),
            "nonmember": make_user(display_name="Nils Buitenstaander"),
            "leader": make_user(display_name="Lotte Leiding", leadership=True),
            "staff": make_user(display_name="Sam Beheer", staff=True, is_superuser=True),
        }
        group = _make_group(f"Kringgroep {visibility}", visibility, users["owner"], status)
        world = AccWorld(group=group, users=users)
        for role in ("owner", "moderator", "member"):
            Membership.objects.create(group=group, user=users[role], role=role)
        world.target = make_user(display_name="Tim Doelwit")
        Membership.objects.create(group=group, user=world.target)
        world.muted = make_user(display_name="Stijn Stil")
        Membership.objects.create(
            group=group, user=world.muted, muted_until=timezone.now() + timedelta(days=3)
        )
        world.invitee = make_user(display_name="Ilse Uitgenodigd")
        world.join_request = JoinRequest.objects.create(
            group=group, user=users["requester"], message="Mag ik meedoen?"
        )
        world.email_invitation = _invitation(
            group, users["owner"], email="extern.collega@provincie.example"
        )
        world.user_invitation = _invitation(group, users["owner"], user=world.invitee)
        return world

    return build


def _login(acc_client, world, role):
    if role != "anonymous":
        acc_client.force_login(world.users[role])
    return acc_client


def _actor(world, role):
    return world.users.get(role)


def snapshot(group) -> dict:
    """Everything a group action could change, as plain values."""
    return {
        "group": Group.objects.filter(pk=group.pk)
        .values("name", "slug", "kind", "visibility", "status", "colour", "description")
        .get()
        | {"archived": Group.objects.get(pk=group.pk).archived_at is not None},
        "memberships": sorted(
            Membership.objects.filter(group=group).values_list("user_id", "role", "muted_until")
        ),
        "requests": sorted(
            JoinRequest.objects.filter(group=group).values_list("id", "user_id", "status")
        ),
        "invitations": sorted(
            Invitation.objects.filter(group=group).values_list("id", "user_id", "email", "status")
        ),
        "log": ModerationLogEntry.objects.filter(group=group).count(),
        "groups": Group.objects.count(),
    }


def _is_member(group, user) -> bool:
    return Membership.objects.filter(group=group, user=user).exists()


def _sees(role, visibility) -> bool:
    """Who may see an active group at all (permissions.can_view_group)."""
    return role == "staff" or visibility != "private" or role in MEMBERS


# --- One case per URL (and method) ------------------------------------------------


@dataclass
class Case:
    name: str
    method: str
    url: Callable  # world -> path
    # (role, visibility) -> (status, changes), asked only for people who may see the group
    rule: Callable
    data: Callable = lambda world: {}
    # (world, role, before) -> None: asserts the allowed change happened
    verify: Callable | None = None
    checks_visibility: bool = True  # False: the view refuses before looking at the group


def _slug_url(name):
    return lambda world: reverse(f"groups:{name}", args=[world.group.slug])


def _member_url(name, who):
    return lambda world: reverse(f"groups:{name}", args=[world.group.slug, getattr(world, who).pk])


def _page_for_moderators(role, visibility):
    return (200, False) if role in MODERATORS else (403, False)


def _action_for_moderators(role, visibility):
    return (302, True) if role in MODERATORS else (403, False)


def _action_for_owners(role, visibility):
    return (302, True) if role in {"owner", "staff"} else (403, False)


def _request_page(role, visibility):
    can_ask = visibility == "closed" and role in {"nonmember", "leader", "staff"}
    return (200, False) if can_ask else (302, False)


def _request_post(role, visibility):
    if role in MEMBERS or role == "requester":
        return (302, False)  # "already a member" / "already asked": a message
    if visibility == "closed":
        return (302, True)
    return (403, False)


def _join(role, visibility):
    if role in MEMBERS:
        return (302, False)  # "already a member": a message
    if visibility == "open":
        return (302, True)
    return (403, False)


def _leave(role, visibility):
    # The only owner cannot leave; non-members get a message.
    return (302, role in {"member", "moderator"})


def _withdraw(role, visibility):
    return (302, role == "requester")


def _verify_request_created(world, role, before):
    assert JoinRequest.objects.filter(
        group=world.group, user=_actor(world, role), status="pending", message="Graag!"
    ).exists()
    assert not _is_member(world.group, _actor(world, role))


def _verify_joined(world, role, before):
    membership = Membership.objects.get(group=world.group, user=_actor(world, role))
    assert membership.role == Membership.Role.MEMBER


def _verify_left(world, role, before):
    assert not _is_member(world.group, _actor(world, role))
    assert Membership.objects.filter(group=world.group).count() == len(before["memberships"]) - 1


def _verify_withdrawn(world, role, before):
    world.join_request.refresh_from_db()
    assert world.join_request.status == JoinRequest.Status.WITHDRAWN
    assert not _is_member(world.group, world.users["requester"])


def _verify_approved(world, role, before):
    world.join_request.refresh_from_db()
    assert world.join_request.status == JoinRequest.Status.APPROVED
    assert world.join_request.decided_by == _actor(world, role)
    assert _is_member(world.group, world.users["requester"])


def _verify_role_changed(world, role, before):
    target = Membership.objects.get(group=world.group, user=world.target)
    assert target.role == Membership.Role.MODERATOR


def _verify_removed(world, role, before):
    assert not _is_member(world.group, world.target)
    assert ModerationLogEntry.objects.filter(
        group=world.group, action="remove_member", target_user=world.target
    ).exists()


def _verify_muted(world, role, before):
    target = Membership.objects.get(group=world.group, user=world.target)
    assert target.muted_until is not None
    assert target.muted_until > timezone.now() + timedelta(hours=23)


def _verify_unmuted(world, role, before):
    assert Membership.objects.get(group=world.group, user=world.muted).muted_until is None


def _verify_invited(world, role, before):
    invitation = Invitation.objects.get(group=world.group, email="nieuwe.collega@provincie.example")
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.invited_by == _actor(world, role)


def _verify_revoked(world, role, before):
    world.email_invitation.refresh_from_db()
    assert world.email_invitation.status == Invitation.Status.REVOKED


def _verify_settings_saved(world, role, before):
    world.group.refresh_from_db()
    assert world.group.description == "Nieuwe omschrijving"
    assert world.group.colour == "green"
    assert world.group.visibility == before["group"]["visibility"]


def _verify_archived(world, role, before):
    world.group.refresh_from_db()
    assert world.group.archived_at is not None


def _review(role, visibility):
    # Staff only. The group is already active: staff get a message, nothing changes.
    return (302, False) if role == "staff" else (403, False)


GROUP_CASES = [
    Case("detail", "get", _slug_url("detail"), lambda role, vis: (200, False)),
    Case("members", "get", _slug_url("members"), lambda role, vis: (200, False)),
    Case("request[GET]", "get", _slug_url("request"), _request_page),
    Case(
        "request[POST]",
        "post",
        _slug_url("request"),
        _request_post,
        data=lambda world: {"message": "Graag!"},
        verify=_verify_request_created,
    ),
    Case("join", "post", _slug_url("join"), _join, verify=_verify_joined),
    Case("leave", "post", _slug_url("leave"), _leave, verify=_verify_left),
    Case(
        "withdraw_request",
        "post",
        _slug_url("withdraw_request"),
        _withdraw,
        verify=_verify_withdrawn,
    ),
    Case(
        "decide_request",
        "post",
        lambda world: reverse(
            "groups:decide_request", args=[world.group.slug, world.join_request.pk]
        ),
        _action_for_moderators,
        data=lambda world: {"decision": "approve", "reason": ""},
        verify=_verify_approved,
    ),
    Case(
        "change_role",
        "post",
        _member_url("change_role", "target"),
        _action_for_owners,
        data=lambda world: {"role": "moderator"},
        verify=_verify_role_changed,
    ),
    Case(
        "remove_member",
        "post",
        _member_url("remove_member", "target"),
        _action_for_moderators,
        data=lambda world: {"reason": "Test"},
        verify=_verify_removed,
    ),
    Case(
        "mute_member",
        "post",
        _member_url("mute_member", "target"),
        _action_for_moderators,
        data=lambda world: {"period": "1d"},
        verify=_verify_muted,
    ),
    Case(
        "unmute_member",
        "post",
        _member_url("unmute_member", "muted"),
        _action_for_moderators,
        verify=_verify_unmuted,
    ),
    Case("invite[GET]", "get", _slug_url("invite"), _page_for_moderators),
    Case(
        "invite[POST]",
        "post",
        _slug_url("invite"),
        _action_for_moderators,
        data=lambda world: {"who": "nieuwe.collega@provincie.example"},
        verify=_verify_invited,
    ),
    Case(
        "revoke_invitation",
        "post",
        lambda world: reverse(
            "groups:revoke_invitation", args=[world.group.slug, world.email_invitation.pk]
        ),
        _action_for_moderators,
        verify=_verify_revoked,
    ),
    Case("settings[GET]", "get", _slug_url("settings"), _page_for_moderators),
    Case(
        "settings[POST]",
        "post",
        _slug_url("settings"),
        _action_for_moderators,
        data=lambda world: {
            "name": world.group.name,
            "visibility": world.group.visibility,
            "colour": "green",
            "description": "Nieuwe omschrijving",
        },
        verify=_verify_settings_saved,
    ),
    Case("archive", "post", _slug_url("archive"), _action_for_owners, verify=_verify_archived),
    Case("moderation_log", "get", _slug_url("moderation_log"), _page_for_moderators),
    Case(
        "review",
        "post",
        _slug_url("review"),
        _review,
        data=lambda world: {"decision": "approve"},
        checks_visibility=False,
    ),
]


def expected_outcome(case, role, visibility):
    if role == "anonymous":
        return (LOGIN, False)
    if case.checks_visibility and not _sees(role, visibility):
        return (404, False)  # a private group does not exist for outsiders
    return case.rule(role, visibility)


def _assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", GROUP_CASES, ids=lambda case: case.name)
def test_group_url_access(acc_client, acc_world, case, role, visibility):
    world = acc_world(visibility)
    _login(acc_client, world, role)
    before = snapshot(world.group)

    response = getattr(acc_client, case.method)(case.url(world), case.data(world))

    status, changes = expected_outcome(case, role, visibility)
    _assert_status(response, status)
    if changes:
        case.verify(world, role, before)
    else:
        assert snapshot(world.group) == before, "a refused or empty action changed something"


# --- What a page shows, beyond its status code ---------------------------------------


@pytest.mark.parametrize("visibility", ["open", "closed"])
@pytest.mark.parametrize("role", ["nonmember", "requester", "member", "leader"])
def test_members_page_shows_no_management_to_non_moderators(
    acc_client, acc_world, role, visibility
):
    """Everyone who sees the group sees who is in it, but not requests, invitations or controls."""
    world = acc_world(visibility)
    _login(acc_client, world, role)
    page = acc_client.get(reverse("groups:members", args=[world.group.slug])).content.decode()
    assert "Mia Lid" in page
    assert "Mag ik meedoen?" not in page  # the requester's message
    assert "extern.collega@provincie.example" not in page
    for name in ("decide_request", "change_role", "mute_member", "remove_member"):
        assert 'action="' + _url_prefix(name, world) not in page


@pytest.mark.parametrize("role", ["moderator", "owner", "staff"])
def test_members_page_shows_management_to_moderators(acc_client, acc_world, role):
    world = acc_world("closed")
    _login(acc_client, world, role)
    page = acc_client.get(reverse("groups:members", args=[world.group.slug])).content.decode()
    assert "Mag ik meedoen?" in page
    assert "extern.collega@provincie.example" in page
    assert _url_prefix("decide_request", world) in page
    assert _url_prefix("remove_member", world) in page


def _url_prefix(name, world):
    if name == "decide_request":
        return reverse(f"groups:{name}", args=[world.group.slug, world.join_request.pk])
    return reverse(f"groups:{name}", args=[world.group.slug, world.target.pk])


# --- Site-wide group URLs ------------------------------------------------------------


def _site_rule(name, role):
    if role == "anonymous":
        return LOGIN
    if name == "review_queue":
        return 200 if role == "staff" else 403
    return 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["directory", "create", "review_queue"])
def test_site_wide_group_pages(acc_client, acc_world, name, role):
    world = acc_world("open")
    _login(acc_client, world, role)
    _assert_status(acc_client.get(reverse(f"groups:{name}")), _site_rule(name, role))


@pytest.mark.parametrize("role", ROLES)
def test_create_group_post(acc_client, acc_world, role):
    world = acc_world("open")
    _login(acc_client, world, role)
    before = Group.objects.count()
    data = {
        "name": "Nieuwe groep",
        "kind": "interest",
        "visibility": "open",
        "colour": "blue",
        "description": "",
    }
    response = acc_client.post(reverse("groups:create"), data)
    if role == "anonymous":
        _assert_status(response, LOGIN)
        assert Group.objects.count() == before
        return
    group = Group.objects.get(name="Nieuwe groep")
    assert response.status_code == 302
    assert response["Location"] == group.get_absolute_url()
    assert group.created_by == _actor(world, role)
    assert group.memberships.get().role == Membership.Role.OWNER


# --- Reviewing a group that waits for approval ---------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_review_pending_group(acc_client, acc_world, role):
    world = acc_world("open", status=Group.Status.PENDING)
    _login(acc_client, world, role)
    response = acc_client.post(
        reverse("groups:review", args=[world.group.slug]), {"decision": "approve"}
    )
    world.group.refresh_from_db()
    if role == "anonymous":
        _assert_status(response, LOGIN)
    elif role == "staff":
        assert response.status_code == 302
        assert world.group.status == Group.Status.ACTIVE
        return
    else:
        assert response.status_code == 403
    assert world.group.status == Group.Status.PENDING


@pytest.mark.parametrize("role", ["nonmember", "member", "leader"])
def test_review_url_does_not_reveal_whether_a_group_exists(acc_client, acc_world, role):
    """Non-staff get the same answer for a private group and for a slug that does not exist."""
    world = acc_world("private")
    _login(acc_client, world, role)
    real = acc_client.post(
        reverse("groups:review", args=[world.group.slug]), {"decision": "approve"}
    )
    fake = acc_client.post(reverse("groups:review", args=["bestaat-niet"]), {"decision": "approve"})
    assert real.status_code == fake.status_code


# --- Pending and rejected groups: only the creator and staff -------------------------

PENDING_ROLES = ["anonymous", "creator", "nonmember", "leader", "staff"]


@pytest.mark.parametrize("status", [Group.Status.PENDING, Group.Status.REJECTED])
@pytest.mark.parametrize("role", PENDING_ROLES)
@pytest.mark.parametrize("url_name", ["detail", "members", "request", "join"])
def test_unapproved_group_only_for_creator_and_staff(acc_client, acc_world, url_name, role, status):
    """An open group that waits for approval (or was not approved) is not open to anyone yet."""
    world = acc_world("open", status=status)
    world.users["creator"] = world.users["owner"]
    _login(acc_client, world, role)
    before = snapshot(world.group)
    url = reverse(f"groups:{url_name}", args=[world.group.slug])
    response = acc_client.post(url) if url_name == "join" else acc_client.get(url)
    if role == "anonymous":
        _assert_status(response, LOGIN)
    elif role in {"nonmember", "leader"}:
        assert response.status_code == 404
    elif url_name in {"detail", "members"}:
        assert response.status_code == 200
    else:
        assert response.status_code in {302, 403}  # not active: nobody joins or asks
    assert snapshot(world.group) == before


@pytest.mark.parametrize("role", ["nonmember", "leader", "member"])
def test_unapproved_group_not_in_directory_or_home(acc_client, acc_world, role):
    world = acc_world("open", status=Group.Status.PENDING)
    if role == "member":  # a member of some other, active group
        other = _make_group("Zichtbare groep", "open", world.users["owner"])
        Membership.objects.create(group=other, user=world.users["member"])
    _login(acc_client, world, role)
    for url in (reverse("groups:directory"), reverse("home")):
        assert world.group.name not in acc_client.get(url).content.decode()


def test_creator_and_staff_see_their_unapproved_group(acc_client, acc_world):
    world = acc_world("open", status=Group.Status.PENDING)
    acc_client.force_login(world.users["owner"])
    page = acc_client.get(reverse("groups:directory"), {"mine": "on"}).content.decode()
    assert world.group.name in page
    acc_client.force_login(world.users["staff"])
    page = acc_client.get(reverse("groups:review_queue")).content.decode()
    assert world.group.name in page


# --- Directory, search and home: no private names ------------------------------------


@pytest.fixture
def acc_directory(make_user):
    """An open, a closed and a private group; who is in the private one, and who is not."""
    owner = make_user(display_name="Olga Eigenaar")
    insider = make_user(display_name="Ingrid Binnen")
    groups = {
        "open": _make_group("Fietsers", "open", owner),
        "closed": _make_group("Schaakclub", "closed", owner),
        "private": _make_group("Geheime Tuinclub", "private", owner),
    }
    for group in groups.values():
        Membership.objects.create(group=group, user=owner, role="owner")
    Membership.objects.create(group=groups["private"], user=insider)
    groups["private"].description = "Alleen voor ingewijden: tomatenkweek"
    groups["private"].save()
    outsiders = {
        "nonmember": make_user(),
        "leader": make_user(leadership=True),
        # Asked to join a group that later went private: still no member.
        "requester": make_user(),
    }
    JoinRequest.objects.create(group=groups["private"], user=outsiders["requester"])
    people = {"owner": owner, "insider": insider, "staff": make_user(staff=True)} | outsiders
    return groups, people


def _found_count(page: str) -> int:
    match = re.search(r'<p role="status">\s*(\d+)\b', page)
    assert match, "the directory shows how many groups it found"
    return int(match.group(1))


OUTSIDERS = ["nonmember", "leader", "requester"]


@pytest.mark.parametrize("sort", ["", "activity", "members", "newest", "name"])
@pytest.mark.parametrize("who", OUTSIDERS)
def test_directory_hides_private_groups_from_outsiders(acc_client, acc_directory, who, sort):
    groups, people = acc_directory
    acc_client.force_login(people[who])
    response = acc_client.get(reverse("groups:directory"), {"sort": sort} if sort else {})
    page = response.content.decode()
    assert "Fietsers" in page and "Schaakclub" in page
    assert "Geheime Tuinclub" not in page
    assert groups["private"].slug not in page
    assert _found_count(page) == 2
    assert response.context["page"].paginator.count == 2


@pytest.mark.parametrize("who", ["owner", "insider", "staff"])
def test_directory_shows_private_group_to_members_and_staff(acc_client, acc_directory, who):
    groups, people = acc_directory
    acc_client.force_login(people[who])
    page = acc_client.get(reverse("groups:directory")).content.decode()
    assert "Geheime Tuinclub" in page
    assert _found_count(page) == 3


@pytest.mark.parametrize("query", ["Geheime", "geheime tuinclub", "Tuin", "tomatenkweek"])
@pytest.mark.parametrize("who", OUTSIDERS)
def test_search_does_not_find_private_groups(acc_client, acc_directory, who, query):
    groups, people = acc_directory
    acc_client.force_login(people[who])
    page = acc_client.get(reverse("groups:directory"), {"q": query}).content.decode()
    assert "Geheime Tuinclub" not in page
    assert _found_count(page) == 0


@pytest.mark.parametrize("who", OUTSIDERS)
def test_my_groups_filter_does_not_show_private_groups(acc_client, acc_directory, who):
    groups, people = acc_directory
    acc_client.force_login(people[who])
    page = acc_client.get(reverse("groups:directory"), {"mine": "on"}).content.decode()
    assert "Geheime Tuinclub" not in page


def test_search_finds_private_group_for_its_members(acc_client, acc_directory):
    groups, people = acc_directory
    acc_client.force_login(people["insider"])
    page = acc_client.get(reverse("groups:directory"), {"q": "tuinclub"}).content.decode()
    assert "Geheime Tuinclub" in page
    assert _found_count(page) == 1


@pytest.mark.parametrize("who", OUTSIDERS)
def test_home_page_hides_private_groups_and_their_ideas(acc_client, acc_directory, who):
    from ideas.models import Board, Idea

    groups, people = acc_directory
    board = Board.objects.create(group=groups["private"], title="Ideeënbord")
    Idea.objects.create(
        board=board, author=people["insider"], title="Geheim plan", body="x", vote_count=5
    )
    acc_client.force_login(people[who])
    page = acc_client.get(reverse("home")).content.decode()
    assert "Fietsers" in page
    assert "Geheime Tuinclub" not in page
    assert "Geheim plan" not in page


def test_home_page_shows_private_group_to_its_member(acc_client, acc_directory):
    groups, people = acc_directory
    acc_client.force_login(people["insider"])
    assert "Geheime Tuinclub" in acc_client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("how", ["left", "removed"])
def test_creator_who_is_no_longer_a_member_no_longer_sees_the_private_group(
    acc_client, acc_directory, make_user, how
):
    """Having created a private group gives no lasting right to see it."""
    groups, people = acc_directory
    creator = make_user(display_name="Carla Oprichter")
    group = _make_group("Besloten Breiclub", "private", creator)
    Membership.objects.create(group=group, user=creator, role="member")
    Membership.objects.create(group=group, user=people["owner"], role="owner")
    if how == "removed":
        acc_client.force_login(people["owner"])
        acc_client.post(reverse("groups:remove_member", args=[group.slug, creator.pk]))
    else:
        acc_client.force_login(creator)
        acc_client.post(reverse("groups:leave", args=[group.slug]))
    assert not _is_member(group, creator)

    acc_client.force_login(creator)
    assert acc_client.get(group.get_absolute_url()).status_code == 404
    for url in (reverse("groups:directory"), reverse("home")):
        page = acc_client.get(url).content.decode()
        assert "Besloten Breiclub" not in page, url
    page = acc_client.get(reverse("groups:directory"), {"q": "Breiclub"}).content.decode()
    assert "Besloten Breiclub" not in page
    assert _found_count(page) == 0


# --- The invitation page: only the invited person --------------------------------------

INVITATION_ROLES = [
    "anonymous",
    "invitee",
    "nonmember",
    "requester",
    "member",
    "moderator",
    "owner",
    "staff",
    "leader",
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", INVITATION_ROLES)
def test_invitation_page(acc_client, acc_world, role, visibility, method):
    world = acc_world(visibility)
    world.users["invitee"] = world.invitee
    _login(acc_client, world, role)
    before = snapshot(world.group)
    url = world.user_invitation.get_absolute_url()
    response = (
        acc_client.get(url) if method == "get" else acc_client.post(url, {"answer": "accept"})
    )
    if role == "anonymous":
        _assert_status(response, LOGIN)
    elif role != "invitee":
        assert response.status_code == 404
    elif method == "get":
        assert response.status_code == 200
        assert world.group.name in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == world.group.get_absolute_url()
        assert _is_member(world.group, world.invitee)
        world.user_invitation.refresh_from_db()
        assert world.user_invitation.status == Invitation.Status.ACCEPTED
        return
    assert snapshot(world.group) == before


@pytest.mark.parametrize("verified", [True, False])
def test_invitation_by_email_needs_a_verified_address(acc_client, acc_world, make_user, verified):
    world = acc_world("private")
    holder = make_user("extern.collega@provincie.example", verified=verified)
    acc_client.force_login(holder)
    response = acc_client.get(world.email_invitation.get_absolute_url())
    assert response.status_code == (200 if verified else 404)


def test_unknown_invitation_token_is_404(acc_client, acc_world):
    world = acc_world("private")
    acc_client.force_login(world.invitee)
    assert acc_client.get(reverse("groups:invitation", args=["geen-echte-code"])).status_code == 404


def test_invited_person_still_cannot_open_the_private_group_before_accepting(acc_client, acc_world):
    world = acc_world("private")
    acc_client.force_login(world.invitee)
    assert acc_client.get(world.group.get_absolute_url()).status_code == 404
    assert acc_client.get(world.user_invitation.get_absolute_url()).status_code == 200
