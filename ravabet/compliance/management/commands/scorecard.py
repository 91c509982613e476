"""`manage.py scorecard --year 1405 --month 9` (or `--quarter 3`, or only `--year`): HQ's ranking
as plain text — rank, unit code, score out of 100, change since the previous period (issue 10 §8).
`--freeze` also stores the period's snapshot (the scheduled close); `--recompute` replaces it, logged."""

from django.core.management.base import BaseCommand, CommandError

from ravabet.compliance.evaluation import Period, PeriodError, evaluate, freeze
from ravabet.offices.models import Unit, UnitKind


class Command(BaseCommand):
    help = "Print HQ's ranking of its county units for a Jalali month, quarter or year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Jalali year, e.g. 1405")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--month", type=int, help="Jalali month 1-12")
        group.add_argument("--quarter", type=int, help="quarter 1-4")
        parser.add_argument("--freeze", action="store_true", help="store the period's snapshot if not stored")
        parser.add_argument("--recompute", action="store_true", help="replace a stored snapshot (logged)")

    def handle(self, *args, year, month=None, quarter=None, **options):
        text = f"{year}-{month}" if month else f"{year}-Q{quarter}" if quarter else str(year)
        try:
            period = Period.parse(text)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        units = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("name")
        if options["freeze"] or options["recompute"]:
            freeze(period, units, recompute=options["recompute"])
        result = evaluate(period, units)
        self.stdout.write(f"{period.key}  ({len(result.rows)} units){'  frozen' if result.frozen else ''}")
        for row in result.rows:
            change = "" if row.change is None else f"{row.change:+.1f}"
            self.stdout.write(f"{row.rank:>3}  {row.unit.code:<20} {row.total:>6.1f}  {change:>6}")
