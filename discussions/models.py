from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from hub.markdown import render_markdown


class Thread(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="threads"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    # Denormalised, updated in the same transaction as the posts they count.
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_id = models.BigIntegerField(default=0, editable=False)
    # The sequence number of the last event on this thread (see ThreadEvent).
    last_seq = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        indexes = [models.Index(fields=["group", "-is_pinned", "-last_activity_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", args=[self.group.slug, self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    body = models.TextField(_("message"), max_length=20000)
    body_html = models.TextField(editable=False, blank=True)
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("in reply to"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # Soft delete by the author: the placeholder keeps the thread readable.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # Hidden by a moderator, with a reason that everyone sees.
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["id"]
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        # Rendered once on save, never per page view.
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class PostRevision(models.Model):
    """An earlier version of a post, kept when it is edited; everyone may read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=20000)
    body_html = models.TextField(blank=True)
    # When this version was written (the post's creation or a previous edit).
    written_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.written_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class Reaction(models.Model):
    class Emoji(models.TextChoices):
        # A small fixed set: quick to scan, nothing to moderate.
        THUMBS_UP = "thumbs_up", _("thumbs up")
        HEART = "heart", _("heart")
        TADA = "tada", _("celebrate")
        LAUGH = "laugh", _("laugh")
        THINKING = "thinking", _("thinking")
        EYES = "eyes", _("I'm looking into it")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16, choices=Emoji.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "emoji"], name="one_reaction_each"),
            models.CheckConstraint(
                condition=Q(emoji__in=["thumbs_up", "heart", "tada", "laugh", "thinking", "eyes"]),
                name="reaction_emoji_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.emoji} {self.post_id}"


EMOJI_SYMBOLS = {
    Reaction.Emoji.THUMBS_UP: "👍",
    Reaction.Emoji.HEART: "❤️",
    Reaction.Emoji.TADA: "🎉",
    Reaction.Emoji.LAUGH: "😄",
    Reaction.Emoji.THINKING: "🤔",
    Reaction.Emoji.EYES: "👀",
}


class Mention(models.Model):
    """@username in a post; one row per person, so an edit never notifies twice."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_mention_each")]

    def __str__(self) -> str:
        return f"@{self.user_id} in {self.post_id}"


class ReadMarker(models.Model):
    """How far a person has read a thread: posts with a higher id are new to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    last_read_post_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="one_marker_each")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_post_id}"


class ThreadEvent(models.Model):
    """The ordered log of what happened in a thread, for catch-up after a reconnect.

    ``seq`` is per thread, allocated under the thread's row lock in the same
    transaction as the change, so seq order is commit order. A client that saw
    seq N asks for everything after N and the consumer replays it from here.
    """

    class Kind(models.TextChoices):
        POST_CREATED = "post.created"
        POST_EDITED = "post.edited"
        POST_DELETED = "post.deleted"
        POST_HIDDEN = "post.hidden"
        POST_UNHIDDEN = "post.unhidden"
        POST_REACTIONS = "post.reactions"
        THREAD_UPDATED = "thread.updated"
        THREAD_MOVED = "thread.moved"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["thread", "seq"]
        constraints = [models.UniqueConstraint(fields=["thread", "seq"], name="one_event_per_seq")]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.seq} {self.kind}"
