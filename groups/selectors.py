from django.db.models import Count, Q, QuerySet

from groups.models import Group


def visible_groups(user) -> QuerySet[Group]:
    """Groups the user may see, with their member count, busiest first.

    Anonymous visitors see none: Kring is for signed-in employees.
    """
    if not user.is_authenticated:
        return Group.objects.none()
    groups = Group.objects.filter(archived_at__isnull=True)
    if not user.is_staff:
        groups = groups.filter(~Q(visibility=Group.Visibility.PRIVATE) | Q(memberships__user=user))
    return (
        groups.annotate(member_count=Count("memberships", distinct=True))
        .order_by("-member_count", "name")
        .distinct()
    )
