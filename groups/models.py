from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.markdown import render_markdown


class Group(models.Model):
    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", _("Improvement group")
        INTEREST = "interest", _("Special-interest group")

    class Visibility(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        CLOSED = "closed", _("Closed: join on request")
        PRIVATE = "private", _("Private: by invitation only")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Not approved")

    class Colour(models.TextChoices):
        # Each colour has at least 4.5:1 contrast with white text and on white.
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")
        ORANGE = "orange", _("Orange")
        PURPLE = "purple", _("Purple")
        RED = "red", _("Red")
        GREY = "grey", _("Grey")

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.OPEN
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    colour = models.CharField(_("colour"), max_length=16, choices=Colour.choices, default="blue")
    description = models.TextField(_("description"), blank=True, max_length=5000)
    description_html = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Moved forward by every write in the group (joins, posts, ideas): the directory sorts on it.
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="kring_groups"
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "-last_activity_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["improvement", "interest"]), name="group_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["open", "closed", "private"]),
                name="group_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active", "rejected"]),
                name="group_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Rendered once on save, never per page view.
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("groups:detail", args=[self.slug])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE and not self.is_archived


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MODERATOR = "moderator", _("Moderator")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    muted_until = models.DateTimeField(_("muted until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "moderator", "member"]),
                name="membership_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "group"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"

    @property
    def is_moderator(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.MODERATOR)

    def is_muted(self, now=None) -> bool:
        return self.muted_until is not None and self.muted_until > (now or timezone.now())


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at"]
        constraints = [
            # One open request per person per group; old decided ones stay as history.
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined", "withdrawn"]),
                name="join_request_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.group} ({self.status})"


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Withdrawn")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Either an existing colleague or an email address that may not have an account yet.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"), blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "revoked"]),
                name="invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="invitation_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} → {self.group} ({self.status})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("groups:invitation", args=[self.token])

    @property
    def recipient(self) -> str:
        return str(self.user) if self.user_id else self.email

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > (now or timezone.now())


class ModerationLogEntry(models.Model):
    """Who did what to whom in a group, and why. Never edited, never deleted with a user."""

    class Action(models.TextChoices):
        CREATE_GROUP = "create_group", _("created the group")
        APPROVE_GROUP = "approve_group", _("approved the group")
        REJECT_GROUP = "reject_group", _("did not approve the group")
        CHANGE_SETTINGS = "change_settings", _("changed the settings")
        ARCHIVE = "archive", _("archived the group")
        UNARCHIVE = "unarchive", _("reopened the group")
        APPROVE_REQUEST = "approve_request", _("approved a join request")
        DECLINE_REQUEST = "decline_request", _("declined a join request")
        INVITE = "invite", _("invited someone")
        REVOKE_INVITATION = "revoke_invitation", _("withdrew an invitation")
        REMOVE_MEMBER = "remove_member", _("removed a member")
        CHANGE_ROLE = "change_role", _("changed a role")
        MUTE = "mute", _("muted a member")
        UNMUTE = "unmute", _("unmuted a member")
        DELETE_POST = "delete_post", _("removed a message")
        HIDE_POST = "hide_post", _("hid a message")
        UNHIDE_POST = "unhide_post", _("showed a hidden message again")
        PIN_THREAD = "pin_thread", _("pinned a discussion")
        UNPIN_THREAD = "unpin_thread", _("unpinned a discussion")
        LOCK_THREAD = "lock_thread", _("closed a discussion")
        UNLOCK_THREAD = "unlock_thread", _("reopened a discussion")
        MOVE_THREAD_OUT = "move_thread_out", _("moved a discussion to another group")
        MOVE_THREAD_IN = "move_thread_in", _("moved a discussion into this group")
        CREATE_BOARD = "create_board", _("created an idea board")
        CHANGE_BOARD = "change_board", _("changed an idea board")
        CHANGE_IDEA_STATUS = "change_idea_status", _("changed the status of an idea")
        ASSIGN_IDEA_OWNER = "assign_idea_owner", _("made someone responsible for an idea")
        HIDE_IDEA = "hide_idea", _("hid an idea")
        UNHIDE_IDEA = "unhide_idea", _("showed a hidden idea again")
        HIDE_COMMENT = "hide_comment", _("hid a comment")
        UNHIDE_COMMENT = "unhide_comment", _("showed a hidden comment again")
        LOCK_COMMENTS = "lock_comments", _("closed the comments on an idea")
        UNLOCK_COMMENTS = "unlock_comments", _("reopened the comments on an idea")
        EDIT_IDEA = "edit_idea", _("edited someone's idea")
        PROMOTE_THREAD = "promote_thread", _("turned a discussion into an idea")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=32)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} ({self.group})"

    def get_action_display(self) -> str:
        try:
            return self.Action(self.action).label
        except ValueError:  # actions added by later apps keep their code readable
            return self.action
