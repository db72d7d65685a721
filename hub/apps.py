from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Kring")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        # Cached fragments (hub/fragments.py) show names; a name changes without an event.
        user = self.get_model("User")
        post_save.connect(_names_may_have_changed, sender=user, dispatch_uid="fragments-user")
        post_delete.connect(_names_may_have_changed, sender=user, dispatch_uid="fragments-gone")


def _names_may_have_changed(sender, update_fields=None, **kwargs):
    from hub import fragments

    if update_fields and set(update_fields) <= {"last_login", "language"}:
        return  # logins and language choices: nothing a fragment shows
    fragments.site_version_changed()
