from django import template
from django.utils.translation import gettext as _

from discussions.models import EMOJI_SYMBOLS, Reaction
from hub import fragments

register = template.Library()


@register.simple_tag
def reaction_summary(post) -> list[dict]:
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
        }
        for emoji, users in by_emoji.items()
    ]


# Per-viewer bits of the post partial: markers that fragments.personalise fills in.


@register.simple_tag
def viewer_hidden(roles: str, post) -> str:
    """The hidden attribute, unless the control is for the viewer (fragments.allowed)."""
    return fragments.marker("hidden", roles, post.author_id or "")


@register.simple_tag
def viewer_pressed(user_ids: str) -> str:
    """aria-pressed of a reaction button: "true" if the viewer is among ``user_ids``."""
    return fragments.marker("pressed", user_ids)


@register.simple_tag
def viewer_disabled() -> str:
    return fragments.marker("disabled")


@register.simple_tag
def realtime_strings() -> dict:
    """Every text realtime.js shows, in the page's language (rendered with json_script)."""
    return {
        "connecting": _("Connecting to live updates…"),
        "connected": _("Live updates are on."),
        "reconnecting": _("The connection was lost. Trying again…"),
        "signedOut": _("Your session has ended. Sign in again to see new messages."),
        "forbidden": _("You no longer have access to this page's live updates."),
        "notFound": _("This page has no live updates: it may have been removed."),
        "reload": _("Many changes arrived while you were away. Reload the page to see them."),
        "newMessage": _("New message from %(name)s"),
        "typingOne": _("%(name)s is typing…"),
        "typingTwo": _("%(first)s and %(second)s are typing…"),
        "typingMany": _("Several people are typing…"),
        "hereNow": _("Here now: %(names)s"),
        "sendFailed": _(
            "Your message could not be sent. Check your connection and try again; "
            "your text is still here."
        ),
        "actionFailed": _("That did not work. Please try again."),
        "notAllowed": _("You are not allowed to do this."),
        "moved": _("This discussion has moved to %(group)s."),
        "newOnLastPage": _("New messages have arrived on the last page."),
        "groupActivity": _("New messages in this group."),
        "showThem": _("Show them"),
        "newOne": _("1 new message"),
        "newMany": _("%(count)s new messages"),
        "suggestions": _(
            "%(count)s colleagues found. Use the up and down arrows to choose, Enter to insert."
        ),
        "noSuggestions": _("No colleagues found."),
        "mentionList": _("Colleagues you can mention"),
        "quoteWrote": _("%(name)s wrote:"),
    }
