"""Template helpers for idea boards: the card's vote state, and ideas on a thread page."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from hub import fragments
from ideas import permissions

register = template.Library()


@register.filter
def takes_votes(idea) -> bool:
    """Whether anyone could still support this idea (its board decides when)."""
    return not idea.is_hidden and idea.status not in permissions.CLOSED_STATUSES


# Per-viewer bits of the idea card: markers that ideas.fragments.personalise fills in.


@register.simple_tag
def voter_hidden(idea) -> str:
    """The hidden attribute, unless the viewer may vote on this idea."""
    return fragments.marker("voter", idea.author_id or "", int(takes_votes(idea)))


@register.simple_tag
def vote_pressed(idea) -> str:
    return fragments.marker("pressed", idea.pk)


@register.simple_tag
def vote_action(idea, vote_url: str, unvote_url: str) -> str:
    """Where the vote form posts: unvote if the viewer supports the idea, else vote."""
    return fragments.marker("action", idea.pk, vote_url, unvote_url)


@register.simple_tag
def board_strings() -> dict:
    """Every text boards.js shows, in the page's language (rendered with json_script)."""
    return {
        "connecting": _("Connecting to live updates…"),
        "connected": _("Live updates are on."),
        "reconnecting": _("The connection was lost. Trying again…"),
        "signedOut": _("Your session has ended. Sign in again to see new votes."),
        "forbidden": _("You no longer have access to this board's live updates."),
        "notFound": _("This page has no live updates: it may have been removed."),
        "actionFailed": _("That did not work. Please try again."),
        "notAllowed": _("You are not allowed to do this."),
        "newIdeas": _("New ideas have been added."),
        "showThem": _("Show them"),
        "votesLeft": _("Votes left on this board: %(count)s"),
        "similarNone": _("No similar ideas found."),
        "similarFound": _("%(count)s similar ideas found. Perhaps support one of them?"),
        "similarHeading": _("Similar ideas on this board"),
        "votesCount": _("%(count)s votes"),
        "boardChanged": _("The board has changed. Reload the page to see it."),
    }


@register.filter
def voting_phase(board) -> str:
    """ "before", "open" or "after" the voting window of an open board; else its state."""

    if board.state != board.State.OPEN:
        return board.state
    now = timezone.now()
    if board.voting_opens_at and now < board.voting_opens_at:
        return "before"
    if board.voting_closes_at and now >= board.voting_closes_at:
        return "after"
    return "open"
