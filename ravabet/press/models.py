"""The press part: media directory, requests to HQ (C1, C2), journalist visits with the phone
permit (C3), the contact log (C4) and press monitoring of online newspapers (D1)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ravabet.lib.validators import validate_mobile
from ravabet.offices.models import Unit

USER = settings.AUTH_USER_MODEL


def check_transition(transitions: dict, obj, target: str) -> None:
    """The one place that refuses a state change the workflow does not allow."""
    if target not in transitions.get(obj.state, frozenset()):
        raise ValidationError(f"این کار در وضعیت «{obj.get_state_display()}» ممکن نیست.", code="bad_transition")


# --- Media directory ------------------------------------------------------------------------------------

class OutletKind(models.TextChoices):
    NEWSPAPER = "newspaper", "روزنامه و نشریه"
    AGENCY = "agency", "خبرگزاری"
    WEBSITE = "website", "پایگاه خبری"
    BROADCAST = "broadcast", "صدا و سیما (رادیو و تلویزیون)"
    SOCIAL = "social", "شبکه اجتماعی"


class Scope(models.TextChoices):
    NATIONAL = "national", "سراسری"
    PROVINCIAL = "provincial", "استانی"
    LOCAL = "local", "محلی"


class Outlet(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_outlets", verbose_name="واحد")
    name = models.CharField("نام رسانه", max_length=150)
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    kind = models.CharField("نوع", max_length=20, choices=OutletKind.choices)
    scope = models.CharField("گستره", max_length=20, choices=Scope.choices, default=Scope.LOCAL)
    phone = models.CharField("تلفن", max_length=40, blank=True)
    email = models.EmailField("ایمیل", blank=True)
    website = models.URLField("نشانی وب", blank=True)
    address = models.CharField("نشانی", max_length=300, blank=True)
    notes = models.TextField("یادداشت", blank=True)
    is_active = models.BooleanField("فعال", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "رسانه"
        verbose_name_plural = "رسانه‌ها"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name_key"], name="press_outlet_unique_name")]

    def __str__(self) -> str:
        return self.name


class Journalist(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_journalists", verbose_name="واحد")
    outlet = models.ForeignKey(Outlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="journalists",
                               verbose_name="رسانه")
    full_name = models.CharField("نام و نام خانوادگی", max_length=150)
    position = models.CharField("سمت", max_length=100, blank=True)
    mobile = models.CharField("تلفن همراه", max_length=11, blank=True, validators=[validate_mobile])
    email = models.EmailField("ایمیل", blank=True)
    notes = models.TextField("یادداشت", blank=True)
    is_active = models.BooleanField("فعال", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "خبرنگار"
        verbose_name_plural = "خبرنگاران"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.outlet.name})" if self.outlet_id else self.full_name


# --- Requests to HQ (C1, C2) ------------------------------------------------------------------------------

class RequestKind(models.TextChoices):
    INTERVIEW = "interview", "مصاحبه"
    NEWS = "news", "تهیه خبر یا گزارش"
    CONFERENCE = "conference", "نشست خبری"
    OFFICIAL_REPORT = "official_report", "گزارش مسئولان و کارکنان به رسانه"


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", "در انتظار اداره کل"
    MORE_INFO = "more_info", "نیاز به توضیح بیشتر"
    APPROVED = "approved", "مجوز داده شد"
    REJECTED = "rejected", "رد شد"
    DONE = "done", "انجام شد"
    CANCELLED = "cancelled", "لغو شد"


REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestState.SUBMITTED: frozenset({RequestState.APPROVED, RequestState.REJECTED, RequestState.MORE_INFO,
                                       RequestState.CANCELLED}),
    RequestState.MORE_INFO: frozenset({RequestState.SUBMITTED, RequestState.CANCELLED}),
    RequestState.APPROVED: frozenset({RequestState.DONE, RequestState.CANCELLED}),
    RequestState.REJECTED: frozenset(),
    RequestState.DONE: frozenset(),
    RequestState.CANCELLED: frozenset(),
}
OPEN_REQUEST_STATES = (RequestState.SUBMITTED, RequestState.MORE_INFO)


class MediaRequest(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_requests", verbose_name="واحد")
    kind = models.CharField("نوع درخواست", max_length=20, choices=RequestKind.choices)
    outlet = models.ForeignKey(Outlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests",
                               verbose_name="رسانه")
    journalist = models.ForeignKey(Journalist, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="requests", verbose_name="خبرنگار")
    subject = models.CharField("موضوع", max_length=200)
    description = models.TextField("شرح", blank=True)
    proposed_at = models.DateTimeField("زمان پیشنهادی")
    officials = models.CharField("مسئولان و کارکنان حاضر", max_length=300, blank=True)
    state = models.CharField("وضعیت", max_length=20, choices=RequestState.choices, default=RequestState.SUBMITTED)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name="تصمیم‌گیرنده")
    decided_at = models.DateTimeField("زمان تصمیم", null=True, blank=True)
    decision_note = models.TextField("توضیح اداره کل", blank=True)
    done_at = models.DateTimeField("زمان انجام", null=True, blank=True)
    done_report = models.TextField("گزارش انجام", blank=True)
    done_link = models.URLField("پیوند خبر یا برنامه", blank=True, max_length=500)

    class Meta:
        verbose_name = "درخواست مجوز رسانه‌ای"
        verbose_name_plural = "درخواست‌های مجوز رسانه‌ای"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["-submitted_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


# --- Journalist visits with the phone permit (C3) ---------------------------------------------------------

class VisitState(models.TextChoices):
    WAITING = "waiting", "در انتظار مجوز تلفنی"
    PERMITTED = "permitted", "مجوز داده شد"
    REFUSED = "refused", "مجوز داده نشد"


VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitState.WAITING: frozenset({VisitState.PERMITTED, VisitState.REFUSED}),
    VisitState.PERMITTED: frozenset(),
    VisitState.REFUSED: frozenset(),
}


class JournalistVisit(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_visits", verbose_name="واحد")
    journalist = models.ForeignKey(Journalist, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="visits", verbose_name="خبرنگار")
    journalist_name = models.CharField("نام خبرنگار", max_length=150)
    outlet_name = models.CharField("رسانه", max_length=150, blank=True)
    arrived_at = models.DateTimeField("زمان مراجعه")
    purpose = models.TextField("موضوع خبر یا گزارش")
    coordinated_with_hq = models.BooleanField("خبرنگار پیش‌تر با اداره کل هماهنگ کرده است", default=False)
    state = models.CharField("وضعیت", max_length=20, choices=VisitState.choices, default=VisitState.WAITING)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)
    permit_given_by = models.CharField("پاسخ‌دهنده در اداره کل", max_length=150, blank=True)
    permit_at = models.DateTimeField("زمان تماس", null=True, blank=True)
    permit_note = models.TextField("توضیح مجوز", blank=True)
    permit_recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+", verbose_name="ثبت‌کننده مجوز")
    outcome = models.TextField("نتیجه مراجعه", blank=True)

    class Meta:
        verbose_name = "مراجعه خبرنگار"
        verbose_name_plural = "مراجعه‌های خبرنگاران"
        ordering = ["-arrived_at"]

    def __str__(self) -> str:
        return f"{self.journalist_name} — {self.purpose[:40]}"


# --- Contact log (C4) ---------------------------------------------------------------------------------------

class Party(models.TextChoices):
    INTERNAL = "internal", "درون‌سازمانی (واحدهای همین اداره)"
    LOCAL_OFFICE = "local_office", "ادارات و نهادهای شهرستان"
    BROADCASTER = "broadcaster", "صدا و سیما"
    MEDIA = "media", "رسانه‌ها"
    DIRECTORATE = "directorate", "اداره‌های کل"


# Relations the instruction reserves for HQ: the county records them only with HQ's coordination.
THROUGH_HQ = frozenset({Party.BROADCASTER, Party.MEDIA, Party.DIRECTORATE})


class ContactLog(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_contacts", verbose_name="واحد")
    contacted_at = models.DateTimeField("زمان")
    party = models.CharField("طرف ارتباط", max_length=20, choices=Party.choices)
    party_name = models.CharField("نام طرف ارتباط", max_length=150)
    subject = models.CharField("موضوع", max_length=200)
    outcome = models.TextField("نتیجه", blank=True)
    hq_coordination = models.CharField("هماهنگی با اداره کل (با چه کسی، چگونه)", max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ارتباط درون و برون‌سازمانی"
        verbose_name_plural = "ارتباط‌های درون و برون‌سازمانی"
        ordering = ["-contacted_at"]

    def __str__(self) -> str:
        return f"{self.party_name}: {self.subject}"

    @property
    def through_hq(self) -> bool:
        return self.party in THROUGH_HQ

    def clean(self):
        if self.party in THROUGH_HQ and not self.hq_coordination.strip():
            raise ValidationError({"hq_coordination": "ارتباط با صدا و سیما، رسانه‌ها و اداره‌های کل از راه "
                                                      "روابط عمومی اداره کل است؛ بنویسید با چه کسی در اداره کل "
                                                      "هماهنگ شد."})


# --- Press monitoring (D1) ------------------------------------------------------------------------------

class SourceKind(models.TextChoices):
    OFFICIAL = "official", "روزنامه رسمی و سراسری"
    LOCAL = "local", "روزنامه محلی و استانی"
    WEBSITE = "website", "پایگاه خبری"


class PressSource(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_sources", verbose_name="واحد")
    name = models.CharField("نام منبع", max_length=150)
    kind = models.CharField("نوع", max_length=20, choices=SourceKind.choices, default=SourceKind.LOCAL)
    url = models.URLField("نشانی خوراک (RSS یا Atom)", max_length=500)
    is_active = models.BooleanField("فعال", default=True)
    last_fetched_at = models.DateTimeField("آخرین دریافت", null=True, blank=True)
    last_ok_at = models.DateTimeField("آخرین دریافت موفق", null=True, blank=True)
    last_error = models.CharField("خطای آخرین دریافت", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "منبع پایش مطبوعات"
        verbose_name_plural = "منابع پایش مطبوعات"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "url"], name="press_source_unique_url")]

    def __str__(self) -> str:
        return self.name


class Keyword(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="press_keywords", verbose_name="واحد")
    text = models.CharField("کلیدواژه", max_length=80)
    key = models.CharField(max_length=80, editable=False)

    class Meta:
        verbose_name = "کلیدواژه پایش"
        verbose_name_plural = "کلیدواژه‌های پایش"
        ordering = ["text"]
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="press_keyword_unique")]

    def __str__(self) -> str:
        return self.text


class ItemState(models.TextChoices):
    NEW = "new", "بررسی‌نشده"
    IGNORED = "ignored", "نامربوط"
    RELEVANT = "relevant", "مرتبط"
    COMPLAINT = "complaint", "شکایت مردمی — به رئیس اداره منعکس شد"


ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    ItemState.NEW: frozenset({ItemState.IGNORED, ItemState.RELEVANT, ItemState.COMPLAINT}),
    # A second look may change the verdict, but a complaint already sent to the manager stays sent.
    ItemState.IGNORED: frozenset({ItemState.RELEVANT, ItemState.COMPLAINT}),
    ItemState.RELEVANT: frozenset({ItemState.IGNORED, ItemState.COMPLAINT}),
    ItemState.COMPLAINT: frozenset(),
}


class PressItem(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="press_items", verbose_name="واحد")
    source = models.ForeignKey(PressSource, on_delete=models.CASCADE, related_name="items", verbose_name="منبع")
    title = models.CharField("عنوان", max_length=500)
    link = models.URLField("پیوند", max_length=1000)
    summary = models.TextField("خلاصه", blank=True)
    published_at = models.DateTimeField("زمان انتشار", null=True, blank=True)
    fetched_at = models.DateTimeField("زمان دریافت", auto_now_add=True)
    matched = models.CharField("کلیدواژه‌های یافته", max_length=300, blank=True)
    state = models.CharField("وضعیت", max_length=20, choices=ItemState.choices, default=ItemState.NEW)
    reviewed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name="بررسی‌کننده")
    reviewed_at = models.DateTimeField("زمان بررسی", null=True, blank=True)
    note = models.TextField("یادداشت برای رئیس اداره", blank=True)

    class Meta:
        verbose_name = "مطلب پایش‌شده"
        verbose_name_plural = "مطالب پایش‌شده"
        ordering = ["-fetched_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "link"], name="press_item_unique_link")]
        # The monitor lists newest first, across the province for HQ.
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["-fetched_at", "-id"])]

    def __str__(self) -> str:
        return self.title
