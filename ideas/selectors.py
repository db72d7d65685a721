from groups.models import Group
from groups.selectors import viewable
from ideas.models import Idea


def top_ideas(user, *, limit: int = 10):
    """The most supported ideas in active groups the user may see."""
    groups = viewable(
        user, Group.objects.filter(status=Group.Status.ACTIVE, archived_at__isnull=True)
    )
    return (
        Idea.objects.filter(board__group__in=groups)
        .select_related("board__group", "author")
        .order_by("-vote_count", "-created_at")[:limit]
    )
