from django import template

from discussions.models import EMOJI_SYMBOLS, Reaction

register = template.Library()


@register.simple_tag
def reaction_summary(post, viewer_id=None) -> list[dict]:
    """Every emoji of the fixed set with who used it, from the prefetched reactions."""
    by_emoji: dict[str, list] = {emoji: [] for emoji in Reaction.Emoji.values}
    for reaction in post.reactions.all():
        by_emoji.setdefault(reaction.emoji, []).append(reaction.user)
    return [
        {
            "emoji": emoji,
            "symbol": EMOJI_SYMBOLS[emoji],
            "label": Reaction.Emoji(emoji).label,
            "count": len(users),
            "user_ids": ",".join(str(u.pk) for u in users),
            "names": ", ".join(u.name for u in users),
            "mine": viewer_id is not None and any(u.pk == viewer_id for u in users),
        }
        for emoji, users in by_emoji.items()
    ]
