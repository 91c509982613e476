"""Writes of the press part: each checks permission, validates, saves and is logged."""

import datetime as dt
import logging
import urllib.request
from calendar import timegm

import feedparser
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import jalali
from ravabet.lib.text import normalize, search_key
from ravabet.offices.access import access_for
from ravabet.offices.models import Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.outbox.services import notify

from .models import (
    ITEM_TRANSITIONS,
    REQUEST_TRANSITIONS,
    VISIT_TRANSITIONS,
    ContactLog,
    ItemState,
    Journalist,
    JournalistVisit,
    Keyword,
    MediaRequest,
    Outlet,
    PressItem,
    PressSource,
    RequestState,
    VisitState,
    check_transition,
)

logger = logging.getLogger(__name__)
EDITORS = UNIT_ROLES | HQ_ROLES
FETCH_TIMEOUT = 15  # seconds
MAX_FEED_BYTES = 5 * 1024 * 1024
FETCH_EVERY = dt.timedelta(hours=3)


def hq_people(unit: Unit):
    """HQ heads and experts whose HQ unit contains `unit`."""
    return get_user_model().objects.filter(
        memberships__unit_id__in=shared_unit_ids(unit), memberships__role__in=HQ_ROLES, is_active=True).distinct()


def unit_people(unit: Unit, roles):
    return get_user_model().objects.filter(
        memberships__unit=unit, memberships__role__in=roles, is_active=True).distinct()


def _set_fields(obj, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def shared_unit_ids(unit: Unit) -> list[int]:
    """A unit uses its own directory and the directories of the units above it (HQ's outlets)."""
    return [int(pk) for pk in unit.path.strip("/").split("/") if pk]


def _require_own_records(access, unit: Unit, *records) -> None:
    allowed = shared_unit_ids(unit)
    for record in records:
        if record is not None and record.unit_id not in allowed:
            raise PermissionDenied("این رسانه یا خبرنگار از فهرست واحد شما نیست.")


# --- Media directory ---------------------------------------------------------------------------------

@transaction.atomic
def outlet_save(*, unit: Unit, by, outlet: Outlet | None = None, **fields) -> Outlet:
    access_for(by).require(unit, EDITORS)
    created = outlet is None
    outlet = outlet or Outlet(unit=unit)
    _set_fields(outlet, fields)
    outlet.name_key = search_key(outlet.name)
    if Outlet.objects.filter(unit=outlet.unit, name_key=outlet.name_key).exclude(pk=outlet.pk).exists():
        raise ValidationError({"name": "رسانه‌ای با همین نام در فهرست هست."})
    outlet.full_clean(validate_constraints=False)
    outlet.save()
    log_action(actor=by, action="press.outlet_created" if created else "press.outlet_updated",
               summary=f"رسانه «{outlet.name}» {'افزوده' if created else 'ویرایش'} شد", target=outlet, unit=outlet.unit)
    return outlet


@transaction.atomic
def journalist_save(*, unit: Unit, by, journalist: Journalist | None = None, **fields) -> Journalist:
    access = access_for(by)
    access.require(unit, EDITORS)
    _require_own_records(access, unit, fields.get("outlet"))
    created = journalist is None
    journalist = journalist or Journalist(unit=unit)
    _set_fields(journalist, fields)
    journalist.full_clean()
    journalist.save()
    log_action(actor=by, action="press.journalist_created" if created else "press.journalist_updated",
               summary=f"خبرنگار «{journalist.full_name}» {'افزوده' if created else 'ویرایش'} شد", target=journalist,
               unit=journalist.unit)
    return journalist


# --- Requests to HQ (C1, C2) ---------------------------------------------------------------------------

def _request_url(request: MediaRequest) -> str:
    return reverse("press:request_detail", args=[request.pk])


def _notify_hq_of_request(request: MediaRequest, *, again: bool) -> None:
    title = (f"{'پاسخ' if again else 'درخواست'} {request.get_kind_display()} از {request.unit.name}")
    for user in hq_people(request.unit):
        notify(user=user, title=title, body=request.subject, url=_request_url(request),
               key=f"press.request:{request.pk}:submitted:{user.pk}:{request.submitted_at.isoformat()}")


def _check_ahead(request: MediaRequest) -> None:
    # Permission is asked before the interview or conference, not after it.
    if request.proposed_at and request.proposed_at < timezone.now() - dt.timedelta(hours=1):
        raise ValidationError({"proposed_at": "زمان پیشنهادی گذشته است؛ مجوز را پیش از انجام کار بگیرید."})


@transaction.atomic
def request_submit(*, unit: Unit, by, **fields) -> MediaRequest:
    access = access_for(by)
    access.require(unit, UNIT_ROLES)
    if unit.is_hq:
        raise PermissionDenied("درخواست مجوز را واحدهای شهرستان به اداره کل می‌فرستند.")
    _require_own_records(access, unit, fields.get("outlet"), fields.get("journalist"))
    request = MediaRequest(unit=unit, created_by=by, state=RequestState.SUBMITTED, submitted_at=timezone.now())
    _set_fields(request, fields)
    _check_ahead(request)
    request.full_clean()
    request.save()
    log_action(actor=by, action="press.request_submitted",
               summary=f"درخواست {request.get_kind_display()} «{request.subject[:80]}» به اداره کل فرستاده شد",
               target=request, unit=unit, data={"proposed_at": request.proposed_at.isoformat()})
    _notify_hq_of_request(request, again=False)
    return request


@transaction.atomic
def request_resubmit(*, request: MediaRequest, by, **fields) -> MediaRequest:
    """The unit answers HQ's question: edits the request and sends it back."""
    access = access_for(by)
    access.require(request.unit, UNIT_ROLES)
    _require_own_records(access, request.unit, fields.get("outlet"), fields.get("journalist"))
    check_transition(REQUEST_TRANSITIONS, request, RequestState.SUBMITTED)
    _set_fields(request, fields)
    _check_ahead(request)
    request.state = RequestState.SUBMITTED
    request.submitted_at = timezone.now()
    request.full_clean()
    request.save()
    log_action(actor=by, action="press.request_resubmitted",
               summary=f"توضیح بیشتر داده شد و درخواست «{request.subject[:80]}» دوباره فرستاده شد",
               target=request, unit=request.unit)
    _notify_hq_of_request(request, again=True)
    return request


DECISIONS = {RequestState.APPROVED: "مجوز داده شد", RequestState.REJECTED: "رد شد",
             RequestState.MORE_INFO: "توضیح بیشتر خواسته شد"}


@transaction.atomic
def request_decide(*, request: MediaRequest, by, decision: str, note: str = "") -> MediaRequest:
    access_for(by).require(request.unit, HQ_ROLES)
    if decision not in DECISIONS:
        raise ValidationError({"decision": "تصمیم را برگزینید."})
    note = normalize(note)
    if decision in (RequestState.REJECTED, RequestState.MORE_INFO) and not note:
        raise ValidationError({"note": "دلیل رد یا پرسش اداره کل را بنویسید تا واحد بداند چه کند."})
    check_transition(REQUEST_TRANSITIONS, request, decision)
    request.state = decision
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    log_action(actor=by, action=f"press.request_{decision}",
               summary=f"درخواست «{request.subject[:80]}»: {DECISIONS[decision]}" + (f" — {note[:120]}" if note else ""),
               target=request, unit=request.unit)
    people = {request.created_by_id: request.created_by}
    people.update({user.pk: user for user in unit_people(request.unit, {Role.PR_OFFICER})})
    for user in people.values():
        notify(user=user, title=f"درخواست {request.get_kind_display()}: {DECISIONS[decision]}",
               body=f"{request.subject}\n{note}".strip(), url=_request_url(request),
               key=f"press.request:{request.pk}:{decision}:{user.pk}:{request.decided_at.isoformat()}")
    return request


@transaction.atomic
def request_done(*, request: MediaRequest, by, report: str, link: str = "") -> MediaRequest:
    access_for(by).require(request.unit, UNIT_ROLES | HQ_ROLES)
    check_transition(REQUEST_TRANSITIONS, request, RequestState.DONE)
    request.state = RequestState.DONE
    request.done_at, request.done_report, request.done_link = timezone.now(), normalize(report), link
    if not request.done_report:
        raise ValidationError({"report": "گزارش کوتاهی از آنچه انجام شد بنویسید."})
    request.full_clean()
    request.save(update_fields=["state", "done_at", "done_report", "done_link"])
    log_action(actor=by, action="press.request_done", summary=f"«{request.subject[:80]}» انجام شد",
               target=request, unit=request.unit, data={"link": link})
    if request.decided_by_id:
        notify(user=request.decided_by, title=f"انجام شد: {request.subject[:100]}", body=request.done_report[:300],
               url=_request_url(request), key=f"press.request:{request.pk}:done")
    return request


@transaction.atomic
def request_cancel(*, request: MediaRequest, by) -> MediaRequest:
    access_for(by).require(request.unit, UNIT_ROLES)
    check_transition(REQUEST_TRANSITIONS, request, RequestState.CANCELLED)
    request.state = RequestState.CANCELLED
    request.save(update_fields=["state"])
    log_action(actor=by, action="press.request_cancelled", summary=f"درخواست «{request.subject[:80]}» لغو شد",
               target=request, unit=request.unit)
    return request


# --- Journalist visits (C3) ---------------------------------------------------------------------------

def _visit_url(visit: JournalistVisit) -> str:
    return reverse("press:visit_detail", args=[visit.pk])


@transaction.atomic
def visit_record(*, unit: Unit, by, journalist: Journalist | None = None, journalist_name: str = "",
                 outlet_name: str = "", **fields) -> JournalistVisit:
    """A journalist has come to the office: record it and ask HQ for the phone permit."""
    access = access_for(by)
    access.require(unit, UNIT_ROLES)
    _require_own_records(access, unit, journalist)
    if journalist is not None:
        journalist_name = journalist_name or journalist.full_name
        outlet_name = outlet_name or (journalist.outlet.name if journalist.outlet_id else "")
    if not journalist_name:
        raise ValidationError({"journalist_name": "نام خبرنگار را بنویسید یا از فهرست برگزینید."})
    visit = JournalistVisit(unit=unit, recorded_by=by, journalist=journalist, journalist_name=journalist_name,
                            outlet_name=outlet_name, **fields)
    visit.full_clean()
    visit.save()
    log_action(actor=by, action="press.visit_recorded",
               summary=f"مراجعه خبرنگار {visit.journalist_name}" + (f" ({outlet_name})" if outlet_name else "")
               + " ثبت و از اداره کل مجوز خواسته شد", target=visit, unit=unit)
    for user in hq_people(unit):
        notify(user=user, title=f"خبرنگار در {unit.name}: در انتظار مجوز تلفنی",
               body=f"{visit.journalist_name} — {visit.purpose[:200]}", url=_visit_url(visit),
               key=f"press.visit:{visit.pk}:waiting:{user.pk}")
    return visit


@transaction.atomic
def visit_permit(*, visit: JournalistVisit, by, granted: bool, given_by: str = "", at=None,
                 note: str = "") -> JournalistVisit:
    """Record HQ's answer given on the phone, by the county officer or by HQ itself."""
    access = access_for(by)
    access.require(visit.unit, UNIT_ROLES | HQ_ROLES)
    from_hq = access.has_role(visit.unit, HQ_ROLES)
    given_by = normalize(given_by) or (by.full_name if from_hq else "")
    if not given_by:
        raise ValidationError({"given_by": "بنویسید چه کسی در اداره کل تلفنی پاسخ داد."})
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": "زمان تماس نمی‌تواند در آینده باشد."})
    target = VisitState.PERMITTED if granted else VisitState.REFUSED
    check_transition(VISIT_TRANSITIONS, visit, target)
    visit.state, visit.permit_given_by, visit.permit_at = target, given_by[:150], at
    visit.permit_note, visit.permit_recorded_by = normalize(note), by
    visit.save(update_fields=["state", "permit_given_by", "permit_at", "permit_note", "permit_recorded_by"])
    log_action(actor=by, action=f"press.visit_{target}",
               summary=f"مجوز تلفنی برای {visit.journalist_name}: {visit.get_state_display()} "
                       f"(پاسخ‌دهنده: {given_by}، {jalali.format_datetime(at)})",
               target=visit, unit=visit.unit)
    people = unit_people(visit.unit, UNIT_ROLES) if from_hq else hq_people(visit.unit)
    for user in people:
        if user.pk != by.pk:
            notify(user=user, title=f"مجوز تلفنی خبرنگار {visit.journalist_name}: {visit.get_state_display()}",
                   body=visit.permit_note, url=_visit_url(visit), key=f"press.visit:{visit.pk}:{target}:{user.pk}")
    return visit


@transaction.atomic
def visit_outcome(*, visit: JournalistVisit, by, outcome: str) -> JournalistVisit:
    access_for(by).require(visit.unit, UNIT_ROLES)
    if visit.state != VisitState.PERMITTED:
        raise ValidationError("نتیجه را پس از گرفتن مجوز ثبت کنید.")
    visit.outcome = normalize(outcome)
    if not visit.outcome:
        raise ValidationError({"outcome": "نتیجه مراجعه را بنویسید."})
    visit.save(update_fields=["outcome"])
    log_action(actor=by, action="press.visit_outcome", summary=f"نتیجه مراجعه {visit.journalist_name} ثبت شد",
               target=visit, unit=visit.unit)
    return visit


# --- Contact log (C4) -----------------------------------------------------------------------------------

@transaction.atomic
def contact_record(*, unit: Unit, by, **fields) -> ContactLog:
    access_for(by).require(unit, EDITORS)
    contact = ContactLog(unit=unit, recorded_by=by, **fields)
    contact.full_clean()
    contact.save()
    log_action(actor=by, action="press.contact_recorded",
               summary=f"ارتباط با {contact.party_name} ({contact.get_party_display()}): {contact.subject[:80]}",
               target=contact, unit=unit)
    return contact


# --- Press monitoring (D1) --------------------------------------------------------------------------------

@transaction.atomic
def source_save(*, unit: Unit, by, source: PressSource | None = None, **fields) -> PressSource:
    access_for(by).require(unit, EDITORS)
    created = source is None
    source = source or PressSource(unit=unit)
    _set_fields(source, fields)
    if PressSource.objects.filter(unit=source.unit, url=source.url).exclude(pk=source.pk).exists():
        raise ValidationError({"url": "این نشانی پیش‌تر افزوده شده است."})
    source.full_clean(validate_constraints=False)
    source.save()
    log_action(actor=by, action="press.source_created" if created else "press.source_updated",
               summary=f"منبع پایش «{source.name}» {'افزوده' if created else 'ویرایش'} شد", target=source,
               unit=source.unit)
    return source


@transaction.atomic
def keyword_add(*, unit: Unit, by, text: str) -> Keyword:
    access_for(by).require(unit, EDITORS)
    text = normalize(text)
    key = search_key(text)
    if len(key) < 2:
        raise ValidationError({"text": "کلیدواژه دست‌کم دو حرف باشد."})
    if Keyword.objects.filter(unit=unit, key=key).exists():
        raise ValidationError({"text": "این کلیدواژه پیش‌تر افزوده شده است."})
    keyword = Keyword.objects.create(unit=unit, text=text, key=key)
    log_action(actor=by, action="press.keyword_added", summary=f"کلیدواژه پایش «{text}» افزوده شد", target=keyword,
               unit=unit)
    return keyword


@transaction.atomic
def keyword_remove(*, keyword: Keyword, by) -> None:
    access_for(by).require(keyword.unit, EDITORS)
    log_action(actor=by, action="press.keyword_removed", summary=f"کلیدواژه پایش «{keyword.text}» برداشته شد",
               unit=keyword.unit)
    keyword.delete()


def download(url: str) -> bytes:
    """The feed's bytes, with a timeout and a size cap; the only place that touches the network."""
    request = urllib.request.Request(url, headers={"User-Agent": "Ravabet press monitor"})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 (http(s) only, see form)
        return response.read(MAX_FEED_BYTES)


def matching_keywords(text: str, keywords: list[Keyword]) -> list[str]:
    haystack = f" {search_key(text)} "
    return [keyword.text for keyword in keywords if keyword.key in haystack]


def _published(entry) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return dt.datetime.fromtimestamp(timegm(parsed), tz=dt.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def fetch_source(source_id: int, *, content: bytes | None = None) -> int:
    """Fetch one source, store the new entries that match the unit's keywords; return how many.

    A dead site or a broken feed is written on the source and never raised, so one bad
    source does not stop the others."""
    source = PressSource.objects.select_related("unit").get(pk=source_id)
    now = timezone.now()
    try:
        parsed = feedparser.parse(content if content is not None else download(source.url))
        if parsed.bozo and not parsed.entries:
            raise ValueError(f"خوراک خوانا نیست: {type(parsed.get('bozo_exception')).__name__}")
    except Exception as error:  # noqa: BLE001 — network, TLS, parser: all become a message on the source
        logger.warning("press source %s failed: %s", source.pk, error)
        PressSource.objects.filter(pk=source.pk).update(last_fetched_at=now, last_error=str(error)[:300])
        return 0
    keywords = list(Keyword.objects.filter(unit=source.unit))
    known = set(PressItem.objects.filter(unit=source.unit).values_list("link", flat=True))
    stored = 0
    for entry in parsed.entries[:500]:
        link = (entry.get("link") or "").strip()[:1000]
        title = normalize(entry.get("title") or "")[:500]
        if not link or not title or link in known or not link.startswith(("http://", "https://")):
            continue
        summary = normalize(_strip_tags(entry.get("summary") or ""))[:4000]
        found = matching_keywords(f"{title} {summary}", keywords)
        if not found:
            continue
        try:
            with transaction.atomic():
                PressItem.objects.create(unit=source.unit, source=source, title=title, link=link, summary=summary,
                                         published_at=_published(entry), matched="، ".join(found)[:300])
        except IntegrityError:  # the same link from another source of the unit, or a parallel run
            continue
        known.add(link)
        stored += 1
    PressSource.objects.filter(pk=source.pk).update(last_fetched_at=now, last_ok_at=now, last_error="")
    if stored:
        log_action(actor=None, action="press.items_fetched",
                   summary=f"{stored} مطلب تازه از «{source.name}» با کلیدواژه‌های واحد", target=source,
                   unit=source.unit, data={"stored": stored})
    return stored


def _strip_tags(html: str) -> str:
    import nh3

    return nh3.clean(html, tags=set())


def fetch_due(now=None) -> int:
    """The periodic job: every active source not fetched for a while."""
    now = now or timezone.now()
    due = PressSource.objects.filter(is_active=True).exclude(last_fetched_at__gt=now - FETCH_EVERY)
    return sum(fetch_source(pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def fetch_now(*, source: PressSource, by) -> int:
    access_for(by).require(source.unit, EDITORS)
    return fetch_source(source.pk)


REVIEW_LABELS = {ItemState.IGNORED: "نامربوط", ItemState.RELEVANT: "مرتبط", ItemState.COMPLAINT: "شکایت مردمی"}


@transaction.atomic
def item_review(*, item: PressItem, by, decision: str, note: str = "") -> PressItem:
    access = access_for(by)
    access.require(item.unit, EDITORS)
    if decision not in REVIEW_LABELS:
        raise ValidationError({"decision": "نتیجه بررسی را برگزینید."})
    note = normalize(note)
    if decision == ItemState.COMPLAINT and not note:
        raise ValidationError({"note": "برای رئیس اداره بنویسید شکایت درباره چیست و چه پیشنهادی دارید."})
    check_transition(ITEM_TRANSITIONS, item, decision)
    managers = list(unit_people(item.unit, {Role.UNIT_MANAGER})) if decision == ItemState.COMPLAINT else []
    if decision == ItemState.COMPLAINT and not managers:
        raise ValidationError("این واحد رئیس اداره‌ای در سامانه ندارد؛ نخست نقش رئیس اداره را تعریف کنید.")
    item.state, item.reviewed_by, item.reviewed_at, item.note = decision, by, timezone.now(), note
    item.save(update_fields=["state", "reviewed_by", "reviewed_at", "note"])
    log_action(actor=by, action=f"press.item_{decision}",
               summary=f"مطلب «{item.title[:80]}»: {REVIEW_LABELS[decision]}"
                       + (" — به رئیس اداره منعکس شد" if decision == ItemState.COMPLAINT else ""),
               target=item, unit=item.unit)
    for manager in managers:
        notify(user=manager, title=f"شکایت مردمی در مطبوعات: {item.title[:120]}",
               body=f"{item.source.name}\n{note}", url=reverse("press:item_detail", args=[item.pk]),
               key=f"press.item:{item.pk}:complaint:{manager.pk}")
    return item
