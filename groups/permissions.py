"""Who may do what in a group. Views, consumers and templates all ask these.

Every function takes the user and the group (and, where it matters, the
user's membership, so a page that already loaded it asks no second query).
"""

from django.utils import timezone

from groups.models import Group, Invitation, JoinRequest, Membership

_UNSET = object()


def membership_of(user, group: Group) -> Membership | None:
    if not user.is_authenticated:
        return None
    return group.memberships.filter(user=user).first()


def _membership(user, group, membership):
    return membership_of(user, group) if membership is _UNSET else membership


def can_view_group(user, group: Group, membership=_UNSET) -> bool:
    """Signed-in employees see open and closed groups; private ones only members see.

    A group waiting for approval is seen by its creator and staff only.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if group.status != Group.Status.ACTIVE:
        return group.created_by_id == user.id
    if group.visibility != Group.Visibility.PRIVATE:
        return True
    return _membership(user, group, membership) is not None


def can_join(user, group: Group, membership=_UNSET) -> bool:
    return (
        user.is_authenticated
        and group.is_active
        and group.visibility == Group.Visibility.OPEN
        and _membership(user, group, membership) is None
    )


def can_request_to_join(user, group: Group, membership=_UNSET) -> bool:
    return (
        user.is_authenticated
        and group.is_active
        and group.visibility == Group.Visibility.CLOSED
        and _membership(user, group, membership) is None
        and not has_pending_request(user, group)
    )


def has_pending_request(user, group: Group) -> bool:
    if not user.is_authenticated:
        return False
    return JoinRequest.objects.filter(
        group=group, user=user, status=JoinRequest.Status.PENDING
    ).exists()


def can_leave(user, group: Group, membership=_UNSET) -> bool:
    return _membership(user, group, membership) is not None


def can_moderate(user, group: Group, membership=_UNSET) -> bool:
    """Owners, moderators and staff run a group: requests, invitations, members, settings."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    found = _membership(user, group, membership)
    return found is not None and found.is_moderator


def can_change_roles(user, group: Group, membership=_UNSET) -> bool:
    """Only owners (and staff) hand out moderator or owner roles."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    found = _membership(user, group, membership)
    return found is not None and found.role == Membership.Role.OWNER


def can_act_on_member(user, group: Group, target: Membership, membership=_UNSET) -> bool:
    """Remove or mute someone: moderators may act on members; owners and staff on anyone else."""
    if not user.is_authenticated or target.user_id == user.id:
        return False
    if can_change_roles(user, group, membership):
        return True
    return can_moderate(user, group, membership) and target.role == Membership.Role.MEMBER


def can_archive(user, group: Group, membership=_UNSET) -> bool:
    return can_change_roles(user, group, membership)


def can_post(user, group: Group, membership=_UNSET) -> bool:
    """Write in the group's threads and boards (used by discussions and ideas)."""
    if not user.is_authenticated or not group.is_active:
        return False
    found = _membership(user, group, membership)
    if found is None:
        return False
    return not found.is_muted(timezone.now())


def can_view_moderation_log(user, group: Group, membership=_UNSET) -> bool:
    return can_moderate(user, group, membership)


def can_review_new_groups(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def can_answer_invitation(user, invitation: Invitation) -> bool:
    """The invited colleague, or whoever holds a verified copy of the invited address."""
    if not user.is_authenticated:
        return False
    if invitation.user_id:
        return invitation.user_id == user.id
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
