"""Thread events as the client sees them: built from the database, live and on catch-up alike.

A frame is the JSON text sent to the browser. It is serialised once per event
(not once per recipient) and carries HTML rendered by the same partial the
page uses, so a post looks the same whether it arrived live or on refresh.
The HTML is the same for every viewer; controls that only some viewers may
use carry ``data-for`` and realtime.js shows them to the right people (the
server checks every action again anyway).
"""

import json

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from discussions import fragments
from discussions.models import Post, Reaction, Thread, ThreadEvent
from hub.realtime import publish, publish_all, stream_name
from ideas.selectors import open_boards

# A client further behind than this reloads the page instead of replaying.
CATCH_UP_LIMIT = 500

Kind = ThreadEvent.Kind


def thread_stream(thread_id: int) -> str:
    return stream_name("thread", thread_id)


def group_stream(group_id: int) -> str:
    return stream_name("group", group_id)


def access_stream(group_id: int) -> str:
    return stream_name("access", group_id)


def posts_for_display(queryset):
    """What the post partial needs, in a fixed number of queries."""
    return queryset.select_related("author", "reply_to__author", "hidden_by").prefetch_related(
        Prefetch("reactions", queryset=Reaction.objects.select_related("user"))
    )


def render_post(post: Post, thread: Thread, open_board: bool) -> str:
    """For everyone on the socket: every control hidden, no CSRF token; realtime.js shows
    the controls this viewer may use (the same rules as fragments.allowed) and fills the
    token in."""
    html = fragments.render_post(post, thread, open_board=open_board)
    return fragments.personalise(html, fragments.NOBODY)


def _frame(event: ThreadEvent, thread: Thread, post: Post | None, open_board: bool) -> dict:
    frame = {"type": event.kind, "seq": event.seq, "thread": thread.pk}
    if post is not None:
        frame["post"] = post.pk
        frame["author"] = post.author_id
        frame["author_name"] = post.author.name if post.author else ""
        frame["html"] = render_post(post, thread, open_board)
    if event.kind in (Kind.THREAD_UPDATED, Kind.THREAD_MOVED):
        frame.update(
            title=thread.title,
            pinned=thread.is_pinned,
            locked=thread.is_locked,
            group=thread.group_id,
            group_name=thread.group.name,
            url=thread.get_absolute_url(),
        )
    return frame


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _load(thread_id: int, after: int, limit: int):
    """The thread, its events after ``after`` (oldest first) and their posts as they are now."""
    thread = Thread.objects.select_related("group").get(pk=thread_id)
    rows = list(
        ThreadEvent.objects.filter(thread_id=thread_id, seq__gt=after).order_by("seq")[:limit]
    )
    post_ids = {row.post_id for row in rows if row.post_id}
    posts = {p.pk: p for p in posts_for_display(Post.objects.filter(pk__in=post_ids))}
    # "Turn into an idea" shows only while the group has an open board.
    open_board = bool(posts) and open_boards(thread.group).exists()
    return thread, rows, posts, open_board


def frames_after(
    thread_id: int, after: int, language: str, limit: int = CATCH_UP_LIMIT
) -> list[dict]:
    """Every event after seq ``after``, oldest first, rendered as it is now, in ``language``."""
    thread, rows, posts, open_board = _load(thread_id, after, limit)
    with translation.override(language):
        return [_frame(row, thread, posts.get(row.post_id), open_board) for row in rows]


def serialise(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def publish_thread_event(thread_id: int, seq: int) -> None:
    """After commit: the event to everyone on the thread, in every process."""
    message = thread_event_message(thread_id, seq)
    if message is not None:
        publish(thread_stream(thread_id), message)


def thread_event_message(thread_id: int, seq: int) -> dict | None:
    """The channel-layer message of event ``seq`` (None if there is none): its frame, read
    once and serialised once per language; consumers pass the text on as it is."""
    thread, rows, posts, open_board = _load(thread_id, seq - 1, 1)
    if not rows or rows[0].seq != seq:
        return None
    return _message(rows[0], thread, posts.get(rows[0].post_id), open_board)


def publish_new_post(thread: Thread, event: ThreadEvent, post: Post) -> None:
    """After commit: a new post to the thread and, as activity, to its group's page, from
    the rows its transaction wrote (no reload: the fan-out starts sooner). A post only just
    written has no reactions yet; anything that changes it later is an event of its own,
    and a catch-up reads the database.

    The HTML rendered for the frames stays on the post (``post.live_html``, by language):
    the author's own fetch() answer is the same fragment, shown by the same client code.
    """
    post._prefetched_objects_cache = {"reactions": Reaction.objects.none()}
    # The thread as committed: a move may have been waiting for the post's lock, and the
    # activity must go to the group the thread is in now.
    thread = Thread.objects.select_related("group").get(pk=thread.pk)
    open_board = open_boards(thread.group).exists()
    frame = {
        "type": "group.activity",
        "thread": thread.pk,
        "post": post.pk,
        "author": post.author_id,
        "author_name": post.author.name if post.author else "",
        "title": thread.title,
        "url": thread.get_absolute_url(),
    }
    activity = {"type": "group.activity", "group": thread.group_id, "frame": serialise(frame)}
    post.live_html = {}
    message = _message(event, thread, post, open_board, htmls=post.live_html)
    publish_all([(thread_stream(thread.pk), message), (group_stream(thread.group_id), activity)])


def _message(
    event: ThreadEvent, thread: Thread, post: Post | None, open_board: bool, htmls=None
) -> dict:
    """``htmls``: a dict to keep the post's HTML in, by language."""
    seq = event.seq
    texts = {}
    for language in languages():
        with translation.override(language):
            frame = _frame(event, thread, post, open_board)
        texts[language] = serialise(frame)
        if htmls is not None and "html" in frame:
            htmls[language] = frame["html"]
    # ``kind`` and ``group`` let consumers decide on a re-check without parsing a frame.
    return {
        "type": "thread.event",
        "seq": seq,
        "kind": event.kind,
        "group": thread.group_id,
        "frames": texts,
    }
