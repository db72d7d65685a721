"""Django's database sessions (SESSION_ENGINE), read by SQL written once per database.

Every signed-in request and WebSocket reads its session. Django builds that query
through the ORM each time; building it cost more CPU than running it (measured with
bench/votes.py). The row, the expiry rule and everything else stay Django's.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from hub.sql import column, convert, converters, table


@cache
def _read(alias: str, model) -> tuple[str, list]:
    """The SQL of "this key's session, if it has not expired", and the converters of its
    two columns."""
    conn = connections[alias]
    sql = (  # names from the model, values as parameters
        f"SELECT {column(model, 'session_data', conn)}, {column(model, 'expire_date', conn)}"  # noqa: S608
        f" FROM {table(model, conn)} WHERE {column(model, 'session_key', conn)} = %s"
        f" AND {column(model, 'expire_date', conn)} > %s"
    )
    fields = [model._meta.get_field(name) for name in ("session_data", "expire_date")]
    return sql, converters(fields, conn)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        sql, found = _read(alias, model)
        conn = connections[alias]
        with conn.cursor() as cursor:
            cursor.execute(sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: no such session, or it has expired
            return None
        values = [self.session_key, *convert(row, found, conn)]
        return model.from_db(alias, ["session_key", "session_data", "expire_date"], values)
