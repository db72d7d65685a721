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
        return self.display_name or self.get_full_name() or self.email or self.username


class Notification(models.Model):
    """Something that happened for one person (a mention, later replies, decisions, ...).

    Stored now; the notification centre that lists them is a later issue. ``url``
    points at a permalink that survives a thread moving to another group.
    """

    class Kind(models.TextChoices):
        MENTION = "mention", _("mentioned you")
        IDEA_STATUS = "idea_status", _("changed the status of an idea you follow")
        IDEA_RESPONSE = "idea_response", _("responded to an idea you follow")

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

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind}"
