"""Field visits (D6): planned visits to the places the office covers, their findings and photos,
and the follow-up actions they lead to, each with an owner and a due date until done; the declared
workflows of a visit and of a follow-up action."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ravabet.lib import jalali
from ravabet.lib.storage import private_storage
from ravabet.offices.models import Person, Unit, UnitKind
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.workflow.declare import Guard, Need, Notice, StateField, WorkflowModel, field_user, step


class State(models.TextChoices):
    PLANNED = "planned", "برنامه‌ریزی‌شده"
    DONE = "done", "انجام‌شده"
    CANCELLED = "cancelled", "لغوشده"


class PlaceKind(models.TextChoices):
    SITE = "site", "کارگاه و پروژه"
    OFFICE = "office", "واحد اداری و دفتر"
    ROAD = "road", "راه و محور"
    VILLAGE = "village", "روستا و محله"
    OTHER = "other", "دیگر"


class Place(models.Model):
    """A place a unit covers (D6; issue 17, point 5): a site, office, road or village it is expected to
    visit every `every_days` days. Visits planned to it keep a link to it, so its last visit is known."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="places", verbose_name="واحد")
    name = models.CharField("نام محل", max_length=200)
    kind = models.CharField("نوع محل", max_length=10, choices=PlaceKind.choices, default=PlaceKind.SITE)
    address = models.CharField("نشانی", max_length=300, blank=True)
    latitude = models.DecimalField("عرض جغرافیایی", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("طول جغرافیایی", max_digits=9, decimal_places=6, null=True, blank=True)
    every_days = models.PositiveSmallIntegerField("بازدید هر چند روز", default=90)
    is_active = models.BooleanField("فعال", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "محل تحت پوشش"
        verbose_name_plural = "محل‌های تحت پوشش"
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="one_place_name_per_unit")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


# --- Shared by both workflows -----------------------------------------------------------------------------
# A county's manager and PR officer run its visits; HQ's PR people run HQ's own (HQ only reads a county's).
# So each step is declared twice: for UNIT_ROLES, and (suffix _hq) for HQ_ROLES on HQ's own records.

HQ_OWN = Guard("hq_own", "این کار از آنِ همان اداره شهرستان است؛ اداره کل بازدیدهای شهرستان را فقط می‌بیند.",
               lambda obj: obj.unit.is_hq, q=Q(unit__kind=UnitKind.HQ))


def step_for(obj, name: str) -> str:
    """The declared step called `name` that fits `obj`: its `_hq` twin for a record of HQ itself."""
    return f"{name}_hq" if obj.unit.is_hq else name


def _typed_date(obj, field: str) -> dt.date:
    """The date in `field` as a date: the generic step form gives it as typed (Jalali, any digits)."""
    value = getattr(obj, field)
    if isinstance(value, str):
        try:
            value = jalali.parse_date(value)
        except jalali.JalaliParseError as error:
            raise ValidationError({field: str(error)}) from None
        setattr(obj, field, value)
    return value


class team_of_visit:  # noqa: N801 — read as a phrase in declarations: Notice(team_of_visit(), ...)
    """The visit's companions who have an account."""

    def __call__(self, visit, by):
        return [person.user for person in visit.team.select_related("user") if person.user_id]

    def __str__(self) -> str:
        return "همراهان بازدید"


# --- The visit's workflow (D6; issue 9) -------------------------------------------------------------------
# planned --record--> done (its date and findings); planned --cancel--> cancelled --replan--> planned.

RECORD = dict(
    source=State.PLANNED, target=State.DONE, label="ثبت انجام و یافته‌ها", log="visits.done", style="success",
    summary="بازدید در {obj.done_on_fa} انجام شد.", view="visits:record",
    needs=[Need("done_on", "تاریخ انجام", "تاریخ انجام بازدید را بنویسید.", widget="text",
                help="به تاریخ خورشیدی، مانند ۱۴۰۵/۰۹/۰۵"),
           Need("findings", "یافته‌ها و مشاهدات", "یافته‌های بازدید را بنویسید.")],
    done="انجام بازدید و یافته‌هایش ثبت شد؛ اکنون عکس‌ها و اقدام‌های پیگیری را بیفزایید.")
CANCEL = dict(
    source=State.PLANNED, target=State.CANCELLED, label="لغو بازدید", log="visits.cancelled", style="danger",
    aside=True, summary="بازدید لغو شد. {obj.cancel_reason:.200}", confirm="این بازدید لغو شود؟",
    needs=[Need("cancel_reason", "علت لغو", widget="text")],
    notify=[Notice(team_of_visit(), "بازدید از «{obj.place:.80}» در {obj.planned_on_fa} لغو شد",
                   body="{obj.cancel_reason:.300}")],
    done="بازدید لغو شد.")
REPLAN = dict(
    source=State.CANCELLED, target=State.PLANNED, label="برنامه‌ریزی دوباره", log="visits.replanned", aside=True,
    summary="بازدید دوباره برای {obj.planned_on_fa} برنامه‌ریزی شد.", view="visits:replan",
    needs=[Need("planned_on", "تاریخ تازه", "تاریخ تازه بازدید را بنویسید.", widget="text",
                help="به تاریخ خورشیدی، مانند ۱۴۰۵/۰۹/۰۵")],
    notify=[Notice(team_of_visit(), "بازدید از «{obj.place:.80}» دوباره برای {obj.planned_on_fa} برنامه‌ریزی شد",
                   body="{obj.purpose:.300}")],
    done="بازدید دوباره برنامه‌ریزی شد.")


class Visit(WorkflowModel):
    """A field visit of one unit (D6) and its declared workflow (see the comment above)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="visits", verbose_name="واحد")
    place = models.CharField("محل بازدید", max_length=200)
    # The registered place (issue 17); older visits and one-off places keep only the typed name.
    site = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="visits",
                             verbose_name="محل ثبت‌شده")
    place_kind = models.CharField("نوع محل", max_length=10, choices=PlaceKind.choices, default=PlaceKind.SITE)
    address = models.CharField("نشانی", max_length=300, blank=True)
    purpose = models.TextField("هدف بازدید")
    planned_on = models.DateField("تاریخ برنامه", db_index=True)
    team = models.ManyToManyField(Person, blank=True, related_name="visits", verbose_name="همراهان")
    state = StateField("وضعیت", max_length=10, choices=State.choices, default=State.PLANNED, db_index=True)
    done_on = models.DateField("تاریخ انجام", null=True, blank=True)
    findings = models.TextField("یافته‌ها", blank=True)
    cancel_reason = models.CharField("علت لغو", max_length=300, blank=True)
    search_key = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "بازدید"
        verbose_name_plural = "بازدیدها"
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["unit", "planned_on"])]

    def __str__(self) -> str:
        return self.place

    def get_absolute_url(self) -> str:
        return reverse("visits:detail", args=[self.pk])

    @property
    def is_late(self) -> bool:
        """Planned for a day that has passed with no record of it taking place."""
        return self.state == State.PLANNED and self.planned_on < jalali.today()

    @property
    def planned_on_fa(self) -> str:
        return jalali.format_date(self.planned_on)

    @property
    def done_on_fa(self) -> str:
        return jalali.format_date(self.done_on)

    # --- Steps ---------------------------------------------------------------------------------------------

    @step(**RECORD, roles=UNIT_ROLES)
    def record(self, by):
        self._recorded()

    @step(**RECORD, roles=HQ_ROLES, guards=[HQ_OWN])
    def record_hq(self, by):
        self._recorded()

    def _recorded(self) -> None:
        """The visit took place on `done_on` (not a day still to come) with the findings written."""
        if _typed_date(self, "done_on") > jalali.today():
            raise ValidationError({"done_on": "تاریخ انجام نمی‌تواند در آینده باشد."})

    @step(**CANCEL, roles=UNIT_ROLES)
    def cancel(self, by):
        pass

    @step(**CANCEL, roles=HQ_ROLES, guards=[HQ_OWN])
    def cancel_hq(self, by):
        pass

    @step(**REPLAN, roles=UNIT_ROLES)
    def replan(self, by):
        self._replanned()

    @step(**REPLAN, roles=HQ_ROLES, guards=[HQ_OWN])
    def replan_hq(self, by):
        self._replanned()

    def _replanned(self) -> None:
        _typed_date(self, "planned_on")
        self.cancel_reason = ""


class Photo(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name="بازدید")
    file = models.FileField("عکس", upload_to="visits/%Y/%m/", storage=private_storage)
    content_type = models.CharField(max_length=40)
    caption = models.CharField("شرح", max_length=200, blank=True)
    # Read from the camera's EXIF before the metadata are stripped from the stored file (issue 17): kept
    # here, shown only to those who read the visit (the unit and HQ), as evidence of where and when.
    taken_at = models.DateTimeField("زمان گرفتن عکس", null=True, blank=True)
    latitude = models.DecimalField("عرض جغرافیایی عکس", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("طول جغرافیایی عکس", max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "عکس بازدید"
        verbose_name_plural = "عکس‌های بازدید"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.caption or f"عکس {self.pk}"

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def distance_m(self) -> int | None:
        """Metres between where the photo was taken and the visit's registered place, when both are known."""
        site = self.visit.site
        if not self.has_point or site is None or not site.has_point:
            return None
        from .evidence import distance_m

        return distance_m(self.latitude, self.longitude, site.latitude, site.longitude)

    @property
    def at_place(self) -> bool:
        """Taken within NEAR_METRES of the registered place's map point."""
        from .evidence import NEAR_METRES

        return self.distance_m is not None and self.distance_m <= NEAR_METRES

    @property
    def on_visit_day(self) -> bool:
        """Taken on the day the visit is recorded as done (local date)."""
        from django.utils import timezone

        return bool(self.taken_at and self.visit.done_on and timezone.localdate(self.taken_at) == self.visit.done_on)


class ActionState(models.TextChoices):
    OPEN = "open", "در جریان"
    DONE = "done", "انجام‌شده"


# --- A follow-up action's workflow (D6; issue 9) ----------------------------------------------------------
# open --done--> done. The unit's manager and PR officer (HQ's PR people for HQ's own) close any action;
# the person it is given to closes their own (done_by_owner). Giving an action tells its owner
# (services.action_add); its being done tells whoever planned the visit.

# Told when an action is given (services.action_add, through workflow.engine.tell).
ASSIGNED = Notice(field_user("owner.user"), "اقدام پیگیری بازدید «{obj.visit.place:.60}»: {obj.title:.100}",
                  body="مهلت: {obj.due_on_fa}")

DONE = dict(
    source=ActionState.OPEN, target=ActionState.DONE, label="انجام شد", log="visits.action_done", style="success",
    summary="اقدام «{obj.title:.80}» انجام شد. {obj.done_note:.200}",
    needs=[Need("done_note", "شرح انجام", widget="text")],
    done="اقدام انجام‌شده ثبت شد.")


class FollowUp(WorkflowModel):
    """An action a visit leads to; `unit` is copied from the visit so lists scope with one filter."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions", verbose_name="بازدید")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="واحد")
    title = models.CharField("اقدام", max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visit_actions", verbose_name="مسئول")
    due_on = models.DateField("مهلت", db_index=True)
    state = StateField("وضعیت", max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    done_on = models.DateField("تاریخ انجام", null=True, blank=True)
    done_note = models.TextField("شرح انجام", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "اقدام پیگیری"
        verbose_name_plural = "اقدام‌های پیگیری"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("visits:detail", args=[self.visit_id]) + "#actions"

    @property
    def is_late(self) -> bool:
        return self.state == ActionState.OPEN and self.due_on < jalali.today()

    @property
    def due_on_fa(self) -> str:
        return jalali.format_date(self.due_on)

    # --- Steps ---------------------------------------------------------------------------------------------

    @step(**DONE, roles=UNIT_ROLES, notify=[Notice(field_user("owner.user"), "اقدام شما «{obj.title:.80}» انجام‌شده ثبت شد")])
    def done(self, by):
        self.done_on = jalali.today()

    @step(**DONE, roles=HQ_ROLES, guards=[HQ_OWN],
          notify=[Notice(field_user("owner.user"), "اقدام شما «{obj.title:.80}» انجام‌شده ثبت شد")])
    def done_hq(self, by):
        self.done_on = jalali.today()

    @step(**DONE, roles={Role.STAFF}, actor=field_user("owner.user"), aside=True,
          notify=[Notice(field_user("visit.created_by"), "اقدام «{obj.title:.80}» را {obj.owner.full_name} انجام داد")])
    def done_by_owner(self, by):
        """The employee the action is given to reports it done (a plain staff member holds no unit role).
        Aside: the waiting list cannot tell whose action it is; the owner's own page lists it."""
        self.done_on = jalali.today()
