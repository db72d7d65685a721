"""For the few statements written as SQL (hot paths): names taken from the models, quoted
for the database, never from input; and their rows converted as the ORM would."""

from django.db import connection


def table(model, conn=connection) -> str:
    return conn.ops.quote_name(model._meta.db_table)


def column(model, name: str, conn=connection) -> str:
    return conn.ops.quote_name(model._meta.get_field(name).column)


def converters(fields, conn=connection, table_alias: str | None = None) -> list:
    """Per column of ``fields``, the conversions the ORM applies to what the database
    returns (SQLite stores datetimes as text): ``(index, function, expression)``."""
    found = []
    for n, field in enumerate(fields):
        expression = field.get_col(table_alias or field.model._meta.db_table)
        for function in conn.ops.get_db_converters(expression) + field.get_db_converters(conn):
            found.append((n, function, expression))
    return found


def convert(values, found: list, conn=connection) -> list:
    """``values`` as the ORM would load them, by ``converters(...)``."""
    values = list(values)
    for n, function, expression in found:
        values[n] = function(values[n], expression, conn)
    return values
