"""Writes to news items other than state changes: creating and editing (text and photos, one
transaction each), comments, HQ's settings; and the few functions that choose or repeat workflow
steps. Every state change is `engine.move` on a step declared on `models.News`; there is no other."""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ravabet.audit.services import changes, log_action, snapshot
from ravabet.lib.digits import to_persian_digits
from ravabet.offices.access import access_for
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES
from ravabet.outbox.services import notify
from ravabet.photos.models import Photo, PhotoRules
from ravabet.photos.services import photo_discard_files, photo_upload
from ravabet.workflow.engine import TransitionRefused, allowed, move, permits, steps_of

from .models import HQ_EDITABLE, UNIT_EDITABLE, News, NewsComment, NewsPhoto, NewsSettings
from .models import NewsState as S
from .text import clean_body, news_search_key

TEXT_FIELDS = ["kind", "title", "lead", "body", "news_date", "occasion", "occasion_ref", "tags"]
# The steps that send a draft onward, in the order `news_submit` tries them; only one fits a given
# item and person (the guards and roles are complementary).
SEND_STEPS = ("submit", "send_to_manager", "submit_approved", "submit_hq")
BULK_STEPS = {"approve": ("approve", "approve_achievement"), "publish": ("publish",)}


@dataclass
class PhotoReport:
    """What became of the photos given with a create or an edit: those attached, and one Persian
    message per refused file (a refused file is reported, never an error of the whole save)."""

    attached: list[Photo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The photos uploaded by this save (not reused from the library): their files go if it fails.
    uploaded: list[Photo] = field(default_factory=list)

    @property
    def warned(self) -> int:
        """How many attached photos carry a warning of the photo rules (F3)."""
        return sum(1 for photo in self.attached if photo.warnings)


def draft_writers(unit) -> frozenset[str]:
    """Roles that write drafts of `unit`: its own unit roles, and HQ roles for HQ's own news (a
    county's draft is the county's until it is sent)."""
    return HQ_ROLES if unit.is_hq else UNIT_ROLES


def writers(news: News) -> frozenset[str]:
    """Roles (held in the item's unit) that may change the text and photos of `news` in its state:
    the draft's writers while it is a draft or returned, HQ once it is sent (the unit then sees the
    diff, B3), nobody while the unit manager reviews an achievement (B2)."""
    if news.state in UNIT_EDITABLE:
        return draft_writers(news.unit)
    if news.state in HQ_EDITABLE:
        return HQ_ROLES
    return frozenset()


def can_edit(access, news: News) -> bool:
    """Whether the person behind `access` may change the text and photos of `news` now."""
    return access.has_role(news.unit, writers(news))


def _lock(news: News) -> None:
    """Lock the item's row and read it again, so an edit never saves over a state changed meanwhile."""
    News.objects.select_for_update().filter(pk=news.pk).exists()
    news.refresh_from_db()


@contextmanager
def _files_kept_only_on_success(report: PhotoReport):
    """Around a save's transaction: when it fails, the files of the photos it uploaded are deleted
    too (their rows are rolled back), so a failed save leaves nothing behind."""
    try:
        yield
    except BaseException:
        photo_discard_files(report.uploaded)
        raise


def _prepare(news: News, fields: dict) -> None:
    for name, value in fields.items():
        setattr(news, name, value)
    news.body = clean_body(news.body)
    news.search_key = news_search_key(title=news.title, lead=news.lead, body=news.body, tags=news.tags)
    news.full_clean(exclude=["author", "unit"])


def news_create(*, unit, by, form_token: str | None = None, uploads=(), library_photos=(),
                report: PhotoReport | None = None, **fields) -> tuple[News, bool]:
    """A draft of `unit` written by `by`, with its photos: `uploads` (files) and `library_photos`
    (Photo rows of the unit's library). Returns (news, created).

    One transaction (issue 9): the draft, its photos and their log entries are saved together or
    not at all, so an error part-way leaves no orphan draft. A file the photo rules refuse is not
    such an error: its Persian message goes to `report.errors` and the other photos are kept.
    The same form token twice (a double submit, even at the same moment) returns the first item
    with created=False. Raises PermissionDenied unless `by` writes drafts of `unit`.
    """
    access_for(by).require(unit, draft_writers(unit))
    if form_token and (existing := News.objects.filter(form_token=form_token, author=by).first()):
        return existing, False
    report = report if report is not None else PhotoReport()
    with _files_kept_only_on_success(report), transaction.atomic():
        news = News(unit=unit, author=by, form_token=form_token or None)
        _prepare(news, fields)
        try:
            with transaction.atomic():
                news.save()
        except IntegrityError:
            existing = News.objects.filter(form_token=form_token, author=by).first() if form_token else None
            if existing is None:
                raise
            return existing, False
        log_action(actor=by, action="news.created", summary=f"پیش‌نویس خبر «{news.title[:100]}»", target=news)
        _add_photos(news, by=by, uploads=uploads, library_photos=library_photos, report=report)
    return news, True


def news_update(*, news: News, by, uploads=(), library_photos=(), report: PhotoReport | None = None,
                **fields) -> News:
    """Change the text and add photos in one transaction. The unit edits its draft or returned item
    (HQ its own), HQ edits one that was sent, and the unit then sees the diff (B3).
    Raises PermissionDenied when the item is not editable by `by` in its state; refused files are
    reported in `report` as in `news_create`."""
    report = report if report is not None else PhotoReport()
    with _files_kept_only_on_success(report), transaction.atomic():
        _lock(news)
        if not can_edit(access_for(by), news):
            raise PermissionDenied("این خبر در این وضعیت برای شما ویرایش‌پذیر نیست.")
        by_hq = news.state in HQ_EDITABLE
        before = snapshot(news, TEXT_FIELDS)
        _prepare(news, fields)
        diff = changes(news, TEXT_FIELDS, before)
        if diff:
            if by_hq:
                news.hq_edited = True
            news.save(update_fields=[*TEXT_FIELDS, "search_key", "hq_edited", "updated_at"])
            log_action(actor=by, action="news.hq_edited" if by_hq else "news.updated",
                       summary="ویرایش خبر در اداره کل" if by_hq else "ویرایش خبر", target=news,
                       data={"changes": {k: [str(a)[:500], str(b)[:500]] for k, (a, b) in diff.items()}})
        _add_photos(news, by=by, uploads=uploads, library_photos=library_photos, report=report)
    return news


def news_attach_photos(*, news: News, by, uploads=(), library_photos=()) -> tuple[list[Photo], list[str]]:
    """Add photos to `news` in one transaction: `uploads` go through the library's upload checks
    (F3) and `library_photos` are reused from the unit's library (reuse in several items is allowed;
    see photos.selectors.library_choices; photos of another unit or already attached are skipped).
    Returns (attached, one Persian message per refused file); a refused file never loses the others.
    Raises PermissionDenied when the item's photos are not `by`'s to change in its state."""
    report = PhotoReport()
    with _files_kept_only_on_success(report), transaction.atomic():
        _lock(news)
        _add_photos(news, by=by, uploads=uploads, library_photos=library_photos, report=report)
    return report.attached, report.errors


def _add_photos(news: News, *, by, uploads, library_photos, report: PhotoReport) -> None:
    """Inside the caller's transaction, with the row locked or new."""
    uploads, library_photos = list(uploads or ()), list(library_photos or ())
    if not uploads and not library_photos:
        return
    if not can_edit(access_for(by), news):
        raise PermissionDenied("عکس‌های این خبر در این وضعیت تغییرپذیر نیست.")
    attached_ids = set(news.news_photos.values_list("photo_id", flat=True))
    chosen = [photo for photo in dict.fromkeys(library_photos)
              if photo.unit_id == news.unit_id and photo.pk not in attached_ids]
    if chosen:
        _link_photos(news, chosen, by=by,
                     summary=f"افزودن {to_persian_digits(len(chosen))} عکس از کتابخانه واحد به خبر")
        report.attached += chosen
    rules = PhotoRules.current()
    batch: list[int] = []
    uploaded = []
    for upload in uploads:
        try:
            with transaction.atomic():
                photo = photo_upload(upload=upload, unit=news.unit, by=by, batch_hashes=batch, rules=rules)
        except ValidationError as error:
            report.errors.append(" ".join(error.messages))
            continue
        uploaded.append(photo)
        report.uploaded.append(photo)
    if uploaded:
        _link_photos(news, uploaded, by=by, summary=f"افزودن {to_persian_digits(len(uploaded))} عکس به خبر")
        report.attached += uploaded


def _link_photos(news: News, photos: list[Photo], *, by, summary: str) -> None:
    start = (news.news_photos.aggregate(top=Max("order"))["top"] or 0) + 1
    NewsPhoto.objects.bulk_create([NewsPhoto(news=news, photo=photo, order=start + i) for i, photo in enumerate(photos)])
    _refresh_photos(news)
    log_action(actor=by, action="news.photos_added", summary=summary, target=news,
               data={"photos": [p.pk for p in photos]})


def _refresh_photos(news: News) -> None:
    links = list(news.news_photos.select_related("photo").order_by("order", "pk"))
    ids = [link.photo_id for link in links]
    news.photo_count = len(ids)
    if news.cover_id not in ids:
        # The cover is what the public list and the feeds show: prefer a photo that passed every rule.
        clean = [link.photo_id for link in links if not link.photo.warnings]
        news.cover_id = (clean or ids or [None])[0]
    news.save(update_fields=["photo_count", "cover", "updated_at"])


@transaction.atomic
def news_set_cover(*, news: News, photo_id: int, by) -> News:
    """Make one of the item's photos its cover (what the public list and the feeds show)."""
    _lock(news)
    if not can_edit(access_for(by), news):
        raise PermissionDenied("عکس‌های این خبر در این وضعیت تغییرپذیر نیست.")
    if not news.news_photos.filter(photo_id=photo_id).exists():
        raise ValidationError("این عکس از عکس‌های این خبر نیست.")
    news.cover_id = photo_id
    news.save(update_fields=["cover", "updated_at"])
    log_action(actor=by, action="news.cover_set", summary="تعیین عکس اصلی خبر", target=news, data={"photo": photo_id})
    return news


@transaction.atomic
def news_remove_photo(*, news: News, photo_id: int, by) -> News:
    """Take a photo off the item (it stays in the unit's library)."""
    _lock(news)
    if not can_edit(access_for(by), news):
        raise PermissionDenied("عکس‌های این خبر در این وضعیت تغییرپذیر نیست.")
    deleted, _ = news.news_photos.filter(photo_id=photo_id).delete()
    if deleted:
        _refresh_photos(news)
        log_action(actor=by, action="news.photo_removed", summary="حذف عکس از خبر", target=news,
                   data={"photo": photo_id})
    return news


def move_first(news: News, names, *, by) -> News:
    """Make the first of the steps `names` that `by` may make on `news` now (they are declared with
    complementary roles and guards, e.g. "approve" and "approve_achievement"). When none is allowed,
    the step that fits best (the person's role, then the most guards holding) is tried, so that the
    Persian refusal (TransitionRefused) names what really stands in the way."""
    access = access_for(by) if by is not None else None
    specs = steps_of(News)

    def fit(name: str) -> tuple[bool, int]:
        spec = specs[name]
        return permits(access, news, spec), sum(1 for guard in spec.guards if guard(news))

    permitted = {spec.name for spec in allowed(news, access)} if access is not None else set()
    chosen = next((name for name in names if name in permitted), None) or max(names, key=fit)
    return move(news, chosen, by=by)


def news_submit(*, news: News, by) -> News:
    """Send a draft or returned item onward as `by`: to HQ; an achievement (B2) first to the unit
    manager, or straight to HQ with the approval when the manager sends it; HQ's own news to HQ's
    desk. Refusals (no photo, already sent, not your unit's) are TransitionRefused in Persian."""
    return move_first(news, SEND_STEPS, by=by)


@transaction.atomic
def news_comment(*, news: News, by, body: str) -> NewsComment:
    """A message in the thread between the unit and HQ (B3); the author is told of others' messages.
    Raises ValidationError for an empty message."""
    access_for(by).require(news.unit, WORK_ROLES)
    body = (body or "").strip()
    if not body:
        raise ValidationError("پیام خالی است.", code="empty")
    comment = NewsComment.objects.create(news=news, author=by, body=body[:2000])
    log_action(actor=by, action="news.commented", summary=f"پیام: {body[:150]}", target=news)
    if by != news.author:
        notify(user=news.author, title=f"پیام تازه درباره «{news.title[:80]}»", body=body[:500],
               url=news.get_absolute_url())
    return comment


def news_bulk(*, ids: list[int], action: str, by) -> tuple[int, list[str]]:
    """HQ's desk: approve or publish (`action`, a key of BULK_STEPS) many items. Each item is its own
    `move` and transaction; returns (how many were done, one Persian line per refused item)."""
    done, failures = 0, []
    access = access_for(by)
    for news in News.objects.filter(pk__in=ids, unit__in=access.unit_ids(HQ_ROLES)).select_related("unit"):
        try:
            move_first(news, BULK_STEPS[action], by=by)
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            failures.append(f"«{news.title[:60]}»: {message}")
        else:
            done += 1
    return done, failures


def publish_due(now=None) -> int:
    """The scheduler: publish every scheduled item whose time has come (the system step
    "publish_due", `by=None`), each in its own transaction. Returns how many were published; an item
    HQ changed meanwhile (unscheduled, returned) is left as it is."""
    now = now or timezone.now()
    count = 0
    for news in News.objects.filter(state=S.SCHEDULED, scheduled_for__lte=now).select_related("unit"):
        try:
            move(news, "publish_due", by=None)
        except TransitionRefused:
            continue
        count += 1
    return count


@transaction.atomic
def settings_update(*, by, **fields) -> NewsSettings:
    """HQ's daily-news settings (B5 reminder time and switch); logged with before/after."""
    access_for(by).require_any(HQ_ROLES, "تنظیمات اخبار روزانه با اداره کل است.")
    current = NewsSettings.current()
    names = list(fields)
    before = snapshot(current, names)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=names)
    diff = changes(current, names, before)
    if diff:
        log_action(actor=by, action="news.settings_updated", summary="تغییر تنظیمات اخبار روزانه", target=current,
                   data={"changes": {k: [str(a), str(b)] for k, (a, b) in diff.items()}})
    return current

