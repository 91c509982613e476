from ravabet.offices.tests.factories import jpeg, pdf  # noqa: F401 — the reports tests attach these
from ravabet.reports import services
from ravabet.reports.models import Kind, Source, UnitReport, Urgency
from ravabet.testing import World


def make_report(world: World, *, kind: str = Kind.PROBLEM, send: bool = True, subject: str = "کمبود پارکینگ ارباب رجوع",
                **extra) -> UnitReport:
    data = {"source": Source.PEOPLE, "description": "مراجعان برای پارک خودرو مشکل دارند.",
            "urgency": Urgency.NORMAL, **extra}
    return services.report_create(unit=world.county_a, by=world.officer, kind=kind, subject=subject, send=send,
                                  **data)
