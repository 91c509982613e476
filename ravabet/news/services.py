"""Every change to a news item: one function per transition, each checked and logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ravabet.audit.services import changes, log_action, snapshot
from ravabet.lib.digits import to_persian_digits
from ravabet.offices.access import access_for
from ravabet.offices.models import Membership, UnitKind
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES, Role
from ravabet.outbox.services import notify
from ravabet.photos.models import Photo, PhotoRules
from ravabet.photos.services import photo_upload

from .models import HQ_EDITABLE, TRANSITIONS, UNIT_EDITABLE, News, NewsComment, NewsKind, NewsPhoto, NewsSettings
from .models import NewsState as S
from .signals import achievement_published
from .text import clean_body, news_search_key

TEXT_FIELDS = ["kind", "title", "lead", "body", "news_date", "occasion", "tags"]
VERSION_FIELDS = ["title", "lead", "body"]


def check_transition(news: News, target: str) -> None:
    """Refuse a move the workflow does not allow, in Persian."""
    if target not in TRANSITIONS.get(news.state, set()):
        if news.state == target:
            raise ValidationError(f"این خبر هم‌اکنون «{S(target).label}» است.", code="same_state")
        raise ValidationError(f"خبری که «{S(news.state).label}» است نمی‌تواند «{S(target).label}» شود.",
                              code="bad_transition")
    if news.is_achievement:
        if target == S.SUBMITTED and not news.manager_approved_at:
            raise ValidationError("دستاورد پیش از ارسال به اداره کل باید به تأیید رئیس اداره برسد.")
        if target in (S.SCHEDULED, S.PUBLISHED) and not news.head_approved_at:
            raise ValidationError("دستاورد پیش از انتشار باید به تأیید رئیس روابط عمومی اداره کل برسد.")


def _move(news: News, target: str, *, by, action: str, summary: str, fields: tuple[str, ...] = (),
          data: dict | None = None) -> News:
    check_transition(news, target)
    before = news.state
    news.state = target
    news.save(update_fields=["state", "updated_at", *fields])
    log_action(actor=by, action=action, summary=summary, target=news,
               data={"from": before, "to": target, **(data or {})})
    return news


def _prepare(news: News, fields: dict) -> None:
    for name, value in fields.items():
        setattr(news, name, value)
    news.body = clean_body(news.body)
    news.search_key = news_search_key(title=news.title, lead=news.lead, body=news.body, tags=news.tags)
    news.full_clean(exclude=["author", "unit"])


@transaction.atomic
def news_create(*, unit, by, form_token: str | None = None, **fields) -> tuple[News, bool]:
    """A draft of `unit`. The same form token twice returns the first item (double submit)."""
    access_for(by).require(unit, WORK_ROLES)
    if form_token:
        existing = News.objects.filter(form_token=form_token, author=by).first()
        if existing:
            return existing, False
    news = News(unit=unit, author=by, form_token=form_token or None)
    _prepare(news, fields)
    news.save()
    log_action(actor=by, action="news.created", summary=f"پیش‌نویس خبر «{news.title[:100]}»", target=news)
    return news, True


def can_edit(access, news: News) -> bool:
    if news.state in UNIT_EDITABLE and access.has_role(news.unit, WORK_ROLES - HQ_ROLES):
        return True
    return news.state in HQ_EDITABLE and access.has_role(news.unit, HQ_ROLES)


@transaction.atomic
def news_update(*, news: News, by, **fields) -> News:
    """The unit edits its draft or returned item; HQ edits a submitted one, and the unit then sees the diff."""
    access = access_for(by)
    if not can_edit(access, news):
        raise PermissionDenied("این خبر در این وضعیت برای شما ویرایش‌پذیر نیست.")
    by_hq = news.state in HQ_EDITABLE
    before = snapshot(news, TEXT_FIELDS)
    _prepare(news, fields)
    diff = changes(news, TEXT_FIELDS, before)
    if not diff:
        return news
    if by_hq:
        news.hq_edited = True
    news.save(update_fields=[*TEXT_FIELDS, "search_key", "hq_edited", "updated_at"])
    summary = "ویرایش خبر در اداره کل" if by_hq else "ویرایش خبر"
    log_action(actor=by, action="news.hq_edited" if by_hq else "news.updated", summary=summary, target=news,
               data={"changes": {k: [str(a)[:500], str(b)[:500]] for k, (a, b) in diff.items()}})
    return news


def news_attach_photos(*, news: News, by, uploads) -> tuple[list[Photo], list[str]]:
    """Upload photos into the library and attach them; returns (attached, Persian errors per refused file).
    Each photo is its own transaction, so one bad file never loses the others."""
    access = access_for(by)
    if not can_edit(access, news):
        raise PermissionDenied("عکس‌های این خبر در این وضعیت تغییرپذیر نیست.")
    rules = PhotoRules.current()
    batch: list[int] = []
    attached, errors = [], []
    for upload in uploads:
        try:
            photo = photo_upload(upload=upload, unit=news.unit, by=by, batch_hashes=batch, rules=rules)
        except ValidationError as error:
            errors.append(" ".join(error.messages))
            continue
        attached.append(photo)
    if attached:
        with transaction.atomic():
            _link_photos(news, attached, by=by, summary=f"افزودن {to_persian_digits(len(attached))} عکس به خبر")
    return attached, errors


@transaction.atomic
def news_use_library_photos(*, news: News, by, photos) -> list[Photo]:
    """Attach photos already in the unit's library (reuse in several news items is allowed; see
    photos.selectors.library_choices). Photos of another unit or already attached are skipped."""
    if not can_edit(access_for(by), news):
        raise PermissionDenied("عکس‌های این خبر در این وضعیت تغییرپذیر نیست.")
    attached_ids = set(news.news_photos.values_list("photo_id", flat=True))
    chosen = [photo for photo in dict.fromkeys(photos or [])
              if photo.unit_id == news.unit_id and photo.pk not in attached_ids]
    if chosen:
        _link_photos(news, chosen, by=by,
                     summary=f"افزودن {to_persian_digits(len(chosen))} عکس از کتابخانه واحد به خبر")
    return chosen


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
    if not can_edit(access_for(by), news):
        raise PermissionDenied("عکس‌های این خبر در این وضعیت تغییرپذیر نیست.")
    deleted, _ = news.news_photos.filter(photo_id=photo_id).delete()
    if deleted:
        _refresh_photos(news)
        log_action(actor=by, action="news.photo_removed", summary="حذف عکس از خبر", target=news,
                   data={"photo": photo_id})
    return news


@transaction.atomic
def news_submit(*, news: News, by) -> News:
    """Send to HQ; an achievement goes first to the unit manager (B2)."""
    access = access_for(by)
    access.require(news.unit, WORK_ROLES - HQ_ROLES if not news.unit.is_hq else WORK_ROLES)
    # Lock and re-read, so two submits racing each other cannot both pass the state check.
    News.objects.select_for_update().filter(pk=news.pk).exists()
    news.refresh_from_db()
    if news.state not in UNIT_EDITABLE:
        raise ValidationError("این خبر قبلاً ارسال شده است.", code="already_sent")
    if not news.photo_count:
        raise ValidationError("خبر دست‌کم یک عکس لازم دارد؛ خبر روزانه باید متنی و تصویری باشد.", code="no_photo")
    now = timezone.now()
    target = S.SUBMITTED
    if news.is_achievement and not news.manager_approved_at:
        if access.has_role(news.unit, {Role.UNIT_MANAGER}):
            news.manager_approved_by, news.manager_approved_at = by, now
        else:
            target = S.MANAGER_REVIEW
    news.submitted_version = {name: getattr(news, name) for name in VERSION_FIELDS}
    news.hq_edited = False
    news.submitted_at = now
    news.sent_on = news.sent_on or timezone.localdate(now)
    _move(news, target, by=by, action="news.submitted",
          summary="ارسال به رئیس اداره برای تأیید" if target == S.MANAGER_REVIEW else "ارسال خبر به اداره کل",
          fields=("submitted_version", "hq_edited", "submitted_at", "sent_on", "manager_approved_by",
                  "manager_approved_at"))
    if target == S.MANAGER_REVIEW:
        for membership in Membership.objects.filter(unit=news.unit, role=Role.UNIT_MANAGER).select_related("user"):
            notify(user=membership.user, title=f"دستاورد «{news.title[:80]}» منتظر تأیید شماست",
                   url=news.get_absolute_url(), key=f"news-manager:{news.pk}:{now.timestamp()}:{membership.user_id}")
    return news


@transaction.atomic
def news_manager_approve(*, news: News, by) -> News:
    access_for(by).require(news.unit, {Role.UNIT_MANAGER})
    if news.state != S.MANAGER_REVIEW:
        raise ValidationError("این خبر منتظر تأیید رئیس اداره نیست.")
    news.manager_approved_by, news.manager_approved_at = by, timezone.now()
    return _move(news, S.SUBMITTED, by=by, action="news.manager_approved",
                 summary="تأیید رئیس اداره و ارسال به اداره کل", fields=("manager_approved_by", "manager_approved_at"))


@transaction.atomic
def news_return(*, news: News, by, comment: str) -> News:
    """Back to the unit with a reason that stays in the thread."""
    access = access_for(by)
    if news.state == S.MANAGER_REVIEW:
        access.require(news.unit, {Role.UNIT_MANAGER})
    else:
        access.require(news.unit, HQ_ROLES)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("علت برگشت را بنویسید تا واحد بداند چه را اصلاح کند.", code="comment_required")
    # The text will change, so an achievement goes through both approvals again (B2).
    news.manager_approved_by = news.manager_approved_at = news.head_approved_by = news.head_approved_at = None
    _move(news, S.RETURNED, by=by, action="news.returned", summary=f"برگشت برای اصلاح: {comment[:150]}",
          fields=("manager_approved_by", "manager_approved_at", "head_approved_by", "head_approved_at"))
    NewsComment.objects.create(news=news, author=by, body=comment[:2000], is_return=True)
    notify(user=news.author, title=f"خبر «{news.title[:80]}» برای اصلاح برگشت", body=comment[:500],
           url=news.get_absolute_url())
    return news


@transaction.atomic
def news_approve(*, news: News, by) -> News:
    access = access_for(by)
    access.require(news.unit, HQ_ROLES)
    fields: tuple[str, ...] = ()
    if news.kind == NewsKind.ACHIEVEMENT:
        if not access.has_role(news.unit, {Role.HQ_HEAD}):
            raise PermissionDenied("تأیید انتشار دستاورد با رئیس روابط عمومی اداره کل است.")
        news.head_approved_by, news.head_approved_at = by, timezone.now()
        fields = ("head_approved_by", "head_approved_at")
    return _move(news, S.APPROVED, by=by, action="news.approved", summary="تأیید خبر در اداره کل", fields=fields)


@transaction.atomic
def news_schedule(*, news: News, by, when) -> News:
    access_for(by).require(news.unit, HQ_ROLES)
    if when is None or when <= timezone.now():
        raise ValidationError("زمان انتشار باید در آینده باشد.", code="past")
    news.scheduled_for = when
    return _move(news, S.SCHEDULED, by=by, action="news.scheduled", summary="زمان‌بندی انتشار خبر",
                 fields=("scheduled_for",), data={"when": when.isoformat()})


@transaction.atomic
def news_publish(*, news: News, by) -> News:
    """Publish now. `by=None` is the scheduler publishing a scheduled item."""
    if by is not None:
        access_for(by).require(news.unit, HQ_ROLES)
    news.published_at = timezone.now()
    _move(news, S.PUBLISHED, by=by, action="news.published", summary="انتشار خبر در درگاه عمومی",
          fields=("published_at",))
    notify(user=news.author, title=f"خبر «{news.title[:80]}» منتشر شد", url=news.get_public_url(),
           key=f"news-published:{news.pk}:{news.published_at.timestamp()}")
    if news.is_achievement:
        _publicise_achievement(news, by=by)
    return news


def _publicise_achievement(news: News, *, by) -> None:
    """B2: an achievement goes "to the people and officials of the region". The public newsroom and
    feeds reach the people; here the unit's managers and the HQ heads get an in-app notice, and
    other parts (staff and official groups) hook in through signals.achievement_published."""
    stamp = news.published_at.timestamp()
    managers = Membership.objects.filter(unit=news.unit, role=Role.UNIT_MANAGER)
    heads = Membership.objects.filter(role=Role.HQ_HEAD, unit__kind=UnitKind.HQ)
    # The author already has "published"; whoever pressed the button needs no notice of it.
    seen = {news.author_id, getattr(by, "pk", None)}
    notified = []
    for membership, title in [
        *((m, f"دستاورد اداره شما منتشر شد: «{news.title[:80]}»") for m in managers.select_related("user")),
        *((m, f"دستاورد {news.unit.name} منتشر شد: «{news.title[:80]}»") for m in heads.select_related("user")),
    ]:
        if membership.user_id in seen or not membership.user.is_active:
            continue
        seen.add(membership.user_id)
        notified.append(membership.user_id)
        notify(user=membership.user, title=title, body=news.lead[:500], url=news.get_public_url(),
               key=f"news-achievement:{news.pk}:{stamp}:{membership.user_id}")
    log_action(actor=by, action="news.achievement_publicised",
               summary=f"اطلاع انتشار دستاورد به {to_persian_digits(len(notified))} نفر از مسئولان", target=news,
               data={"notified": notified})
    achievement_published.send(sender=News, news=news, by=by)


@transaction.atomic
def news_unpublish(*, news: News, by) -> News:
    access_for(by).require(news.unit, HQ_ROLES)
    return _move(news, S.APPROVED, by=by, action="news.unpublished", summary="برداشتن خبر از درگاه عمومی")


@transaction.atomic
def news_comment(*, news: News, by, body: str) -> NewsComment:
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


BULK_ACTIONS = {"approve": news_approve, "publish": news_publish}


def news_bulk(*, ids: list[int], action: str, by) -> tuple[int, list[str]]:
    """Apply one action to many items; each is its own transaction, failures are listed in Persian."""
    service = BULK_ACTIONS[action]
    done, failures = 0, []
    access = access_for(by)
    for news in News.objects.filter(pk__in=ids, unit__in=access.unit_ids(HQ_ROLES)).select_related("unit"):
        try:
            service(news=news, by=by)
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            failures.append(f"«{news.title[:60]}»: {message}")
        else:
            done += 1
    return done, failures


def publish_due(now=None) -> int:
    """Publish every scheduled item whose time has come; returns how many."""
    now = now or timezone.now()
    count = 0
    for news in News.objects.filter(state=S.SCHEDULED, scheduled_for__lte=now).select_related("unit"):
        news_publish(news=news, by=None)
        count += 1
    return count


@transaction.atomic
def settings_update(*, by, **fields) -> NewsSettings:
    access_for(by).require_hq()
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

