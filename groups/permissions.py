"""Who may do what in a group. Views, consumers and templates all ask these."""

from groups.models import Group, Membership


def membership_of(user, group: Group) -> Membership | None:
    if not user.is_authenticated:
        return None
    return group.memberships.filter(user=user).first()


def can_view_group(user, group: Group) -> bool:
    """Open and closed groups are visible to every signed-in employee; private ones to members."""
    if not user.is_authenticated:
        return False
    if group.visibility != Group.Visibility.PRIVATE or user.is_staff:
        return True
    return membership_of(user, group) is not None
