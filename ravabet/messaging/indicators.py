"""How HQ measures the staff-messaging items (B1, B6-B8, B10, B11) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare
from ravabet.offices.models import Person

from .models import Announcement, AnnouncementState, CondolenceBanner, DuplicateCheck, Kind, ReviewState, TickerText

SENT = Q(state=AnnouncementState.SENT)

declare(
    Measure(item="B1", label="اطلاعیه فرستاده‌شده به کارکنان", model=Announcement, date="sent_at", done=SENT,
            target=Decimal(2)),
    Measure(item="B6", label="اطلاعیه مراسم، برنامه و مناسبت به کارکنان", model=Announcement, date="sent_at",
            done=SENT & Q(kind__in=[Kind.PROGRAMME, Kind.OCCASION, Kind.CONGRATULATION, Kind.CONDOLENCE]),
            target=Decimal(1)),
    Measure(item="B7", label="پیام تکراری که جلوگیری یا بررسی شد", model=DuplicateCheck, date="created_at",
            target=Decimal(0)),
    Measure(item="B8", label="بنر تسلیت تأییدشده", model=CondolenceBanner, date="approved_at", target=Decimal(0)),
    Measure(item="B10", label="متن زیرنویس، تابلو و سربرگ تأییدشده", model=TickerText, date="created_at",
            done=Q(state=ReviewState.APPROVED), target=Decimal(1)),
    # A state, not an event: the share of the unit's active staff with a valid mobile number.
    Measure(item="B11", label="کارکنان فعال با شماره همراه معتبر", model=Person, done=Q(is_active=True),
            kind="ratio", good=Q(mobile__regex=r"^09[0-9]{9}$"), target=Decimal(0), title="full_name"),
)
