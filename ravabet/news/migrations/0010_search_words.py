"""On PostgreSQL, a word index for the public news search (issue 18 §5).

The search matches an item when its folded search key contains every query word, a word inside a longer one
included («راه» finds «همراه»). A query word has no space, so it is inside the key exactly when it is inside
one of the key's space-separated words. Two structures answer that without reading the items:

- `news_search_word`: every word that occurs in some item's search key (one row each), with a trigram GIN
  index, so the key words containing a query word are found among the distinct words (thousands), not the
  items (a million). A trigger on news_news adds the words of each inserted or changed search key (in sorted
  order, so two transactions adding the same words wait for each other instead of deadlocking); words are
  never removed (a word no item has any more only finds nothing).
- `news_news_search_words`: a GIN index over `string_to_array(search_key, ' ')`, so the items having any of
  those key words are read from its posting lists (`&&`), a few hundred rows instead of the trigram index's
  candidates of every item sharing three letters.

SQLite keeps the simple path: nothing is done there. Reversed by dropping the four objects.
"""

from django.db import migrations

TABLE = "news_search_word"
INDEX = "news_news_search_words"
FUNCTION = "news_search_words_add"
TRIGGER = "news_search_words"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (word text PRIMARY KEY)")
    execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_trgm ON {TABLE} USING gin (word gin_trgm_ops)")
    execute(f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (word)
    SELECT DISTINCT w FROM unnest(string_to_array(NEW.search_key, ' ')) AS w WHERE w <> '' ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$""")
    execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON news_news")
    execute(f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OF search_key ON news_news "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()")
    execute(f"INSERT INTO {TABLE} (word) SELECT DISTINCT w FROM news_news, "
            f"unnest(string_to_array(search_key, ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING")
    execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON news_news USING gin (string_to_array(search_key, ' '))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON news_news")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("news", "0009_search_key_statistics")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
