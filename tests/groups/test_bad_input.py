"""Bad input to the group pages gets a clear error and loses nothing; never a server error.

The test client re-raises any exception a view lets through, so every test here also
proves "no 500".
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Invitation, JoinRequest, Membership, ModerationLogEntry

pytestmark = pytest.mark.django_db

HUGE_ID = 10**30  # far beyond any database integer


@dataclass
class AccBad:
    group: Group  # "Fietsers", closed
    other: Group  # "Schaakclub", closed, run by other people
    owner: object
    moderator: object
    member: object
    requester: object
    outsider: object
    staff: object
    other_member: object  # member of "Schaakclub" only
    join_request: JoinRequest  # requester → Fietsers, pending
    other_request: JoinRequest  # outsider → Schaakclub, pending
    invitation: Invitation  # Fietsers, pending
    other_invitation: Invitation  # Schaakclub, pending


def _group(name, creator, visibility="closed"):
    group = Group.objects.create(
        name=name,
        slug=name.lower(),
        kind=Group.Kind.INTEREST,
        visibility=visibility,
        description=f"Over {name}",
        created_by=creator,
    )
    Membership.objects.create(group=group, user=creator, role=Membership.Role.OWNER)
    return group


def _invitation(group, inviter, email):
    return Invitation.objects.create(
        group=group,
        invited_by=inviter,
        email=email,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(days=14),
    )


@pytest.fixture
def acc_bad(make_user):
    owner = make_user(display_name="Olga Eigenaar")
    moderator = make_user(display_name="Mo Moderator")
    member = make_user(display_name="Mia Lid")
    requester = make_user(display_name="Ria Aanvrager")
    outsider = make_user(display_name="Nils Buitenstaander")
    staff = make_user(display_name="Sam Beheer", staff=True, is_superuser=True)
    other_owner = make_user(display_name="Otto Ander")
    other_member = make_user(display_name="Olaf Ander")

    group = _group("Fietsers", owner)
    Membership.objects.create(group=group, user=moderator, role=Membership.Role.MODERATOR)
    Membership.objects.create(group=group, user=member)
    other = _group("Schaakclub", other_owner)
    Membership.objects.create(group=other, user=other_member)
    return AccBad(
        group=group,
        other=other,
        owner=owner,
        moderator=moderator,
        member=member,
        requester=requester,
        outsider=outsider,
        staff=staff,
        other_member=other_member,
        join_request=JoinRequest.objects.create(group=group, user=requester, message="Graag"),
        other_request=JoinRequest.objects.create(group=other, user=outsider),
        invitation=_invitation(group, owner, "gast@provincie.example"),
        other_invitation=_invitation(other, other_owner, "bezoeker@provincie.example"),
    )


def snapshot() -> dict:
    """All group data in the database, as plain values."""
    return {
        "groups": sorted(
            Group.objects.values_list(
                "id", "name", "slug", "kind", "visibility", "status", "colour", "description"
            )
        ),
        "archived": sorted(Group.objects.values_list("id", "archived_at")),
        "memberships": sorted(
            Membership.objects.values_list("group_id", "user_id", "role", "muted_until")
        ),
        "requests": sorted(JoinRequest.objects.values_list("id", "status")),
        "invitations": sorted(Invitation.objects.values_list("id", "status")),
        "log": ModerationLogEntry.objects.count(),
    }


def _error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def _form_errors(response, name="form") -> dict:
    assert response.status_code == 200, "the form is shown again with the errors"
    return response.context[name].errors


# --- Creating a group ---------------------------------------------------------------

GOOD_GROUP = {
    "name": "Nieuwe groep",
    "kind": "interest",
    "visibility": "open",
    "colour": "blue",
    "description": "Waar de groep over gaat.",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"name": "fietsers"}, "name", id="duplicate-lowercase"),
        pytest.param({"name": "FIETSERS"}, "name", id="duplicate-uppercase"),
        pytest.param({"name": "  Fietsers  "}, "name", id="duplicate-with-spaces"),
        pytest.param({"name": "!!!"}, "name", id="only-punctuation"),
        pytest.param({"name": "- . ? -"}, "name", id="punctuation-and-spaces"),
        pytest.param({"name": ""}, "name", id="empty-name"),
        pytest.param({"name": "    "}, "name", id="blank-name"),
        pytest.param({"name": "x" * 81}, "name", id="name-81-chars"),
        pytest.param({"name": "Fiets\x00club"}, "name", id="name-with-nul"),
        pytest.param({"description": "x" * 5001}, "description", id="description-5001-chars"),
        pytest.param({"kind": "club"}, "kind", id="invalid-kind"),
        pytest.param({"kind": ""}, "kind", id="missing-kind"),
        pytest.param({"visibility": "secret"}, "visibility", id="invalid-visibility"),
        pytest.param({"visibility": ""}, "visibility", id="missing-visibility"),
        pytest.param({"colour": "pink"}, "colour", id="invalid-colour"),
        pytest.param({"colour": "#ff0000"}, "colour", id="hex-colour"),
    ],
)
def test_create_group_with_bad_input_shows_an_error(acc_client, acc_bad, changes, field):
    acc_client.force_login(acc_bad.outsider)
    before = snapshot()
    response = acc_client.post(reverse("groups:create"), GOOD_GROUP | changes)
    errors = _form_errors(response)
    assert field in errors
    assert list(errors) == [field], "only the bad field is marked"
    page = response.content.decode()
    assert "field-invalid" in page
    assert f"id_{field}_error" in page  # the message is shown next to the field
    assert snapshot() == before
    # What the person typed is still there to correct.
    assert response.context["form"].data["description"] == (GOOD_GROUP | changes)["description"]


def test_create_group_at_the_limits_works(acc_client, acc_bad):
    acc_client.force_login(acc_bad.outsider)
    data = GOOD_GROUP | {"name": "Groep " + "x" * 74, "description": "y" * 5000}
    response = acc_client.post(reverse("groups:create"), data)
    assert response.status_code == 302
    group = Group.objects.get(name=data["name"])
    assert len(group.name) == 80
    assert len(group.slug) <= 80
    assert len(group.description) == 5000


def test_name_differing_only_in_punctuation_gets_its_own_address(acc_client, acc_bad):
    acc_client.force_login(acc_bad.outsider)
    response = acc_client.post(reverse("groups:create"), GOOD_GROUP | {"name": "Fietsers!"})
    assert response.status_code == 302
    new = Group.objects.get(name="Fietsers!")
    assert new.slug != acc_bad.group.slug
    assert Group.objects.get(pk=acc_bad.group.pk).name == "Fietsers"


# --- Group settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"name": "schaakclub"}, "name", id="name-of-another-group"),
        pytest.param({"name": "???"}, "name", id="only-punctuation"),
        pytest.param({"name": "x" * 81}, "name", id="name-81-chars"),
        pytest.param({"description": "x" * 5001}, "description", id="description-5001-chars"),
        pytest.param({"visibility": "secret"}, "visibility", id="invalid-visibility"),
        pytest.param({"colour": "pink"}, "colour", id="invalid-colour"),
    ],
)
def test_settings_with_bad_input_change_nothing(acc_client, acc_bad, changes, field):
    acc_client.force_login(acc_bad.owner)
    before = snapshot()
    data = {
        "name": "Fietsers",
        "visibility": "closed",
        "colour": "green",
        "description": "Nieuw",
    }
    response = acc_client.post(
        reverse("groups:settings", args=[acc_bad.group.slug]), data | changes
    )
    assert field in _form_errors(response)
    assert snapshot() == before


def test_settings_can_keep_the_groups_own_name_in_other_case(acc_client, acc_bad):
    acc_client.force_login(acc_bad.owner)
    data = {"name": "FIETSERS", "visibility": "closed", "colour": "blue", "description": ""}
    response = acc_client.post(reverse("groups:settings", args=[acc_bad.group.slug]), data)
    assert response.status_code == 302
    assert Group.objects.get(pk=acc_bad.group.pk).name == "FIETSERS"


def test_settings_cannot_change_the_kind(acc_client, acc_bad):
    acc_client.force_login(acc_bad.owner)
    data = {
        "name": "Fietsers",
        "kind": "improvement",
        "visibility": "closed",
        "colour": "blue",
        "description": "",
    }
    acc_client.post(reverse("groups:settings", args=[acc_bad.group.slug]), data)
    assert Group.objects.get(pk=acc_bad.group.pk).kind == Group.Kind.INTEREST


# --- Asking to join -------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("x" * 1001, id="1001-chars"),
        pytest.param("Hallo\x00daar", id="nul-character"),
    ],
)
def test_join_request_with_bad_message_shows_an_error(acc_client, acc_bad, message):
    acc_client.force_login(acc_bad.outsider)
    before = snapshot()
    response = acc_client.post(
        reverse("groups:request", args=[acc_bad.group.slug]), {"message": message}
    )
    assert "message" in _form_errors(response)
    assert not JoinRequest.objects.filter(group=acc_bad.group, user=acc_bad.outsider).exists()
    assert snapshot() == before


def test_join_request_message_of_1000_chars_is_accepted(acc_client, acc_bad):
    acc_client.force_login(acc_bad.outsider)
    response = acc_client.post(
        reverse("groups:request", args=[acc_bad.group.slug]), {"message": "x" * 1000}
    )
    assert response.status_code == 302
    request = JoinRequest.objects.get(group=acc_bad.group, user=acc_bad.outsider)
    assert len(request.message) == 1000


# --- Inviting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        pytest.param("niet-een-adres@", id="no-domain"),
        pytest.param("a@b", id="no-top-level-domain"),
        pytest.param("jan@@provincie.example", id="double-at"),
        pytest.param("@provincie.example", id="no-local-part"),
        pytest.param("jan jansen@provincie.example", id="space-in-address"),
        pytest.param("niemand-met-deze-naam", id="unknown-username"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("x" * 250 + "@p.nl", id="too-long"),
        pytest.param("jan\x00@provincie.example", id="nul-character"),
    ],
)
def test_invite_with_bad_recipient_shows_an_error(acc_client, acc_bad, who):
    acc_client.force_login(acc_bad.moderator)
    before = snapshot()
    response = acc_client.post(reverse("groups:invite", args=[acc_bad.group.slug]), {"who": who})
    assert "who" in _form_errors(response)
    assert snapshot() == before


def test_invite_by_username_of_an_inactive_colleague_shows_an_error(acc_client, acc_bad, make_user):
    gone = make_user(display_name="Vertrokken Collega", is_active=False)
    acc_client.force_login(acc_bad.moderator)
    before = snapshot()
    response = acc_client.post(
        reverse("groups:invite", args=[acc_bad.group.slug]), {"who": gone.username}
    )
    assert "who" in _form_errors(response)
    assert snapshot() == before


@pytest.mark.parametrize("how", ["username", "email"])
def test_inviting_a_member_again_gives_a_message(acc_client, acc_bad, how):
    acc_client.force_login(acc_bad.moderator)
    before = snapshot()
    who = acc_bad.member.username if how == "username" else acc_bad.member.email.upper()
    response = acc_client.post(reverse("groups:invite", args=[acc_bad.group.slug]), {"who": who})
    assert response.status_code == 200
    assert _error_messages(response)
    assert snapshot() == before


# --- Deciding, roles, muting: bad values -------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"decision": "maybe"}, id="unknown-decision"),
        pytest.param({"decision": "APPROVE"}, id="wrong-case"),
        pytest.param({"decision": ""}, id="empty-decision"),
        pytest.param({}, id="no-decision"),
        pytest.param({"decision": "approve", "reason": "x" * 501}, id="reason-too-long"),
    ],
)
def test_decide_request_with_bad_decision_changes_nothing(acc_client, acc_bad, data):
    acc_client.force_login(acc_bad.moderator)
    before = snapshot()
    url = reverse("groups:decide_request", args=[acc_bad.group.slug, acc_bad.join_request.pk])
    response = acc_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:members", args=[acc_bad.group.slug])
    assert _error_messages(response)
    assert snapshot() == before
    acc_bad.join_request.refresh_from_db()
    assert acc_bad.join_request.status == JoinRequest.Status.PENDING


def test_deciding_an_answered_request_again_changes_nothing(acc_client, acc_bad):
    acc_client.force_login(acc_bad.moderator)
    url = reverse("groups:decide_request", args=[acc_bad.group.slug, acc_bad.join_request.pk])
    acc_client.post(url, {"decision": "decline"})
    before = snapshot()
    response = acc_client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert _error_messages(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"role": "admin"}, id="unknown-role"),
        pytest.param({"role": "OWNER"}, id="wrong-case"),
        pytest.param({"role": ""}, id="empty-role"),
        pytest.param({}, id="no-role"),
        pytest.param({"role": "moderator", "reason": "x" * 501}, id="reason-too-long"),
    ],
)
def test_change_role_with_bad_role_changes_nothing(acc_client, acc_bad, data):
    acc_client.force_login(acc_bad.owner)
    before = snapshot()
    url = reverse("groups:change_role", args=[acc_bad.group.slug, acc_bad.member.pk])
    response = acc_client.post(url, data)
    assert response.status_code == 302
    assert _error_messages(response)
    assert snapshot() == before
    assert Membership.objects.get(group=acc_bad.group, user=acc_bad.member).role == "member"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"period": "forever"}, id="unknown-period"),
        pytest.param({"period": "0h"}, id="zero"),
        pytest.param({"period": "-1d"}, id="negative"),
        pytest.param({"period": "365d"}, id="not-offered"),
        pytest.param({"period": ""}, id="empty-period"),
        pytest.param({}, id="no-period"),
        pytest.param({"period": "1d", "reason": "x" * 501}, id="reason-too-long"),
    ],
)
def test_mute_with_bad_period_changes_nothing(acc_client, acc_bad, data):
    acc_client.force_login(acc_bad.moderator)
    before = snapshot()
    url = reverse("groups:mute_member", args=[acc_bad.group.slug, acc_bad.member.pk])
    response = acc_client.post(url, data)
    assert response.status_code == 302
    assert _error_messages(response)
    assert snapshot() == before
    assert Membership.objects.get(group=acc_bad.group, user=acc_bad.member).muted_until is None


@pytest.mark.parametrize("url_name", ["remove_member", "archive"])
def test_reason_that_is_too_long_is_not_silently_dropped(acc_client, acc_bad, url_name):
    """The reason is the record of why; an oversized one must be refused, not thrown away."""
    acc_client.force_login(acc_bad.owner)
    before = snapshot()
    args = [acc_bad.group.slug] + ([acc_bad.member.pk] if url_name == "remove_member" else [])
    response = acc_client.post(reverse(f"groups:{url_name}", args=args), {"reason": "x" * 501})
    assert response.status_code == 302
    assert _error_messages(response)
    assert snapshot() == before


def test_review_with_bad_decision_changes_nothing(acc_client, acc_bad, make_user):
    creator = make_user()
    pending = Group.objects.create(
        name="Wachtende groep",
        slug="wachtende-groep",
        kind="improvement",
        status=Group.Status.PENDING,
        created_by=creator,
    )
    acc_client.force_login(acc_bad.staff)
    before = snapshot()
    response = acc_client.post(reverse("groups:review", args=[pending.slug]), {"decision": "ja"})
    assert response.status_code == 302
    assert _error_messages(response)
    assert snapshot() == before


@pytest.mark.parametrize("answer", ["maybe", "", None, "ACCEPT"])
def test_invitation_with_unknown_answer_is_not_taken_as_a_decline(
    acc_client, acc_bad, make_user, answer
):
    """Only an explicit accept or decline answers an invitation."""
    guest = make_user("gast@provincie.example")
    acc_client.force_login(guest)
    before = snapshot()
    data = {} if answer is None else {"answer": answer}
    response = acc_client.post(acc_bad.invitation.get_absolute_url(), data)
    assert response.status_code in {200, 302}
    assert _error_messages(response)
    assert snapshot() == before
    acc_bad.invitation.refresh_from_db()
    assert acc_bad.invitation.status == Invitation.Status.PENDING


# --- Acting on the wrong person or the wrong group's records -------------------------------

MEMBER_ACTIONS = ["change_role", "remove_member", "mute_member", "unmute_member"]
_PLACEHOLDER = 123456789012345678


def url_with_id(url_name, slug, pk):
    """The URL as a client could type it, even with an id the URL pattern would never produce."""
    return reverse(url_name, args=[slug, _PLACEHOLDER]).replace(str(_PLACEHOLDER), str(pk))


MEMBER_ACTION_DATA = {"role": "moderator", "period": "1d", "reason": ""}


@pytest.mark.parametrize(
    ("actor", "who"),
    [
        ("owner", "outsider"),
        ("owner", "requester"),
        ("owner", "other_member"),
        ("owner", "deleted"),
        ("owner", "huge"),
        ("staff", "outsider"),
        ("staff", "other_member"),
    ],
)
@pytest.mark.parametrize("url_name", MEMBER_ACTIONS)
def test_acting_on_someone_who_is_not_a_member_is_404(acc_client, acc_bad, url_name, actor, who):
    user_id = {
        "deleted": 987654,
        "huge": HUGE_ID,
    }.get(who) or getattr(acc_bad, who).pk
    acc_client.force_login(getattr(acc_bad, actor))
    before = snapshot()
    url = url_with_id(f"groups:{url_name}", acc_bad.group.slug, user_id)
    assert acc_client.post(url, MEMBER_ACTION_DATA).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("actor", ["moderator", "staff"])
@pytest.mark.parametrize("request_id", ["other_group", "missing", "huge"])
def test_deciding_another_groups_request_is_404(acc_client, acc_bad, actor, request_id):
    pk = {
        "other_group": acc_bad.other_request.pk,
        "missing": 987654,
        "huge": HUGE_ID,
    }[request_id]
    acc_client.force_login(getattr(acc_bad, actor))
    before = snapshot()
    url = url_with_id("groups:decide_request", acc_bad.group.slug, pk)
    assert acc_client.post(url, {"decision": "approve"}).status_code == 404
    assert snapshot() == before
    assert not Membership.objects.filter(group=acc_bad.other, user=acc_bad.outsider).exists()


@pytest.mark.parametrize("actor", ["moderator", "staff"])
@pytest.mark.parametrize("invitation_id", ["other_group", "missing", "huge"])
def test_revoking_another_groups_invitation_is_404(acc_client, acc_bad, actor, invitation_id):
    pk = {
        "other_group": acc_bad.other_invitation.pk,
        "missing": 987654,
        "huge": HUGE_ID,
    }[invitation_id]
    acc_client.force_login(getattr(acc_bad, actor))
    before = snapshot()
    url = url_with_id("groups:revoke_invitation", acc_bad.group.slug, pk)
    assert acc_client.post(url).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/groepen/bestaat-niet/", id="unknown-slug"),
        pytest.param("/groepen/fietsérs/", id="non-ascii-slug"),
        pytest.param("/groepen/uitnodiging/geen-code/", id="unknown-invitation"),
        pytest.param("/groepen/uitnodiging/%00/", id="invitation-nul"),
        pytest.param("/groepen/fietsers/leden/abc/rol/", id="user-id-not-a-number"),
        pytest.param("/groepen/fietsers/aanvragen/-1/", id="negative-request-id"),
    ],
)
def test_unknown_addresses_are_404(acc_client, acc_bad, url):
    acc_client.force_login(acc_bad.owner)
    assert acc_client.get(url).status_code == 404


# --- Wrong method -------------------------------------------------------------------------

POST_ONLY = [
    ("join", []),
    ("leave", []),
    ("withdraw_request", []),
    ("decide_request", ["join_request"]),
    ("change_role", ["member"]),
    ("remove_member", ["member"]),
    ("mute_member", ["member"]),
    ("unmute_member", ["member"]),
    ("revoke_invitation", ["invitation"]),
    ("archive", []),
    ("review", []),
]


def _post_only_url(acc_bad, url_name, extra):
    args = [acc_bad.group.slug] + [getattr(acc_bad, name).pk for name in extra]
    return reverse(f"groups:{url_name}", args=args)


@pytest.mark.parametrize(("url_name", "extra"), POST_ONLY, ids=[name for name, _ in POST_ONLY])
def test_get_on_post_only_urls_is_405(acc_client, acc_bad, url_name, extra):
    acc_client.force_login(acc_bad.staff)  # may do everything, so only the method is wrong
    before = snapshot()
    response = acc_client.get(_post_only_url(acc_bad, url_name, extra))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert snapshot() == before


@pytest.mark.parametrize("method", ["head", "put", "patch", "delete"])
@pytest.mark.parametrize(("url_name", "extra"), [("remove_member", ["member"]), ("archive", [])])
def test_other_methods_on_post_only_urls_are_405(acc_client, acc_bad, url_name, extra, method):
    acc_client.force_login(acc_bad.staff)
    before = snapshot()
    response = getattr(acc_client, method)(_post_only_url(acc_bad, url_name, extra))
    assert response.status_code == 405
    assert snapshot() == before


# --- Odd query strings on pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"page": "abc"}, id="page-not-a-number"),
        pytest.param({"page": "-3"}, id="page-negative"),
        pytest.param({"page": str(HUGE_ID)}, id="page-huge"),
        pytest.param({"q": "x" * 500}, id="query-too-long"),
        pytest.param({"q": "fiets\x00"}, id="query-nul"),
        pytest.param({"q": "%_'\";--"}, id="query-sql-like"),
        pytest.param({"kind": "club"}, id="unknown-kind"),
        pytest.param({"sort": "-id"}, id="unknown-sort"),
        pytest.param({"mine": "misschien"}, id="odd-mine"),
    ],
)
@pytest.mark.parametrize("url_name", ["directory", "members", "moderation_log"])
def test_odd_query_strings_still_show_the_page(acc_client, acc_bad, url_name, params):
    acc_client.force_login(acc_bad.owner)
    args = [] if url_name == "directory" else [acc_bad.group.slug]
    response = acc_client.get(reverse(f"groups:{url_name}", args=args), params)
    assert response.status_code == 200


def test_directory_with_an_odd_query_does_not_show_private_groups(acc_client, acc_bad, make_user):
    _group("Geheime Tuinclub", make_user(), visibility="private")
    acc_client.force_login(acc_bad.outsider)
    for params in ({"q": "x" * 500}, {"q": "\x00"}, {"kind": "club"}, {"sort": "-id"}):
        page = acc_client.get(reverse("groups:directory"), params).content.decode()
        assert "Geheime Tuinclub" not in page


# --- Junk sent to every form: never a server error ---------------------------------------------

JUNK = {
    "name": "\x00",
    "kind": "\x00",
    "visibility": ["open", "private"],
    "colour": "x" * 10_000,
    "description": "\x00" * 10,
    "message": "\x00",
    "who": "\x00@\x00",
    "decision": ["approve", "decline"],
    "role": "\x00",
    "period": "x" * 10_000,
    "reason": "r" * 10_000,
    "answer": "\x00",
}

ALL_POST_URLS = [
    ("create", None),
    ("request", []),
    ("invite", []),
    ("settings", []),
    *POST_ONLY,
]


@pytest.mark.parametrize(
    ("url_name", "extra"), ALL_POST_URLS, ids=[name for name, _ in ALL_POST_URLS]
)
def test_junk_post_data_never_breaks_a_page(acc_client, acc_bad, url_name, extra):
    acc_client.force_login(acc_bad.staff)
    if extra is None:
        url = reverse(f"groups:{url_name}")
    else:
        args = [acc_bad.group.slug] + [getattr(acc_bad, name).pk for name in extra]
        url = reverse(f"groups:{url_name}", args=args)
    groups_before = Group.objects.count()
    response = acc_client.post(url, JUNK)
    assert response.status_code < 500
    # (No lookup by the junk name: PostgreSQL refuses NUL even in a query.)
    assert Group.objects.count() == groups_before


def test_junk_answer_to_an_invitation_never_breaks_the_page(acc_client, acc_bad, make_user):
    guest = make_user("gast@provincie.example")
    acc_client.force_login(guest)
    response = acc_client.post(acc_bad.invitation.get_absolute_url(), JUNK)
    assert response.status_code < 500
