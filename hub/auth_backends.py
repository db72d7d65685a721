"""Authentication backends that load the signed-in user together with what every page shows.

Every page for a signed-in person shows the notification badge. Django loads
``request.user`` once per request through the backend's ``get_user``; these
backends load it with the unread count (and the newest notification id, where the
live badge picks up from) and the leadership flag as subqueries of that same query, so
the badge and the Leadership link cost no query of their own. The same applies to
WebSockets (Channels asks the backend too).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from hub.notifications.selectors import with_notification_counts


def with_leadership_flag(users):
    """Whether each user holds hub.review_ideas directly or through a group: the header's
    Leadership link asks on every page, and has_perm would cost two queries."""
    permission = Permission.objects.filter(codename="review_ideas", content_type__app_label="hub")
    held = permission.filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
    return users.annotate(holds_leadership_permission=Exists(held))


class _LoadsNotificationCounts:
    def get_user(self, user_id):
        users = get_user_model()._default_manager.filter(pk=user_id)
        user = with_leadership_flag(with_notification_counts(users)).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(_LoadsNotificationCounts, AllauthBackend):
    """allauth's backend (email login, single sign-on); allauth prefers it for its logins."""


class ModelBackend(_LoadsNotificationCounts, DjangoModelBackend):
    """Django's backend: username and password, as the admin login form sends them."""
