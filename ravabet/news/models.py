"""News from units to HQ and the public newsroom (B2, B3, B5)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.offices.models import UnitKind
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.workflow.declare import (
    Guard,
    Need,
    Notice,
    StateField,
    WorkflowModel,
    field_user,
    hq_role,
    step,
    unit_role,
)

from .signals import achievement_published


class NewsKind(models.TextChoices):
    NEWS = "news", "خبر"
    ACTIVITY = "activity", "فعالیت"
    ACHIEVEMENT = "achievement", "موفقیت و دستاورد"


class NewsState(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    MANAGER_REVIEW = "manager_review", "در انتظار تأیید رئیس اداره"
    SUBMITTED = "submitted", "ارسال‌شده به اداره کل"
    RETURNED = "returned", "برگشت برای اصلاح"
    APPROVED = "approved", "تأییدشده"
    SCHEDULED = "scheduled", "زمان‌بندی‌شده"
    PUBLISHED = "published", "منتشرشده"


S = NewsState
# States in which the unit may still change the text (HQ too, for HQ's own news).
UNIT_EDITABLE = {S.DRAFT, S.RETURNED}
# States in which HQ edits (and the unit then sees the diff).
HQ_EDITABLE = {S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.PUBLISHED}
# States that count as "sent to HQ" for the daily compliance (B5).
SENT_STATES = {S.MANAGER_REVIEW, S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.PUBLISHED, S.RETURNED}

ACHIEVEMENT = Q(kind=NewsKind.ACHIEVEMENT)


class for_achievement:  # noqa: N801 — read as a phrase: Notice(for_achievement(hq_role(...)), ...)
    """The users of `recipients` when the news is an achievement (with `achievement=False`: when it
    is not), nobody otherwise."""

    def __init__(self, recipients, *, achievement: bool = True):
        self.recipients, self.achievement = recipients, achievement

    def __call__(self, news, by):
        return self.recipients(news, by) if news.is_achievement == self.achievement else []

    def __str__(self) -> str:
        return f"{self.recipients} ({'فقط دستاورد' if self.achievement else 'جز دستاورد'})"


HAS_PHOTO = Guard("has_photo", "«{obj.title:.60}» دست‌کم یک عکس لازم دارد؛ خبر روزانه باید متنی و تصویری باشد.",
                  lambda news: news.photo_count > 0, q=Q(photo_count__gt=0))
HQ_OWN = Guard("hq_own", "این خبرِ یک واحد است و آن را روابط عمومی همان واحد به اداره کل می‌فرستد.",
               lambda news: news.unit.is_hq, q=Q(unit__kind=UnitKind.HQ))
PLAIN_TO_HQ = Guard("not_achievement", "دستاورد پیش از ارسال به اداره کل باید به تأیید رئیس اداره برسد.",
                    lambda news: not news.is_achievement, q=~ACHIEVEMENT)
IS_ACHIEVEMENT = Guard("achievement", "این خبر دستاورد نیست؛ آن را مستقیم به اداره کل بفرستید.",
                       lambda news: news.is_achievement, q=ACHIEVEMENT)
PLAIN_APPROVE = Guard("not_achievement", "تأیید انتشار دستاورد با رئیس روابط عمومی اداره کل است.",
                      lambda news: not news.is_achievement, q=~ACHIEVEMENT)
ACHIEVEMENT_APPROVE = Guard("achievement", "این خبر دستاورد نیست؛ تأیید آن با دکمه «تأیید» است.",
                            lambda news: news.is_achievement, q=ACHIEVEMENT)
MANAGER_APPROVED = Guard("manager_approved", "دستاورد پیش از تأیید اداره کل باید به تأیید رئیس اداره برسد.",
                         lambda news: news.unit.is_hq or news.manager_approved_at is not None,
                         q=Q(unit__kind=UnitKind.HQ) | Q(manager_approved_at__isnull=False))
HEAD_APPROVED = Guard("head_approved", "دستاورد پیش از انتشار باید به تأیید رئیس روابط عمومی اداره کل برسد.",
                      lambda news: not news.is_achievement or news.head_approved_at is not None,
                      q=~ACHIEVEMENT | Q(head_approved_at__isnull=False))

RETURN_COMMENT = Need("comment", "علت برگشت", "علت برگشت را بنویسید تا واحد بداند چه را اصلاح کند.",
                      help="در گفت‌وگوی خبر می‌ماند و برای نویسنده فرستاده می‌شود.")
WHEN = Need("scheduled_for", "زمان انتشار", "زمان انتشار را بنویسید، مانند ۱۴۰۵/۰۹/۱۰ ۰۹:۰۰.", widget="datetime")

TO_MANAGER = Notice(unit_role(Role.UNIT_MANAGER), "دستاورد «{obj.title:.80}» منتظر تأیید شماست")
TO_HEAD = Notice(hq_role(Role.HQ_HEAD), "دستاورد {obj.unit.name}: «{obj.title:.80}» منتظر تأیید شماست")
TO_EXPERTS = Notice(for_achievement(hq_role(Role.HQ_EXPERT), achievement=False),
                    "خبر تازه از {obj.unit.name}: «{obj.title:.80}»")
RETURNED = Notice(field_user("author"), "خبر «{obj.title:.80}» برای اصلاح برگشت", body="{obj.return_comment:.500}")
APPROVED = Notice(field_user("author"), "خبر «{obj.title:.80}» تأیید شد")
SCHEDULED = Notice(field_user("author"), "انتشار خبر «{obj.title:.80}» برای {obj.scheduled_label} زمان‌بندی شد")


def _public(news) -> str:
    return news.get_public_url()


# Publishing tells the author; an achievement (B2) also goes "to the officials of the region": the
# unit's managers and the HQ heads are told (receivers of signals.achievement_published reach more).
# One notice a person per step (engine.tell): an author who is also a manager gets the first only.
PUBLISHED = (
    Notice(field_user("author"), "خبر «{obj.title:.80}» منتشر شد", url=_public),
    Notice(for_achievement(unit_role(Role.UNIT_MANAGER)),
           "دستاورد اداره شما منتشر شد: «{obj.title:.80}»", body="{obj.lead:.500}", url=_public),
    Notice(for_achievement(hq_role(Role.HQ_HEAD)),
           "دستاورد {obj.unit.name} منتشر شد: «{obj.title:.80}»", body="{obj.lead:.500}", url=_public),
)

class News(WorkflowModel):
    unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, related_name="news", verbose_name="واحد")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="نویسنده")
    kind = models.CharField("نوع", max_length=12, choices=NewsKind.choices, default=NewsKind.NEWS)
    title = models.CharField("تیتر", max_length=200)
    lead = models.TextField("لید (خلاصه)", max_length=600, blank=True)
    body = models.TextField("متن خبر")
    news_date = models.DateField("تاریخ خبر")
    occasion = models.CharField("مناسبت یا رویداد مرتبط", max_length=200, blank=True)
    occasion_ref = models.ForeignKey("occasions.Occasion", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="news", verbose_name="مناسبت تقویم")
    tags = models.CharField("برچسب‌ها", max_length=300, blank=True, help_text="با ویرگول جدا کنید.")
    state = StateField("وضعیت", max_length=16, choices=NewsState.choices, default=NewsState.DRAFT, db_index=True)
    photos = models.ManyToManyField("photos.Photo", through="NewsPhoto", related_name="news", blank=True)
    cover = models.ForeignKey("photos.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name="عکس اصلی")
    photo_count = models.PositiveSmallIntegerField(default=0)
    search_key = models.TextField(default="", editable=False)
    # The text as the unit last submitted it, so the unit can see what HQ changed.
    submitted_version = models.JSONField(default=dict, blank=True, editable=False)
    hq_edited = models.BooleanField(default=False)
    sent_on = models.DateField("تاریخ ارسال", null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    manager_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    manager_approved_at = models.DateTimeField(null=True, blank=True)
    head_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    head_approved_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField("زمان انتشار", null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A hidden token of the create form: submitting the same form twice makes one news item.
    form_token = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the newest change is the Last-Modified of the public list, read on every request.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "خبر"
        verbose_name_plural = "اخبار"
        ordering = ["-news_date", "-pk"]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="news_public"),
            models.Index(fields=["unit", "state", "-published_at"], name="news_unit_public"),
            models.Index(fields=["unit", "sent_on"], name="news_unit_sent"),
            # The desk's order: read in index order instead of sorting every sent item per page; state and
            # unit ride along so a deep page's keys are found in the index alone (KeysFirstPaginator).
            models.Index(fields=["-submitted_at", "-id", "state", "unit"], name="news_desk_keys"),
            # Covers the daily and monthly compliance query (B5), which reads a day range for all units.
            models.Index(fields=["sent_on", "unit", "state", "photo_count"], name="news_sent_day"),
            # A unit's own list ("اخبار واحد") in its order: the page's 25 rows read from the index instead of
            # sorting all the unit's news on every request (issue 11 §4).
            models.Index(fields=["unit", "-news_date", "-id"], name="news_unit_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("news:detail", args=[self.pk])

    @property
    def is_achievement(self) -> bool:
        return self.kind == NewsKind.ACHIEVEMENT

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split("،") if tag.strip()]

    def get_public_url(self) -> str:
        from django.urls import reverse

        return reverse("news:public_detail", args=[self.pk])

    @property
    def scheduled_label(self) -> str:
        """The publishing time as a person reads it: ۱۴۰۵/۰۹/۱۰ ۰۹:۰۰."""
        return jalali.format_datetime(self.scheduled_for)

    # --- The workflow (B2, B3): the unit sends, an achievement passes the unit manager, HQ decides ---------
    # Each step's roles are held in the news item's unit (HQ roles reach every unit). Where who may act
    # depends on the item (an achievement, HQ's own news) the step is declared twice with complementary
    # guards. Bodies set only what else changes; engine.move checks, saves, logs and notifies.

    def _sent(self, by) -> None:
        now = timezone.now()
        self.submitted_version = {name: getattr(self, name) for name in ("title", "lead", "body")}
        self.hq_edited = False
        self.submitted_at = now
        self.sent_on = self.sent_on or timezone.localdate(now)

    @step(source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED, roles=UNIT_ROLES, label="ارسال به اداره کل",
          log="news.submitted", summary="ارسال خبر به اداره کل", guards=[PLAIN_TO_HQ, HAS_PHOTO],
          notify=[TO_EXPERTS], done="خبر به اداره کل ارسال شد.")
    def submit(self, by):
        self._sent(by)

    @step(source=[S.DRAFT, S.RETURNED], target=S.MANAGER_REVIEW, roles={Role.PR_OFFICER},
          label="ارسال به رئیس اداره برای تأیید", log="news.submitted", summary="ارسال دستاورد به رئیس اداره برای تأیید",
          guards=[IS_ACHIEVEMENT, HAS_PHOTO], notify=[TO_MANAGER], done="دستاورد برای تأیید به رئیس اداره رفت.")
    def send_to_manager(self, by):
        self._sent(by)

    @step(source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED, roles={Role.UNIT_MANAGER},
          label="تأیید رئیس اداره و ارسال به اداره کل", log="news.submitted", style="success",
          summary="تأیید رئیس اداره و ارسال دستاورد به اداره کل", guards=[IS_ACHIEVEMENT, HAS_PHOTO],
          notify=[TO_HEAD], done="دستاورد تأیید و به اداره کل فرستاده شد.")
    def submit_approved(self, by):
        self._sent(by)
        self.manager_approved_by, self.manager_approved_at = by, timezone.now()

    @step(source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED, roles=HQ_ROLES, label="ارسال به میز خبر",
          log="news.submitted", summary="ارسال خبر اداره کل به میز خبر", guards=[HQ_OWN, HAS_PHOTO],
          notify=[TO_EXPERTS, Notice(for_achievement(hq_role(Role.HQ_HEAD)), TO_HEAD.title)],
          done="خبر به میز خبر اداره کل رفت.")
    def submit_hq(self, by):
        """HQ's own news (unit = HQ) is written, sent and published by HQ roles."""
        self._sent(by)

    @step(source=S.MANAGER_REVIEW, target=S.SUBMITTED, roles={Role.UNIT_MANAGER},
          label="تأیید رئیس اداره و ارسال", log="news.manager_approved", style="success",
          summary="تأیید رئیس اداره و ارسال به اداره کل", notify=[TO_HEAD],
          done="دستاورد تأیید و به اداره کل فرستاده شد.")
    def manager_approve(self, by):
        self.manager_approved_by, self.manager_approved_at = by, timezone.now()

    def _returned(self, by, comment: str) -> None:
        # The text will change, so an achievement goes through both approvals again (B2).
        self.manager_approved_by = self.manager_approved_at = self.head_approved_by = self.head_approved_at = None
        self.return_comment = comment.strip()[:2000]
        NewsComment.objects.create(news=self, author=by, body=self.return_comment, is_return=True)

    @step(source=S.MANAGER_REVIEW, target=S.RETURNED, roles={Role.UNIT_MANAGER}, label="برگشت به مسئول روابط عمومی",
          log="news.returned", summary="برگشت برای اصلاح: {comment:.150}", needs=[RETURN_COMMENT], notify=[RETURNED],
          style="danger", aside=True, done="دستاورد برای اصلاح برگشت داده شد.")
    def manager_return(self, by, comment: str):
        self._returned(by, comment)

    @step(source=S.SUBMITTED, target=S.RETURNED, roles=HQ_ROLES, label="برگشت به واحد", log="news.returned",
          summary="برگشت برای اصلاح: {comment:.150}", needs=[RETURN_COMMENT], notify=[RETURNED], style="danger",
          aside=True, done="خبر برای اصلاح برگشت داده شد.")
    def return_to_unit(self, by, comment: str):
        """Only from "submitted": once approved, HQ edits the text itself, so an approve and a
        return racing each other cannot both succeed."""
        self._returned(by, comment)

    @step(source=S.SUBMITTED, target=S.APPROVED, roles=HQ_ROLES, label="تأیید", log="news.approved",
          summary="تأیید خبر در اداره کل", guards=[PLAIN_APPROVE], notify=[APPROVED], style="success",
          done="خبر تأیید شد.")
    def approve(self, by):
        pass

    @step(source=S.SUBMITTED, target=S.APPROVED, roles={Role.HQ_HEAD}, label="تأیید", log="news.approved",
          summary="تأیید انتشار دستاورد از سوی رئیس روابط عمومی اداره کل", guards=[ACHIEVEMENT_APPROVE, MANAGER_APPROVED],
          notify=[APPROVED], style="success", done="دستاورد تأیید شد.")
    def approve_achievement(self, by):
        self.head_approved_by, self.head_approved_at = by, timezone.now()

    @step(source=[S.SUBMITTED, S.APPROVED], target=S.SCHEDULED, roles=HQ_ROLES, label="زمان‌بندی انتشار",
          log="news.scheduled", summary="زمان‌بندی انتشار خبر برای {obj.scheduled_label}", needs=[WHEN],
          guards=[HEAD_APPROVED], notify=[SCHEDULED], style="secondary", done="انتشار خبر زمان‌بندی شد.")
    def schedule(self, by):
        if self.scheduled_for is None or self.scheduled_for <= timezone.now():
            raise ValidationError({"scheduled_for": "زمان انتشار باید در آینده باشد."})

    @step(source=[S.SUBMITTED, S.APPROVED], target=S.PUBLISHED, roles=HQ_ROLES, label="انتشار در درگاه",
          log="news.published", summary="انتشار خبر در درگاه عمومی", guards=[HEAD_APPROVED], notify=PUBLISHED,
          style="success", done="خبر منتشر شد.")
    def publish(self, by):
        self._published(by)

    @step(source=S.SCHEDULED, target=S.PUBLISHED, roles=HQ_ROLES, system=True, label="انتشار همین حالا",
          log="news.published", summary="انتشار خبر زمان‌بندی‌شده در درگاه عمومی", guards=[HEAD_APPROVED],
          notify=PUBLISHED, style="success", aside=True, done="خبر منتشر شد.")
    def publish_due(self, by):
        """The scheduler (`by=None`) when the time has come, or HQ before it."""
        self._published(by)

    def _published(self, by) -> None:
        self.published_at = timezone.now()
        if self.is_achievement:
            # Receivers queue what they send in this transaction: committed with the publication or not at all.
            achievement_published.send(sender=News, news=self, by=by)

    @step(source=S.SCHEDULED, target=S.APPROVED, roles=HQ_ROLES, label="لغو زمان‌بندی", log="news.unscheduled",
          summary="لغو زمان‌بندی انتشار", style="secondary", aside=True, done="زمان‌بندی لغو شد.")
    def unschedule(self, by):
        self.scheduled_for = None

    @step(source=S.PUBLISHED, target=S.APPROVED, roles=HQ_ROLES, label="برداشتن از درگاه", log="news.unpublished",
          summary="برداشتن خبر از درگاه عمومی", style="outline-danger", confirm="خبر از درگاه عمومی برداشته شود؟",
          aside=True, done="خبر از درگاه برداشته شد.")
    def unpublish(self, by):
        pass


class NewsPhoto(models.Model):
    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="news_photos")
    photo = models.ForeignKey("photos.Photo", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["news", "photo"], name="unique_news_photo")]

    def __str__(self) -> str:
        return f"{self.news_id}/{self.photo_id}"


class NewsComment(models.Model):
    """The thread between the unit and HQ; a return carries its reason here."""

    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("پیام", max_length=2000)
    is_return = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class NewsSettings(models.Model):
    """HQ's settings for daily news (B5); one row (pk=1)."""

    reminder_time = models.TimeField("ساعت یادآوری", default=dt.time(13, 0),
                                     help_text="اگر واحدی تا این ساعت در روز کاری خبری نفرستاده باشد یادآوری می‌شود.")
    reminders_enabled = models.BooleanField("یادآوری پیامکی و درون‌برنامه‌ای فعال باشد", default=True)

    class Meta:
        verbose_name = "تنظیمات اخبار"
        verbose_name_plural = "تنظیمات اخبار"

    def __str__(self) -> str:
        return "تنظیمات اخبار"

    @classmethod
    def current(cls) -> "NewsSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row
