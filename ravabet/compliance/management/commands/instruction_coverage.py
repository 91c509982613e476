from django.core.management.base import BaseCommand

from ravabet.compliance.catalog import items
from ravabet.compliance.registry import features_for_item


class Command(BaseCommand):
    help = "Print, one line per instruction item, the URL names that serve it and built/missing."

    def handle(self, *args, **options):
        rows = []
        for code in items():
            url_names = sorted({feature.url_name for feature in features_for_item(code)})
            rows.append((code, ", ".join(url_names) or "-", "built" if url_names else "missing"))
        width = max(len(row[1]) for row in rows)
        self.stdout.write(f"{'item':<5} {'urls':<{width}} status")
        for code, urls, status in rows:
            self.stdout.write(f"{code:<5} {urls:<{width}} {status}")
        built = sum(row[2] == "built" for row in rows)
        self.stdout.write(f"{built} of {len(rows)} items built")
