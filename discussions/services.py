"""Every write in discussions: one function per action.

Each checks its permission, runs in one transaction, appends a ThreadEvent with
the thread's next sequence number and publishes that event after commit
(``discussions.events``). Moderator actions also write the group's moderation log.
"""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from discussions import events, permissions
from discussions.models import (
    Mention,
    Post,
    PostRevision,
    Reaction,
    ReadMarker,
    Thread,
    ThreadEvent,
)
from groups.models import Membership, ModerationLogEntry
from groups.services import log_action, touch
from hub.models import Notification
from hub.notifications.services import notify
from hub.sequences import next_seq

Kind = ThreadEvent.Kind

# @username, as allauth makes them (letters, digits, . _ - +); not inside an email address.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")


class DiscussionError(Exception):
    """A request that breaks a rule of the discussion; the message is for the person."""


class PostingTooFast(DiscussionError):
    pass


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise DiscussionError(_("Write a message first."))
    if len(body) > Post._meta.get_field("body").max_length:
        raise DiscussionError(_("This message is too long."))
    return body


def check_posting_rate(user) -> None:
    """At most KRING_POSTS_PER_MINUTE new posts per person per minute, in the shared cache."""
    limit = settings.KRING_POSTS_PER_MINUTE
    if not limit:
        return
    now = time.time()
    key = f"post-rate:{user.pk}:{int(now // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > limit:
        wait = 60 - int(now % 60)
        raise PostingTooFast(
            ngettext(
                "You are posting very quickly. Please wait %(seconds)d second and try again.",
                "You are posting very quickly. Please wait %(seconds)d seconds and try again.",
                wait,
            )
            % {"seconds": wait}
        )


def _record(thread: Thread, kind: str, post: Post | None = None, *, new: bool = False) -> int:
    """Append an event with the thread's next seq and publish it after commit (``new``: a
    post just written, published from the rows in hand).

    The UPDATE takes the thread's row lock until commit, so concurrent writers
    on one thread get their sequence numbers in commit order.
    """
    seq = next_seq(Thread, thread.pk)
    event = ThreadEvent.objects.create(thread_id=thread.pk, seq=seq, kind=kind, post=post)
    thread.last_seq = seq
    if new:
        transaction.on_commit(lambda: events.publish_new_post(thread, event, post))
    else:
        transaction.on_commit(lambda: events.publish_thread_event(thread.pk, seq))
    return seq


def post_permalink(post: Post) -> str:
    return reverse("discussions:post", args=[post.pk])


def _mentioned_members(body: str, group, author) -> list:
    # Quoted lines repeat someone else's mentions: those people were told already.
    own_words = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))
    names = {name.rstrip(".").lower() for name in MENTION.findall(own_words)}
    names.discard("")
    if not names:
        return []
    members = Membership.objects.filter(group=group).select_related("user")
    return [
        m.user
        for m in members
        if m.user.username.lower() in names and m.user_id != author.pk and m.user.is_active
    ]


def _notify_mentions(post: Post, author) -> set[int]:
    """Mention rows for new names only, so editing a post never notifies anyone twice.
    Returns who was told."""
    group = post.thread.group
    told = set()
    for user in _mentioned_members(post.body, group, author):
        try:
            with transaction.atomic():
                Mention.objects.create(post=post, user=user)
        except IntegrityError:
            continue
        told.add(user.pk)
    notify(
        told,
        kind=Notification.Kind.MENTION,
        actor=author,
        group=group,
        url=post_permalink(post),
        excerpt=post.body,
    )
    return told


def _notify_replies(post: Post, author, already_told: set[int]) -> None:
    """The thread's starter and the writer of the message replied to hear of a new post
    (once: a mention already told them)."""
    people = {post.thread.author_id}
    if post.reply_to is not None:
        people.add(post.reply_to.author_id)
    people -= already_told | {None}
    notify(
        people,
        kind=Notification.Kind.REPLY,
        actor=author,
        group=post.thread.group,
        url=post_permalink(post),
        excerpt=f"{post.thread.title}: {post.body}",
    )


def _add_post(thread: Thread, author, body: str, reply_to: Post | None) -> Post:
    now = timezone.now()
    post = Post.objects.create(
        thread=thread, author=author, body=body, reply_to=reply_to, created_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") + 1, last_post_id=post.pk, last_activity_at=now
    )
    thread.last_post_id = post.pk
    thread.last_activity_at = now
    _notify_replies(post, author, _notify_mentions(post, author))
    _record(thread, Kind.POST_CREATED, post, new=True)
    mark_read(user=author, thread=thread, post_id=post.pk)
    touch(thread.group)
    return post


# --- Threads and posts -----------------------------------------------------------


def create_thread(*, author, group, title: str, body: str) -> Thread:
    _require(permissions.can_start_thread(author, group))
    title = (title or "").replace("\x00", "").strip()
    if not title:
        raise DiscussionError(_("Give the discussion a title."))
    if len(title) > Thread._meta.get_field("title").max_length:
        raise DiscussionError(_("This title is too long."))
    body = _clean_body(body)
    check_posting_rate(author)
    with transaction.atomic():
        thread = Thread.objects.create(group=group, title=title, author=author)
        _add_post(thread, author, body, reply_to=None)
    return thread


def create_post(
    *,
    author,
    thread: Thread,
    body: str,
    reply_to: Post | None = None,
    membership=permissions._UNSET,
) -> Post:
    """``membership``: the author's in the thread's group, if the caller has just read it."""
    _require(permissions.can_read_thread(author, thread, membership))
    if thread.is_locked and not permissions.can_moderate_thread(author, thread, membership):
        raise DiscussionError(_("This discussion is closed: no new messages can be added."))
    _require(permissions.can_reply(author, thread, membership))
    if reply_to is not None and reply_to.thread_id != thread.pk:
        reply_to = None  # a quote from elsewhere is not a reply in this thread
    body = _clean_body(body)
    check_posting_rate(author)
    with transaction.atomic():
        return _add_post(thread, author, body, reply_to)


@transaction.atomic
def edit_post(*, editor, post: Post, body: str) -> Post:
    _require(permissions.can_edit_post(editor, post))
    body = _clean_body(body)
    post = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
    if body == post.body:
        return post
    PostRevision.objects.create(
        post=post, body=post.body, written_at=post.edited_at or post.created_at
    )
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    _notify_mentions(post, editor)
    _record(post.thread, Kind.POST_EDITED, post)
    return post


@transaction.atomic
def delete_post(*, actor, post: Post) -> Post:
    """Soft delete: the text goes, a placeholder keeps the thread readable."""
    _require(permissions.can_delete_post(actor, post))
    post = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
    if post.is_deleted:
        return post
    post.deleted_at = timezone.now()
    post.body = ""  # taken back means gone, history included
    post.save(update_fields=["deleted_at", "body", "body_html"])
    post.revisions.all().delete()
    _record(post.thread, Kind.POST_DELETED, post)
    if post.author_id != actor.pk:
        log_action(
            group=post.thread.group,
            actor=actor,
            action=ModerationLogEntry.Action.DELETE_POST,
            target_user=post.author,
            detail=post.thread.title,
        )
    return post


@transaction.atomic
def toggle_reaction(*, user, post: Post, emoji: str) -> bool:
    """Add the reaction, or take it back if it was there. Returns True when added."""
    if emoji not in Reaction.Emoji.values:
        raise DiscussionError(_("Unknown reaction."))
    _require(permissions.can_react(user, post))
    removed, _count = Reaction.objects.filter(post=post, user=user, emoji=emoji).delete()
    added = not removed
    if added:
        try:
            with transaction.atomic():  # a double click must not fail the outer transaction
                Reaction.objects.create(post=post, user=user, emoji=emoji)
        except IntegrityError:
            return True
    _record(post.thread, Kind.POST_REACTIONS, post)
    return added


# --- Moderation ------------------------------------------------------------------


@transaction.atomic
def hide_post(*, moderator, post: Post, reason: str) -> Post:
    _require(permissions.can_hide_post(moderator, post))
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise DiscussionError(_("Give a reason: the author and readers will see it."))
    if len(reason) > Post._meta.get_field("hidden_reason").max_length:
        raise DiscussionError(_("The reason is too long."))
    post = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
    if post.is_hidden:
        raise DiscussionError(_("This message is already hidden."))
    post.hidden_at = timezone.now()
    post.hidden_by = moderator
    post.hidden_reason = reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "body_html"])
    _record(post.thread, Kind.POST_HIDDEN, post)
    log_action(
        group=post.thread.group,
        actor=moderator,
        action=ModerationLogEntry.Action.HIDE_POST,
        target_user=post.author,
        reason=reason,
        detail=post.thread.title,
    )
    return post


@transaction.atomic
def unhide_post(*, moderator, post: Post) -> Post:
    _require(permissions.can_hide_post(moderator, post))
    post = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
    if not post.is_hidden:
        raise DiscussionError(_("This message is not hidden."))
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "body_html"])
    _record(post.thread, Kind.POST_UNHIDDEN, post)
    log_action(
        group=post.thread.group,
        actor=moderator,
        action=ModerationLogEntry.Action.UNHIDE_POST,
        target_user=post.author,
        detail=post.thread.title,
    )
    return post


def _set_thread_flag(moderator, thread: Thread, field: str, value: bool, action) -> Thread:
    _require(permissions.can_moderate_thread(moderator, thread))
    locked = Thread.objects.select_for_update().select_related("group").get(pk=thread.pk)
    if getattr(locked, field) == value:
        return locked
    setattr(locked, field, value)
    locked.save(update_fields=[field])
    _record(locked, Kind.THREAD_UPDATED)
    log_action(group=locked.group, actor=moderator, action=action, detail=locked.title)
    return locked


@transaction.atomic
def set_pinned(*, moderator, thread: Thread, pinned: bool) -> Thread:
    Action = ModerationLogEntry.Action
    action = Action.PIN_THREAD if pinned else Action.UNPIN_THREAD
    return _set_thread_flag(moderator, thread, "is_pinned", pinned, action)


@transaction.atomic
def set_locked(*, moderator, thread: Thread, locked: bool) -> Thread:
    Action = ModerationLogEntry.Action
    action = Action.LOCK_THREAD if locked else Action.UNLOCK_THREAD
    return _set_thread_flag(moderator, thread, "is_locked", locked, action)


@transaction.atomic
def move_thread(*, moderator, thread: Thread, to_group) -> Thread:
    """Into another group the moderator also moderates; both groups' logs record it."""
    _require(permissions.can_move_thread(moderator, thread, to_group))
    locked = Thread.objects.select_for_update().select_related("group").get(pk=thread.pk)
    from_group = locked.group
    locked.group = to_group
    locked.save(update_fields=["group"])
    _record(locked, Kind.THREAD_MOVED)
    Action = ModerationLogEntry.Action
    log_action(
        group=from_group,
        actor=moderator,
        action=Action.MOVE_THREAD_OUT,
        detail=f"{locked.title} → {to_group.name}",
    )
    log_action(
        group=to_group,
        actor=moderator,
        action=Action.MOVE_THREAD_IN,
        detail=f"{locked.title} ← {from_group.name}",
    )
    touch(to_group)
    return locked


def recount_thread(thread: Thread) -> Thread:
    """Recompute the denormalised counters from the posts (data loads, repairs)."""
    posts = Post.objects.filter(thread=thread)
    thread.post_count = posts.count()
    thread.last_post_id = posts.order_by("-id").values_list("id", flat=True).first() or 0
    Thread.objects.filter(pk=thread.pk).update(
        post_count=thread.post_count, last_post_id=thread.last_post_id
    )
    return thread


# --- Reading ---------------------------------------------------------------------


def mark_read(*, user, thread: Thread, post_id: int | None = None) -> None:
    """Move the reader's marker forward (never back) to post_id, or to the newest post."""
    if not user.is_authenticated:
        return
    newest = thread.last_post_id
    target = newest if post_id is None else min(int(post_id), newest)
    if target <= 0:
        return
    now = timezone.now()
    moved = ReadMarker.objects.filter(
        user=user, thread=thread, last_read_post_id__lt=target
    ).update(last_read_post_id=target, updated_at=now)
    if moved:
        return
    try:
        with transaction.atomic():
            ReadMarker.objects.get_or_create(
                user=user, thread=thread, defaults={"last_read_post_id": target}
            )
    except IntegrityError:  # created by a parallel request; that one moved it already
        pass
