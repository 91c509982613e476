"""Records for the generated step × actor test (ravabet/workflow/tests/test_matrix.py): one of county A
(or of HQ, for HQ's own texts) in the asked state, satisfying the step's guards, and what a person types."""

import datetime as dt

from django.utils import timezone

from .factories import image_upload, make_announcement, make_banner, make_ticker


def announcement(world, step: str, source: str):
    # Due for the scheduler's `start`, later for a cancel; nothing left to send for `finish`.
    send_at = timezone.now() + (dt.timedelta(minutes=-1) if step == "start" else dt.timedelta(hours=2))
    record = make_announcement(world.county_a, state=source, send_at=send_at, recipients_count=0, processed_count=0)
    return record, {}


def ticker(world, step: str, source: str):
    unit = world.hq if step == "submit_own" else world.county_a
    record = make_ticker(unit, state=source, review_note="متن را کوتاه‌تر بنویسید" if source == "returned" else "")
    values = {"send_back": {"review_note": "برای سربرگ بلند است؛ کوتاه‌ترش کنید."},
              "approve": {"review_note": "تأیید شد؛ به صداوسیما فرستاده می‌شود."}}.get(step, {})
    return record, values


def banner(world, step: str, source: str):
    record = make_banner(world.county_a, state=source)
    if step == "install":
        record.installed_photo.save("installed.jpg", image_upload(), save=True)
    values = {"send_back": {"review_note": "سمت درگذشته را کامل بنویسید."},
              "approve": {"edited_text": "", "review_note": ""}}.get(step, {})
    return record, values


SAMPLES = {
    "messaging.announcement": announcement,
    "messaging.tickertext": ticker,
    "messaging.condolencebanner": banner,
}
