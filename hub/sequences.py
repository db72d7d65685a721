"""Event numbers (seq) of the logs that sockets catch up from: threads and boards."""

from django.db import connection
from django.db.models import F


def next_seq(model, pk: int, field: str = "last_seq") -> int:
    """Add one to ``model``'s ``field`` on row ``pk`` and return the new value.

    The UPDATE keeps the row locked until commit, so events commit in seq order. One
    query where the database can return from an UPDATE (PostgreSQL, SQLite >= 3.35).
    """
    if connection.features.can_return_columns_from_insert:
        quote = connection.ops.quote_name
        column = quote(model._meta.get_field(field).column)
        with connection.cursor() as cursor:
            cursor.execute(  # names from the model, not from input
                f"UPDATE {quote(model._meta.db_table)} SET {column} = {column} + 1"  # noqa: S608
                f" WHERE {quote(model._meta.pk.column)} = %s RETURNING {column}",
                [pk],
            )
            return cursor.fetchone()[0]
    model.objects.filter(pk=pk).update(**{field: F(field) + 1})
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()
