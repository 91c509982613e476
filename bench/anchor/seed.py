"""Create the anchor's table and fill it with 100,000 rows (once): python -m bench.anchor.seed"""

import datetime as dt
import os

import django

ROWS = 100_000


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.anchor.settings"
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from .models import Row

    if Row._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(Row)
    if Row.objects.count() >= ROWS:
        return
    start = timezone.now() - dt.timedelta(days=ROWS // 50)
    Row.objects.bulk_create((Row(title=f"ردیف شماره {n}", created_at=start + dt.timedelta(minutes=29 * n))
                             for n in range(ROWS)), batch_size=5000)


if __name__ == "__main__":
    main()
