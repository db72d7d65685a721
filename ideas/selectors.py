from django.db.models import Q

from groups.models import Group
from ideas.models import Idea


def top_ideas(user, *, limit: int = 10):
    """The most supported ideas in groups the user may see."""
    if not user.is_authenticated:
        return Idea.objects.none()
    ideas = Idea.objects.filter(board__group__archived_at__isnull=True)
    if not user.is_staff:
        ideas = ideas.filter(
            ~Q(board__group__visibility=Group.Visibility.PRIVATE)
            | Q(board__group__memberships__user=user)
        )
    return (
        ideas.select_related("board__group", "author")
        .order_by("-vote_count", "-created_at")
        .distinct()[:limit]
    )
