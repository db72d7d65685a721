"""Every write on groups, as the people who run and join groups meet it.

Each action that a moderator or staff takes leaves one row in the moderation log;
an action that is refused leaves nothing behind: no membership, no log row, no mail.
"""

from contextlib import suppress
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from groups import permissions, services
from groups.models import Group, Invitation, JoinRequest, Membership, ModerationLogEntry
from groups.services import GroupActionError
from hub.urls_absolute import absolute_url

pytestmark = pytest.mark.django_db

Action = ModerationLogEntry.Action
Role = Membership.Role
APPROVAL = {"improvement": True, "interest": False}


def last_log(group) -> ModerationLogEntry:
    return group.moderation_log.first()


def logged(entry: ModerationLogEntry) -> tuple:
    return (entry.actor, entry.action, entry.target_user, entry.reason)


def role_of(user, group) -> str | None:
    return Membership.objects.filter(group=group, user=user).values_list("role", flat=True).first()


def past() -> datetime:
    return timezone.now() - timedelta(minutes=1)


# --- Creating and reviewing groups ---------------------------------------------


def test_the_creator_of_a_group_becomes_its_owner_and_the_creation_is_logged(member, settings):
    settings.KRING_GROUP_APPROVAL = APPROVAL
    group = services.create_group(
        creator=member, name="  Fietsen naar het werk ", kind="interest", visibility="open"
    )
    assert group.name == "Fietsen naar het werk"
    assert role_of(member, group) == Role.OWNER
    assert logged(last_log(group)) == (member, Action.CREATE_GROUP, None, "")


def test_an_employee_s_improvement_group_waits_for_staff_approval(member, settings):
    settings.KRING_GROUP_APPROVAL = APPROVAL
    group = services.create_group(
        creator=member, name="Snellere vergunningen", kind="improvement", visibility="open"
    )
    assert group.status == Group.Status.PENDING
    assert permissions.can_view_group(member, group)  # the creator still sees it


def test_an_employee_s_interest_group_is_active_at_once(member, settings):
    settings.KRING_GROUP_APPROVAL = APPROVAL
    group = services.create_group(
        creator=member, name="Hardlopen", kind="interest", visibility="open"
    )
    assert group.status == Group.Status.ACTIVE


def test_an_improvement_group_made_by_staff_is_active_at_once(staff, settings):
    settings.KRING_GROUP_APPROVAL = APPROVAL
    group = services.create_group(
        creator=staff, name="Minder papier", kind="improvement", visibility="open"
    )
    assert group.status == Group.Status.ACTIVE


def test_the_approval_setting_decides_which_kinds_wait(member, settings):
    settings.KRING_GROUP_APPROVAL = {"improvement": False, "interest": True}
    improvement = services.create_group(
        creator=member, name="Minder papier", kind="improvement", visibility="open"
    )
    interest = services.create_group(
        creator=member, name="Koor", kind="interest", visibility="open"
    )
    assert (improvement.status, interest.status) == (Group.Status.ACTIVE, Group.Status.PENDING)


def test_groups_with_similar_names_get_their_own_web_address(member):
    first = services.create_group(
        creator=member, name="Snellere vergunningen", kind="interest", visibility="open"
    )
    second = services.create_group(
        creator=member, name="Snellere vergunningen!", kind="interest", visibility="open"
    )
    third = services.create_group(
        creator=member, name="Snellere vergunningen?", kind="interest", visibility="open"
    )
    assert [first.slug, second.slug, third.slug] == [
        "snellere-vergunningen",
        "snellere-vergunningen-2",
        "snellere-vergunningen-3",
    ]


def test_staff_approve_a_waiting_group(make_group, staff):
    group = make_group(kind="improvement", status="pending")
    services.review_group(reviewer=staff, group=group, approve=True, reason="Goed plan")
    group.refresh_from_db()
    assert group.status == Group.Status.ACTIVE
    assert logged(last_log(group)) == (staff, Action.APPROVE_GROUP, None, "Goed plan")


def test_staff_reject_a_waiting_group_with_a_reason(make_group, staff):
    group = make_group(kind="improvement", status="pending")
    services.review_group(reviewer=staff, group=group, approve=False, reason="Bestaat al")
    group.refresh_from_db()
    assert group.status == Group.Status.REJECTED
    assert logged(last_log(group)) == (staff, Action.REJECT_GROUP, None, "Bestaat al")


def test_a_group_is_reviewed_only_once(make_group, staff):
    group = make_group(kind="improvement", status="pending")
    services.review_group(reviewer=staff, group=group, approve=False)
    with pytest.raises(GroupActionError):
        services.review_group(reviewer=staff, group=group, approve=True)
    group.refresh_from_db()
    assert group.status == Group.Status.REJECTED
    assert (
        group.moderation_log.filter(action__in=[Action.APPROVE_GROUP, Action.REJECT_GROUP]).count()
        == 1
    )


def test_an_employee_cannot_review_groups(make_group, owner):
    group = make_group(owner=owner, kind="improvement", status="pending")
    with pytest.raises(PermissionDenied):
        services.review_group(reviewer=owner, group=group, approve=True)
    group.refresh_from_db()
    assert group.status == Group.Status.PENDING
    assert group.moderation_log.count() == 1  # only the creation


# --- Settings and archiving ------------------------------------------------------


def test_a_moderator_changes_the_settings_and_the_log_names_what_changed(
    group, add_member, moderator
):
    add_member(group, moderator, Role.MODERATOR)
    services.update_group_settings(
        actor=moderator,
        group=group,
        name="Fietsen en wandelen",
        visibility=group.visibility,
        colour="green",
        description="Samen naar **kantoor**.",
    )
    group.refresh_from_db()
    assert (group.name, group.colour) == ("Fietsen en wandelen", "green")
    assert "<strong>kantoor</strong>" in group.description_html
    entry = last_log(group)
    assert (entry.actor, entry.action) == (moderator, Action.CHANGE_SETTINGS)
    assert entry.detail == "name, colour, description"


def test_saving_unchanged_settings_logs_nothing(group, owner):
    services.update_group_settings(actor=owner, group=group, name=group.name, colour=group.colour)
    assert not group.moderation_log.filter(action=Action.CHANGE_SETTINGS).exists()


def test_an_archived_group_s_settings_cannot_change(make_group, owner):
    group = make_group(owner=owner, name="Oud project", archived=True)
    with pytest.raises(GroupActionError):
        services.update_group_settings(actor=owner, group=group, name="Nieuw project")
    group.refresh_from_db()
    assert group.name == "Oud project"
    assert not group.moderation_log.filter(action=Action.CHANGE_SETTINGS).exists()


def test_a_plain_member_cannot_change_the_settings(group, member, add_member):
    add_member(group, member)
    with pytest.raises(PermissionDenied):
        services.update_group_settings(actor=member, group=group, name="Overgenomen")
    group.refresh_from_db()
    assert group.name == "Fietsen naar het werk"


def test_the_settings_cannot_approve_a_waiting_group_or_change_its_kind(make_group, owner):
    group = make_group(owner=owner, kind="improvement", status="pending")
    # Refusing is fine; what matters is that nothing changed.
    with suppress(GroupActionError, PermissionDenied, TypeError, ValueError):
        services.update_group_settings(
            actor=owner, group=group, status=Group.Status.ACTIVE, kind="interest"
        )
    group.refresh_from_db()
    assert (group.status, group.kind) == (Group.Status.PENDING, "improvement")


def test_saving_settings_does_not_undo_an_archive_made_meanwhile(group, owner, staff):
    settings_page_copy = Group.objects.get(pk=group.pk)  # the owner opened the settings page
    services.archive_group(actor=staff, group=group)
    with suppress(GroupActionError):  # "archived, reopen it first" is the right answer
        services.update_group_settings(actor=owner, group=settings_page_copy, colour="red")
    group.refresh_from_db()
    assert group.is_archived


def test_the_owner_archives_the_group_with_a_reason_and_reopens_it(group, owner):
    services.archive_group(actor=owner, group=group, reason="Project klaar")
    group.refresh_from_db()
    assert group.is_archived
    assert logged(last_log(group)) == (owner, Action.ARCHIVE, None, "Project klaar")

    services.unarchive_group(actor=owner, group=group)
    group.refresh_from_db()
    assert not group.is_archived
    assert logged(last_log(group)) == (owner, Action.UNARCHIVE, None, "")


def test_staff_may_archive_a_group_they_are_not_in(group, staff):
    services.archive_group(actor=staff, group=group)
    group.refresh_from_db()
    assert group.is_archived


def test_a_moderator_can_neither_archive_nor_reopen_the_group(make_group, add_member, moderator):
    active = make_group()
    archived = make_group(archived=True)
    for group in (active, archived):
        add_member(group, moderator, Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.archive_group(actor=moderator, group=active)
    with pytest.raises(PermissionDenied):
        services.unarchive_group(actor=moderator, group=archived)
    active.refresh_from_db()
    archived.refresh_from_db()
    assert (active.is_archived, archived.is_archived) == (False, True)
    assert not ModerationLogEntry.objects.filter(actor=moderator).exists()


def test_archiving_twice_or_reopening_an_open_group_is_refused(group, owner):
    with pytest.raises(GroupActionError):
        services.unarchive_group(actor=owner, group=group)
    services.archive_group(actor=owner, group=group)
    with pytest.raises(GroupActionError):
        services.archive_group(actor=owner, group=group)
    assert group.moderation_log.filter(action__in=[Action.ARCHIVE, Action.UNARCHIVE]).count() == 1


# --- Joining and leaving ---------------------------------------------------------


def test_an_employee_joins_an_open_group_and_it_moves_up_in_recent_activity(group, member):
    before = group.last_activity_at
    membership = services.join_group(user=member, group=group)
    assert membership.role == Role.MEMBER
    assert role_of(member, group) == Role.MEMBER
    group.refresh_from_db()
    assert group.last_activity_at > before


@pytest.mark.parametrize(
    "kind",
    [
        {"visibility": "closed"},
        {"visibility": "private"},
        {"archived": True},
        {"kind": "improvement", "status": "pending"},
        {"kind": "improvement", "status": "rejected"},
    ],
    ids=["closed", "private", "archived", "pending", "rejected"],
)
def test_only_active_open_groups_can_be_joined_directly(make_group, member, kind):
    group = make_group(**kind)
    with pytest.raises(PermissionDenied):
        services.join_group(user=member, group=group)
    assert role_of(member, group) is None


def test_joining_twice_is_refused_and_leaves_one_membership(group, member):
    services.join_group(user=member, group=group)
    with pytest.raises(GroupActionError):
        services.join_group(user=member, group=group)
    assert Membership.objects.filter(group=group, user=member).count() == 1


def test_a_member_leaves_the_group(group, member, add_member):
    add_member(group, member)
    services.leave_group(user=member, group=group)
    assert role_of(member, group) is None


def test_the_last_owner_cannot_leave(group, owner):
    with pytest.raises(GroupActionError):
        services.leave_group(user=owner, group=group)
    assert role_of(owner, group) == Role.OWNER


def test_an_owner_can_leave_once_someone_else_is_owner_too(group, owner, member, add_member):
    add_member(group, member, Role.OWNER)
    services.leave_group(user=owner, group=group)
    assert role_of(owner, group) is None
    assert role_of(member, group) == Role.OWNER


def test_someone_who_is_not_a_member_cannot_leave(group, member):
    with pytest.raises(GroupActionError):
        services.leave_group(user=member, group=group)


# --- Requests to join ------------------------------------------------------------


def test_an_employee_asks_to_join_a_closed_group_with_a_message(closed_group, member):
    services.request_to_join(
        user=member, group=closed_group, message="  Ik werk bij Vergunningen. "
    )
    join_request = JoinRequest.objects.get(group=closed_group, user=member)
    assert (join_request.status, join_request.message) == ("pending", "Ik werk bij Vergunningen.")
    assert role_of(member, closed_group) is None


def test_asking_twice_is_refused(closed_group, member):
    services.request_to_join(user=member, group=closed_group)
    with pytest.raises(GroupActionError):
        services.request_to_join(user=member, group=closed_group, message="Nog een keer")
    assert JoinRequest.objects.filter(group=closed_group, user=member).count() == 1


@pytest.mark.parametrize("visibility", ["open", "private"])
def test_only_closed_groups_take_requests_to_join(make_group, member, visibility):
    group = make_group(visibility=visibility)
    with pytest.raises(PermissionDenied):
        services.request_to_join(user=member, group=group)
    assert not JoinRequest.objects.filter(group=group).exists()


def test_a_member_cannot_ask_to_join_again(closed_group, member, add_member):
    add_member(closed_group, member)
    with pytest.raises(GroupActionError):
        services.request_to_join(user=member, group=closed_group)
    assert not JoinRequest.objects.filter(group=closed_group).exists()


def test_a_withdrawn_request_can_be_sent_again_later(closed_group, member):
    services.request_to_join(user=member, group=closed_group)
    services.withdraw_request(user=member, group=closed_group)
    assert JoinRequest.objects.get(group=closed_group, user=member).status == "withdrawn"
    services.request_to_join(user=member, group=closed_group, message="Toch graag")
    assert list(
        JoinRequest.objects.filter(group=closed_group, user=member).values_list("status", flat=True)
    ) == ["withdrawn", "pending"]


def test_withdrawing_without_an_open_request_is_refused(closed_group, member):
    with pytest.raises(GroupActionError):
        services.withdraw_request(user=member, group=closed_group)


def test_a_moderator_approves_a_request_and_the_employee_becomes_a_member(
    closed_group, member, moderator, add_member
):
    add_member(closed_group, moderator, Role.MODERATOR)
    join_request = services.request_to_join(user=member, group=closed_group)
    services.decide_join_request(
        moderator=moderator, join_request=join_request, approve=True, reason="Welkom"
    )
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == ("approved", moderator)
    assert role_of(member, closed_group) == Role.MEMBER
    assert logged(last_log(closed_group)) == (moderator, Action.APPROVE_REQUEST, member, "Welkom")


def test_a_declined_request_makes_no_membership(closed_group, owner, member):
    join_request = services.request_to_join(user=member, group=closed_group)
    services.decide_join_request(
        moderator=owner, join_request=join_request, approve=False, reason="Alleen voor het team"
    )
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert role_of(member, closed_group) is None
    assert logged(last_log(closed_group)) == (
        owner,
        Action.DECLINE_REQUEST,
        member,
        "Alleen voor het team",
    )


def test_a_request_is_answered_only_once(closed_group, owner, member):
    join_request = services.request_to_join(user=member, group=closed_group)
    services.decide_join_request(moderator=owner, join_request=join_request, approve=True)
    with pytest.raises(GroupActionError):
        services.decide_join_request(moderator=owner, join_request=join_request, approve=False)
    join_request.refresh_from_db()
    assert join_request.status == "approved"
    assert role_of(member, closed_group) == Role.MEMBER
    answers = [Action.APPROVE_REQUEST, Action.DECLINE_REQUEST]
    assert closed_group.moderation_log.filter(action__in=answers).count() == 1


def test_a_plain_member_cannot_answer_requests(closed_group, member, make_user, add_member):
    add_member(closed_group, member)
    asker = make_user()
    join_request = services.request_to_join(user=asker, group=closed_group)
    with pytest.raises(PermissionDenied):
        services.decide_join_request(moderator=member, join_request=join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    assert role_of(asker, closed_group) is None
    assert not closed_group.moderation_log.filter(action=Action.APPROVE_REQUEST).exists()


def test_an_archived_group_takes_no_new_members_through_an_old_request(closed_group, owner, member):
    join_request = services.request_to_join(user=member, group=closed_group)
    services.archive_group(actor=owner, group=closed_group)
    closed_group.refresh_from_db()
    with pytest.raises(GroupActionError):
        services.decide_join_request(moderator=owner, join_request=join_request, approve=True)
    assert role_of(member, closed_group) is None


# --- Invitations -----------------------------------------------------------------


def test_a_moderator_invites_a_colleague_who_gets_a_mail_with_the_link(
    private_group, owner, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(inviter=owner, group=private_group, user=member)
    assert (invitation.user, invitation.email, invitation.status) == (
        member,
        member.email,
        "pending",
    )
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert logged(last_log(private_group)) == (owner, Action.INVITE, member, "")
    [sent] = mail.outbox
    assert sent.to == [member.email]
    assert "Vertrouwelijk overleg" in sent.subject
    assert absolute_url(invitation.get_absolute_url()) in sent.body


def test_inviting_the_verified_address_of_a_colleague_invites_that_colleague(
    private_group, owner, make_user, django_capture_on_commit_callbacks
):
    bert = make_user("bert.bakker@provincie.example")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            inviter=owner, group=private_group, email="  Bert.Bakker@Provincie.example "
        )
    assert invitation.user == bert
    assert logged(last_log(private_group)) == (owner, Action.INVITE, bert, "")
    assert mail.outbox[0].to == ["bert.bakker@provincie.example"]


def test_an_unverified_address_does_not_stand_for_its_account(private_group, owner, make_user):
    make_user("nog.niet.bevestigd@provincie.example", verified=False)
    invitation = services.invite(
        inviter=owner, group=private_group, email="nog.niet.bevestigd@provincie.example"
    )
    assert invitation.user is None
    assert invitation.email == "nog.niet.bevestigd@provincie.example"


def test_someone_without_an_account_is_invited_by_email(
    private_group, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            inviter=owner, group=private_group, email="Nieuw.Collega@Provincie.example"
        )
    assert (invitation.user, invitation.email) == (None, "nieuw.collega@provincie.example")
    entry = last_log(private_group)
    assert (entry.action, entry.target_user, entry.detail) == (
        Action.INVITE,
        None,
        "nieuw.collega@provincie.example",
    )
    [sent] = mail.outbox
    assert sent.to == ["nieuw.collega@provincie.example"]
    assert absolute_url(invitation.get_absolute_url()) in sent.body


def test_a_member_cannot_be_invited_by_account_or_by_address(
    group, owner, member, add_member, django_capture_on_commit_callbacks
):
    add_member(group, member)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(GroupActionError):
            services.invite(inviter=owner, group=group, user=member)
        with pytest.raises(GroupActionError):
            services.invite(inviter=owner, group=group, email=member.email.upper())
    assert not Invitation.objects.exists()
    assert not group.moderation_log.filter(action=Action.INVITE).exists()
    assert mail.outbox == []


def test_inviting_the_same_person_twice_is_refused(private_group, owner, member):
    services.invite(inviter=owner, group=private_group, user=member)
    with pytest.raises(GroupActionError):
        services.invite(inviter=owner, group=private_group, user=member)
    services.invite(inviter=owner, group=private_group, email="gast@provincie.example")
    with pytest.raises(GroupActionError):
        services.invite(inviter=owner, group=private_group, email="GAST@provincie.example")
    assert Invitation.objects.count() == 2
    assert private_group.moderation_log.filter(action=Action.INVITE).count() == 2


def test_an_expired_invitation_does_not_stop_a_new_one(private_group, owner, member):
    old = services.invite(inviter=owner, group=private_group, user=member)
    Invitation.objects.filter(pk=old.pk).update(expires_at=past())
    new = services.invite(inviter=owner, group=private_group, user=member)
    assert new.is_open() and new.token != old.token


def test_a_plain_member_cannot_invite(
    private_group, member, make_user, add_member, django_capture_on_commit_callbacks
):
    add_member(private_group, member)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.invite(inviter=member, group=private_group, user=make_user())
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_archived_group_sends_no_invitations(make_group, owner, member):
    group = make_group(owner=owner, archived=True)
    with pytest.raises(GroupActionError):
        services.invite(inviter=owner, group=group, user=member)
    assert not Invitation.objects.exists()


def test_a_moderator_withdraws_an_invitation_and_it_can_no_longer_be_accepted(
    private_group, owner, member
):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    services.revoke_invitation(actor=owner, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    entry = last_log(private_group)
    assert (entry.actor, entry.action, entry.target_user, entry.detail) == (
        owner,
        Action.REVOKE_INVITATION,
        member,
        member.email,
    )
    with pytest.raises(GroupActionError):
        services.accept_invitation(user=member, invitation=invitation)
    assert role_of(member, private_group) is None


def test_withdrawing_an_invitation_that_was_just_accepted_is_refused(private_group, owner, member):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    members_page_copy = Invitation.objects.get(pk=invitation.pk)  # the owner's open page
    services.accept_invitation(user=member, invitation=invitation)
    with pytest.raises(GroupActionError):
        services.revoke_invitation(actor=owner, invitation=members_page_copy)
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_an_answered_invitation_cannot_be_withdrawn(private_group, owner, member):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    services.accept_invitation(user=member, invitation=invitation)
    invitation.refresh_from_db()
    with pytest.raises(GroupActionError):
        services.revoke_invitation(actor=owner, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert not private_group.moderation_log.filter(action=Action.REVOKE_INVITATION).exists()


def test_a_plain_member_cannot_withdraw_an_invitation(private_group, owner, member, add_member):
    add_member(private_group, member)
    invitation = services.invite(inviter=owner, group=private_group, email="gast@provincie.example")
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(actor=member, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_the_invited_colleague_accepts_and_joins_the_private_group(private_group, owner, member):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    membership = services.accept_invitation(user=member, invitation=invitation)
    invitation.refresh_from_db()
    assert (membership.user, membership.role) == (member, Role.MEMBER)
    assert invitation.status == "accepted"
    assert invitation.responded_at is not None


def test_whoever_later_verifies_the_invited_address_may_accept(private_group, owner, make_user):
    invitation = services.invite(
        inviter=owner, group=private_group, email="nieuw.collega@provincie.example"
    )
    newcomer = make_user("Nieuw.Collega@provincie.example")  # signs up after the invitation
    services.accept_invitation(user=newcomer, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.user == newcomer
    assert role_of(newcomer, private_group) == Role.MEMBER


def test_an_unverified_holder_of_the_invited_address_may_not_accept(
    private_group, owner, make_user
):
    invitation = services.invite(
        inviter=owner, group=private_group, email="nieuw.collega@provincie.example"
    )
    impostor = make_user("nieuw.collega@provincie.example", verified=False)
    with pytest.raises(PermissionDenied):
        services.accept_invitation(user=impostor, invitation=invitation)
    assert role_of(impostor, private_group) is None


def test_nobody_accepts_or_declines_someone_else_s_invitation(
    private_group, owner, member, make_user
):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    colleague = make_user()
    with pytest.raises(PermissionDenied):
        services.accept_invitation(user=colleague, invitation=invitation)
    with pytest.raises(PermissionDenied):
        services.decline_invitation(user=colleague, invitation=invitation)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.user) == ("pending", member)
    assert role_of(colleague, private_group) is None


def test_an_expired_invitation_cannot_be_accepted(private_group, owner, member):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=past())
    invitation.refresh_from_db()
    with pytest.raises(GroupActionError):
        services.accept_invitation(user=member, invitation=invitation)
    assert role_of(member, private_group) is None


def test_an_invitation_is_accepted_only_once(private_group, owner, member):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    services.accept_invitation(user=member, invitation=invitation)
    services.leave_group(user=member, group=private_group)
    with pytest.raises(GroupActionError):
        services.accept_invitation(user=member, invitation=invitation)
    assert role_of(member, private_group) is None


def test_accepting_after_the_group_was_archived_changes_nothing(private_group, owner, member):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    services.archive_group(actor=owner, group=private_group)
    invitation.refresh_from_db()
    with pytest.raises(GroupActionError):
        services.accept_invitation(user=member, invitation=invitation)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_at) == ("pending", None)
    assert role_of(member, private_group) is None


def test_the_invited_colleague_declines_and_does_not_join(private_group, owner, member):
    invitation = services.invite(inviter=owner, group=private_group, user=member)
    services.decline_invitation(user=member, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert role_of(member, private_group) is None
    with pytest.raises(GroupActionError):
        services.accept_invitation(user=member, invitation=invitation)
    assert role_of(member, private_group) is None


# --- Running the member list -----------------------------------------------------


def test_a_moderator_removes_a_member_with_a_reason(group, moderator, member, add_member):
    add_member(group, moderator, Role.MODERATOR)
    target = add_member(group, member)
    services.remove_member(actor=moderator, membership=target, reason="Reclame geplaatst")
    assert role_of(member, group) is None
    assert logged(last_log(group)) == (moderator, Action.REMOVE_MEMBER, member, "Reclame geplaatst")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.OWNER])
def test_a_moderator_cannot_remove_another_moderator_or_an_owner(
    group, moderator, make_user, add_member, role
):
    add_member(group, moderator, Role.MODERATOR)
    target = add_member(group, make_user(), role)
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=moderator, membership=target)
    assert Membership.objects.filter(pk=target.pk).exists()
    assert not group.moderation_log.filter(action=Action.REMOVE_MEMBER).exists()


def test_the_owner_removes_a_moderator(group, owner, moderator, add_member):
    target = add_member(group, moderator, Role.MODERATOR)
    services.remove_member(actor=owner, membership=target)
    assert role_of(moderator, group) is None
    assert logged(last_log(group)) == (owner, Action.REMOVE_MEMBER, moderator, "")


@pytest.mark.parametrize("role", [Role.OWNER, Role.MODERATOR])
def test_nobody_removes_themselves(group, make_user, add_member, role):
    someone = make_user()
    mine = add_member(group, someone, role)
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=someone, membership=mine)
    assert role_of(someone, group) == role


def test_the_only_owner_cannot_be_removed_not_even_by_staff(group, owner, staff):
    ownership = Membership.objects.get(group=group, user=owner)
    with pytest.raises(GroupActionError):
        services.remove_member(actor=staff, membership=ownership)
    assert role_of(owner, group) == Role.OWNER
    assert not group.moderation_log.filter(action=Action.REMOVE_MEMBER).exists()


def test_the_owner_promotes_a_member_to_moderator_and_then_to_owner(
    group, owner, member, add_member
):
    target = add_member(group, member)
    services.change_role(actor=owner, membership=target, role=Role.MODERATOR, reason="Helpt mee")
    assert role_of(member, group) == Role.MODERATOR
    entry = last_log(group)
    assert logged(entry) == (owner, Action.CHANGE_ROLE, member, "Helpt mee")
    assert entry.detail == f"{Role.MEMBER.label} → {Role.MODERATOR.label}"

    services.change_role(actor=owner, membership=target, role=Role.OWNER)
    assert role_of(member, group) == Role.OWNER
    assert last_log(group).detail == f"{Role.MODERATOR.label} → {Role.OWNER.label}"


def test_a_moderator_cannot_change_roles(group, moderator, member, add_member):
    add_member(group, moderator, Role.MODERATOR)
    target = add_member(group, member)
    with pytest.raises(PermissionDenied):
        services.change_role(actor=moderator, membership=target, role=Role.MODERATOR)
    assert role_of(member, group) == Role.MEMBER
    assert not group.moderation_log.filter(action=Action.CHANGE_ROLE).exists()


def test_an_owner_cannot_change_their_own_role(group, owner, member, add_member):
    add_member(group, member, Role.OWNER)
    mine = Membership.objects.get(group=group, user=owner)
    with pytest.raises(PermissionDenied):
        services.change_role(actor=owner, membership=mine, role=Role.MEMBER)
    assert role_of(owner, group) == Role.OWNER


def test_the_last_owner_cannot_be_demoted(group, owner, staff):
    ownership = Membership.objects.get(group=group, user=owner)
    with pytest.raises(GroupActionError):
        services.change_role(actor=staff, membership=ownership, role=Role.MEMBER)
    assert role_of(owner, group) == Role.OWNER
    assert not group.moderation_log.filter(action=Action.CHANGE_ROLE).exists()


def test_with_two_owners_one_may_be_made_a_member(group, owner, member, add_member):
    target = add_member(group, member, Role.OWNER)
    services.change_role(actor=owner, membership=target, role=Role.MEMBER)
    assert role_of(member, group) == Role.MEMBER


def test_an_unknown_role_is_refused(group, owner, member, add_member):
    target = add_member(group, member)
    with pytest.raises(GroupActionError):
        services.change_role(actor=owner, membership=target, role="koning")
    assert role_of(member, group) == Role.MEMBER


def test_a_muted_member_reads_along_but_cannot_post_until_the_time_is_up(
    group, moderator, member, add_member
):
    add_member(group, moderator, Role.MODERATOR)
    target = add_member(group, member)
    services.mute_member(
        actor=moderator, membership=target, duration=timedelta(days=1), reason="Even afkoelen"
    )
    target.refresh_from_db()
    assert timedelta(hours=23) < target.muted_until - timezone.now() <= timedelta(days=1)
    assert permissions.can_view_group(member, group)
    assert not permissions.can_post(member, group)
    assert logged(last_log(group)) == (moderator, Action.MUTE, member, "Even afkoelen")

    Membership.objects.filter(pk=target.pk).update(muted_until=past())  # the day has passed
    assert permissions.can_post(member, group)


def test_unmuting_lets_the_member_post_again(group, owner, member, add_member):
    target = add_member(group, member)
    services.mute_member(actor=owner, membership=target, duration=timedelta(days=7))
    services.unmute_member(actor=owner, membership=target)
    assert permissions.can_post(member, group)
    assert logged(last_log(group)) == (owner, Action.UNMUTE, member, "")


@pytest.mark.parametrize(
    "duration",
    [timedelta(0), timedelta(hours=-1), timedelta(days=365, seconds=1)],
    ids=["nothing", "negative", "over-a-year"],
)
def test_a_mute_lasts_at_most_a_year_and_more_than_nothing(
    group, owner, member, add_member, duration
):
    target = add_member(group, member)
    with pytest.raises(GroupActionError):
        services.mute_member(actor=owner, membership=target, duration=duration)
    assert permissions.can_post(member, group)
    assert not group.moderation_log.filter(action=Action.MUTE).exists()


@pytest.mark.parametrize("duration", [timedelta(hours=1), timedelta(days=365)])
def test_a_mute_of_one_hour_or_one_year_is_fine(group, owner, member, add_member, duration):
    target = add_member(group, member)
    services.mute_member(actor=owner, membership=target, duration=duration)
    assert not permissions.can_post(member, group)


def test_a_mute_shorter_than_an_hour_is_refused_as_the_message_says(
    group, owner, member, add_member
):
    # The service's own message: "Choose a period between one hour and one year."
    target = add_member(group, member)
    with pytest.raises(GroupActionError):
        services.mute_member(actor=owner, membership=target, duration=timedelta(minutes=1))
    assert permissions.can_post(member, group)


def test_leaving_and_joining_again_does_not_lift_a_mute(group, owner, member, add_member):
    target = add_member(group, member)
    services.mute_member(actor=owner, membership=target, duration=timedelta(days=7))
    with suppress(GroupActionError):  # refusing to leave while muted would also do
        services.leave_group(user=member, group=group)
        services.join_group(user=member, group=group)
    assert not permissions.can_post(member, group)


def test_a_moderator_cannot_mute_another_moderator(group, moderator, make_user, add_member):
    add_member(group, moderator, Role.MODERATOR)
    colleague = make_user()
    target = add_member(group, colleague, Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.mute_member(actor=moderator, membership=target, duration=timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.unmute_member(actor=moderator, membership=target)
    assert permissions.can_post(colleague, group)
    assert not group.moderation_log.filter(action__in=[Action.MUTE, Action.UNMUTE]).exists()


# --- Who may post ----------------------------------------------------------------


def test_only_members_who_are_not_muted_may_post_in_an_active_group(
    group, make_group, member, make_user, add_member
):
    outsider = make_user()
    add_member(group, member)
    muted = add_member(group, make_user())
    Membership.objects.filter(pk=muted.pk).update(muted_until=timezone.now() + timedelta(hours=1))
    archived = make_group(archived=True)
    add_member(archived, member)
    waiting = make_group(owner=member, kind="improvement", status="pending")

    assert permissions.can_post(member, group)
    assert not permissions.can_post(outsider, group)
    assert not permissions.can_post(muted.user, group)
    assert not permissions.can_post(member, archived)
    assert not permissions.can_post(member, waiting)
