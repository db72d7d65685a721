"""Authentication backends that load the signed-in user together with what every page shows.

Every page for a signed-in person shows the notification badge. Django loads
``request.user`` once per request through the backend's ``get_user``; these
backends load it with the unread count (and the newest notification id, where the
live badge picks up from) and the leadership flag as subqueries of that same query, so
the badge and the Leadership link cost no query of their own. The same applies to
WebSockets (Channels asks the backend too).
"""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q

from hub.notifications.selectors import with_notification_counts


def with_leadership_flag(users):
    """Whether each user holds hub.review_ideas directly or through a group: the header's
    Leadership link asks on every page, and has_perm would cost two queries."""
    permission = Permission.objects.filter(codename="review_ideas", content_type__app_label="hub")
    held = permission.filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
    return users.annotate(holds_leadership_permission=Exists(held))


# Stands for the user's id while the query is compiled (an id no account has).
_PLACEHOLDER = -7_000_000_007


@cache
def _compiled_user_query(alias: str) -> tuple[str, tuple, int]:
    """The SQL of the user query, compiled once per database: building its subqueries cost
    more than running it (about 2.5 ms a request). ``(sql, params, where the id goes)``."""
    users = get_user_model()._default_manager.using(alias).filter(pk=_PLACEHOLDER)
    query = with_leadership_flag(with_notification_counts(users)).order_by()[:1]
    sql, params = query.query.get_compiler(alias).as_sql()
    return sql, tuple(params), list(params).index(_PLACEHOLDER)


def load_user(user_id):
    """The user with ``unread_notifications``, ``latest_notification_id`` and
    ``holds_leadership_permission``, or None."""
    model = get_user_model()
    try:
        user_id = model._meta.pk.to_python(user_id)
    except Exception:  # a session from elsewhere: no such user
        return None
    alias = router.db_for_read(model)
    sql, params, at = _compiled_user_query(connections[alias].alias)
    params = (*params[:at], user_id, *params[at + 1 :])
    return next(iter(model._default_manager.using(alias).raw(sql, params)), None)


class _LoadsNotificationCounts:
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(_LoadsNotificationCounts, AllauthBackend):
    """allauth's backend (email login, single sign-on); allauth prefers it for its logins."""


class ModelBackend(_LoadsNotificationCounts, DjangoModelBackend):
    """Django's backend: username and password, as the admin login form sends them."""
