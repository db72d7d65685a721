"""Full-text search index (PostgreSQL only): the same expression hub/search/backends.py
searches with (search_vector), so the planner can use it. SQLite has no GIN indexes;
its fallback search needs none."""

from django.db import migrations

INDEX = "idea_search_dutch"
CREATE = (
    "CREATE INDEX IF NOT EXISTS idea_search_dutch ON ideas_idea USING gin ("
    "(setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('dutch'::regconfig, COALESCE(body, '')), 'B'))"
    ")"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0003_leadership_review")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
