"""Writes of the press part that are not workflow steps: each checks permission, validates, saves and is
logged. State changes are the declared steps in models.py, made through `ravabet.workflow.engine.move`."""

import datetime as dt
import logging
import re
from calendar import timegm

import feedparser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib import safefetch
from ravabet.lib.text import normalize, search_key
from ravabet.offices.access import access_for, units_above
from ravabet.offices.models import Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES
from ravabet.workflow.engine import move, tell

from .models import (
    HQ_DECIDED,
    THROUGH_HQ,
    ContactLog,
    HqCheck,
    Invitation,
    Journalist,
    JournalistVisit,
    Keyword,
    MediaRequest,
    Outlet,
    PressItem,
    PressSource,
    RequestKind,
    RequestState,
    VisitState,
    is_ahead,
)

logger = logging.getLogger(__name__)
FETCH_TIMEOUT = 15  # seconds
MAX_FEED_BYTES = 5 * 1024 * 1024
FETCH_EVERY = dt.timedelta(hours=3)


def _set_fields(obj, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def shared_unit_ids(unit: Unit) -> list[int]:
    """A unit uses its own directory and the directories of the units above it (HQ's outlets)."""
    return units_above(unit)


def _require_own_records(unit: Unit, *records) -> None:
    allowed = shared_unit_ids(unit)
    for record in records:
        if record is not None and record.unit_id not in allowed:
            raise PermissionDenied("این رسانه یا خبرنگار از فهرست واحد شما نیست.")


# --- Media directory ---------------------------------------------------------------------------------

@transaction.atomic
def outlet_save(*, unit: Unit, by, outlet: Outlet | None = None, **fields) -> Outlet:
    access_for(by).require(unit, WORK_ROLES)
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
    access.require(unit, WORK_ROLES)
    _require_own_records(unit, fields.get("outlet"))
    created = journalist is None
    journalist = journalist or Journalist(unit=unit)
    _set_fields(journalist, fields)
    journalist.full_clean()
    journalist.save()
    log_action(actor=by, action="press.journalist_created" if created else "press.journalist_updated",
               summary=f"خبرنگار «{journalist.full_name}» {'افزوده' if created else 'ویرایش'} شد", target=journalist,
               unit=journalist.unit)
    return journalist


# --- Requests to HQ (C1, C2) and journalist visits (C3) -----------------------------------------------
# Their state changes are the declared steps of MediaRequest and JournalistVisit (models.py), made with
# ravabet.workflow.engine.move; only what is not a step lives here: a new record, and the edit that
# goes with a resubmission.

def _check_ahead(when) -> None:
    if not is_ahead(when):
        raise ValidationError({"proposed_at": "زمان پیشنهادی گذشته است؛ مجوز را پیش از انجام کار بگیرید."})


@transaction.atomic
def request_submit(*, unit: Unit, by, **fields) -> MediaRequest:
    """A county office asks HQ for a media permit (C1, C2): the request is saved as submitted and
    HQ's head, who alone decides (DESIGN §1), is told in-app. `fields` are the form's; the outlet and
    journalist must come from the unit's directory or HQ's. Raises PermissionDenied or ValidationError."""
    access_for(by).require(unit, UNIT_ROLES)
    if unit.is_hq:
        raise PermissionDenied("درخواست مجوز را واحدهای شهرستان به اداره کل می‌فرستند.")
    _require_own_records(unit, fields.get("outlet"), fields.get("journalist"))
    request = MediaRequest(unit=unit, created_by=by, state=RequestState.SUBMITTED, submitted_at=timezone.now())
    _set_fields(request, fields)
    _check_ahead(request.proposed_at)
    request.full_clean()
    request.save()
    log_action(actor=by, action="press.request_submitted",
               summary=f"درخواست {request.get_kind_display()} «{request.subject[:80]}» به اداره کل فرستاده شد",
               target=request, unit=unit, data={"proposed_at": request.proposed_at.isoformat()})
    tell(request, [MediaRequest.SUBMITTED_NOTICE], by=by, key=f"press.mediarequest:{request.pk}:created", source="press.request_submitted")
    return request


@transaction.atomic
def request_resubmit(*, request: MediaRequest, by, **fields) -> MediaRequest:
    """The unit answers HQ's question (C1, C2): the edited `fields` and the step "resubmit" are saved
    together, so the timeline shows what changed; HQ's head is told by the step's declaration."""
    _require_own_records(request.unit, fields.get("outlet"), fields.get("journalist"))
    _check_ahead(fields.get("proposed_at"))
    return move(request, "resubmit", by=by, **fields)


@transaction.atomic
def visit_record(*, unit: Unit, by, journalist: Journalist | None = None, journalist_name: str = "",
                 outlet_name: str = "", **fields) -> JournalistVisit:
    """A journalist has come to the county office (C3): record it and ask HQ's head for the phone
    permit, in-app and by SMS (he alone decides it, DESIGN §1; the journalist is waiting)."""
    access_for(by).require(unit, UNIT_ROLES)
    _require_own_records(unit, journalist)
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
    tell(visit, [JournalistVisit.WAITING_NOTICE], by=by, key=f"press.journalistvisit:{visit.pk}:created", source="press.visit_waiting")
    return visit


@transaction.atomic
def visit_outcome(*, visit: JournalistVisit, by, outcome: str) -> JournalistVisit:
    """What came of a permitted visit (C3), written by the unit; not a state change."""
    access_for(by).require(visit.unit, UNIT_ROLES)
    visit = JournalistVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.state != VisitState.PERMITTED:
        raise ValidationError("نتیجه را پس از گرفتن مجوز ثبت کنید.")
    before, visit.outcome = visit.outcome, normalize(outcome)
    if not visit.outcome:
        raise ValidationError({"outcome": "نتیجه مراجعه را بنویسید."})
    visit.save(update_fields=["outcome"])
    log_action(actor=by, action="press.visit_outcome", summary=f"نتیجه مراجعه {visit.journalist_name} ثبت شد",
               target=visit, unit=visit.unit, data={"changes": {"outcome": [before, visit.outcome]}})
    return visit


# --- Contact log (C4) -----------------------------------------------------------------------------------

def _own_request(unit: Unit, media_request: MediaRequest | None) -> None:
    if media_request is not None and media_request.unit_id != unit.pk:
        raise ValidationError({"media_request": "درخواست مجوز باید از همین واحد باشد."})


@transaction.atomic
def contact_record(*, unit: Unit, by, **fields) -> ContactLog:
    """Record a contact of `unit` (C4) and return it; one with the broadcaster, the media or another
    directorate waits for HQ to confirm the coordination it names. `media_request`, when given, is the
    unit's own C1 request. Raises PermissionDenied or ValidationError (Persian, on its field)."""
    access_for(by).require(unit, WORK_ROLES)
    _own_request(unit, fields.get("media_request"))
    contact = ContactLog(unit=unit, recorded_by=by, **fields)
    contact.hq_check = HqCheck.AWAITING if contact.party in THROUGH_HQ else HqCheck.NOT_NEEDED
    contact.full_clean()
    contact.save()
    log_action(actor=by, action="press.contact_recorded",
               summary=f"ارتباط با {contact.party_name} ({contact.get_party_display()}): {contact.subject[:80]}",
               target=contact, unit=unit)
    return contact


def editor_roles(unit: Unit) -> frozenset:
    """Who edits a contact of `unit`: its own people (HQ's PR people for HQ's own contacts), never HQ for a
    county's contact whose coordination HQ is to judge."""
    return HQ_ROLES if unit.is_hq else UNIT_ROLES


# Once HQ has confirmed or disputed a coordination, what it judged stays as it was.
HQ_JUDGED_FIELDS = ("party", "hq_coordination", "contacted_at")


@transaction.atomic
def contact_update(*, contact: ContactLog, by, **fields) -> ContactLog:
    """Edit a contact (C4): the unit's people correct it and add its outcome; every changed field is
    logged before and after. After HQ's word the party, time and coordination cannot change; before it,
    a change of party sets whether HQ's word is awaited. Returns the contact; raises PermissionDenied or
    ValidationError."""
    access_for(by).require(contact.unit, editor_roles(contact.unit))
    contact = ContactLog.objects.select_for_update().get(pk=contact.pk)
    _own_request(contact.unit, fields.get("media_request"))
    changes = {name: [getattr(contact, name), value] for name, value in fields.items()
               if getattr(contact, name) != value}
    if contact.hq_check in HQ_DECIDED and (judged := [name for name in changes if name in HQ_JUDGED_FIELDS]):
        raise ValidationError({name: "اداره کل درباره این هماهنگی نظر داده است؛ این بخش دیگر ویرایش نمی‌شود."
                               for name in judged})
    _set_fields(contact, fields)
    if contact.hq_check not in HQ_DECIDED:
        contact.hq_check = HqCheck.AWAITING if contact.party in THROUGH_HQ else HqCheck.NOT_NEEDED
    contact.full_clean()
    if not changes:
        return contact
    contact.save()
    log_action(actor=by, action="press.contact_updated", summary=f"ارتباط با {contact.party_name} ویرایش شد",
               target=contact, unit=contact.unit,
               data={"changes": {name: [str(old) if old is not None else None, str(new) if new is not None else None]
                                 for name, (old, new) in changes.items()}})
    return contact


# --- Press conferences (C2) -------------------------------------------------------------------------------

def _conference(media_request: MediaRequest, by) -> None:
    access_for(by).require(media_request.unit, UNIT_ROLES)
    if media_request.kind != RequestKind.CONFERENCE:
        raise ValidationError("رسانه‌ها فقط به نشست خبری دعوت می‌شوند.")


@transaction.atomic
def invitation_add(*, media_request: MediaRequest, by, outlet: Outlet) -> Invitation:
    """Invite `outlet` (from the unit's or HQ's directory) to a press conference (C2) not yet over or
    refused; returns the invitation. Raises PermissionDenied or ValidationError (Persian)."""
    _conference(media_request, by)
    _require_own_records(media_request.unit, outlet)
    if media_request.state in (RequestState.REJECTED, RequestState.CANCELLED):
        raise ValidationError({"outlet": "این نشست رد یا لغو شده است."})
    if Invitation.objects.filter(media_request=media_request, outlet=outlet).exists():
        raise ValidationError({"outlet": "این رسانه پیش‌تر دعوت شده است."})
    invitation = Invitation.objects.create(media_request=media_request, outlet=outlet, invited_by=by)
    log_action(actor=by, action="press.outlet_invited", summary=f"دعوت از {outlet.name} به نشست خبری",
               target=media_request, unit=media_request.unit, data={"outlet": outlet.pk})
    return invitation


@transaction.atomic
def invitation_record(*, invitation: Invitation, by, attended: bool | None, coverage_link: str = "") -> Invitation:
    """Whether an invited outlet came to the conference and the link of what it published (C2), once HQ
    has approved it; logged before and after. Returns the invitation."""
    media_request = invitation.media_request
    _conference(media_request, by)
    if media_request.state not in (RequestState.APPROVED, RequestState.DONE):
        raise ValidationError({"attended": "حضور و پوشش خبری را پس از مجوز اداره کل ثبت کنید."})
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    before = {"attended": invitation.attended, "coverage_link": invitation.coverage_link}
    invitation.attended, invitation.coverage_link = attended, coverage_link.strip()
    invitation.full_clean(exclude=["media_request", "outlet", "invited_by"])
    invitation.save(update_fields=["attended", "coverage_link"])
    log_action(actor=by, action="press.invitation_recorded",
               summary=f"{invitation.outlet.name}: " + {True: "حاضر بود", False: "نیامد", None: "نامعلوم"}[attended]
               + ("، با پوشش خبری" if invitation.coverage_link else ""), target=media_request, unit=media_request.unit,
               data={"outlet": invitation.outlet_id, "changes": {k: [v, getattr(invitation, k)] for k, v in before.items()}})
    return invitation


# --- Press monitoring (D1) --------------------------------------------------------------------------------

@transaction.atomic
def source_save(*, unit: Unit, by, source: PressSource | None = None, **fields) -> PressSource:
    access_for(by).require(unit, WORK_ROLES)
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
    access_for(by).require(unit, WORK_ROLES)
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
    access_for(by).require(keyword.unit, WORK_ROLES)
    log_action(actor=by, action="press.keyword_removed", summary=f"کلیدواژه پایش «{keyword.text}» برداشته شد",
               unit=keyword.unit)
    keyword.delete()


def download(url: str) -> bytes:
    """The feed's bytes, with a timeout and a size cap; the only place that touches the network."""
    return safefetch.fetch(url, timeout=FETCH_TIMEOUT, max_bytes=MAX_FEED_BYTES)


# Endings a keyword may carry and still be the same word: the plural and comparative suffixes that
# `search_key` joins to the word («راه‌ها», «راهها», «راه ها» → «راهها»), so «راه» finds «راه‌ها».
_KEYWORD_ENDINGS = "(?:ها|های|هایی|تر|ترین)?"


def keyword_pattern(key: str) -> re.Pattern:
    """The regular expression that finds a keyword's search key (`lib.text.search_key`, str) as whole
    words inside another search key: not preceded or followed by a letter or digit, optionally followed
    by a plural/comparative suffix. «راه» matches «راه»، «راه‌ها» and «راه،» but not «همراه» or
    «راهنما» (issue 12 §2). A key of several words matches those words in a row, written apart or joined
    (the keyword «راه سازی» finds «راه‌سازی», whose key is «راهسازی»)."""
    words = r" ?".join(re.escape(word) for word in key.split(" "))
    return re.compile(rf"(?<!\w){words}{_KEYWORD_ENDINGS}(?!\w)")


def matching_keywords(text: str, keywords: list[Keyword]) -> list[str]:
    """The keywords (their text as typed, in the given order) found in `text` (str, as stored).

    Both sides are compared as search keys (`lib.text.search_key`: Arabic/Persian letters, hamza, digits,
    diacritics and ZWNJ/space variants folded, so «راهسازی» finds «راه‌سازی»), on word boundaries
    (`keyword_pattern`), so «راه» does not match inside «همراه». Issue 12, point 2."""
    haystack = search_key(text)
    return [keyword.text for keyword in keywords if keyword.key and keyword_pattern(keyword.key).search(haystack)]


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
            raise ValueError("خوراک خوانا نیست؛ این نشانی خوراک RSS یا Atom درستی ندارد.")
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
    access_for(by).require(source.unit, WORK_ROLES)
    return fetch_source(source.pk)
