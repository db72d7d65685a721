"""Idea cards: rendered once, cached, then made personal per viewer (hub/fragments.py).

In ``_idea_card.html`` the vote form depends on the viewer: whether it shows
(they may vote, it is not their idea, the idea takes votes), whether it is
pressed and where it posts (vote or unvote), and its CSRF token. The partial
writes markers for those; ``personalise`` fills them in with the rules
boards.js applies to live cards.

A page of cards is cached under a digest of what each card shows (its row,
its tags), with hub.fragments' language, time zone, deploy digest and
site-wide version: a vote changes the key of the page it is on.
"""

import hashlib
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from hub import fragments


@dataclass(frozen=True)
class Viewer:
    """The person looking at a board. ``id`` None: nobody (a live event)."""

    id: int | None = None
    can_vote: bool = False
    voted_ids: frozenset = field(default_factory=frozenset)


NOBODY = Viewer()


def may_vote(viewer: Viewer, author_id: int | None, takes_votes: bool) -> bool:
    """Mirrors boards.js: people who may vote, on others' ideas that still take votes."""
    return (
        viewer.id is not None
        and viewer.can_vote
        and takes_votes
        and (author_id is None or author_id != viewer.id)
    )


def personalise(html: str, viewer: Viewer, request=None) -> str:
    csrf = fragments.csrf_input(request)

    def filler(kind: str, args: list[str]) -> str:
        if kind == "voter":  # args: author id, takes votes (1/0)
            author = int(args[0]) if args[0].isdigit() else None
            return "" if may_vote(viewer, author, args[1] == "1") else " hidden"
        if kind == "pressed":  # args: idea id
            return "true" if int(args[0]) in viewer.voted_ids else "false"
        if kind == "action":  # args: idea id, vote URL, unvote URL
            return args[2] if int(args[0]) in viewer.voted_ids else args[1]
        if kind == "csrf":
            return csrf
        return ""

    return fragments.fill(html, filler)


def render_card(idea, board) -> str:
    """One card with markers, in the active language."""
    return render_to_string("ideas/_idea_card.html", {"idea": idea, "board": board})


def _card_state(idea) -> str:
    tags = ",".join(f"{tag.pk}={tag.name}" for tag in idea.tags.all())
    return "|".join(
        str(value)
        for value in (
            idea.pk,
            idea.title,
            idea.status,
            idea.vote_count,
            idea.trending,
            idea.comment_count,
            idea.author_id,
            idea.created_at.timestamp(),
            idea.edited_at and idea.edited_at.timestamp(),
            idea.hidden_at and idea.hidden_at.timestamp(),
            idea.hidden_reason,
            tags,
        )
    )


def cached_cards(board, ideas: list) -> list[str]:
    """The cards (with markers) of ``ideas`` (author and tags loaded), in order."""
    digest = hashlib.sha256("\n".join(map(_card_state, ideas)).encode()).hexdigest()[:24]
    key = f"kring:cards:{board.pk}:{digest}:{fragments.context_key()}"
    return fragments.cached(key, lambda: [render_card(idea, board) for idea in ideas])
