from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from hub.markdown import render_markdown


class Board(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Voting closed")
        ARCHIVED = "archived", _("Archived")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="boards")
    title = models.CharField(_("title"), max_length=120)
    brief = models.TextField(_("brief"), blank=True, max_length=5000)
    brief_html = models.TextField(editable=False, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default="open")
    # Optional voting window; empty means "from the start" / "until closed by hand".
    voting_opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    # Votes each member may spend on this board; empty means unlimited.
    votes_per_member = models.PositiveSmallIntegerField(
        _("votes per member"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The sequence number of the last event on this board (see BoardEvent).
    last_seq = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("idea board")
        verbose_name_plural = _("idea boards")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "closed", "archived"]),
                name="board_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(voting_opens_at__isnull=True)
                | models.Q(voting_closes_at__isnull=True)
                | models.Q(voting_closes_at__gt=models.F("voting_opens_at")),
                name="board_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.brief_html = render_markdown(self.brief)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:board", args=[self.group.slug, self.pk])

    def voting_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.state != self.State.OPEN:
            return False
        if self.voting_opens_at and now < self.voting_opens_at:
            return False
        return not (self.voting_closes_at and now >= self.voting_closes_at)


class Tag(models.Model):
    """A category that a board's moderators define, e.g. "Mobility" or "Quick win"."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="tag_unique")]

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        PLANNED = "planned", _("Planned")
        IMPLEMENTED = "implemented", _("Implemented")
        DECLINED = "declined", _("Declined")
        DUPLICATE = "duplicate", _("Duplicate")

    # Not indexed alone: the board's composite indexes below start with it. Every vote
    # updates the idea's row in all of its indexes (the counts are indexed, so no HOT).
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="ideas", db_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("description"), max_length=20000)
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="ideas", verbose_name=_("tags"))
    # Denormalised; written in the same transaction as the Vote rows it counts.
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    # Trending: log2 of the sum over votes of 2^((voted_at - TRENDING_EPOCH) / half-life);
    # see ideas/ranking.py. Kept with vote_count, in the same transaction.
    trending = models.FloatField(default=0.0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # Promoted from a discussion: the idea and the thread link to each other.
    thread = models.ForeignKey(
        "discussions.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    post = models.ForeignKey(
        "discussions.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comments_locked = models.BooleanField(_("comments closed"), default=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Leadership review: who follows the idea up, when it first reached the vote threshold
    # (settings.KRING_RESPONSE_VOTE_THRESHOLD) and when it last had an official response.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_ideas",
        verbose_name=_("responsible"),
    )
    threshold_reached_at = models.DateTimeField(null=True, blank=True, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-vote_count", "-created_at"]
        indexes = [
            models.Index(fields=["board", "-vote_count", "-created_at"]),
            models.Index(fields=["board", "-trending"]),
            models.Index(fields=["board", "-created_at"]),
            models.Index(fields=["board", "status", "-vote_count"]),
            models.Index(fields=["-vote_count", "-created_at"], name="idea_top_everywhere"),
            models.Index(fields=["-trending"], name="idea_trending_everywhere"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "new",
                        "under_review",
                        "accepted",
                        "planned",
                        "implemented",
                        "declined",
                        "duplicate",
                    ]
                ),
                name="idea_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:idea", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class IdeaRevision(models.Model):
    """An earlier version of an idea's title and text, kept on every edit."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=20000)
    body_html = models.TextField(blank=True)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.idea_id} @ {self.written_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class Vote(models.Model):
    # Neither is indexed alone: vote_unique and vote_idea_time start with the idea, the
    # (user, idea) index with the user. A vote writes each of its indexes.
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="vote_unique")]
        indexes = [
            models.Index(fields=["user", "idea"]),
            # Votes per day for the dashboard's sparklines: a range scan per idea.
            models.Index(fields=["idea", "created_at"], name="vote_idea_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.idea}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["idea", "id"])]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class CommentRevision(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=10000)
    body_html = models.TextField(blank=True)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.written_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class StatusChange(models.Model):
    """One decision on an idea: who, when, from what to what, and the official response.

    The decision log: never edited, shown in full on the idea page.
    """

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=Idea.Status.choices)
    to_status = models.CharField(max_length=16, choices=Idea.Status.choices)
    response = models.TextField(_("official response"), blank=True, max_length=10000)
    response_html = models.TextField(editable=False, blank=True)
    duplicate_of = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        self.response_html = render_markdown(self.response)
        super().save(*args, **kwargs)


class Follow(models.Model):
    """Someone who hears about an idea's status changes and responses."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id}"


class BoardEvent(models.Model):
    """The ordered log of a board's changes, for live updates and catch-up (as ThreadEvent)."""

    class Kind(models.TextChoices):
        IDEA_CREATED = "idea.created"
        IDEA_UPDATED = "idea.updated"
        IDEA_VOTES = "idea.votes"
        BOARD_UPDATED = "board.updated"

    # one_board_event_per_seq (board, seq) serves what an index of its own would.
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["board", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="one_board_event_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.board_id}#{self.seq} {self.kind}"
