"""On PostgreSQL, a word index by period for the public news search's rare words (issue 18 §5).

The word index of news 0010 answers «the items having one of these key words» from posting lists that cover
every year: for two middling words (each in a few percent of a million items) the search asks for the newest
few thousand items, yet reads some 34,000 entries of the rarer word's lists to find them (9 of the query's
12 ms). This index holds each key word together with the 30-day period of the item's publication
(`word@period`, the period being the whole number of 30-day spans since 1970-01-01 UTC, e.g. «جاده@692»), so
the newest items' entries are read from the lists of the few latest periods only: 700 entries and 0.3 ms for
the same search.

The planner prices such a condition by the index expression's most common elements; a `word@period` outside them
is priced at half the rarest one's share, some ten times too many items for a rare word, and a parallel plan
was chosen whose start-up (8 ms seen) cost more than the whole search. The news table's reads are all short
look-ups, so it gets no parallel workers (`parallel_workers = 0`).

`news_search_word_periods(search_key, published_at)` (IMMUTABLE: `extract(epoch …)` of a timestamptz is the
same in every time zone) makes those elements; `selectors.word_period_terms` writes the query's side. SQLite
keeps the simple path: nothing is done there. Reversed by dropping the index and the function and resetting
`parallel_workers`.
"""

from django.db import migrations

FUNCTION = "news_search_word_periods"
INDEX = "news_news_search_word_periods"
PERIOD_SECONDS = 30 * 86400  # selectors.PERIOD_SECONDS


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"""CREATE OR REPLACE FUNCTION {FUNCTION}(key text, published timestamptz) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT array_agg(w || '@' || floor(extract(epoch FROM published) / {PERIOD_SECONDS})::int)
FROM unnest(string_to_array(key, ' ')) AS w WHERE w <> '' $$""")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON news_news USING gin "
                          f"({FUNCTION}(search_key, published_at))")
    schema_editor.execute("ALTER TABLE news_news SET (parallel_workers = 0)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE news_news RESET (parallel_workers)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, timestamptz)")


class Migration(migrations.Migration):
    dependencies = [("news", "0010_search_words")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
