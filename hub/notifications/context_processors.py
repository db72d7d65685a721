"""What every page needs for the notification badge and its script."""

from functools import cached_property

from django.utils.translation import gettext as _

from hub.notifications import selectors
from hub.permissions import is_leadership


class NotificationCounts:
    """The badge's numbers. hub.auth_backends loads them with the user (no extra query);
    a user loaded some other way (just signed in, this very request) costs one query."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        value = getattr(self.user, "unread_notifications", None)
        return selectors.unread_count(self.user) if value is None else value

    @cached_property
    def latest_id(self) -> int:
        value = getattr(self.user, "latest_notification_id", None)
        return selectors.latest_id(self.user) if value is None else value


def script_strings() -> dict[str, str]:
    """Texts for static/js/notifications.js, in the page's language."""
    return {
        "newOne": _("New notification: %(text)s"),
        "newMany": _("%(count)s new notifications"),
        "unreadOne": _("1 unread"),
        "unreadMany": _("%(count)s unread"),
        "reload": _("There are more new notifications. Reload the page to see them all."),
    }


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "notification_counts": NotificationCounts(user),
        "notification_strings": script_strings,
        "is_leadership": is_leadership(user),
    }
