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
