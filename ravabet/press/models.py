"""The press part: media directory, requests to HQ (C1, C2), journalist visits with the phone
permit (C3), the contact log (C4) and press monitoring of online newspapers (D1)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ravabet.lib.validators import validate_mobile
from ravabet.offices.models import Membership, Unit
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

USER = settings.AUTH_USER_MODEL


class anyone_of:  # noqa: N801 — read as a phrase in declarations, like field_user
    """Recipients of several kinds, each person once: `anyone_of(field_user("created_by"), unit_role(...))`."""

    def __init__(self, *recipients):
        self.recipients = recipients

    def __call__(self, obj, by) -> list:
        found = {}
        for recipients in self.recipients:
            for user in recipients(obj, by):
                found.setdefault(user.pk, user)
        return list(found.values())

    def __str__(self) -> str:
        return " + ".join(str(recipients) for recipients in self.recipients)


# The county asks, HQ's head decides (C1-C3, DESIGN §1); the unit's PR officer and whoever asked hear of it.
UNIT_ASKER = anyone_of(field_user("created_by"), unit_role(Role.PR_OFFICER))


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


OPEN_REQUEST_STATES = (RequestState.SUBMITTED, RequestState.MORE_INFO)
# Permission is asked before the interview or conference, not after it (C1, C2).
AHEAD_MARGIN = dt.timedelta(hours=1)


def is_ahead(when) -> bool:
    """True when a proposed time has not passed yet (an hour's grace for a form filled slowly)."""
    return when is None or when >= timezone.now() - AHEAD_MARGIN


def _valid_link(link: str) -> None:
    if link and len(link) > 500:
        raise ValidationError({"done_link": "پیوند بلندتر از ۵۰۰ نویسه است."})
    try:
        if link:
            URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise ValidationError({"done_link": "نشانی وب درست نیست؛ با https:// آغاز کنید."}) from None


class MediaRequest(WorkflowModel):
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
    state = StateField("وضعیت", max_length=20, choices=RequestState.choices, default=RequestState.SUBMITTED)
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

    def get_absolute_url(self) -> str:
        return reverse("press:request_detail", args=[self.pk])

    # The unit is told of a new request in services.request_submit (a new record is not a step).
    SUBMITTED_NOTICE = Notice(hq_role(Role.HQ_HEAD), "درخواست {obj.kind_label} از {obj.unit.name}: {obj.subject:.80}")

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    # --- Workflow (C1, C2: the county asks, only HQ's head decides; DESIGN §1) ------------------

    @step(source=RequestState.SUBMITTED, target=RequestState.APPROVED, roles={Role.HQ_HEAD}, label="دادن مجوز",
          log="press.request_approved", style="success",
          summary="مجوز درخواست «{obj.subject:.80}» داده شد",
          needs=[Need("decision_note", "توضیح اداره کل (اختیاری)")],
          notify=[Notice(UNIT_ASKER, "درخواست {obj.kind_label}: مجوز داده شد",
                         body="{obj.subject}\n{obj.decision_note}")],
          done="مجوز داده شد و واحد باخبر شد.")
    def approve(self, by):
        self.decided_by, self.decided_at = by, timezone.now()

    @step(source=RequestState.SUBMITTED, target=RequestState.MORE_INFO, roles={Role.HQ_HEAD},
          label="پرسش از واحد", log="press.request_more_info", style="warning",
          summary="توضیح بیشتر درباره «{obj.subject:.80}» خواسته شد: {decision_note:.120}",
          needs=[Need("decision_note", "پرسش اداره کل", "بنویسید چه توضیحی لازم است تا واحد بداند چه کند.")],
          notify=[Notice(UNIT_ASKER, "درخواست {obj.kind_label}: توضیح بیشتر خواسته شد",
                         body="{obj.subject}\n{obj.decision_note}")],
          done="پرسش به واحد فرستاده شد.")
    def ask_more(self, by):
        self.decided_by, self.decided_at = by, timezone.now()

    @step(source=RequestState.SUBMITTED, target=RequestState.REJECTED, roles={Role.HQ_HEAD}, label="رد درخواست",
          log="press.request_rejected", style="danger",
          summary="درخواست «{obj.subject:.80}» رد شد: {decision_note:.120}",
          needs=[Need("decision_note", "دلیل رد", "دلیل رد را بنویسید تا واحد بداند چرا.")],
          notify=[Notice(UNIT_ASKER, "درخواست {obj.kind_label}: رد شد", body="{obj.subject}\n{obj.decision_note}")],
          done="درخواست رد شد و واحد باخبر شد.")
    def reject(self, by):
        self.decided_by, self.decided_at = by, timezone.now()

    @step(source=RequestState.MORE_INFO, target=RequestState.SUBMITTED, roles=UNIT_ROLES,
          label="افزودن توضیح و فرستادن دوباره", log="press.request_resubmitted", view="press:request_edit",
          summary="توضیح بیشتر داده شد و درخواست «{obj.subject:.80}» دوباره فرستاده شد",
          guards=[Guard("ahead", "زمان پیشنهادی گذشته است؛ زمان تازه‌ای بنویسید و سپس بفرستید.",
                        lambda request: is_ahead(request.proposed_at))],
          notify=[Notice(hq_role(Role.HQ_HEAD), "پاسخ درخواست {obj.kind_label} از {obj.unit.name}: {obj.subject:.80}")],
          done="توضیح افزوده شد و درخواست دوباره به اداره کل رفت.")
    def resubmit(self, by):
        self.submitted_at = timezone.now()

    # The link is a URL, which a step's text field would normalise as Persian: the app's page
    # (press:request_done) gives it as `done_link`.
    @step(source=RequestState.APPROVED, target=RequestState.DONE, roles=UNIT_ROLES, label="ثبت انجام",
          log="press.request_done", style="success", summary="«{obj.subject:.80}» انجام شد",
          view="press:request_done",
          needs=[Need("done_report", "گزارش انجام", "گزارش کوتاهی از آنچه انجام شد بنویسید.")],
          notify=[Notice(field_user("decided_by"), "انجام شد: {obj.subject:.100}", body="{obj.done_report:.300}")],
          done="انجام کار و گزارش آن ثبت شد.")
    def record_done(self, by):
        self.done_link = (self.done_link or "").strip()
        _valid_link(self.done_link)
        self.done_at = timezone.now()

    @step(source=[RequestState.SUBMITTED, RequestState.MORE_INFO, RequestState.APPROVED],
          target=RequestState.CANCELLED, roles=UNIT_ROLES, label="لغو درخواست", log="press.request_cancelled",
          style="danger", aside=True, summary="درخواست «{obj.subject:.80}» لغو شد: {reason:.120}",
          needs=[Need("reason", "علت لغو", "علت لغو را بنویسید.", widget="text")],
          notify=[Notice(field_user("decided_by"), "لغو شد: {obj.subject:.100}")],
          confirm="درخواست لغو شود؟ پس از لغو بازگشتی نیست.", done="درخواست لغو شد.")
    def cancel(self, by, reason: str):
        """The unit withdraws its request; the reason stays in the timeline."""


# --- Journalist visits with the phone permit (C3) ---------------------------------------------------------

class VisitState(models.TextChoices):
    WAITING = "waiting", "در انتظار مجوز تلفنی"
    PERMITTED = "permitted", "مجوز داده شد"
    REFUSED = "refused", "مجوز داده نشد"


class JournalistVisit(WorkflowModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_visits", verbose_name="واحد")
    journalist = models.ForeignKey(Journalist, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="visits", verbose_name="خبرنگار")
    journalist_name = models.CharField("نام خبرنگار", max_length=150)
    outlet_name = models.CharField("رسانه", max_length=150, blank=True)
    arrived_at = models.DateTimeField("زمان مراجعه")
    purpose = models.TextField("موضوع خبر یا گزارش")
    coordinated_with_hq = models.BooleanField("خبرنگار پیش‌تر با اداره کل هماهنگ کرده است", default=False)
    state = StateField("وضعیت", max_length=20, choices=VisitState.choices, default=VisitState.WAITING)
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
        indexes = [models.Index(fields=["-arrived_at", "-id"], name="press_visit_newest"),
                   models.Index(fields=["unit", "-arrived_at", "-id"], name="press_visit_unit_newest")]

    def __str__(self) -> str:
        return f"{self.journalist_name} — {self.purpose[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("press:visit_detail", args=[self.pk])

    # The journalist is waiting at the office: HQ's head is told at once, by SMS too (C3, issue 9 item 5).
    WAITING_NOTICE = Notice(hq_role(Role.HQ_HEAD),
                            "خبرنگار در {obj.unit.name} منتظر مجوز تلفنی است: {obj.journalist_name}",
                            body="{obj.outlet_name}\n{obj.purpose:.200}", urgent=True)

    # --- Workflow (C3: only HQ's head gives or refuses the permit; DESIGN §1) -------------------

    @step(source=VisitState.WAITING, target=VisitState.PERMITTED, roles={Role.HQ_HEAD}, label="دادن مجوز",
          log="press.visit_permitted", style="success",
          summary="مجوز تلفنی برای {obj.journalist_name} داده شد",
          needs=[Need("permit_note", "توضیح برای واحد (اختیاری)")],
          notify=[Notice(anyone_of(field_user("recorded_by"), unit_role(Role.PR_OFFICER)),
                         "مجوز خبرنگار {obj.journalist_name}: داده شد", body="{obj.permit_note}")],
          done="مجوز ثبت شد و واحد باخبر شد.")
    def permit(self, by):
        self._answered(by)

    @step(source=VisitState.WAITING, target=VisitState.REFUSED, roles={Role.HQ_HEAD}, label="ندادن مجوز",
          log="press.visit_refused", style="danger",
          summary="مجوز تلفنی برای {obj.journalist_name} داده نشد: {permit_note:.120}",
          needs=[Need("permit_note", "علت", "علت را بنویسید تا واحد به خبرنگار بگوید.")],
          notify=[Notice(anyone_of(field_user("recorded_by"), unit_role(Role.PR_OFFICER)),
                         "مجوز خبرنگار {obj.journalist_name}: داده نشد", body="{obj.permit_note}")],
          done="پاسخ ثبت شد و واحد باخبر شد.")
    def refuse(self, by):
        self._answered(by)

    def _answered(self, by) -> None:
        self.permit_given_by = (by.full_name or by.get_username())[:150]
        self.permit_at = timezone.now()
        self.permit_recorded_by = by


# --- Press conferences (C2): the outlets invited, who came and what they published --------------------------

class Invitation(models.Model):
    """An outlet invited to a press conference (a MediaRequest of kind "conference"), whether it came and
    the link of its coverage (C2)."""

    media_request = models.ForeignKey(MediaRequest, on_delete=models.CASCADE, related_name="invitations",
                                      verbose_name="نشست خبری")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="invitations", verbose_name="رسانه")
    attended = models.BooleanField("حضور", null=True)
    coverage_link = models.URLField("پیوند پوشش خبری", max_length=500, blank=True)
    invited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name="دعوت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "رسانه دعوت‌شده به نشست خبری"
        verbose_name_plural = "رسانه‌های دعوت‌شده به نشست خبری"
        ordering = ["outlet__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["media_request", "outlet"], name="press_invitation_once")]

    def __str__(self) -> str:
        return f"{self.outlet} — {self.media_request}"


# --- Contact log (C4) ---------------------------------------------------------------------------------------

class Party(models.TextChoices):
    INTERNAL = "internal", "درون‌سازمانی (واحدهای همین اداره)"
    LOCAL_OFFICE = "local_office", "ادارات و نهادهای شهرستان"
    BROADCASTER = "broadcaster", "صدا و سیما"
    MEDIA = "media", "رسانه‌ها"
    DIRECTORATE = "directorate", "اداره‌های کل"


# Relations the instruction reserves for HQ: the county records them only with HQ's coordination.
THROUGH_HQ = frozenset({Party.BROADCASTER, Party.MEDIA, Party.DIRECTORATE})


class HqCheck(models.TextChoices):
    """HQ's word on the coordination a county records for a contact reserved to HQ (C4)."""

    NOT_NEEDED = "not_needed", "هماهنگی لازم نیست"
    AWAITING = "awaiting", "در انتظار تأیید اداره کل"
    CONFIRMED = "confirmed", "اداره کل هماهنگی را تأیید کرد"
    DISPUTED = "disputed", "اداره کل هماهنگی را تأیید نکرد"


HQ_DECIDED = (HqCheck.CONFIRMED, HqCheck.DISPUTED)


class ContactLog(WorkflowModel):
    """A contact of the unit inside or outside the organisation (C4); one with the broadcaster, the media or
    another directorate is HQ's to coordinate, so the county names who at HQ it coordinated with and HQ
    confirms (or disputes) that it did."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="press_contacts", verbose_name="واحد")
    contacted_at = models.DateTimeField("زمان")
    party = models.CharField("طرف ارتباط", max_length=20, choices=Party.choices)
    party_name = models.CharField("نام طرف ارتباط", max_length=150)
    subject = models.CharField("موضوع", max_length=200)
    outcome = models.TextField("نتیجه", blank=True)
    hq_coordination = models.CharField("هماهنگی با اداره کل (با چه کسی، چگونه)", max_length=200, blank=True)
    # The C1 request (interview, news, conference...) this contact belongs to, when there is one.
    media_request = models.ForeignKey("MediaRequest", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="contacts", verbose_name="درخواست مجوز مربوط")
    hq_check = StateField("تأیید اداره کل", max_length=20, choices=HqCheck.choices, default=HqCheck.NOT_NEEDED)
    hq_note = models.TextField("توضیح اداره کل", blank=True)
    hq_checked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                      verbose_name="بررسی‌کننده در اداره کل")
    hq_checked_at = models.DateTimeField("زمان بررسی اداره کل", null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="ثبت‌کننده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ارتباط درون و برون‌سازمانی"
        verbose_name_plural = "ارتباط‌های درون و برون‌سازمانی"
        ordering = ["-contacted_at"]
        # The log's order, over every unit and per unit (issue 11 §3): the page stops after 50 rows.
        indexes = [models.Index(fields=["-contacted_at", "-id"], name="press_contact_newest"),
                   models.Index(fields=["unit", "-contacted_at", "-id"], name="press_contact_unit_newest")]

    def __str__(self) -> str:
        return f"{self.party_name}: {self.subject}"

    @property
    def through_hq(self) -> bool:
        return self.party in THROUGH_HQ

    def get_absolute_url(self) -> str:
        return reverse("press:contact_detail", args=[self.pk])

    @step(source=HqCheck.AWAITING, target=HqCheck.CONFIRMED, field="hq_check", roles=HQ_ROLES,
          label="تأیید هماهنگی", log="press.contact_confirmed", style="success",
          summary="اداره کل هماهنگی ارتباط با {obj.party_name} را تأیید کرد",
          needs=[Need("hq_note", "توضیح (اختیاری)", widget="text")],
          notify=[Notice(field_user("recorded_by"), "اداره کل هماهنگی ارتباط را تأیید کرد: {obj.subject:.60}")],
          done="هماهنگی تأیید شد.")
    def confirm(self, by):
        """HQ confirms it coordinated this contact (C4): the county's record now counts as coordinated."""
        self.hq_checked_by, self.hq_checked_at = by, timezone.now()

    @step(source=HqCheck.AWAITING, target=HqCheck.DISPUTED, field="hq_check", roles=HQ_ROLES,
          label="هماهنگی انجام نشده", log="press.contact_disputed", style="outline-danger", aside=True,
          summary="اداره کل هماهنگی ارتباط با {obj.party_name} را تأیید نکرد: {obj.hq_note:.200}",
          needs=[Need("hq_note", "توضیح اداره کل", "بنویسید چرا هماهنگی تأیید نمی‌شود.")],
          notify=[Notice(field_user("recorded_by"), "اداره کل هماهنگی ارتباط را تأیید نکرد: {obj.subject:.60}",
                         body="{obj.hq_note:.300}", urgent=True)],
          done="ثبت شد که هماهنگی با اداره کل انجام نشده است؛ به ثبت‌کننده خبر داده شد.")
    def dispute(self, by):
        """HQ says the coordination the county credits it with did not happen (C4)."""
        self.hq_checked_by, self.hq_checked_at = by, timezone.now()

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


class HeadAction(models.TextChoices):
    """What the office head did with a press complaint forwarded to him (D1), beside the item's review."""

    WAITING = "waiting", "در انتظار رئیس اداره"
    ACKNOWLEDGED = "acknowledged", "رئیس اداره دید و دستور داد"


def _has_manager(item) -> bool:
    return Membership.objects.filter(unit=item.unit_id, role=Role.UNIT_MANAGER, user__is_active=True).exists()


class PressItem(WorkflowModel):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="press_items", verbose_name="واحد")
    source = models.ForeignKey(PressSource, on_delete=models.CASCADE, related_name="items", verbose_name="منبع")
    title = models.CharField("عنوان", max_length=500)
    link = models.URLField("پیوند", max_length=1000)
    summary = models.TextField("خلاصه", blank=True)
    published_at = models.DateTimeField("زمان انتشار", null=True, blank=True)
    fetched_at = models.DateTimeField("زمان دریافت", auto_now_add=True)
    matched = models.CharField("کلیدواژه‌های یافته", max_length=300, blank=True)
    state = StateField("وضعیت", max_length=20, choices=ItemState.choices, default=ItemState.NEW)
    reviewed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name="بررسی‌کننده")
    reviewed_at = models.DateTimeField("زمان بررسی", null=True, blank=True)
    note = models.TextField("یادداشت برای رئیس اداره", blank=True)
    head_action = StateField("اقدام رئیس اداره", max_length=20, choices=HeadAction.choices,
                             default=HeadAction.WAITING)
    head_instruction = models.TextField("دستور رئیس اداره", blank=True)
    acknowledged_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                        verbose_name="رئیس اداره")
    acknowledged_at = models.DateTimeField("زمان دیدن رئیس اداره", null=True, blank=True)
    # The public case the complaint became (D1, issue 14): the item links to it and the case back here.
    case = models.OneToOneField("complaints.Case", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="press_item", verbose_name="پرونده مردمی")

    class Meta:
        verbose_name = "مطلب پایش‌شده"
        verbose_name_plural = "مطالب پایش‌شده"
        ordering = ["-fetched_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "link"], name="press_item_unique_link")]
        # The monitor lists newest first, across the province for HQ.
        # A unit's items of a period (the monthly report's press section, issue 11 §3).
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["-fetched_at", "-id"]),
                   models.Index(fields=["unit", "-fetched_at"], name="press_item_unit_fetched"),
                   # D1 of HQ's evaluation: items reviewed in a period, by unit and state (issue 10 speed).
                   models.Index(fields=["reviewed_at", "unit", "state"], name="press_item_reviewed")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("press:item_detail", args=[self.pk])

    # --- Workflow (D1: review what the monitor found; public complaints go to the office head) ---
    # Monitoring is the county PR officer's daily work; HQ's PR also forwards the complaints it finds
    # (DESIGN §1: hq_expert forwards press complaints).
    # New items wait for the officer's review; a second look may change the verdict (aside), but a
    # complaint already sent to the manager stays sent: "complaint" has no way out.

    @step(source=ItemState.NEW, target=ItemState.RELEVANT, roles={Role.PR_OFFICER}, label="مرتبط",
          log="press.item_relevant", style="success", summary="مطلب «{obj.title:.80}»: مرتبط",
          done="بررسی ثبت شد: مرتبط.")
    def mark_relevant(self, by):
        self._reviewed(by)

    @step(source=[ItemState.NEW, ItemState.RELEVANT], target=ItemState.IGNORED, roles={Role.PR_OFFICER},
          label="نامربوط", log="press.item_ignored", style="secondary", aside=True,
          summary="مطلب «{obj.title:.80}»: نامربوط", done="بررسی ثبت شد: نامربوط.")
    def mark_ignored(self, by):
        self._reviewed(by)

    @step(source=ItemState.IGNORED, target=ItemState.RELEVANT, roles={Role.PR_OFFICER}, label="مرتبط است",
          log="press.item_relevant", style="success", aside=True,
          summary="مطلب «{obj.title:.80}» دوباره بررسی شد: مرتبط", done="بررسی ثبت شد: مرتبط.")
    def reconsider(self, by):
        self._reviewed(by)

    @step(source=[ItemState.NEW, ItemState.IGNORED, ItemState.RELEVANT], target=ItemState.COMPLAINT,
          roles={Role.PR_OFFICER} | HQ_ROLES, label="شکایت مردمی: به رئیس اداره", log="press.item_complaint",
          style="danger", aside=True, summary="مطلب «{obj.title:.80}»: شکایت مردمی — به رئیس اداره منعکس شد",
          guards=[Guard("has_manager", "این واحد رئیس اداره‌ای در سامانه ندارد؛ نخست نقش رئیس اداره را تعریف کنید.",
                        _has_manager)],
          needs=[Need("note", "یادداشت برای رئیس اداره",
                      "برای رئیس اداره بنویسید شکایت درباره چیست و چه پیشنهادی دارید.")],
          # The office head is told once, by the case this step opens (its refer step quotes the note).
          done="شکایت در پرونده‌های مردمی ثبت و به رئیس اداره ارجاع شد.")
    def forward_complaint(self, by):
        """In one step (D1, issue 14) the item becomes a public case with its title, text, outlet, date
        and link: the unit's PR officer records it referred to the office head (with the note); HQ's
        PR forwards it to the unit with the complaint kind's deadline (D4)."""
        from ravabet.complaints import services as complaints
        from ravabet.lib import jalali
        from ravabet.offices.access import access_for

        self._reviewed(by)
        values = {"subject": self.title[:200], "text": self.summary.strip() or self.title,
                  "press_outlet": self.source.name[:150], "press_link": self.link[:500],
                  "press_date": timezone.localdate(self.published_at) if self.published_at else None}
        if access_for(by).has_role(self.unit_id, {Role.PR_OFFICER}):
            self.case = complaints.press_register(unit=self.unit, by=by, referral_note=self.note[:300], **values)
        else:
            self.case = complaints.hq_forward(unit=self.unit, by=by, deadline=complaints.deadline_for("complaint",
                                                                                                    jalali.today()),
                                              **values)

    @step(source=HeadAction.WAITING, target=HeadAction.ACKNOWLEDGED, field="head_action", roles={Role.UNIT_MANAGER},
          label="دیدم؛ دستور رسیدگی", log="press.item_acknowledged", style="primary",
          summary="رئیس اداره شکایت را دید و دستور داد: {obj.head_instruction:.200}",
          guards=[Guard("is_complaint", "فقط شکایت مردمی منعکس‌شده به رئیس اداره دستور رسیدگی می‌گیرد.",
                        lambda item: item.state == ItemState.COMPLAINT, q=Q(state=ItemState.COMPLAINT))],
          needs=[Need("head_instruction", "دستور رئیس اداره", "بنویسید چه کسی و چگونه رسیدگی کند.")],
          notify=[Notice(unit_role(Role.PR_OFFICER), "دستور رئیس اداره درباره شکایت مطبوعاتی: {obj.title:.60}",
                         body="{obj.head_instruction:.300}")],
          done="دستور شما ثبت شد و به روابط عمومی رسید؛ پرونده مردمی را از پیوند همین صفحه ارجاع دهید یا پاسخ دهید.")
    def acknowledge(self, by):
        """The office head confirms he has seen a press complaint forwarded to him and says what is to be done
        (D1: "forwarded to the unit manager"); the PR officer is told. Acting on it is the case's own steps
        (refer, answer), which the item's page links to."""
        self.acknowledged_by, self.acknowledged_at = by, timezone.now()

    def _reviewed(self, by) -> None:
        self.reviewed_by, self.reviewed_at = by, timezone.now()
