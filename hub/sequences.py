"""Event numbers (seq) of the logs that sockets catch up from: threads and boards."""

from django.db import connection
from django.db.models import F

from hub.sql import column, table


def next_seq(model, pk: int, field: str = "last_seq") -> int:
    """Add one to ``model``'s ``field`` on row ``pk`` and return the new value.

    The UPDATE keeps the row locked until commit, so events commit in seq order. One
    query where the database can return from an UPDATE (PostgreSQL, SQLite >= 3.35).
    """
    if connection.features.can_return_columns_from_insert:
        seq = column(model, field)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table(model)} SET {seq} = {seq} + 1"  # noqa: S608
                f" WHERE {column(model, model._meta.pk.name)} = %s RETURNING {seq}",
                [pk],
            )
            return cursor.fetchone()[0]
    model.objects.filter(pk=pk).update(**{field: F(field) + 1})
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()
