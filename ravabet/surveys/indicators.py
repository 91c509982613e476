"""How HQ measures opinion surveys (D5) in its evaluation of units (issue 10)."""

from decimal import Decimal

from ravabet.compliance.measures import Measure, declare

from .models import Survey

declare(
    Measure(item="D5", label="نظرسنجی که نتیجه‌اش به رئیس واحد و اداره کل گزارش شد", model=Survey,
            date="reported_at", target=Decimal(2), target_per="year", title="title",
            note="هدف اداره کل به ازای سال است و به نسبت ماه‌های دوره حساب می‌شود."),
)
