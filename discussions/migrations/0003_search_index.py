"""Full-text search indexes (PostgreSQL only): the same expressions hub/search/backends.py
searches with (search_vector), so the planner can use them. SQLite has no GIN indexes;
its fallback search needs none."""

from django.db import migrations

INDEXES = {
    "thread_search_dutch": (
        "discussions_thread",
        "to_tsvector('dutch'::regconfig, COALESCE(title, ''))",
    ),
    "post_search_dutch": (
        "discussions_post",
        "to_tsvector('dutch'::regconfig, COALESCE(body, ''))",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, expression) in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("discussions", "0002_threads_posts_realtime")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
