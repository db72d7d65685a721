from groups.selectors import active_groups_for
from ideas.models import Idea


def top_ideas(user, *, limit: int = 10):
    """The most supported ideas in active groups the user may see."""
    return (
        Idea.objects.filter(board__group__in=active_groups_for(user))
        .select_related("board__group", "author")
        .order_by("-vote_count", "-created_at")[:limit]
    )
