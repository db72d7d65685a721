from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        # Cached post fragments show names; a name changes without a thread event.
        user = get_user_model()
        post_save.connect(_names_may_have_changed, sender=user, dispatch_uid="fragments-user")
        post_delete.connect(_names_may_have_changed, sender=user, dispatch_uid="fragments-gone")


def _names_may_have_changed(sender, update_fields=None, **kwargs):
    from discussions import fragments

    if update_fields and set(update_fields) <= {"last_login"}:
        return  # every login saves this: nothing the fragments show
    fragments.site_version_changed()
