"""On PostgreSQL, a trigram GIN index over the folded search key (issue 18.5): the public news search's
`search_key LIKE '%word%'` (lib.text.search_key folding) is answered from the index instead of a scan of
every row. SQLite keeps the plain scan: nothing is done there."""

from django.db import migrations

INDEX = "news_news_search_key_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON news_news USING gin (search_key gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("news", "0005_occasion_ref")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
