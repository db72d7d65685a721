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


class _UserQuery:
    """The user query, compiled once per database with what reading its row takes: building
    its subqueries cost more than running it (about 2.5 ms a request), and a raw queryset
    per request most of the rest. The row is read as the ORM reads it: its converters, then
    ``Model.from_db`` for the fields and plain attributes for the annotations."""

    def __init__(self, alias: str):
        model = get_user_model()
        users = model._default_manager.using(alias).filter(pk=_PLACEHOLDER)
        query = with_leadership_flag(with_notification_counts(users)).order_by()[:1]
        compiler = query.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        self.alias, self.model, self.sql = alias, model, sql
        self.params = list(params)
        self.at = self.params.index(_PLACEHOLDER)
        self.converters = compiler.get_converters([column for column, _s, _a in compiler.select])
        self.compiler = compiler
        start, end = (
            compiler.klass_info["select_fields"][0],
            compiler.klass_info["select_fields"][-1] + 1,
        )
        self.fields = slice(start, end)
        self.attnames = [compiler.select[n][0].target.attname for n in range(start, end)]
        self.annotations = list(compiler.annotation_col_map.items())

    def get(self, user_id):
        params = self.params.copy()
        params[self.at] = user_id
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(self.compiler.apply_converters([row], self.converters))
        user = self.model.from_db(self.alias, self.attnames, row[self.fields])
        for name, n in self.annotations:
            setattr(user, name, row[n])
        return user


@cache
def _user_query(alias: str) -> _UserQuery:
    return _UserQuery(alias)


def load_user(user_id):
    """The user with ``unread_notifications``, ``latest_notification_id`` and
    ``holds_leadership_permission``, or None."""
    model = get_user_model()
    try:
        user_id = model._meta.pk.to_python(user_id)
    except Exception:  # a session from elsewhere: no such user
        return None
    return _user_query(connections[router.db_for_read(model)].alias).get(user_id)


class _LoadsNotificationCounts:
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(_LoadsNotificationCounts, AllauthBackend):
    """allauth's backend (email login, single sign-on); allauth prefers it for its logins."""


class ModelBackend(_LoadsNotificationCounts, DjangoModelBackend):
    """Django's backend: username and password, as the admin login form sends them."""
