"""Full-text search index (PostgreSQL only): the same expression hub/search/backends.py
searches with (search_vector), so the planner can use it. SQLite has no GIN indexes;
its fallback search needs none."""

from django.db import migrations

INDEX = "group_search_dutch"
CREATE = (
    "CREATE INDEX IF NOT EXISTS group_search_dutch ON groups_group USING gin ("
    "(setweight(to_tsvector('dutch'::regconfig, COALESCE(name, '')), 'A')"
    " || setweight(to_tsvector('dutch'::regconfig, COALESCE(description, '')), 'B'))"
    ")"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
