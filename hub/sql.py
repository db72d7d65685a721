"""Names for the few statements written as SQL (hot write paths): taken from the models,
quoted for the database, never from input."""

from django.db import connection


def table(model, conn=connection) -> str:
    return conn.ops.quote_name(model._meta.db_table)


def column(model, name: str, conn=connection) -> str:
    return conn.ops.quote_name(model._meta.get_field(name).column)
