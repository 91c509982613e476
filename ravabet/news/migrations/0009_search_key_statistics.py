"""On PostgreSQL, a finer sample of the folded search key for the planner (issue 18 §5).

The planner prices `search_key LIKE '%word%'` by trying the pattern on the column's sampled values (its most
common values and histogram). With the default 100 of them a word found in 1 item of 200 and a word found
in none of the sample look alike, and a frequent word's share is a guess: the public news search then reads
the date index filtering by the word when the trigram index would have answered at once, or the reverse.
1,000 sampled values (ANALYZE reads 300,000 rows for them) tell 0.1 % from 10 %. SQLite has no such
setting: nothing is done there. Reversed by going back to the server's default target (-1).
"""

from django.db import migrations

TARGET = 1000


def _set(schema_editor, target: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE news_news ALTER COLUMN search_key SET STATISTICS {target}")


def finer(apps, schema_editor):
    _set(schema_editor, TARGET)


def default(apps, schema_editor):
    _set(schema_editor, -1)


class Migration(migrations.Migration):
    dependencies = [("news", "0008_desk_covering_index")]

    operations = [migrations.RunPython(finer, default, elidable=False)]
