"""What the complaints part declares: features and their instruction items, home-page entries,
indicators and the monthly report section."""

from django.db.models import Count, Q
from django.urls import reverse

from ravabet.compliance.registry import (
    Feature,
    HomeEntry,
    register_feature,
    register_indicator,
    register_report_section,
    register_review,
    register_todo,
)
from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES

from .models import OPEN_STATES, Case, Channel, Kind, State
from .selectors import Flags, in_time_percent, outcome_counts

register_feature(
    Feature(key="complaints.public_new", title="ثبت شکایت، درخواست یا پیشنهاد", url_name="complaints:public_new",
            items=("D2",), public=True, in_nav=False),
    Feature(key="complaints.public_track", title="پیگیری شکایت با کد رهگیری", url_name="complaints:public_track",
            items=("D2",), public=True, in_nav=False),
    Feature(key="complaints.list", title="شکایات و درخواست‌های مردمی", url_name="complaints:list",
            items=("D2", "D4"), roles=HQ_ROLES | UNIT_ROLES),
    Feature(key="complaints.create", title="ثبت سریع شکایت تلفنی، حضوری، صندوق و ایمیل",
            url_name="complaints:create", items=("D2",), roles=UNIT_ROLES),
    Feature(key="complaints.press", title="ثبت شکایت مطبوعاتی و ارجاع به رئیس اداره",
            url_name="complaints:press_create", items=("D1",), roles=UNIT_ROLES),
    Feature(key="complaints.hq_forward", title="ارجاع شکایت مطبوعاتی به اداره شهرستان",
            url_name="complaints:hq_forward", items=("D4",), roles=HQ_ROLES),
    Feature(key="complaints.hq_forwarded", title="پیگیری شکایات مطبوعاتی ارجاع‌شده", url_name="complaints:hq_forwarded",
            items=("D4",), roles=HQ_ROLES),
    Feature(key="complaints.hq_overdue", title="شکایات گذشته از مهلت", url_name="complaints:hq_overdue",
            items=("D2", "D4"), roles=HQ_ROLES),
    Feature(key="complaints.figures", title="آمار شکایات و رضایت مردم", url_name="complaints:figures",
            items=("D2",), roles=HQ_ROLES | UNIT_ROLES),
    Feature(key="complaints.deadlines", title="مهلت پاسخ به شکایات", url_name="complaints:deadlines",
            items=("D2",), roles=HQ_ROLES),
)


@register_todo
def complaints_todo(access, unit) -> list[HomeEntry]:
    flags = Flags.now()
    # Every count below is of open cases: the state filter lets the (unit, state, deadline) index pick them
    # instead of reading the unit's whole history (issue 11 §6).
    row = Case.objects.filter(unit=unit, state__in=OPEN_STATES).aggregate(
        waiting=Count("pk", filter=Q(state=State.RECEIVED)),
        soon=Count("pk", filter=flags.due_soon()),
        overdue=Count("pk", filter=flags.overdue()),
    )
    url = reverse("complaints:list")
    entries = []
    if row["waiting"]:
        entries.append(HomeEntry(title="شکایت و درخواست در انتظار ارجاع", url=f"{url}?state={State.RECEIVED}",
                                 count=row["waiting"]))
    if row["soon"]:
        entries.append(HomeEntry(title="شکایت نزدیک مهلت پاسخ", url=f"{url}?due=soon", count=row["soon"],
                                 level="warning"))
    if row["overdue"]:
        entries.append(HomeEntry(title="شکایت گذشته از مهلت پاسخ", url=f"{url}?due=overdue", count=row["overdue"],
                                 level="danger"))
    return entries


@register_review
def complaints_review(access) -> list[HomeEntry]:
    flags = Flags.now()
    # Only the rows the counts look at (of the answered ones, just those HQ forwarded), all read from the
    # complaints_state_cover index (issue 11 §2, §6).
    looked_at = Q(state__in=(*OPEN_STATES, State.CLOSED_UNANSWERED)) | Q(forwarded_by_hq=True, state=State.ANSWERED)
    row = Case.objects.filter(looked_at, unit__in=access.unit_ids(HQ_ROLES)).aggregate(
        overdue=Count("pk", filter=flags.late()),
        press=Count("pk", filter=Q(forwarded_by_hq=True, state__in=OPEN_STATES)),
        answered=Count("pk", filter=Q(forwarded_by_hq=True, state=State.ANSWERED)),
    )
    entries = []
    if row["overdue"]:
        entries.append(HomeEntry(title="شکایت مردمی گذشته از مهلت", url=reverse("complaints:hq_overdue"),
                                 count=row["overdue"], level="danger"))
    if row["press"]:
        entries.append(HomeEntry(title="شکایت مطبوعاتی ارجاعی در انتظار پاسخ واحد",
                                 url=reverse("complaints:hq_forwarded") + "?state=referred", count=row["press"]))
    if row["answered"]:
        entries.append(HomeEntry(title="پاسخ واحدها به شکایات مطبوعاتی ارجاعی",
                                 url=reverse("complaints:hq_forwarded") + "?state=answered", count=row["answered"]))
    return entries


def _in_range(unit, start, end):
    return Case.objects.filter(unit=unit, **jalali.in_days("created_at", start, end))


@register_indicator("D2", "شکایت و درخواست مردمی ثبت‌شده")
def d2_count(unit, start, end) -> int:
    return _in_range(unit, start, end).exclude(channel__in=(Channel.PRESS, Channel.HQ_FORWARD)).count()


@register_indicator("D4", "شکایت مطبوعاتی ارجاعی اداره کل که پاسخ داده شد")
def d4_count(unit, start, end) -> int:
    return Case.objects.filter(unit=unit, forwarded_by_hq=True, **jalali.in_days("answered_at", start, end)).count()


@register_indicator("D1", "شکایت مطبوعاتی ارجاع‌شده به رئیس اداره")
def d1_count(unit, start, end) -> int:
    return _in_range(unit, start, end).filter(channel=Channel.PRESS, referred_to__isnull=False).count()


@register_report_section("complaints", "شکایات و درخواست‌های مردمی", order=40, items=("D1", "D2", "D4"))
def complaints_section(unit, start, end) -> dict:
    cases = _in_range(unit, start, end)
    row = cases.aggregate(
        total=Count("pk"), **outcome_counts(Flags.now()),
        **{f"kind_{value}": Count("pk", filter=Q(kind=value)) for value in Kind.values},
        **{f"state_{value}": Count("pk", filter=Q(state=value)) for value in State.values},
    )
    percent = in_time_percent(row)
    counts = [["همه پرونده‌ها", row["total"]], ["پاسخ‌داده", row["answered"]],
              ["بسته‌شده بدون پاسخ", row["closed_unanswered"]], ["گذشته از مهلت بی‌پاسخ", row["late"]]]
    if percent is not None:
        counts.append(["پاسخ در مهلت (درصد)", percent])
    return {
        "counts": counts,
        "table": {"headers": ["نوع / وضعیت", "تعداد"],
                  "rows": [[label, row[f"kind_{value}"]] for value, label in Kind.choices]
                  + [[label, row[f"state_{value}"]] for value, label in State.choices]},
        "highlights": [f"{to_persian_digits(percent)}٪ پرونده‌هایی که مهلتشان رسیده بود در مهلت پاسخ گرفتند."]
        if percent is not None else [],
    }
