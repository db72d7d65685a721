"""Read queries that pages share. Each returns what a page needs in a fixed number of queries."""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from groups.models import Group, Invitation, JoinRequest, Membership, ModerationLogEntry

SORTS = {
    "activity": ("-last_activity_at", "name"),
    "members": ("-member_count", "name"),
    "newest": ("-created_at", "name"),
    "name": ("name",),
}


def viewable(user, groups: QuerySet[Group]) -> QuerySet[Group]:
    """Filter to what ``permissions.can_view_group`` allows, in SQL."""
    if not user.is_authenticated:
        return groups.none()
    if user.is_staff:
        return groups
    mine = Membership.objects.filter(group=OuterRef("pk"), user=user)
    return groups.filter(
        (Q(status=Group.Status.ACTIVE) & (~Q(visibility=Group.Visibility.PRIVATE) | Exists(mine)))
        # A proposal waiting for review (or turned down) is seen by whoever proposed it.
        | (~Q(status=Group.Status.ACTIVE) & Q(created_by=user))
    )


def viewers(group: Group) -> Q:
    """A filter on users: who ``permissions.can_view_group`` lets see ``group`` (the other
    direction of ``viewable``)."""
    if group.status != Group.Status.ACTIVE:
        return Q(is_staff=True) | Q(pk=group.created_by_id)
    if group.visibility != Group.Visibility.PRIVATE:
        return Q()
    member = Membership.objects.filter(group=group, user=OuterRef("pk"))
    return Q(is_staff=True) | Q(Exists(member))


def active_groups_for(user) -> QuerySet[Group]:
    """Active, unarchived groups the user may see."""
    return viewable(
        user, Group.objects.filter(status=Group.Status.ACTIVE, archived_at__isnull=True)
    )


def visible_groups(user) -> QuerySet[Group]:
    """Active, unarchived groups the user may see, with member counts, busiest first."""
    return (
        active_groups_for(user)
        .annotate(member_count=Count("memberships"))
        .order_by("-member_count", "name")
    )


def directory(user, *, query="", kind="", mine=False, sort="activity") -> QuerySet[Group]:
    """The group directory: search, filters and sort, with the viewer's role in each group.

    One query for the page however many groups: counts and the viewer's role are
    annotations, not per-row lookups.
    """
    if mine:  # my groups include the archived and the still waiting
        groups = viewable(user, Group.objects.filter(memberships__user=user))
    else:
        groups = active_groups_for(user)
    if query:
        groups = groups.filter(Q(name__icontains=query) | Q(description__icontains=query))
    if kind in Group.Kind.values:
        groups = groups.filter(kind=kind)
    my_role = Membership.objects.filter(group=OuterRef("pk"), user=user).values("role")[:1]
    pending = JoinRequest.objects.filter(
        group=OuterRef("pk"), user=user, status=JoinRequest.Status.PENDING
    )
    member_count = (
        Membership.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("id"))
        .values("n")
    )
    return groups.annotate(
        member_count=Subquery(member_count, output_field=IntegerField()),
        my_role=Subquery(my_role),
        has_pending_request=Exists(pending),
    ).order_by(*SORTS.get(sort, SORTS["activity"]))


ROLE_ORDER = Case(
    When(role=Membership.Role.OWNER, then=Value(0)),
    When(role=Membership.Role.MODERATOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def members(group: Group) -> QuerySet[Membership]:
    """Owners first, then moderators, then members; alphabetical within each role."""
    return (
        group.memberships.select_related("user")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "user__display_name", "user__email")
    )


def pending_requests(group: Group) -> QuerySet[JoinRequest]:
    return group.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")


def open_invitations(group: Group) -> QuerySet[Invitation]:
    return group.invitations.filter(status=Invitation.Status.PENDING).select_related(
        "user", "invited_by"
    )


def moderation_log(group: Group) -> QuerySet[ModerationLogEntry]:
    return group.moderation_log.select_related("actor", "target_user")


def pending_groups() -> QuerySet[Group]:
    return Group.objects.filter(status=Group.Status.PENDING).select_related("created_by")


def verified_addresses(user) -> QuerySet:
    """The user's verified email addresses (as ``email`` values). Only these count:
    anyone can add someone else's address to their account unverified."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).values("email")


def invitations_addressed_to(user) -> QuerySet[Invitation]:
    """Every invitation (any status) to the user's account or a verified address of theirs."""
    return Invitation.objects.filter(
        Q(user=user) | Q(user__isnull=True, email__in=verified_addresses(user))
    )


def my_invitations(user) -> QuerySet[Invitation]:
    """Open invitations addressed to the user's account or one of their verified addresses."""
    return (
        invitations_addressed_to(user)
        .filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
        .select_related("group", "invited_by")
    )
