"""Recompute every stored search key after the folding rules of `ravabet.lib.text.search_key` change.

Run once after deploying issue 12: `manage.py rebuild_search_keys` (add `--dry-run` to count only).
Rows whose new key would collide with a unique key of another row (two press outlets of one unit whose
names differ only in ZWNJ/space) are left as they are and listed, for a person to merge.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction

from ravabet.lib.text import search_key


def _news_key(news) -> str:
    from ravabet.news.text import news_search_key

    return news_search_key(title=news.title, lead=news.lead, body=news.body, tags=news.tags)


# (app label, model, key field, function of the row giving the key)
KEYS = [
    ("news", "News", "search_key", _news_key),
    ("complaints", "Case", "search_key", lambda row: search_key(f"{row.subject} {row.text}")),
    ("messaging", "Announcement", "text_key", lambda row: search_key(f"{row.title} {row.body}")),
    ("messaging", "Announcement", "occasion_key", lambda row: search_key(row.occasion)),
    ("messaging", "TickerText", "occasion_key", lambda row: search_key(row.occasion)),
    ("press", "Outlet", "name_key", lambda row: search_key(row.name)),
    ("press", "Keyword", "key", lambda row: search_key(row.text)),
]


class Command(BaseCommand):
    help = "Recompute stored search keys (news, complaints, messaging, press) with the current folding rules."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count the keys that would change, write nothing")

    def handle(self, *args, dry_run=False, **options):
        for app_label, model_name, field, compute in KEYS:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            changed = skipped = 0
            for row in model.objects.all().iterator(chunk_size=500):
                key = compute(row)
                if getattr(row, field) == key:
                    continue
                changed += 1
                if dry_run:
                    continue
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=row.pk).update(**{field: key})
                except IntegrityError:
                    skipped += 1
                    changed -= 1
                    self.stdout.write(f"  {model_name} {row.pk}: key «{key}» already used by another row; left as is")
            verb = "would change" if dry_run else "changed"
            self.stdout.write(f"{app_label}.{model_name}.{field}: {changed} {verb}, {skipped} left (duplicate)")
