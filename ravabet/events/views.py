"""Pages of the events part: events with their run-sheet, guests, invitation cards, check-in at the door
(F2, F5), the public RSVP page, and protocol supplies (F4). Holding, cancelling and re-planning an event
are its workflow buttons (generic step view)."""

import base64
import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ravabet.lib import idempotency, jalali, ratelimit
from ravabet.lib.actions import errors_to_form as _form_error
from ravabet.lib.actions import run_service, save_form
from ravabet.lib.digits import to_persian_digits as fa
from ravabet.lib.excel import xlsx_response
from ravabet.lib.paging import BoundedPaginator, count_related
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.urls import urls_by_last_arg
from ravabet.occasions.models import Occasion
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import Person
from ravabet.offices.roles import WORK_ROLES

from . import forms, services
from .models import (
    Event,
    EventKind,
    EventState,
    Guest,
    OutsidePerson,
    Rsvp,
    RunSheetItem,
    RunSheetState,
    SupplyItem,
    SupplyLoan,
)

PAGE = 50
# An invitation's token is its guest's key: guessing tokens from one address is slowed, on the page and the
# API together (lib.ratelimit: Redis when configured, the database otherwise; issue 13 §3).
INVITATION_LIMIT = ratelimit.Limit("events-invitation", 30, 60)
INVITATION_LIMITED = "از این نشانی در یک دقیقه بیش از اندازه درخواست آمده است؛ یک دقیقه بعد دوباره «ثبت پاسخ» را بزنید."


def _page(request, queryset):
    return BoundedPaginator(queryset, PAGE).get_page(request.GET.get("page"))


# F2 and F5: events ----------------------------------------------------------------------------------------


READY_ITEMS = Q(state__in=(RunSheetState.READY, RunSheetState.NOT_NEEDED))


def _events(request, access):
    items = scoped(access, Event.objects.select_related("unit", "occasion"), WORK_ROLES)
    if request.GET.get("state") in EventState.values:
        items = items.filter(state=request.GET["state"])
    if request.GET.get("kind") in EventKind.values:
        items = items.filter(kind=request.GET["kind"])
    return access.narrow(items, request.GET.get("unit")).order_by("-starts_at", "-pk")


def _with_counts(events: list[Event]) -> list[Event]:
    """Set `guest_count` and `ready` (run-sheet items ready or not needed) on the given events — the rows
    of one page — in two grouped queries over their ids (lib.paging.count_related), rather than a
    COUNT(DISTINCT) over the join of every event with its guests and items before the page limit (2.2 s at
    province scale, issue 11 §4)."""
    count_related(events, Guest, "event", guest_count=None)
    return count_related(events, RunSheetItem, "event", ready=READY_ITEMS)


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES, "شما اجازه دیدن مراسم را ندارید.")
    items = _events(request, access)
    if request.GET.get("export") == "xlsx":
        items = items.annotate(guest_count=Count("guests", distinct=True))
        rows = ([e.title, e.get_kind_display(), e.unit.name, e.starts_at, e.venue, e.get_state_display(),
                 e.guest_count, e.attendance] for e in items[:50_000])
        return xlsx_response("مراسم و همایش‌ها", "مراسم",
                             ["عنوان", "نوع", "واحد", "زمان", "محل", "وضعیت", "مهمانان", "حاضران"], rows)
    page = _page(request, items)
    page.object_list = _with_counts(list(page.object_list))
    return render(request, "events/event_list.html",
                  {"page_obj": page, "units": access.filter_units(WORK_ROLES), "states": EventState.choices,
                   "kinds": EventKind.choices, "can_create": access.work_unit_or_none(WORK_ROLES) is not None})


def _occasions_near():
    today = jalali.today()
    return Occasion.objects.filter(date__gte=today - dt.timedelta(days=30)).order_by("date")


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(WORK_ROLES)
    form = forms.EventForm(request.POST or None, occasions=_occasions_near(),
                           initial={"occasion": request.GET.get("occasion")})
    if event := save_form(request, form, lambda data: services.event_create(unit=unit, by=request.user, **data),
                          "مراسم ثبت شد؛ برنامه اجرایی و فهرست مهمانان را کامل کنید.", once="events.event"):
        return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "title": f"مراسم تازه — {unit.name}",
                                                "back": reverse("events:list")})


def _event(request, pk) -> Event:
    return get_scoped_or_404(request.access, Event.objects.select_related("unit", "occasion", "meeting", "news"), WORK_ROLES, pk=pk)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    form = forms.EventForm(request.POST or None, initial=initial, occasions=_occasions_near())
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "مشخصات مراسم ذخیره شد.")
            return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "title": f"ویرایش «{event.title}»",
                                                "back": event.get_absolute_url()})


def _row_options(event: Event) -> dict:
    """What every run-sheet row's form offers, read once per request (three queries at most): the unit's
    active staff, its directory of outside people and, for an HQ event, the counties under HQ (F2)."""
    return {"people": list(Person.objects.filter(unit=event.unit_id, is_active=True).order_by("full_name", "pk")),
            "outsiders": list(OutsidePerson.objects.filter(unit=event.unit_id)),
            "helper_units": services.helper_units(event)}


def _row_form(row: RunSheetItem, options: dict, data=None) -> forms.RunSheetRowForm:
    """The form of one run-sheet row, its fields prefixed r<row id> (so several rows open on one page never
    share an id), filled with the row as stored; `options` from _row_options."""
    return forms.RunSheetRowForm(data, prefix=f"r{row.pk}", **options, initial={
        "order": row.order, "start_time": fa(row.start_time.strftime("%H:%M")) if row.start_time else "",
        "duration": row.duration, "person": row.person_id, "outside": row.outside_id,
        "outside_person": "" if row.outside_id else row.outside_person,
        "helper_unit": row.helper_unit_id, "state": row.state, "note": row.note})


def _row_forms(event: Event, rows: list, data=None) -> list:
    """(row, form) for each run-sheet row of the whole-run-sheet form; the options are read once."""
    options = _row_options(event)
    return [(row, _row_form(row, options, data)) for row in rows]


def _runsheet_errors(request, error: ValidationError, row_forms: list) -> None:
    """Put the errors services.runsheet_save raised ({"<row id>-<field>": messages}, or a message about the
    whole event) on the row forms' fields; what belongs to no shown row becomes a page message."""
    if not hasattr(error, "error_dict"):
        if len(row_forms) == 1:
            row_forms[0][1].add_error(None, error.messages)
        else:
            messages.error(request, " ".join(error.messages))
        return
    for key, messages_ in error.message_dict.items():
        row_pk, _, field = key.partition("-")
        form = next((f for r, f in row_forms if str(r.pk) == row_pk), None)
        if form is None:
            messages.error(request, " ".join(messages_))
        else:
            form.add_error(field if field in form.fields else None, messages_)


def _record_form(event: Event, data=None) -> forms.EventRecordForm:
    return forms.EventRecordForm(data, meetings=services.coordination_meetings(event),
                                 news=services.news_of_unit(event),
                                 initial={"meeting": event.meeting_id, "news": event.news_id})


def _photo_form(event: Event, data=None, files=None) -> forms.EventPhotoForm:
    from ravabet.photos.selectors import library_choices

    return forms.EventPhotoForm(data, files, library=library_choices(
        event.unit_id, exclude_ids=event.photos.values_list("pk", flat=True)))


def _with_edit_urls(event: Event, rows: list) -> list:
    """The run-sheet rows, each with `edit_url` (its form, events:runsheet) from one reverse."""
    edit = urls_by_last_arg("events:runsheet", event.pk)
    for row in rows:
        row.edit_url = edit(row.pk)
    return rows


def _guest_page(request, event: Event, count: int):
    """One page (PAGE) of the event's guests, each with `card_url`, `edit_url` and `delete_url`; `count`
    is the number of guests, already known from the figures (no COUNT query)."""
    page_ = Paginator(event.guests.all(), PAGE)
    page_.count = count  # a cached_property: given, not counted again
    page_ = page_.get_page(request.GET.get("page"))
    card, edit, delete = (urls_by_last_arg(name, event.pk) for name in ("events:card", "events:guest_edit",
                                                                           "events:guest_delete"))
    for guest in page_:
        guest.card_url, guest.edit_url, guest.delete_url = card(guest.pk), edit(guest.pk), delete(guest.pk)
    return page_


def _detail(request, event: Event, guest_form=None, status: int = 200, record_form=None,
            photo_form=None) -> HttpResponse:
    """The event's page: the run-sheet drawn read-only (each row opens its own form on «ویرایش», see
    runsheet_update), one page of guests, figures, loans; `guest_form`, `record_form`, `photo_form` with
    their errors after a refused post. Its number of queries does not grow with rows or guests."""
    figures = services.attendance_figures(event)
    return render(request, "events/event_detail.html", {
        "event": event, "rows": _with_edit_urls(event, list(event.items.select_related("person", "helper_unit",
                                                                                       "outside"))),
        "guests": _guest_page(request, event, figures["invited"]),
        "figures": figures, "guest_form": guest_form or forms.GuestForm(),
        "loans": list(SupplyLoan.objects.filter(event=event).select_related("item")),
        "editable": event.state == EventState.PLANNED, "record_open": event.state != EventState.CANCELLED,
        # The record's two forms are drawn only after a refused post; otherwise opened on demand (_record_part).
        "record_form": record_form, "photo_form": photo_form,
        "photos": list(event.photos.order_by("-created_at", "-pk")),
        "announcements": list(event.announcements.order_by("-created_at", "-pk")[:5]),
    }, status=status)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _event(request, pk))


def _record_part(request, event: Event, part: str, form) -> HttpResponse:
    """GET of the ceremony record's `part` ("record": meeting and news; "photo": adding photos): its form,
    which the event page loads only when the part is opened (htmx), so the page itself reads and draws none
    of their long option lists; without script the same form on a page of its own."""
    if event.state == EventState.CANCELLED:
        return redirect(f"{reverse('events:detail', args=[event.pk])}#record")
    if request.htmx:
        return render(request, f"events/_{part}_form.html", {"event": event, f"{part}_form": form})
    return render(request, "events/record_part.html", {"event": event, "part": part, f"{part}_form": form})


@login_required
def event_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Tie the ceremony to its coordination meeting (F1) and its news item (POST, through
    services.event_link); errors stay on the event page with what was chosen (400). GET: the form alone
    (_record_part)."""
    event = _event(request, pk)
    if request.method != "POST":
        return _record_part(request, event, "record", _record_form(event))
    form = _record_form(event, request.POST)
    if form.is_valid():
        try:
            services.event_link(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "جلسه هماهنگی و خبر مراسم ذخیره شد.")
            return redirect(f"{reverse('events:detail', args=[pk])}#record")
    return _detail(request, event, status=400, record_form=form)


@login_required
def event_photos(request: HttpRequest, pk: int) -> HttpResponse:
    """Add photos to the ceremony through the photo library (F3 rules; POST, through
    services.event_add_photos); each refused file is named and the others are kept. GET: the form alone
    (_record_part)."""
    event = _event(request, pk)
    if request.method != "POST":
        return _record_part(request, event, "photo", _photo_form(event))
    form = _photo_form(event, request.POST, request.FILES)
    if form.is_valid():
        try:
            added, refused = services.event_add_photos(
                event=event, by=request.user, uploads=form.cleaned_data.get("photos") or (),
                library_photos=form.cleaned_data.get("library_photos") or ())
        except ValidationError as error:
            _form_error(form, error)
        else:
            for message in refused:
                messages.error(request, message)
            if added:
                warned = sum(1 for photo in added if photo.warnings)
                messages.success(request, f"{fa(len(added))} عکس به پرونده مراسم افزوده شد"
                                 + (f"؛ {fa(warned)} عکس هشدار قواعد عکس دارد." if warned else "."))
            return redirect(f"{reverse('events:detail', args=[pk])}#photos")
    return _detail(request, event, status=400, photo_form=form)


@login_required
@require_POST
def event_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    event = _event(request, pk)
    run_service(request, lambda: services.event_remove_photo(event=event, by=request.user, photo_id=photo_pk),
                "عکس از پرونده مراسم برداشته شد (در کتابخانه می‌ماند).")
    return redirect(f"{reverse('events:detail', args=[pk])}#photos")


@login_required
def my_roles(request: HttpRequest) -> HttpResponse:
    """The run-sheet rows of every event that name the signed-in person, or that HQ gave to a county
    where they are a PR officer or manager (F2), upcoming first — what they are sent a link to — and the
    meetings they attended with their minutes and decisions (F1, F6; issue 15 §9). Anyone signed in;
    each sees only rows and meetings that name them."""
    from ravabet.occasions.models import UNIT_PR

    now = dt.datetime.now(dt.UTC)
    mine = Q(person__user=request.user)
    if helper_of := request.access.unit_ids(UNIT_PR):
        mine |= Q(helper_unit__in=helper_of)
    rows = RunSheetItem.objects.filter(mine).select_related("event__unit", "event__occasion", "person",
                                                            "helper_unit", "outside")
    upcoming = list(rows.filter(event__starts_at__gte=now - dt.timedelta(hours=12)).order_by("event__starts_at", "pk"))
    past = list(rows.filter(event__starts_at__lt=now - dt.timedelta(hours=12)).order_by("-event__starts_at", "-pk")[:50])
    workers = set(request.access.unit_ids(WORK_ROLES))
    return render(request, "events/my_roles.html", {"upcoming": upcoming, "past": past, "workers": workers,
                                                    "meetings": _meetings_attended(request.user)})


def _meetings_attended(user) -> list:
    """The last 30 meetings (planning.Meeting, not archived) the user's staff record attended, newest
    first, with their decisions; two queries."""
    from django.db.models import Prefetch

    from ravabet.planning.models import Decision, Meeting

    return list(Meeting.objects.filter(attendances__person__user=user, attendances__present=True, is_archived=False)
                .select_related("unit").prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by(
                    "due_date", "pk"))).order_by("-starts_at", "-pk").distinct()[:30])


def _runsheet_page(request, event: Event, row_forms: list, status: int = 200) -> HttpResponse:
    # The form's one-time token: the one it sent when it is shown again with errors, else a fresh one.
    token = (idempotency.sent_token(request) if request.method == "POST" else None) or idempotency.new_token()
    return render(request, "events/runsheet_form.html", {"event": event, "row_forms": row_forms,
                                                         "runsheet_token": token}, status=status)


@login_required
def runsheet_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole run-sheet on one page (F2): GET draws every row's form; POST saves every row in one go
    through services.runsheet_save (all or nothing). A refused row shows its error and keeps what was typed
    in every row (400); the same form sent twice is saved once (issue 13 §7)."""
    event = _event(request, pk)
    back = f"{reverse('events:detail', args=[pk])}#runsheet"
    if event.state != EventState.PLANNED:
        return redirect(back)
    rows = list(event.items.select_related("person", "helper_unit", "outside"))
    if request.method != "POST":
        return _runsheet_page(request, event, _row_forms(event, rows))
    try:
        # The same form sent twice (a double click, a resend) is saved once (issue 13 §7).
        if idempotency.first_made(request, "events.runsheet") is not None:
            messages.info(request, idempotency.ALREADY_SAVED)
            return redirect(back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    row_forms = _row_forms(event, rows, request.POST)
    if all(form.is_valid() for _row, form in row_forms):
        changed = []
        try:
            _record, created = idempotency.create_once(request, "events.runsheet", lambda: (changed.append(
                services.runsheet_save(event=event, by=request.user,
                                       rows={row.pk: form.cleaned_data for row, form in row_forms})), event)[1])
        except ValidationError as error:
            _runsheet_errors(request, error, row_forms)
        else:
            if not created:
                messages.info(request, idempotency.ALREADY_SAVED)
            else:
                count = changed[0]
                messages.success(request, f"برنامه اجرایی ذخیره شد ({fa(count)} بند تغییر کرد)." if count
                                 else "تغییری در برنامه اجرایی نبود.")
            return redirect(back)
    messages.error(request, "برنامه اجرایی ذخیره نشد؛ خطای بندها را درست کنید.")
    return _runsheet_page(request, event, row_forms, status=400)


@login_required
def runsheet_update(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One run-sheet row (F2), edited in place on the event page with htmx, or on a page of its own
    without script.

    GET: the row's form (`?cancel=1`, or an event no longer planned: the row read-only). POST: the row's
    values (RunSheetRowForm, prefix r<row id>) saved through services.runsheet_save, like the whole
    run-sheet; answers the row redrawn (htmx) or a redirect to the event page. A refused value answers 400
    with the form, the Persian error on its field and everything typed kept. Another unit's event or row:
    404 (get_scoped_or_404)."""
    event = _event(request, pk)
    rows = event.items.select_related("person", "helper_unit", "outside")
    row = get_object_or_404(rows, pk=item_pk)
    editable = event.state == EventState.PLANNED
    if request.method == "GET" and (request.GET.get("cancel") or not editable):
        if not request.htmx:
            return redirect(f"{reverse('events:detail', args=[pk])}#row-{row.kind}")
        return render(request, "events/_runsheet_row.html", {"event": event, "row": _with_edit_urls(event, [row])[0],
                                                             "editable": editable})
    form = _row_form(row, _row_options(event), request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.runsheet_save(event=event, by=request.user, rows={row.pk: form.cleaned_data})
            except ValidationError as error:
                _runsheet_errors(request, error, [(row, form)])
            else:
                if not request.htmx:
                    messages.success(request, f"«{row.get_kind_display()}» ذخیره شد." if changed
                                     else f"تغییری در «{row.get_kind_display()}» نبود.")
                    return redirect(f"{reverse('events:detail', args=[pk])}#row-{row.kind}")
                return render(request, "events/_runsheet_row.html", {
                    "event": event, "row": _with_edit_urls(event, [rows.get(pk=row.pk)])[0], "editable": True,
                    "saved": True})
        status = 400
    return render(request, "events/_runsheet_row_form.html" if request.htmx else "events/runsheet_row.html",
                  {"event": event, "row": row, "form": form}, status=status)


@login_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = forms.GuestForm(request.POST)
    if save_form(request, form, lambda data: services.guest_add(event=event, by=request.user, **data),
                 lambda guest: f"«{guest.name}» به فهرست مهمانان افزوده شد.", once="events.guest"):
        return redirect("events:detail", pk)
    # Back to the page with the form's errors and what was typed.
    return _detail(request, event, form, status=400)


@login_required
def guest_edit(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    event = _event(request, pk)
    guest = get_object_or_404(Guest, pk=guest_pk, event=event)
    form = forms.GuestForm(request.POST or None, initial={"name": guest.name, "title": guest.title,
                                                          "mobile": guest.mobile})
    if request.method == "POST" and form.is_valid():
        try:
            services.guest_update(guest=guest, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"مشخصات «{guest.name}» ذخیره شد.")
            return redirect(f"{reverse('events:detail', args=[pk])}#guests")
    return render(request, "events/form.html", {"form": form, "title": f"ویرایش مهمان «{guest.name}»",
                                                "back": event.get_absolute_url()})


@login_required
@require_POST
def guest_delete(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    event = _event(request, pk)
    guest = get_object_or_404(Guest, pk=guest_pk, event=event)
    run_service(request, lambda: services.guest_delete(guest=guest, by=request.user),
                f"«{guest.name}» از فهرست مهمانان حذف شد.")
    return redirect(f"{reverse('events:detail', args=[pk])}#guests")


@login_required
def guest_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    rows = ([g.name, g.title, g.mobile, g.invited_at, g.get_rsvp_display(), g.companions, g.checked_in_at]
            for g in event.guests.all())
    return xlsx_response(f"مهمانان {event.title}", "مهمانان",
                         ["نام", "سمت", "همراه", "ارسال دعوت", "پاسخ", "همراهان", "ورود"], rows)


@login_required
@require_POST
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    try:
        count = services.invitations_send(event=event, by=request.user, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"پیامک دعوت برای {fa(count)} مهمان در صف ارسال است." if count
                         else "همه مهمانانِ دارای شماره همراه پیش‌تر دعوت شده‌اند.")
    return redirect("events:detail", pk)


def qr_data_uri(text: str) -> str:
    import qrcode

    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def invitation_card(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    event = _event(request, pk)
    guest = get_object_or_404(Guest, pk=guest_pk, event=event)
    services.card_printed(guest=guest, by=request.user)
    link = request.build_absolute_uri(services.rsvp_url(guest))
    content = render_pdf("events/invitation_pdf.html", {"event": event, "guest": guest, "link": link,
                                                        "qr": qr_data_uri(link)})
    return pdf_response(f"دعوت‌نامه {guest.name}", content, inline=True)


@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The doorkeeper's page: scan or type a card; refused for a cancelled event, a warning for a guest
    who declined (issue 9)."""
    event = _event(request, pk)
    form = forms.CheckInForm(request.POST or None)
    entry = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.guest_check_in(event=event, by=request.user, token=form.cleaned_data["token"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            form = forms.CheckInForm()
    query = request.GET.get("q", "").strip()
    found = services.guests_named(event, query) if query else []
    return render(request, "events/check_in.html", {
        "event": event, "form": form, "guest": entry and entry.guest, "warning": entry and entry.warning,
        "figures": services.attendance_figures(event), "query": query, "found": found})


@login_required
def runsheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    content = render_pdf("events/runsheet_pdf.html", {"event": event, "rows": event.items.select_related("person", "helper_unit", "outside"),
                                                      "figures": services.attendance_figures(event)})
    return pdf_response(f"برنامه اجرایی {event.title}", content, inline=True)


def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's invitation page (F5): the event and an accept/decline form with companions. The token is the
    guest's key, so every request counts against INVITATION_LIMIT per address (shared with the API): beyond it
    a GET answers 429 and a POST is refused on the form with what was typed kept (issue 13 §3)."""
    limited = ratelimit.over(INVITATION_LIMIT, ratelimit.client_ip(request) or "unknown")
    if limited and request.method != "POST":
        return render(request, "429.html", status=429)
    guest = get_object_or_404(Guest.objects.select_related("event__unit"), token=token)
    answer = {Rsvp.ACCEPTED: "accept", Rsvp.DECLINED: "decline"}.get(guest.rsvp)
    form = forms.RsvpForm(request.POST or None, initial={"companions": guest.companions, "answer": answer})
    if limited:
        form.add_error(None, INVITATION_LIMITED)
    elif request.method == "POST" and form.is_valid():
        try:
            services.guest_respond(guest=guest, accept=form.cleaned_data["answer"] == "accept",
                                   companions=form.cleaned_data.get("companions") or 0)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "سپاس؛ پاسخ شما ثبت شد.")
            return redirect("events:rsvp", token)
    response = render(request, "events/rsvp.html", {"guest": guest, "event": guest.event, "form": form},
                      status=429 if limited else 200)
    # The token is the guest's key: keep it out of referrers to other sites ("no-referrer" would make
    # Chromium send Origin: null on the form post, which CSRF refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
def outside_people(request: HttpRequest) -> HttpResponse:
    """The directory of outside people (reciters, guest speakers...) the run-sheet picks from (issue 15 §5):
    the units the person works in; an add form for their own unit."""
    access = request.access
    access.require_any(WORK_ROLES, "شما اجازه دیدن این فهرست را ندارید.")
    people = access.narrow(scoped(access, OutsidePerson.objects.select_related("unit"), WORK_ROLES),
                           request.GET.get("unit")).order_by("unit__name", "full_name", "pk")
    unit = access.work_unit_or_none(WORK_ROLES)
    form = forms.OutsidePersonForm(request.POST or None) if unit is not None else None
    if request.method == "POST":
        unit = access.work_unit(WORK_ROLES)
        if save_form(request, form, lambda data: services.outside_person_save(unit=unit, by=request.user, **data),
                     lambda person: f"«{person.full_name}» به فهرست افزوده شد.", once="events.outside_person"):
            return redirect("events:outside_people")
    return render(request, "events/outside_people.html", {
        "page_obj": _page(request, people), "form": form, "unit": unit, "units": access.filter_units(WORK_ROLES)})


@login_required
def outside_person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_scoped_or_404(request.access, OutsidePerson.objects.select_related("unit"), WORK_ROLES, pk=pk)
    form = forms.OutsidePersonForm(request.POST or None, initial={
        "full_name": person.full_name, "role": person.role, "mobile": person.mobile})
    if save_form(request, form, lambda data: services.outside_person_save(unit=person.unit, by=request.user,
                                                                          person=person, **data),
                 "ذخیره شد."):
        return redirect("events:outside_people")
    return render(request, "events/form.html", {"form": form, "title": f"ویرایش «{person.full_name}»",
                                                "back": reverse("events:outside_people")})


# F4: supplies ---------------------------------------------------------------------------------------------


def _supplies(access):
    return scoped(access, SupplyItem.objects.select_related("unit"), WORK_ROLES).annotate(
        lent=Sum("loans__quantity", filter=Q(loans__returned_at__isnull=True), default=0),
    ).annotate(available=F("quantity") - F("lent"))


# The basic protocol kit every county holds for a ceremony (F4; issue 15: Quran, scissors, ribbon, tray).
KIT = ("قرآن کریم", "قیچی تشریفات", "روبان", "سینی تشریفات")


def kit_of(units: list, supplies) -> list[dict]:
    """For each unit, which kit items it holds (in store, not damaged) and which are missing; names match
    forgiving spacing, ZWNJ and Arabic letters (lib.text.search_key)."""
    from ravabet.lib.text import search_key

    held: dict[int, set] = {}
    for unit_id, name, quantity, condition in supplies:
        if quantity > 0 and condition != "damaged":
            held.setdefault(unit_id, set()).add(search_key(name))
    keys = [(item, search_key(item)) for item in KIT]
    rows = []
    for unit in units:
        have = held.get(unit.pk, set())
        marks = [(item, key in have) for item, key in keys]
        rows.append({"unit": unit, "marks": marks, "missing": [item for item, ok in marks if not ok]})
    return rows


@login_required
def supply_kit(request: HttpRequest) -> HttpResponse:
    """The basic kit checklist (F4): a county sees its own, HQ every county with what each is missing."""
    from ravabet.offices.models import Unit

    access = request.access
    access.require_any(WORK_ROLES, "شما اجازه دیدن انبار تشریفات را ندارید.")
    units = access.filter_units(WORK_ROLES) or list(Unit.objects.filter(pk__in=access.unit_ids(WORK_ROLES)))
    supplies = SupplyItem.objects.filter(unit__in=[u.pk for u in units]).values_list(
        "unit", "name", "quantity", "condition")
    rows = kit_of(units, supplies)
    if request.GET.get("export") == "xlsx":
        return xlsx_response("فهرست وسایل پایه تشریفات", "وسایل پایه", ["واحد", *KIT, "کمبود"],
                             ([r["unit"].name, *("دارد" if ok else "ندارد" for _i, ok in r["marks"]),
                               "، ".join(r["missing"])] for r in rows))
    return render(request, "events/supply_kit.html", {"kit": KIT, "rows": rows,
                                                      "short": sum(1 for r in rows if r["missing"])})


@login_required
def supply_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES, "شما اجازه دیدن انبار تشریفات را ندارید.")
    items = access.narrow(_supplies(access), request.GET.get("unit"))
    if request.GET.get("low"):
        items = items.filter(available__lt=F("min_quantity"))
    items = items.order_by("unit__name", "name")
    if request.GET.get("export") == "xlsx":
        rows = ([i.unit.name, i.name, i.quantity, i.lent, i.available, i.min_quantity, i.get_condition_display(),
                 "کمبود" if i.available < i.min_quantity else "", i.note] for i in items)
        return xlsx_response("وسایل تشریفات", "وسایل",
                             ["واحد", "وسیله", "موجودی", "در امانت", "در انبار", "حداقل", "وضعیت", "کمبود",
                              "توضیح"], rows)
    unit = access.work_unit_or_none(WORK_ROLES)
    form = forms.SupplyForm(request.POST or None) if unit is not None else None
    if request.method == "POST":
        unit = access.work_unit(WORK_ROLES)
        if form.is_valid():
            try:
                item = services.supply_save(unit=unit, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, f"«{item.name}» به انبار تشریفات افزوده شد.")
                return redirect("events:supplies")
    return render(request, "events/supply_list.html", {"page_obj": _page(request, items),
                                                       "units": access.filter_units(WORK_ROLES), "form": form,
                                                       "unit": unit})


@login_required
def supply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = request.access
    item = get_scoped_or_404(access, _supplies(access), WORK_ROLES, pk=pk)
    events = Event.objects.filter(unit=item.unit_id, state=EventState.PLANNED).order_by("starts_at")
    initial = {"name": item.name, "quantity": item.quantity, "min_quantity": item.min_quantity,
               "condition": item.condition, "note": item.note}
    form = forms.SupplyForm(initial=initial)
    loan_form = forms.LoanForm(events=events)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "lend":
                loan_form = forms.LoanForm(request.POST, events=events)
                if loan_form.is_valid():
                    services.supply_lend(item=item, by=request.user, **loan_form.cleaned_data)
                    messages.success(request, "امانت ثبت شد.")
                    return redirect("events:supply", pk)
            else:
                form = forms.SupplyForm(request.POST)
                if form.is_valid():
                    services.supply_save(unit=item.unit, item=item, by=request.user, **form.cleaned_data)
                    messages.success(request, "ذخیره شد.")
                    return redirect("events:supply", pk)
        except ValidationError as error:
            _form_error(loan_form if request.POST.get("action") == "lend" else form, error)
    return render(request, "events/supply_detail.html", {
        "item": item, "form": form, "loan_form": loan_form,
        "loans": item.loans.select_related("event").order_by("-lent_at")[:100]})


@login_required
@require_POST
def supply_return(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_scoped_or_404(request.access, SupplyLoan.objects.select_related("item"), WORK_ROLES,
                             field="item__unit", pk=pk)
    run_service(request, lambda: services.supply_return(loan=loan, by=request.user), "بازگشت وسیله به انبار ثبت شد.")
    return redirect("events:supply", loan.item_id)
