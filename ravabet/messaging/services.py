"""Writes of the messaging app: each checks permission, validates and is logged. State changes of
announcements, texts and banners are their declared steps (models.py), made with `workflow.engine.move`."""

import difflib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.validators import MOBILE_RE
from ravabet.offices.access import access_for
from ravabet.offices.models import Person, Unit
from ravabet.offices.roles import WORK_ROLES
from ravabet.outbox.models import Notification
from ravabet.outbox.models import State as OutboxState
from ravabet.outbox.services import notify, queue_email, queue_sms
from ravabet.workflow.engine import TransitionRefused, move, steps_of

from .models import (
    Announcement,
    AnnouncementState,
    CondolenceBanner,
    CondolenceTemplate,
    Delivery,
    DeliveryChannel,
    DeliveryState,
    DuplicateCheck,
    DuplicateOutcome,
    StaffGroup,
    TickerText,
)

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
# The first batch goes out while the sender waits, so a small announcement is delivered at once.
INLINE_BATCH = 100
SIMILARITY = 0.75


def messaging_setting(name: str, default):
    return getattr(settings, "MESSAGING", {}).get(name, default)


# --- Audience ---------------------------------------------------------------

def audience_queryset(*, units, groups, people) -> QuerySet:
    unit_ids = [u.pk if isinstance(u, Unit) else u for u in units]
    group_ids = [g.pk if isinstance(g, StaffGroup) else g for g in groups]
    person_ids = [p.pk if isinstance(p, Person) else p for p in people]
    return Person.objects.filter(is_active=True).filter(
        Q(unit_id__in=unit_ids) | Q(staff_groups__in=group_ids) | Q(pk__in=person_ids)).distinct()


def announcement_audience(announcement: Announcement) -> QuerySet:
    """The people an announcement goes to: those fixed when it was sent (B1) who are still active;
    for an announcement saved before the audience was kept, its units, groups and people now."""
    if announcement.audience_ids:
        return Person.objects.filter(pk__in=announcement.audience_ids, is_active=True)
    return audience_queryset(units=announcement.target_units.values_list("pk", flat=True),
                             groups=announcement.groups.values_list("pk", flat=True),
                             people=announcement.people.values_list("pk", flat=True))


def _check_audience_in_reach(access, *, units, groups, people) -> None:
    reach = set(access.unit_ids(WORK_ROLES))
    owners = {u.pk for u in units} | {g.unit_id for g in groups} | {p.unit_id for p in people}
    if not owners <= reach:
        raise PermissionDenied("شما به کارکنان این واحد دسترسی ندارید.")


def sms_text(title: str, body: str) -> str:
    return f"{title}\n{body}"


# --- Duplicate guard (B7) ---------------------------------------------------

@dataclass
class DuplicateFinding:
    earlier: Announcement
    similarity: float
    overlap: int
    blocked: bool

    @property
    def similarity_percent(self) -> int:
        return round(self.similarity * 100)

    @property
    def url(self) -> str:
        return reverse("messaging:announcement_detail", args=[self.earlier.pk])


class DuplicateFound(Exception):
    def __init__(self, findings: list[DuplicateFinding]):
        super().__init__("duplicate")
        self.findings = findings

    @property
    def blocked(self) -> bool:
        return any(finding.blocked for finding in self.findings)


def _compact(key: str) -> str:
    # A lone «ی» is the ezafe written after a ZWNJ («هفته‌ی بسیج»), which «هفته بسیج» leaves out.
    return "".join(word for word in key.split(" ") if word != "ی")


def same_occasion(key: str, other: str) -> bool:
    """Two occasion keys name the same occasion or person whatever the spacing: «حمل‌ونقل»,
    «حمل ونقل» and «حمل و نقل» are one occasion, as are «هفته‌ی بسیج» and «هفته بسیج». Only spacing
    and that ezafe are forgiven: «علی احمدی» and «علی محمدی» are two people."""
    return bool(key) and _compact(key) == _compact(other)


def find_duplicates(*, unit: Unit, kind: str, title: str, body: str, occasion: str,
                    person_ids: set[int], exclude_pk: int | None = None) -> list[DuplicateFinding]:
    """Recent messages (Announcement) of any kind, within the window of MESSAGING["DUPLICATE_DAYS"]
    days, about the same occasion or person or with near-identical text, that reached some of the
    same people (`person_ids`), looked for in both directions (B7): a unit's message against HQ's
    and its own, HQ's message against its own and every unit's below it. Only a unit's copy of
    HQ's message for mostly the same people is blocked; the rest are warnings the sender may
    override with a reason. `kind` is kept for the record: the type of message does not matter."""
    from ravabet.lib.text import search_key

    days = messaging_setting("DUPLICATE_DAYS", 7)
    text_key = search_key(f"{title} {body}")
    occasion_key = search_key(occasion)
    candidates = (Announcement.objects.filter(created_at__gte=timezone.now() - timedelta(days=days))
                  .exclude(state=AnnouncementState.CANCELLED).exclude(pk=exclude_pk)
                  .filter(Q(unit__kind="hq") | Q(unit=unit) | Q(unit__path__startswith=unit.path))
                  .select_related("unit", "sender"))
    findings = []
    for earlier in candidates:
        same_subject = bool(occasion_key) and same_occasion(occasion_key, earlier.occasion_key)
        if occasion_key and earlier.occasion_key and not same_subject:
            continue  # two named occasions or people that differ are two messages, however alike the wording
        matcher = difflib.SequenceMatcher(None, text_key, earlier.text_key, autojunk=False)
        similarity = matcher.ratio() if matcher.quick_ratio() >= SIMILARITY or same_subject else 0.0
        if not same_subject and similarity < SIMILARITY:
            continue
        earlier_ids = set(announcement_audience(earlier).values_list("pk", flat=True))
        overlap = len(person_ids & earlier_ids)
        if not overlap:
            continue
        # HQ covered this audience for the unit: the unit's copy would reach the same people twice.
        blocked = earlier.unit.is_hq and earlier.unit_id != unit.pk and overlap * 2 >= len(person_ids)
        findings.append(DuplicateFinding(earlier=earlier, similarity=round(similarity, 2), overlap=overlap,
                                         blocked=blocked))
    findings.sort(key=lambda finding: (not finding.blocked, -finding.similarity))
    return findings


@transaction.atomic
def _record_checks(*, unit, by, kind, title, body, findings, outcome, announcement=None,
                   override_reason: str = "") -> None:
    for finding in findings:
        if outcome == DuplicateOutcome.CONFIRMED:
            # A warning this sender saw a moment ago becomes the confirmation, not a second row.
            if DuplicateCheck.objects.filter(
                    checked_by=by, earlier=finding.earlier, outcome=DuplicateOutcome.WARNED, announcement=None,
                    created_at__gte=timezone.now() - timedelta(hours=2),
            ).update(outcome=DuplicateOutcome.CONFIRMED, announcement=announcement, title=title[:150], body=body,
                     override_reason=override_reason):
                log_action(actor=by, action="messaging.duplicate_confirmed",
                           summary=f"پیام تکراری «{title[:80]}» با تأیید فرستنده ارسال شد", target=announcement,
                           unit=unit, data={"earlier": finding.earlier.pk, "similarity": finding.similarity})
                continue
        check = DuplicateCheck.objects.create(
            unit=unit, checked_by=by, kind=kind, title=title[:150], body=body, earlier=finding.earlier,
            announcement=announcement, outcome=outcome, similarity=finding.similarity, overlap=finding.overlap,
            override_reason=override_reason)
        log_action(actor=by, action=f"messaging.duplicate_{outcome}",
                   summary=f"پیام تکراری «{title[:80]}»: {check.get_outcome_display()}", target=check, unit=unit,
                   data={"earlier": finding.earlier.pk, "similarity": finding.similarity})


# --- Announcements (B1, B6) --------------------------------------------------

def announcement_create(*, unit: Unit, by, kind: str, title: str, body: str, occasion: str = "", occasion_ref=None,
                        via_app: bool = True, via_sms: bool = False, via_email: bool = False,
                        target_units=(), groups=(), people=(), send_at=None,
                        confirm_duplicate: bool = False, override_reason: str = "", about_url: str = "",
                        about_label: str = "", event=None) -> Announcement:
    """Check, guard against duplicates, save and start sending an announcement.

    `about_url`/`about_label` link it to the record it announces (a meeting); `event` (events.Event)
    ties it to a ceremony, which also sets the link (B6: a ceremony announces itself, and HQ's occasion
    matrix counts it for the sending unit). Raises PermissionDenied when `by` may not work on the
    ceremony's unit, ValidationError for bad input and DuplicateFound when the guard stops it;
    the guard's verdict is recorded even though nothing is sent."""
    access = access_for(by)
    access.require(unit, WORK_ROLES)
    if event is not None:
        access.require(event.unit, WORK_ROLES)
        about_url, about_label = about_url or event.get_absolute_url(), about_label or event.title
    target_units, groups, people = list(target_units), list(groups), list(people)
    _check_audience_in_reach(access, units=target_units, groups=groups, people=people)
    errors = {}
    if not (via_app or via_sms or via_email):
        errors["via_app"] = "دست‌کم یک راه ارسال (اعلان، پیامک یا ایمیل) را برگزینید."
    max_length = settings.OUTBOX["SMS_MAX_LENGTH"]
    if via_sms and len(sms_text(title, body)) > max_length:
        errors["body"] = (f"متن پیامک (با عنوان) {to_persian_digits(len(sms_text(title, body)))} نویسه است و از سقف "
                          f"{to_persian_digits(max_length)} "
                          "نویسه‌ی سامانه پیامک بیشتر است؛ کوتاهش کنید یا پیامک را برندارید.")
    now = timezone.now()
    if send_at is not None and send_at < now - timedelta(minutes=1):
        errors["send_at"] = "زمان ارسال گذشته است؛ زمانی در آینده بنویسید یا خالی بگذارید تا همین حالا فرستاده شود."
    person_ids = set(audience_queryset(units=target_units, groups=groups, people=people).values_list("pk", flat=True))
    if not person_ids and not errors:
        errors["target_units"] = "این مخاطبان هیچ کارمند فعالی ندارند؛ واحد، گروه یا افرادی را برگزینید."
    if errors:
        raise ValidationError(errors)
    findings = find_duplicates(unit=unit, kind=kind, title=title, body=body, occasion=occasion,
                               person_ids=person_ids)
    override_reason = (override_reason or "").strip()
    if findings and confirm_duplicate and not override_reason and not any(f.blocked for f in findings):
        raise ValidationError({"override_reason": "برای فرستادن پیام همانند، علت آن را بنویسید."})
    if findings and (any(f.blocked for f in findings) or not confirm_duplicate):
        outcome = DuplicateOutcome.BLOCKED if any(f.blocked for f in findings) else DuplicateOutcome.WARNED
        _record_checks(unit=unit, by=by, kind=kind, title=title, body=body,
                       findings=[f for f in findings if f.blocked] if outcome == DuplicateOutcome.BLOCKED
                       else findings, outcome=outcome)
        raise DuplicateFound(findings)
    with transaction.atomic():
        announcement = Announcement(unit=unit, sender=by, kind=kind, title=title, body=body, occasion=occasion,
                                    occasion_ref=occasion_ref,
                                    via_app=via_app, via_sms=via_sms, via_email=via_email,
                                    send_at=send_at or now, recipients_count=len(person_ids),
                                    audience_ids=sorted(person_ids), about_url=about_url[:200],
                                    about_label=about_label[:200], event=event)
        announcement.full_clean()
        announcement.save()
        announcement.target_units.set(target_units)
        announcement.groups.set(groups)
        announcement.people.set(people)
        log_action(actor=by, action="messaging.announcement_created",
                   summary=f"اطلاعیه «{title[:80]}» برای {to_persian_digits(len(person_ids))} نفر", target=announcement,
                   unit=unit,
                   data={"channels": announcement.channels, "send_at": announcement.send_at.isoformat()})
        if findings:
            _record_checks(unit=unit, by=by, kind=kind, title=title, body=body, findings=findings,
                           outcome=DuplicateOutcome.CONFIRMED, announcement=announcement,
                           override_reason=override_reason)
    if announcement.send_at <= timezone.now():
        start_sending(announcement.pk)
        announcement.refresh_from_db()
    return announcement


def start_sending(announcement_id: int) -> None:
    """Send the first batch now and leave the rest to the worker."""
    from .tasks import dispatch_announcement

    if dispatch_batch(announcement_id=announcement_id, size=INLINE_BATCH) > 0:
        transaction.on_commit(lambda: dispatch_announcement.enqueue(announcement_id))


def _delivery_for(announcement: Announcement, person: Person, channel: str) -> Delivery:
    key = f"ann:{announcement.pk}:{person.pk}:{channel}"
    delivery = Delivery(announcement=announcement, person=person, channel=channel)
    if channel == DeliveryChannel.IN_APP:
        if not person.user_id:
            delivery.state, delivery.reason = DeliveryState.SKIPPED, "حساب کاربری در سامانه ندارد"
        else:
            delivery.notification = notify(user=person.user, title=announcement.title, body=announcement.body[:500],
                                            url=reverse("messaging:inbox"), key=key)
            delivery.state = DeliveryState.SENT
    elif channel == DeliveryChannel.SMS:
        if person.sms_opt_out:
            delivery.state, delivery.reason = DeliveryState.SKIPPED, "از دریافت پیامک انصراف داده"
        elif not MOBILE_RE.match(person.mobile or ""):
            delivery.state, delivery.reason = DeliveryState.SKIPPED, "شماره همراه معتبر ندارد"
        else:
            delivery.outbox = queue_sms(to=person.mobile, body=sms_text(announcement.title, announcement.body),
                                        key=key, unit=announcement.unit, source="messaging.announcement")
    elif not person.email:
        delivery.state, delivery.reason = DeliveryState.SKIPPED, "ایمیل ندارد"
    else:
        delivery.outbox = queue_email(to=person.email, subject=announcement.title, body=announcement.body, key=key,
                                      unit=announcement.unit, source="messaging.announcement")
    return delivery


def dispatch_batch(*, announcement_id: int, size: int = BATCH_SIZE) -> int:
    """Queue one batch of an announcement's messages; return how many people are left (-1: not yet due).

    Safe to run twice at once: the outbox and notice keys and the unique delivery row make a
    second pass over the same person add nothing."""
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().select_related("unit").get(pk=announcement_id)
        if announcement.state == AnnouncementState.SCHEDULED:
            if announcement.send_at > timezone.now():
                return -1
            move(announcement, "start", by=None)
        if announcement.state != AnnouncementState.SENDING:
            return 0
        done = Delivery.objects.filter(announcement=announcement).values("person_id")
        batch = list(announcement_audience(announcement).exclude(pk__in=done).select_related("user")
                     .order_by("pk")[:size])
        deliveries = [_delivery_for(announcement, person, channel)
                      for person in batch for channel in announcement.channels]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        announcement.processed_count += len(batch)
        if len(batch) < size:
            # The audience may have shrunk since it was counted; the count follows what was sent.
            announcement.recipients_count = announcement.processed_count
        announcement.save(update_fields=["processed_count", "recipients_count"])
    refresh_states(announcement)
    return 0 if len(batch) < size else max(announcement.recipients_count - announcement.processed_count, 1)


def refresh_states(announcement: Announcement) -> None:
    """Copy the outbox's verdict onto delivery rows, and close the announcement when all are settled."""
    announcement.refresh_from_db(fields=["state", "processed_count", "recipients_count"])
    queued = Delivery.objects.filter(announcement=announcement, state=DeliveryState.QUEUED)
    queued.filter(outbox__state=OutboxState.SENT).update(state=DeliveryState.SENT)
    queued.filter(outbox__state=OutboxState.FAILED).update(state=DeliveryState.FAILED)
    # A notice read from the header's notices page is a read announcement too.
    Delivery.objects.filter(announcement=announcement, read_at__isnull=True,
                            notification__read_at__isnull=False).update(
        read_at=Subquery(Notification.objects.filter(pk=OuterRef("notification_id")).values("read_at")[:1]))
    if announcement.state == AnnouncementState.SENDING and announcement.all_settled():
        try:
            move(announcement, "finish", by=None)
        except TransitionRefused:
            pass  # a page poll and the worker got here together; the other one closed it


# Kavenegar's status codes (sms/status.json): what each means for a delivery row (B1).
PROVIDER_DELIVERED = {10}
PROVIDER_BOUNCED = {6, 11, 13, 14, 100}
REPORT_WINDOW = timedelta(days=3)  # a report not in by then is not coming
REPORT_BATCH = 200


def fetch_delivery_reports(*, now=None) -> int:
    """Ask the SMS provider for the delivery reports of the announcement SMS it accepted in the last
    REPORT_WINDOW (B1: "delivered" means the phone got it): rows the report calls delivered become
    DELIVERED, undelivered/failed/blocked ones BOUNCED, the rest stay SENT and are asked again next run.
    A transport without delivery reports (the console) is skipped. Returns the number of rows updated;
    a provider that does not answer leaves everything for the next run."""
    from ravabet.outbox.models import Channel as OutboxChannel
    from ravabet.outbox.transports import TransientError, transport_for

    transport = transport_for(OutboxChannel.SMS)
    if not hasattr(transport, "delivery_statuses"):
        return 0
    now = now or timezone.now()
    waiting = Delivery.objects.filter(channel=DeliveryChannel.SMS, state=DeliveryState.SENT,
                                      outbox__sent_at__gte=now - REPORT_WINDOW).exclude(outbox__provider_ref="") \
        .values_list("pk", "outbox__provider_ref").order_by("pk")
    rows = list(waiting)
    updated = 0
    for start in range(0, len(rows), REPORT_BATCH):
        batch = dict(rows[start:start + REPORT_BATCH])
        try:
            statuses = transport.delivery_statuses(sorted(set(batch.values())))
        except TransientError:
            logger.warning("SMS delivery reports unavailable; asked again next run")
            return updated
        for state, codes in ((DeliveryState.DELIVERED, PROVIDER_DELIVERED), (DeliveryState.BOUNCED, PROVIDER_BOUNCED)):
            ids = [pk for pk, ref in batch.items() if statuses.get(ref) in codes]
            if ids:
                updated += Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).update(state=state,
                                                                                                reported_at=now)
    return updated


def progress(announcement: Announcement) -> dict:
    from django.db.models import Count

    counts = dict(Delivery.objects.filter(announcement=announcement).values_list("state")
                  .annotate(n=Count("pk")).values_list("state", "n"))
    expected = announcement.recipients_count * max(len(announcement.channels), 1)
    settled = sum(counts.get(state, 0) for state in (DeliveryState.SENT, DeliveryState.DELIVERED,
                                                      DeliveryState.BOUNCED, DeliveryState.FAILED, DeliveryState.SKIPPED))
    percent = 100 if announcement.state == AnnouncementState.SENT else \
        (min(100, settled * 100 // expected) if expected else 0)
    return {"percent": percent, "expected": expected, "settled": settled,
            "sent": counts.get(DeliveryState.SENT, 0), "delivered": counts.get(DeliveryState.DELIVERED, 0),
            "bounced": counts.get(DeliveryState.BOUNCED, 0), "queued": counts.get(DeliveryState.QUEUED, 0),
            "failed": counts.get(DeliveryState.FAILED, 0), "skipped": counts.get(DeliveryState.SKIPPED, 0),
            "done": announcement.state in (AnnouncementState.SENT, AnnouncementState.CANCELLED)}


def mark_announcements_read(*, user, delivery_ids: list[int]) -> int:
    """Read receipts for the in-app deliveries a staff member has just seen."""
    from ravabet.outbox.services import mark_read

    deliveries = Delivery.objects.filter(pk__in=delivery_ids, person__user=user, read_at__isnull=True)
    notification_ids = list(deliveries.exclude(notification=None).values_list("notification_id", flat=True))
    count = deliveries.update(read_at=timezone.now())
    if notification_ids:
        mark_read(user=user, notification_ids=notification_ids)
    return count


@transaction.atomic
def sms_preference_set(*, person: Person, by, opt_out: bool) -> Person:
    """A staff member's own choice to stop (or resume) announcement SMS."""
    if person.user_id != by.pk:
        raise PermissionDenied("فقط خود کارمند می‌تواند این را تغییر دهد.")
    person.sms_opt_out = opt_out
    person.save(update_fields=["sms_opt_out"])
    log_action(actor=by, action="messaging.sms_opt_out" if opt_out else "messaging.sms_opt_in",
               summary="انصراف از پیامک اطلاعیه‌ها" if opt_out else "دریافت دوباره پیامک اطلاعیه‌ها",
               target=person, unit=person.unit)
    return person


# --- Staff groups (B11) ------------------------------------------------------

@transaction.atomic
def group_save(*, unit: Unit, by, name: str, members, group: StaffGroup | None = None) -> StaffGroup:
    access_for(by).require(unit, WORK_ROLES)
    members = list(members)
    if any(person.unit_id != unit.pk for person in members):
        raise PermissionDenied("اعضای گروه باید از کارکنان همین واحد باشند.")
    created = group is None
    group = group or StaffGroup(unit=unit)
    group.name = name
    group.full_clean(validate_constraints=False)
    if StaffGroup.objects.filter(unit=unit, name=name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": "گروهی با همین نام در این واحد هست."})
    group.save()
    group.members.set(members)
    log_action(actor=by, action="messaging.group_created" if created else "messaging.group_updated",
               summary=f"گروه «{name}» با {to_persian_digits(len(members))} عضو", target=group, unit=unit)
    return group


# --- Ticker and letterhead texts (B10) ----------------------------------------

def ticker_submit_step(unit: Unit) -> str:
    """The step that sends a text of `unit` to HQ: `submit_own` for HQ's own texts (HQ roles),
    `submit` for a county's (its unit roles). Its roles are also who may write and edit the text."""
    return "submit_own" if unit.is_hq else "submit"


def may_write_ticker(access, unit: Unit) -> bool:
    """Whether the person may write and send texts of `unit` (the roles of its submit step)."""
    return access.has_role(unit, steps_of(TickerText)[ticker_submit_step(unit)].roles)


@transaction.atomic
def ticker_save(*, unit: Unit, by, ticker: TickerText | None = None, submit: bool = False,
                **fields) -> TickerText:
    """Write a new text of `unit` or edit a draft or returned one, and with `submit` send it to HQ
    (the declared submit step, which tells HQ's reviewers). B10.

    In: the unit, the writer, the text's fields (kind, occasion, occasion_date, text). Out: the saved
    text. PermissionDenied without a writer's role in the unit; ValidationError for a text over its
    medium's limit or one that is no longer editable; the step's refusals from `move`. A new text's form
    sent twice is made once by the view (lib.idempotency.create_once, scope "messaging.ticker")."""
    access = access_for(by)
    if not may_write_ticker(access, unit):
        raise PermissionDenied("نوشتن متن برای این واحد از نقش شما ساخته نیست.")
    if ticker is None:
        ticker = TickerText(unit=unit, created_by=by, **fields)
        ticker.full_clean()
        ticker.save()
        log_action(actor=by, action="messaging.ticker_saved", target=ticker, unit=unit,
                   summary=f"متن {ticker.kind_label} برای «{ticker.occasion[:60]}» ثبت شد")
        changes = {}
    else:
        ticker = TickerText.objects.select_for_update().get(pk=ticker.pk)
        if not ticker.editable:
            raise ValidationError("متن فرستاده‌شده یا تأییدشده را نمی‌توان ویرایش کرد.")
        changes = {name: value for name, value in fields.items() if getattr(ticker, name) != value}
        for name, value in changes.items():
            setattr(ticker, name, value)
        ticker.full_clean()
        if changes and not submit:
            ticker.save(update_fields=list(changes))
            log_action(actor=by, action="messaging.ticker_saved", target=ticker, unit=unit,
                       summary=f"متن {ticker.kind_label} برای «{ticker.occasion[:60]}» ویرایش شد",
                       data={"changes": sorted(changes)})
    if submit:
        # The edits go with the step, so its log entry carries them before and after.
        ticker = move(ticker, ticker_submit_step(unit), by=by, **changes)
    return ticker


# --- Condolence banners (B8) -------------------------------------------------

BANNER_PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
BANNER_PHOTO_MAX = 8 * 1024 * 1024


def _checked_photo(upload, field: str):
    from ravabet.lib.uploads import clean_upload

    try:
        clean_upload(upload, allowed=BANNER_PHOTO_TYPES, max_bytes=BANNER_PHOTO_MAX)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return upload


def default_banner_text(*, unit: Unit, deceased_name: str, relation: str, position: str = "", bereaved: str = "",
                        deceased_title: str = "", kinship: str = "", bereaved_title: str = "") -> str:
    """The customary condolence text (str) for a request, from HQ's template for its relation and
    kinship (condolence.compose_condolence_text; instruction item B8)."""
    from .condolence import compose_condolence_text

    return compose_condolence_text(unit_name=unit.name, deceased_name=deceased_name, relation=relation,
                                   position=position, bereaved=bereaved, deceased_title=deceased_title,
                                   kinship=kinship, bereaved_title=bereaved_title)


BANNER_FIELDS = ["deceased_title", "deceased_name", "position", "relation", "kinship", "bereaved_title", "bereaved",
                 "funeral_at", "funeral_place", "memorial_at", "memorial_place", "text"]


def _with_text(unit: Unit, fields: dict) -> dict:
    if not fields.get("text"):
        names = ("deceased_name", "position", "relation", "bereaved", "deceased_title", "kinship", "bereaved_title")
        fields["text"] = default_banner_text(unit=unit, **{k: fields.get(k) or "" for k in names})
    return fields


@transaction.atomic
def banner_create(*, unit: Unit, by, photo=None, **fields) -> CondolenceBanner:
    """Save a county's condolence banner request and send it to HQ's head (the declared `submit`
    step: a notice in the app and an SMS, B8). An empty text becomes the formal text written from
    the fields. The form sent twice is one request and one SMS through the view's one-time token
    (lib.idempotency.create_once, scope "messaging.banner").

    PermissionDenied unless `by` may make the submit step in `unit` (its unit roles; HQ does not
    request banners); ValidationError on a bad photo."""
    spec = steps_of(CondolenceBanner)["submit"]
    if unit.is_hq or not access_for(by).has_role(unit, spec.roles):
        raise PermissionDenied("درخواست بنر تسلیت با روابط عمومی اداره شهرستان است.")
    banner = CondolenceBanner(unit=unit, created_by=by, **_with_text(unit, fields))
    if photo:
        banner.photo = _checked_photo(photo, "photo")
    banner.full_clean()
    banner.save()
    return move(banner, "submit", by=by)


def banner_resubmit(*, banner: CondolenceBanner, by, photo=None, **fields) -> CondolenceBanner:
    """Correct a request HQ's head returned and send it again (the declared `resubmit` step, which
    tells the head again by SMS). Empty text: the formal text from the fields. The step's log keeps
    every changed field before and after."""
    fields = _with_text(banner.unit, dict(fields))
    if photo:
        fields["photo"] = _checked_photo(photo, "photo")
    return move(banner, "resubmit", by=by, **fields)


def condolence_template_save(*, by, relation: str, text: str, kinship: str = "",
                             template: CondolenceTemplate | None = None) -> CondolenceTemplate:
    """Save HQ's customary condolence text for (relation, kinship) (B8): a new one, or `template`
    edited. Returns the saved template. PermissionDenied unless `by` holds an HQ role;
    ValidationError (on its field) for an unknown {placeholder}, a kinship outside «بستگان همکار»
    or a second text for the same relation and kinship."""
    access_for(by).require_hq()
    template = template or CondolenceTemplate()
    before = {"relation": template.relation, "kinship": template.kinship, "text": template.text}
    template.relation, template.kinship, template.text, template.updated_by = relation, kinship or "", text, by
    template.full_clean(exclude=["updated_by"], validate_unique=False, validate_constraints=False)
    clash = CondolenceTemplate.objects.filter(relation=relation, kinship=template.kinship).exclude(pk=template.pk)
    if clash.exists():
        raise ValidationError({"kinship": "برای این نسبت پیش‌تر متنی هست؛ همان را ویرایش کنید."})
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ValidationError({"kinship": "برای این نسبت پیش‌تر متنی هست؛ همان را ویرایش کنید."}) from None
    log_action(actor=by, action="messaging.condolence_template_saved", summary=f"متن نمونه تسلیت «{template}» ذخیره شد",
               target=template, unit=Unit.objects.filter(kind="hq").first(), data={"before": before, "after": {
                   "relation": template.relation, "kinship": template.kinship, "text": template.text}})
    return template


def banner_install(*, banner: CondolenceBanner, by, photo) -> CondolenceBanner:
    """Record the installation with its photo (the declared `install` step); the photo is checked
    to be a real image first."""
    if not photo:
        raise ValidationError({"photo": "عکس بنر نصب‌شده را بارگذاری کنید."})
    return move(banner, "install", by=by, installed_photo=_checked_photo(photo, "photo"))


def official_save(*, unit: Unit, by, official=None, **fields):
    """Add an official of the region to `unit`'s register, or edit `official` (B2). Returns the
    saved messaging.Official. PermissionDenied unless `by` works in the unit; ValidationError on a
    field."""
    from .models import Official

    access_for(by).require(unit, WORK_ROLES)
    official = official or Official(unit=unit)
    before = {name: getattr(official, name) for name in fields} if official.pk else {}
    for name, value in fields.items():
        setattr(official, name, value)
    official.full_clean()
    official.save()
    log_action(actor=by, action="messaging.official_saved", summary=f"مسئول منطقه «{official}» ذخیره شد",
               target=official, unit=unit, data={"before": before, "after": fields})
    return official
