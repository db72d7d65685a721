from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An employee. Email is the login (allauth); the username stays for @mentions."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    department = models.CharField(
        _("department or unit"),
        max_length=120,
        blank=True,
        help_text=_("For example: Mobility, Spatial planning, Finance."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("Used for the site and for emails sent to you."),
    )
    # Set when the person deleted their account: the row stays as an anonymous tombstone
    # so their posts, ideas and votes keep counting without naming them.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    # Secret for the personal Atom feed of decisions (feed readers cannot log in).
    feed_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("review_ideas", _("Can review ideas across all groups (leadership)")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """What other people see: the display name, else the full name, else the email."""
        if self.deleted_at:
            return str(_("Deleted account"))
        return self.display_name or self.get_full_name() or self.email or self.username


class Digest(models.Model):
    """One daily digest email for one person: unique per day, so sending is never doubled."""

    user = models.ForeignKey("hub.User", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class Notification(models.Model):
    """Something that happened for one person. Made only by hub.notifications.services.notify,
    which applies the person's preference for the kind. ``url`` points at a permalink that
    survives a thread moving to another group."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("mentioned you")
        REPLY = "reply", _("replied to you")
        JOIN_DECISION = "join_decision", _("answered your request to join")
        INVITATION = "invitation", _("invited you to a group")
        IDEA_STATUS = "idea_status", _("changed the status of an idea you follow")
        IDEA_RESPONSE = "idea_response", _("responded to an idea you follow")
        IDEA_OWNER = "idea_owner", _("made you responsible for an idea")

    recipient = models.ForeignKey(
        "hub.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        "hub.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=300)
    excerpt = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Delivery bookkeeping: the preference at the time it was made, and when it went out.
    delivery = models.CharField(max_length=8, default="app", editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind}"


class Delivery(models.TextChoices):
    APP = "app", _("Only in Kring")
    EMAIL = "email", _("In Kring and by email at once")
    DIGEST = "digest", _("In Kring and in a daily email")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    """How one person wants to hear about one kind of notification (else the default)."""

    user = models.ForeignKey(
        "hub.User", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Notification.Kind.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


# What a person gets until they choose: direct questions by email, the rest in the digest.
DEFAULT_DELIVERY = {
    Notification.Kind.MENTION: Delivery.EMAIL,
    Notification.Kind.REPLY: Delivery.DIGEST,
    Notification.Kind.JOIN_DECISION: Delivery.EMAIL,
    Notification.Kind.INVITATION: Delivery.EMAIL,
    Notification.Kind.IDEA_STATUS: Delivery.DIGEST,
    Notification.Kind.IDEA_RESPONSE: Delivery.DIGEST,
    Notification.Kind.IDEA_OWNER: Delivery.EMAIL,
}
