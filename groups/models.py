from django.conf import settings
from django.db import models
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

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.OPEN
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    description_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="kring_groups"
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["improvement", "interest"]), name="group_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["open", "closed", "private"]),
                name="group_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Rendered once on save, never per page view.
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)


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
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "moderator", "member"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"
