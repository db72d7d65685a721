"""Post fragments: rendered once, cached, then made personal per viewer.

The post partial (``_post.html``) renders the same for everyone: where a viewer
matters (which controls show, which reactions are theirs, the CSRF token) it
writes a marker instead. ``personalise`` fills the markers in for one viewer,
with the same rules realtime.js applies to live fragments, so the page, the
live events and fetch replies all agree.

A page of rendered posts is cached under a key made of what it depends on:
the thread's event sequence (every change to a post or its reactions is an
event), the page, the language, the time zone, whether the group has an open
board, a deploy digest of the partial and the catalogues, and a site-wide
version bumped when names change or staff edit posts in the admin (those
changes write no event). Markers carry a secret prefix, so text in a post can
never forge one.
"""

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html

VERSION_KEY = "kring:fragments:version"
TIMEOUT = 24 * 3600  # seconds; a key also changes whenever what it depends on does


@cache
def _prefix() -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"kring-post-fragment", hashlib.sha256)
    return "\ue000" + digest.hexdigest()[:16]


def marker(kind: str, *args) -> str:
    """A placeholder for one per-viewer bit; ``personalise`` replaces it."""
    return f"{_prefix()}{kind}:{':'.join(str(a) for a in args)}\ue001"


@cache
def _marker_pattern() -> re.Pattern:
    return re.compile(re.escape(_prefix()) + r"(\w+):([^\ue001]*)\ue001")


@dataclass(frozen=True)
class Viewer:
    """What the post partial needs to know about the person looking. ``id`` None: nobody
    (a live event: realtime.js applies the same rules in the browser)."""

    id: int | None = None
    can_reply: bool = False
    can_moderate: bool = False
    is_staff: bool = False
    may_promote: bool = False  # any post: a moderator, with an open board
    may_promote_own: bool = False  # own posts: a member who may post, with an open board


NOBODY = Viewer()


def allowed(roles: list[str], author_id: int | None, viewer: Viewer) -> bool:
    """Who a ``data-for`` control is for; mirrors ``allowed()`` in static/js/realtime.js.
    "author" alone is the edit link (the author, while they may post); "author staff" is
    delete (the author, or staff, always)."""
    if viewer.id is None:
        return False
    is_author = author_id is not None and author_id == viewer.id
    if roles == ["author"]:
        return is_author and viewer.can_reply
    if roles == ["promote"]:
        return viewer.may_promote or (viewer.may_promote_own and is_author)
    return any(
        (role == "member" and viewer.can_reply)
        or (role == "author" and is_author)
        or (role == "moderator" and viewer.can_moderate)
        or (role == "staff" and viewer.is_staff)
        for role in roles
    )


def _author(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def personalise(html: str, viewer: Viewer, csrf_token: str = "") -> str:
    """``html`` with every marker filled in for ``viewer``."""
    csrf_input = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
        if csrf_token
        else ""
    )

    def fill(match: re.Match) -> str:
        kind, args = match.group(1), match.group(2).split(":")
        if kind == "hidden":  # args: roles (space-separated), author id
            return "" if allowed(args[0].split(), _author(args[1]), viewer) else " hidden"
        if kind == "pressed":  # args: the ids of the people who reacted, comma-separated
            mine = viewer.id is not None and str(viewer.id) in args[0].split(",")
            return "true" if mine else "false"
        if kind == "disabled":
            return "" if viewer.can_reply else " disabled"
        if kind == "csrf":
            return csrf_input
        return ""

    return _marker_pattern().sub(fill, html)


def csrf_token_for(request) -> str:
    return get_token(request) if request is not None else ""


# --- Rendering, and the cache of rendered pages ------------------------------------------


def render_post(post, thread, *, open_board: bool) -> str:
    """One post with markers, in the active language."""
    return render_to_string(
        "discussions/_post.html", {"post": post, "thread": thread, "open_board": open_board}
    )


@cache
def deploy_digest() -> str:
    """Changes when the partial, its tags or the translations change (a deploy)."""
    base = Path(settings.BASE_DIR)
    files = [
        base / "templates" / "discussions" / "_post.html",
        base / "discussions" / "templatetags" / "discussions.py",
        Path(__file__),
        *sorted((base / "locale").glob("*/LC_MESSAGES/django.mo")),
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:12]


def site_version_changed() -> None:
    """Names changed, or staff edited posts outside the site's services: render again.
    After commit, so a page rendered in between is stored under the old version."""
    transaction.on_commit(lambda: django_cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def page_key(thread, page_number: int, open_board: bool) -> str:
    return ":".join(
        (
            "kring:posts",
            str(thread.pk),
            str(thread.last_seq),
            thread.group.slug,
            str(page_number),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            "board" if open_board else "-",
            deploy_digest(),
        )
    )


def cached_page(thread, page, open_board: bool) -> list[tuple[int, str]]:
    """``[(post id, html with markers)]`` of one page of the thread, from the cache when it
    is still right, else rendered (``page.object_list`` is only read then)."""
    key = page_key(thread, page.number, open_board)
    found = django_cache.get_many([VERSION_KEY, key])
    # No version yet (or the cache was emptied): nothing was bumped, so "0" is right.
    version = found.get(VERSION_KEY, "0")
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    from discussions.events import posts_for_display  # events imports this module

    posts = posts_for_display(page.object_list)
    pieces = [(post.pk, render_post(post, thread, open_board=open_board)) for post in posts]
    django_cache.set(key, (version, pieces), TIMEOUT)
    return pieces
