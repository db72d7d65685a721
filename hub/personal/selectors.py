"""What "Mijn Kring" shows one person, and what stands in the way of deleting an account.

Every list is one query however long it is; the page's cost does not grow with the
number of groups or followed ideas.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from discussions import selectors as discussion_selectors
from groups import selectors as group_selectors
from groups.models import Group, JoinRequest, Membership
from hub.models import Notification
from ideas.models import Follow, StatusChange

FOLLOWED_SHOWN = 10


def my_groups(user) -> QuerySet[Group]:
    """Active groups I am a member of, each with ``unread`` (the home page's count)."""
    return discussion_selectors.my_groups_with_unread(user)


def followed_ideas(user) -> QuerySet[Follow]:
    """Ideas I follow and may still see, with their latest decision, newest change first.

    ``change_at``/``change_response`` come from the idea's last StatusChange (None when
    nothing was decided yet); the list is ordered by that, else by when I started following.
    """
    latest = StatusChange.objects.filter(idea=OuterRef("idea")).order_by("-created_at", "-id")
    visible = group_selectors.viewable(user, Group.objects.all())
    return (
        Follow.objects.filter(
            user=user, idea__hidden_at__isnull=True, idea__board__group__in=visible
        )
        .select_related("idea__board__group")
        .annotate(
            change_at=Subquery(latest.values("created_at")[:1]),
            change_response=Subquery(latest.values("response")[:1]),
        )
        .annotate(last_news=Coalesce("change_at", "created_at"))
        .order_by("-last_news", "-id")
    )


def my_join_requests(user) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).select_related(
        "group"
    )


def unread_notification_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def dashboard(user) -> dict:
    follows = followed_ideas(user)
    return {
        "my_groups": list(my_groups(user)),
        "follows": list(follows[:FOLLOWED_SHOWN]),
        "follow_count": follows.count(),
        "invitations": list(group_selectors.my_invitations(user)),
        "join_requests": list(my_join_requests(user)),
        "unread_notifications": unread_notification_count(user),
    }


def groups_to_hand_over(user) -> QuerySet[Group]:
    """Active groups where the user is the only owner and others are members: someone
    must be made owner before the account can go, or the group is left without one."""
    owner = Membership.Role.OWNER
    return (
        Group.objects.filter(status=Group.Status.ACTIVE)
        .filter(Exists(Membership.objects.filter(group=OuterRef("pk"), user=user, role=owner)))
        .annotate(
            owner_count=Count("memberships", filter=Q(memberships__role=owner)),
            member_count=Count("memberships"),
        )
        .filter(owner_count=1, member_count__gt=1)
        .order_by("name")
    )
