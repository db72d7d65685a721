"""Post fragments: rendered once, cached, then made personal per viewer (hub/fragments.py).

Where the viewer matters in ``_post.html`` (which controls show, which
reactions are theirs, the CSRF token) the partial writes a marker;
``personalise`` fills the markers in with the rules realtime.js applies to live
fragments, so the page, the live events and fetch replies all agree.

A page of posts is cached under the thread's event sequence (every change to a
post or its reactions is an event), the group's slug (in links), the page,
whether the group has an open board, and hub.fragments' language, time zone,
deploy digest and site-wide version.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from hub import fragments


@dataclass(frozen=True)
class Viewer:
    """The person looking. ``id`` None: nobody (a live event: realtime.js applies the same
    rules in the browser)."""

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


def personalise(html: str, viewer: Viewer, request=None) -> str:
    """``html`` with every marker filled in for ``viewer`` (CSRF token from ``request``)."""
    csrf = fragments.csrf_input(request)

    def filler(kind: str, args: list[str]) -> str:
        if kind == "hidden":  # args: roles (space-separated), author id
            author = int(args[1]) if args[1].isdigit() else None
            return "" if allowed(args[0].split(), author, viewer) else " hidden"
        if kind == "pressed":  # args: the ids of the people who reacted, comma-separated
            mine = viewer.id is not None and str(viewer.id) in args[0].split(",")
            return "true" if mine else "false"
        if kind == "disabled":
            return "" if viewer.can_reply else " disabled"
        if kind == "csrf":
            return csrf
        return ""

    return fragments.fill(html, filler)


def render_post(post, thread, *, open_board: bool) -> str:
    """One post with markers, in the active language."""
    return render_to_string(
        "discussions/_post.html", {"post": post, "thread": thread, "open_board": open_board}
    )


def cached_page(thread, page, open_board: bool) -> list[tuple[int, str]]:
    """``[(post id, html with markers)]`` of one page of the thread, from the cache when it
    is still right, else rendered (``page.object_list`` is only read then)."""
    from discussions.events import posts_for_display  # events imports this module

    def render():
        posts = posts_for_display(page.object_list)
        return [(post.pk, render_post(post, thread, open_board=open_board)) for post in posts]

    key = ":".join(
        (
            "kring:posts",
            str(thread.pk),
            str(thread.last_seq),
            thread.group.slug,
            f"{page.number}x{page.paginator.per_page}",
            "board" if open_board else "-",
            fragments.context_key(),
        )
    )
    return fragments.cached(key, render)
