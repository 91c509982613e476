import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ravabet.lib import idempotency
from ravabet.lib.actions import errors_to_form as _form_errors
from ravabet.lib.actions import save_form
from ravabet.lib.digits import parse_int
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator
from ravabet.lib.pdf import pdf_response
from ravabet.lib.text import search_key
from ravabet.lib.uploads import private_file_response
from ravabet.lib.validators import MOBILE_RE
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Person, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES
from ravabet.workflow.engine import RoleRefused, TransitionRefused, check, permits, steps_of
from ravabet.workflow.forms import StepForm

from . import services
from .forms import (
    AnnouncementForm,
    BannerForm,
    GroupForm,
    ImportForm,
    InstalledForm,
    NewBannerForm,
    NewTickerForm,
    TickerForm,
    initial_from_post,
    people_search,
)
from .models import (
    BANNER_SIZES,
    TICKER_LIMITS,
    Announcement,
    BannerState,
    CondolenceBanner,
    Delivery,
    DeliveryChannel,
    DeliveryState,
    DuplicateCheck,
    Kind,
    ReviewState,
    StaffGroup,
    StaffImport,
    TickerText,
)
from .staff_import import STATUS_LABELS, confirm_import, preview_import, status_counts, undo_import

PAGE = 30
REVIEW_HELP = "برای بازگرداندن، علت را همین‌جا بنویسید."


def _works_here(request, roles=WORK_ROLES) -> bool:
    """Whether the person holds one of `roles` in the unit they are working in now (for "new" buttons)."""
    return request.access.has_role(request.access.current_unit, roles)


def _review_form(spec_model, initial=None) -> StepForm:
    """HQ's review card: the fields of the declared `approve` step (its optional note doubles as
    the reason of `send_back`, which the same card's second button makes)."""
    steps = steps_of(spec_model)
    form = StepForm(steps["approve"], initial=initial)
    form.approve_label, form.return_label = steps["approve"].label, steps["send_back"].label
    form.fields["review_note"].label = "نظر اداره کل یا علت بازگرداندن"
    form.fields["review_note"].help_text = REVIEW_HELP
    return form


# --- Announcements ----------------------------------------------------------

@login_required
def announcement_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    announcements = scoped(request.access, Announcement.objects.order_by("-created_at", "-pk")).select_related(
        "unit", "sender")
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        announcements = announcements.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        announcements = announcements.filter(text_key__contains=search_key(query))
    page = BoundedPaginator(announcements, PAGE).get_page(request.GET.get("page"))
    # Read receipts counted for the shown page only: counting them across every announcement
    # before paginating costs a scan of all deliveries.
    read = dict(Delivery.objects.filter(announcement__in=[a.pk for a in page], read_at__isnull=False)
                .values_list("announcement").annotate(n=Count("pk")).values_list("announcement", "n"))
    for announcement in page:
        announcement.read_count = read.get(announcement.pk, 0)
    return render(request, "messaging/announcement_list.html", {
        "page_obj": page, "kinds": Kind.choices, "can_send": _works_here(request)})


def _sender_reach(request, unit: Unit) -> list[int]:
    """The units whose staff this sender may address: HQ all its units, a county its own."""
    return request.access.unit_ids(HQ_ROLES) if unit.is_hq else [unit.pk]


def _person_ids(values) -> list[int]:
    return [number for number in map(parse_int, values) if number is not None]  # "²" or 30 digits: left out


def _announced_event(request):
    """The ceremony the announcement is about (B6), from `?event=` or the form's hidden field: one the
    person may work on (404 otherwise); None when none is named."""
    from ravabet.events.models import Event

    value = request.POST.get("event") if request.method == "POST" else request.GET.get("event")
    if not value:
        return None
    if parse_int(value) is None:
        raise Http404
    return get_scoped_or_404(request.access, Event.objects.select_related("unit", "occasion"), WORK_ROLES,
                             pk=value)


def _announced_meeting(request):
    """The meeting the announcement is about (B6: its one-step announcement met the duplicate guard and
    was handed to this form), from `?meeting=` or the form's hidden field: one the person may work on (404
    otherwise); None when none is named."""
    from ravabet.planning.models import Meeting

    value = request.POST.get("meeting") if request.method == "POST" else request.GET.get("meeting")
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404
    return get_scoped_or_404(request.access, Meeting.objects.select_related("unit"), WORK_ROLES, pk=value)


@login_required
def announcement_create(request: HttpRequest) -> HttpResponse:
    """The announcement form (B1, B6). `?event=<id>` opens it prefilled from a ceremony (title, time,
    place, programme; its unit's staff as the audience) and links the announcement to it; `?meeting=<id>`
    links it to a meeting (the text comes prefilled in the query from the meeting's page)."""
    unit = request.access.work_unit(WORK_ROLES)
    unit_ids = _sender_reach(request, unit)
    initial = {key: request.GET[key] for key in ("kind", "title", "body", "occasion") if key in request.GET}
    event = _announced_event(request)
    meeting = _announced_meeting(request)
    about = {"about_url": reverse("planning:meeting_detail", args=[meeting.pk]), "about_label": meeting.title} \
        if meeting else {}
    if event is not None and request.method != "POST":
        from ravabet.events.services import announcement_draft

        initial = {**announcement_draft(event), "target_units": [event.unit_id] if event.unit_id in unit_ids else []}
    searching = request.method == "POST" and "people_search" in request.POST
    if searching:
        # The people search without JavaScript: show the form again with the results, send nothing.
        form = AnnouncementForm(unit_ids=unit_ids)
        form = AnnouncementForm(unit_ids=unit_ids, initial=initial_from_post(form, request.POST),
                                keep_occasion=event and event.occasion_id)
    else:
        form = AnnouncementForm(request.POST or None, unit_ids=unit_ids, initial=initial or None,
                                keep_occasion=event and event.occasion_id)
    duplicate = None
    if request.method == "POST" and not searching:
        try:
            # The same form sent twice (issue 13 point 7) leads to the announcement the first one made.
            if (announcement := idempotency.first_made(request, "messaging.announcement")) is not None:
                messages.info(request, idempotency.ALREADY_SAVED)
                return redirect("messaging:announcement_detail", announcement.pk)
            if form.is_valid():
                data = form.cleaned_data
                announcement, created = idempotency.create_once(
                    request, "messaging.announcement",
                    lambda: services.announcement_create(unit=unit, by=request.user, event=event, **about, **data))
                if created:
                    messages.success(request, "اطلاعیه ثبت شد" + (
                        " و ارسال آن آغاز شد." if announcement.state != "scheduled"
                        else " و در زمان تعیین‌شده فرستاده می‌شود."))
                else:
                    messages.info(request, idempotency.ALREADY_SAVED)
                return redirect("messaging:announcement_detail", announcement.pk)
        except ValidationError as error:
            form.is_valid()
            _form_errors(form, error)
        except services.DuplicateFound as found:
            duplicate = found
    chosen_ids = _person_ids(request.POST.getlist("people")) if request.method == "POST" else []
    chosen = list(Person.objects.filter(pk__in=chosen_ids, unit_id__in=unit_ids).select_related("unit")
                  .order_by("full_name"))
    query = request.POST.get("people_q", "").strip() if request.method == "POST" else ""
    results, more = people_search(unit_ids, query, exclude=chosen_ids) if query else ([], False)
    return render(request, "messaging/announcement_form.html", {
        "form": form, "unit": unit, "duplicate": duplicate, "sms_max": settings.OUTBOX["SMS_MAX_LENGTH"],
        "event": event, "meeting": meeting,
        "chosen_people": chosen, "people_q": query, "results": results, "more": more, "searched": bool(query)})


@login_required
def people_picker(request: HttpRequest) -> HttpResponse:
    """htmx: the people matching a search, among the units the sender may address, as checkboxes
    of the announcement form (those already chosen are left out)."""
    unit = request.access.work_unit(WORK_ROLES)
    query = request.GET.get("people_q", "").strip()
    results, more = people_search(_sender_reach(request, unit), query,
                                  exclude=_person_ids(request.GET.getlist("people")))
    return render(request, "messaging/_people_results.html",
                  {"results": results, "more": more, "people_q": query, "searched": bool(query)})


def _visible_announcement(request, pk: int) -> Announcement:
    """A unit's own announcements, and HQ's announcements that addressed the unit (the duplicate
    guard links to them); anything else is 404."""
    announcements = Announcement.objects.select_related("unit", "sender")
    own = scoped(request.access, announcements)
    addressed = scoped(request.access, announcements, field="target_units")
    try:
        return (own | addressed).distinct().get(pk=pk)
    except Announcement.DoesNotExist:
        raise Http404("پیدا نشد.") from None


@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _visible_announcement(request, pk)
    services.refresh_states(announcement)
    deliveries = Delivery.objects.filter(announcement=announcement,
                                         person__unit__in=request.access.unit_ids(WORK_ROLES)) \
        .select_related("person").order_by("person__full_name", "person_id", "channel")
    # The sender mostly wants the ones who did not get it: one state at a time.
    state = request.GET.get("state", "")
    if state in DeliveryState.values:
        deliveries = deliveries.filter(state=state)
    page = Paginator(deliveries, 60).get_page(request.GET.get("page"))
    return render(request, "messaging/announcement_detail.html", {
        "announcement": announcement, "page_obj": page, "progress": services.progress(announcement),
        "states": DeliveryState.choices, "state": state,
        "duplicate_checks": announcement.duplicate_checks.select_related("earlier__unit")})


@login_required
def announcement_progress(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _visible_announcement(request, pk)
    services.refresh_states(announcement)
    return render(request, "messaging/announcement_detail.html#progress", {
        "announcement": announcement, "progress": services.progress(announcement)})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Every announcement addressed to the staff member, by whatever channel (an SMS or an email
    is shown here too, so nothing is lost with a changed phone). A new one shows its title only:
    opening it (inbox_item) is its read receipt (B1)."""
    mine = Delivery.objects.filter(person__user=request.user)
    announcements = Announcement.objects.filter(pk__in=mine.values("announcement")).select_related("unit") \
        .order_by("-send_at", "-pk")
    page = Paginator(announcements, 20).get_page(request.GET.get("page"))
    deliveries: dict[int, list[Delivery]] = {}
    channel_order = {channel: index for index, channel in enumerate(DeliveryChannel.values)}
    for delivery in sorted(mine.filter(announcement__in=[a.pk for a in page]).select_related("outbox"),
                           key=lambda d: channel_order.get(d.channel, 9)):
        # The row is brought up to date by the sender's page and the worker; the outbox knows first.
        if delivery.state == DeliveryState.QUEUED and delivery.outbox is not None:
            delivery.state = {"sent": DeliveryState.SENT, "failed": DeliveryState.FAILED}.get(
                delivery.outbox.state, delivery.state)
        deliveries.setdefault(delivery.announcement_id, []).append(delivery)
    unread = [d.pk for ds in deliveries.values() for d in ds
              if d.channel == DeliveryChannel.IN_APP and d.state == "sent" and d.read_at is None]
    for announcement in page:
        announcement.my_deliveries = deliveries.get(announcement.pk, [])
        announcement.is_new = any(d.pk in unread for d in announcement.my_deliveries)
    person = Person.objects.filter(user=request.user).first()
    return render(request, "messaging/inbox.html", {"page_obj": page, "person": person})


@login_required
def inbox_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One announcement addressed to the staff member, opened: its read receipt (B1). Only the
    person's own in-app deliveries of this announcement are marked read; 404 for one not sent to them."""
    mine = list(Delivery.objects.filter(person__user=request.user, announcement_id=pk).select_related(
        "announcement", "announcement__unit"))
    if not mine:
        raise Http404
    unread = [d.pk for d in mine if d.channel == DeliveryChannel.IN_APP and d.state == DeliveryState.SENT
              and d.read_at is None]
    if unread:
        services.mark_announcements_read(user=request.user, delivery_ids=unread)
    return render(request, "messaging/inbox_item.html", {"a": mine[0].announcement, "deliveries": mine})


@login_required
@require_POST
def sms_preference(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    opt_out = request.POST.get("opt_out") == "1"
    services.sms_preference_set(person=person, by=request.user, opt_out=opt_out)
    messages.success(request, "دیگر پیامک اطلاعیه برایتان فرستاده نمی‌شود." if opt_out
                     else "پیامک اطلاعیه‌ها دوباره برایتان فرستاده می‌شود.")
    return redirect("messaging:inbox")


# --- Staff list (B11) --------------------------------------------------------

@login_required
def staff_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a staff sheet: its preview is saved and shown; nothing is written yet (B11)."""
    unit = request.access.work_unit(WORK_ROLES)
    form = ImportForm(request.POST or None, request.FILES or None)

    def preview(data):
        try:
            return preview_import(unit=unit, by=request.user, upload=data["file"])
        except ValidationError as error:  # an unreadable sheet: said on the file's field
            raise ValidationError({"file": error.messages}) from None

    # The sheet sent twice is one preview (one-time token, issue 13 §7).
    imp = save_form(request, form, preview, "پیش‌نمایش آماده شد؛ ردیف‌ها را ببینید و تأیید کنید.",
                    once="messaging.staff_import")
    if imp:
        return redirect("messaging:staff_import_detail", imp.pk)
    recent = StaffImport.objects.filter(unit=unit).select_related("created_by")[:10]
    return render(request, "messaging/staff_import.html", {"form": form, "unit": unit, "recent": recent})


def _import_of(request, pk: int) -> StaffImport:
    imp = get_scoped_or_404(request.access, StaffImport.objects.select_related("unit", "created_by", "applied_by",
                                                                                "undone_by"), WORK_ROLES, pk=pk)
    request.access.require(imp.unit, WORK_ROLES)
    return imp


@login_required
def staff_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of an import, row by row, with its confirm or undo button (B11)."""
    imp = _import_of(request, pk)
    rows = [{**row, "status_label": STATUS_LABELS[row["status"]]} for row in imp.rows]
    status = request.GET.get("status", "")
    if status in STATUS_LABELS:
        rows = [row for row in rows if row["status"] == status]
    return render(request, "messaging/staff_import_detail.html", {
        "imp": imp, "rows": rows, "status": status,
        "counts": [(key, label, count) for (key, label), count in zip(STATUS_LABELS.items(),
                                                                       status_counts(imp.rows).values(), strict=True)]})


@login_required
@require_POST
def staff_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a previewed import (B11). The confirm form carries a one-time token: sent twice (or
    confirmed again from another tab) it writes once and says it was already written (issue 13 §7)."""
    imp = _import_of(request, pk)
    already = imp.applied_at is not None and imp.undone_at is None
    try:
        _, created = idempotency.create_once(request, f"messaging.staff_import_confirm.{imp.pk}", lambda: confirm_import(
            staff_import=imp, by=request.user, create_groups=request.POST.getlist("create_group")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created and not already:
            messages.success(request, "فهرست نوشته شد. اگر اشتباهی بود، می‌توانید همین ورود را بازگردانید.")
        else:
            messages.info(request, idempotency.ALREADY_SAVED)
    return redirect("messaging:staff_import_detail", pk)


@login_required
@require_POST
def staff_import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    imp = _import_of(request, pk)
    try:
        undo_import(staff_import=imp, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "ورود بازگردانده شد: افراد تازه برداشته شدند و تغییرها به حالت پیشین برگشت.")
    return redirect("messaging:staff_import_detail", pk)


@login_required
def staff_export(request: HttpRequest) -> HttpResponse:
    """The staff list with each number's problems flagged: missing, invalid, or shared with
    someone else in the province (one phone for two people sends them each other's SMS)."""
    request.access.require_any(WORK_ROLES)
    people = list(scoped(request.access, Person.objects.filter(is_active=True)).select_related("unit")
                  .prefetch_related("staff_groups").order_by("unit__path", "full_name"))
    counts: dict[str, int] = {}
    for person in people:
        if person.mobile:
            counts[person.mobile] = counts.get(person.mobile, 0) + 1

    def flag(person) -> str:
        if not person.mobile:
            return "بی‌شماره"
        if not MOBILE_RE.match(person.mobile):
            return "نامعتبر"
        return "تکراری" if counts[person.mobile] > 1 else "معتبر"

    return xlsx_response("فهرست-کارکنان-و-شماره‌ها", "کارکنان",
                         ["واحد", "نام", "سمت", "شماره همراه", "وضعیت شماره", "انصراف از پیامک", "ایمیل", "گروه‌ها"],
                         ([p.unit.name, p.full_name, p.position, p.mobile, flag(p), "بله" if p.sms_opt_out else "",
                           p.email, "، ".join(g.name for g in p.staff_groups.all())] for p in people))


@login_required
def mobile_coverage(request: HttpRequest) -> HttpResponse:
    request.access.require_hq()
    valid = Q(people__is_active=True, people__mobile__regex=r"^09[0-9]{9}$")
    units = Unit.objects.filter(pk__in=request.access.unit_ids(HQ_ROLES)).annotate(
        staff=Count("people", filter=Q(people__is_active=True)),
        with_mobile=Count("people", filter=valid),
        opted_out=Count("people", filter=valid & Q(people__sms_opt_out=True)),
    ).order_by("path")
    rows = [{"unit": unit, "staff": unit.staff, "with_mobile": unit.with_mobile, "opted_out": unit.opted_out,
             "share": round(unit.with_mobile * 100 / unit.staff) if unit.staff else 0} for unit in units]
    if request.GET.get("export") == "xlsx":
        return xlsx_response("سهم-شماره-همراه", "سهم شماره همراه",
                             ["واحد", "کارکنان", "با شماره معتبر", "درصد", "انصراف از پیامک"],
                             ([r["unit"].name, r["staff"], r["with_mobile"], r["share"], r["opted_out"]] for r in rows))
    return render(request, "messaging/mobile_coverage.html", {"rows": rows})


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    groups = scoped(request.access, StaffGroup.objects.all()).select_related("unit").annotate(
        member_count=Count("members", filter=Q(members__is_active=True))).order_by("unit__path", "name")
    page = Paginator(groups, PAGE).get_page(request.GET.get("page"))
    return render(request, "messaging/group_list.html", {"page_obj": page, "can_edit": _works_here(request)})


def _group_form(request, unit, group=None):
    initial = {"name": group.name, "members": list(group.members.all())} if group else None
    form = GroupForm(request.POST or None, unit=unit, group=group, initial=initial)
    if save_form(request, form, lambda data: services.group_save(unit=unit, by=request.user, group=group, **data),
                 "گروه ذخیره شد.", once=None if group else "messaging.group"):
        return redirect("messaging:group_list")
    return render(request, "messaging/group_form.html", {"form": form, "unit": unit, "group": group})


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    return _group_form(request, request.access.work_unit(WORK_ROLES))


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_scoped_or_404(request.access, StaffGroup.objects.select_related("unit"), WORK_ROLES, pk=pk)
    return _group_form(request, group.unit, group)


# --- Duplicate guard (B7) ----------------------------------------------------

@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    checks = scoped(request.access, DuplicateCheck.objects.all()).select_related(
        "unit", "checked_by", "earlier__unit", "announcement")
    page = BoundedPaginator(checks, PAGE).get_page(request.GET.get("page"))
    return render(request, "messaging/duplicate_list.html", {"page_obj": page})


# --- Ticker and letterhead texts (B10) ----------------------------------------

@login_required
def ticker_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    tickers = scoped(request.access, TickerText.objects.all()).select_related("unit")
    occasion = request.GET.get("occasion", "").strip()
    if occasion:
        tickers = tickers.filter(occasion_key__contains=search_key(occasion))
    state = request.GET.get("state", "")
    if state in ReviewState.values:
        tickers = tickers.filter(state=state)
    if request.GET.get("export") == "xlsx":
        approved = tickers.filter(state=ReviewState.APPROVED).order_by("occasion", "kind", "unit__name")
        return xlsx_response("متن-زیرنویس", "زیرنویس و سربرگ", ["مناسبت", "تاریخ", "نوع", "واحد", "متن"],
                             ([t.occasion, t.occasion_date, t.get_kind_display(), t.unit.name, t.text]
                              for t in approved))
    page = BoundedPaginator(tickers, PAGE).get_page(request.GET.get("page"))
    unit = request.access.current_unit
    return render(request, "messaging/ticker_list.html", {
        "page_obj": page, "states": ReviewState.choices,
        "can_edit": unit is not None and services.may_write_ticker(request.access, unit)})


def _ticker_form(request, unit, ticker=None):
    """The text's form (new, or a draft or returned one the person may send), and for HQ the review card."""
    editable = ticker is None or (ticker.editable and services.may_write_ticker(request.access, unit))
    if ticker is None:
        form = NewTickerForm(request.POST or None)
    else:
        initial = {"kind": ticker.kind, "occasion": ticker.occasion, "occasion_date": ticker.occasion_date,
                   "text": ticker.text, "occasion_ref": ticker.occasion_ref_id}
        form = TickerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("این متن برای شما ویرایش‌پذیر نیست.")
        try:
            # A new text's form sent twice is one text and one notice to HQ (one-time token, issue 13 §7).
            saved = save_form(request, form, lambda data: services.ticker_save(
                unit=unit, by=request.user, ticker=ticker, submit="submit" in request.POST, **data),
                lambda saved: "متن برای تأیید به اداره کل فرستاده شد." if saved.state == "submitted"
                else "پیش‌نویس ذخیره شد.", once="messaging.ticker" if ticker is None else None)
        except TransitionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if saved:
                return redirect("messaging:ticker_edit", saved.pk)
    return render(request, "messaging/ticker_form.html", {
        "form": form, "unit": unit, "ticker": ticker, "editable": editable,
        "review_form": _review_form(TickerText) if ticker is not None else None,
        "limits_json": json.dumps({kind.value: limit for kind, limit in TICKER_LIMITS.items()})})


@login_required
def ticker_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(WORK_ROLES)
    if not services.may_write_ticker(request.access, unit):
        raise PermissionDenied("نوشتن متن برای این واحد از نقش شما ساخته نیست.")
    return _ticker_form(request, unit)


@login_required
def ticker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ticker = get_scoped_or_404(request.access, TickerText.objects.select_related("unit"), WORK_ROLES, pk=pk)
    return _ticker_form(request, ticker.unit, ticker)


@login_required
def ticker_preview(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """B10: the text in its format — a PNG to look at on the page, or the PDF to print or send."""
    from .ticker_preview import render_ticker_pdf, render_ticker_png

    ticker = get_scoped_or_404(request.access, TickerText.objects.select_related("unit"), WORK_ROLES, pk=pk)
    if fmt == "pdf":
        return pdf_response(f"پیش‌نمایش-{ticker.pk}", render_ticker_pdf(ticker), inline=True)
    response = HttpResponse(render_ticker_png(ticker), content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Condolence banners (B8) -------------------------------------------------

@login_required
def banner_list(request: HttpRequest) -> HttpResponse:
    request.access.require_any(WORK_ROLES)
    banners = scoped(request.access, CondolenceBanner.objects.exclude(state=BannerState.DRAFT)).select_related("unit")
    state = request.GET.get("state", "")
    if state in BannerState.values:
        banners = banners.filter(state=state)
    page = Paginator(banners, PAGE).get_page(request.GET.get("page"))
    current = request.access.current_unit
    return render(request, "messaging/banner_list.html", {
        "page_obj": page, "states": [(value, label) for value, label in BannerState.choices if value != BannerState.DRAFT],
        "can_request": current is not None and not current.is_hq and _works_here(request, UNIT_ROLES)})


@login_required
def banner_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    form = NewBannerForm(request.POST or None, request.FILES or None)
    if "compose" in request.POST:
        form = _with_composed_text(NewBannerForm, form, request, unit)
    # The request sent twice is one banner and one SMS to HQ's head (one-time token, issue 13 §7).
    elif banner := save_form(request, form, lambda data: services.banner_create(unit=unit, by=request.user, **data),
                             "درخواست بنر تسلیت برای تأیید به اداره کل فرستاده شد.", once="messaging.banner"):
        return redirect("messaging:banner_detail", banner.pk)
    return render(request, "messaging/banner_form.html", {"form": form, "unit": unit})


def _with_composed_text(form_class, form, request, unit: Unit):
    """The banner form again, its text replaced by the customary text composed from HQ's template
    for the typed fields (the «نوشتن متن از روی نمونه» button), so the county sees and may edit it
    before sending (B8). Nothing is saved; a field error keeps the form as typed."""
    if not form.is_valid():
        return form
    data = request.POST.copy()
    names = ("deceased_name", "position", "relation", "bereaved", "deceased_title", "kinship", "bereaved_title")
    data["text"] = services.default_banner_text(unit=unit, **{k: form.cleaned_data.get(k) or "" for k in names})
    composed = form_class(data, request.FILES or None)
    composed.is_valid()
    return composed


def _step_page_or_refusal(request, obj, name: str):
    """For an app page of a declared step: None when the person may open it; a redirect to the
    record with the reason when its state does not allow the step; 403 (RoleRefused) when their
    role does not. A guard refusal opens the page: its form is there to satisfy it (the photo)."""
    spec = steps_of(type(obj))[name]
    try:
        check(obj, spec, request.access)
    except RoleRefused:
        raise
    except TransitionRefused as refusal:
        if obj.state not in spec.sources:
            messages.error(request, str(refusal))
            return redirect(obj.get_absolute_url())
    return None


@login_required
def banner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a request HQ returned, and send it again (the `resubmit` step)."""
    banner = get_scoped_or_404(request.access, CondolenceBanner.objects.select_related("unit"), WORK_ROLES, pk=pk)
    if (answer := _step_page_or_refusal(request, banner, "resubmit")) is not None:
        return answer
    initial = {name: getattr(banner, name) for name in services.BANNER_FIELDS}
    form = BannerForm(request.POST or None, request.FILES or None, initial=initial)
    if "compose" in request.POST:
        form = _with_composed_text(BannerForm, form, request, banner.unit)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo")
        try:
            services.banner_resubmit(banner=banner, by=request.user, photo=photo, **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "درخواست اصلاح‌شده دوباره برای تأیید فرستاده شد.")
            return redirect("messaging:banner_detail", pk)
    return render(request, "messaging/banner_form.html", {"form": form, "unit": banner.unit, "banner": banner})


@login_required
def condolence_templates(request: HttpRequest) -> HttpResponse:
    """HQ's customary condolence texts (B8), one per relation and kinship, each with a sample."""
    from .condolence import DEFAULT_TEMPLATES, compose_condolence_text
    from .models import TEMPLATE_PLACEHOLDERS, CondolenceTemplate, Kinship

    request.access.require_hq()
    templates = list(CondolenceTemplate.objects.select_related("updated_by"))
    have = {(t.relation, t.kinship) for t in templates}
    for template in templates:
        template.sample = compose_condolence_text(
            unit_name="اداره نمونه", deceased_name="حسن رضایی", relation=template.relation,
            deceased_title="مرحوم", position="کارشناس فنی", kinship=template.kinship or Kinship.OTHER,
            bereaved="علی احمدی", bereaved_title="جناب آقای", template=template.text)
    missing = [f"{key[0].label}{' — ' + key[1].label if key[1] else ''}" for key in DEFAULT_TEMPLATES
               if key not in have]
    return render(request, "messaging/condolence_templates.html", {
        "templates": templates, "placeholders": TEMPLATE_PLACEHOLDERS, "missing": missing})


@login_required
def condolence_template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """HQ adds or edits one customary condolence text (B8)."""
    from .forms import CondolenceTemplateForm
    from .models import TEMPLATE_PLACEHOLDERS, CondolenceTemplate

    request.access.require_hq()
    template = None
    if pk is not None:
        template = CondolenceTemplate.objects.filter(pk=pk).first()
        if template is None:
            raise Http404
    initial = {"relation": template.relation, "kinship": template.kinship, "text": template.text} if template else {}
    form = CondolenceTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.condolence_template_save(by=request.user, template=template, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "متن نمونه تسلیت ذخیره شد و از این پس در درخواست‌های تازه به کار می‌رود.")
            return redirect("messaging:condolence_templates")
    return render(request, "messaging/condolence_template_form.html", {
        "form": form, "template": template, "placeholders": TEMPLATE_PLACEHOLDERS})


@login_required
def banner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    banner = get_scoped_or_404(request.access, CondolenceBanner.objects.select_related("unit", "approved_by"),
                               WORK_ROLES, pk=pk)
    install = steps_of(CondolenceBanner)["install"]
    return render(request, "messaging/banner_detail.html", {
        "banner": banner, "sizes": BANNER_SIZES,
        "review_form": _review_form(CondolenceBanner, initial={"edited_text": banner.text}),
        # The installation's own page gives the photo its guard asks for, so its link shows on state
        # and role alone (the generic buttons would hide it until a photo exists).
        "install": install if banner.state in install.sources and permits(request.access, banner, install) else None,
        "can_announce": banner.is_printable and _works_here(request)})


@login_required
def banner_installed(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the installation of an approved banner with its photo (the `install` step)."""
    banner = get_scoped_or_404(request.access, CondolenceBanner.objects.select_related("unit"), WORK_ROLES, pk=pk)
    if (answer := _step_page_or_refusal(request, banner, "install")) is not None:
        return answer
    form = InstalledForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_install(banner=banner, by=request.user, photo=form.cleaned_data["photo"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "نصب بنر با عکس ثبت شد.")
            return redirect("messaging:banner_detail", pk)
    return render(request, "messaging/banner_installed.html", {"form": form, "banner": banner})


@login_required
def banner_file(request: HttpRequest, pk: int, size: str) -> HttpResponse:
    from .banners import banner_png, render_banner_pdf

    banner = get_scoped_or_404(request.access, CondolenceBanner.objects.select_related("unit"), WORK_ROLES, pk=pk)
    if size != "png" and size not in BANNER_SIZES:
        raise Http404
    if not banner.is_printable:
        return render(request, "messaging/banner_not_approved.html", {"banner": banner}, status=403)
    name = f"بنر-تسلیت-{banner.deceased_name}"
    if size == "png":
        response = HttpResponse(banner_png(banner), content_type="image/png")
        response["Content-Disposition"] = "inline"
        return response
    return pdf_response(f"{name}-{size}", render_banner_pdf(banner, size))


@login_required
def banner_photo(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    banner = get_scoped_or_404(request.access, CondolenceBanner, WORK_ROLES, pk=pk)
    field = {"photo": banner.photo, "installed": banner.installed_photo}.get(which)
    if not field:
        raise Http404
    return private_file_response(field)


# --- Officials of the region (B2) --------------------------------------------

@login_required
def official_list(request: HttpRequest) -> HttpResponse:
    """The register of the region's officials of the units the person works for, with how many
    achievements each was sent (B2's evidence)."""
    from .models import Official

    request.access.require_any(WORK_ROLES)
    units = request.access.filter_units(WORK_ROLES, counties_only=False)
    officials = scoped(request.access, Official.objects.all()).select_related("unit").annotate(
        sent=Count("dispatches"))
    officials = request.access.narrow(officials, request.GET.get("unit"))
    page = Paginator(officials.order_by("unit__path", "body", "full_name"), PAGE).get_page(request.GET.get("page"))
    return render(request, "messaging/official_list.html", {
        "page_obj": page, "units": units, "can_add": _works_here(request)})


@login_required
def official_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add an official to the register of the unit one works in, or edit one (B2)."""
    from .forms import OfficialForm
    from .models import Official

    if pk is None:
        official, unit = None, request.access.work_unit(WORK_ROLES)
        initial = {}
    else:
        official = get_scoped_or_404(request.access, Official.objects.select_related("unit"), WORK_ROLES, pk=pk)
        unit = official.unit
        initial = {name: getattr(official, name) for name in OfficialForm.base_fields}
    form = OfficialForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_save(unit=unit, by=request.user, official=official, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "مسئول در فهرست مسئولان منطقه ذخیره شد.")
            return redirect("messaging:official_list")
    return render(request, "messaging/official_form.html", {"form": form, "official": official, "unit": unit})


@login_required
def achievement_dispatches(request: HttpRequest) -> HttpResponse:
    """Which published achievement went to which official by which channel, and whether the
    outbox delivered it: B2's evidence."""
    from .models import AchievementDispatch

    request.access.require_any(WORK_ROLES)
    dispatches = AchievementDispatch.objects.filter(
        official__unit_id__in=request.access.unit_ids(WORK_ROLES)).select_related(
        "news", "news__unit", "official", "outbox")
    page = Paginator(dispatches, PAGE).get_page(request.GET.get("page"))
    return render(request, "messaging/achievement_dispatches.html", {"page_obj": page})
