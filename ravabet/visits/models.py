"""Field visits (D6): planned visits to the places the office covers, their findings and photos,
and the follow-up actions they lead to, each with an owner and a due date until done."""

from django.conf import settings
from django.db import models

from ravabet.lib import jalali
from ravabet.lib.storage import private_storage
from ravabet.offices.models import Person, Unit


class State(models.TextChoices):
    PLANNED = "planned", "برنامه‌ریزی‌شده"
    DONE = "done", "انجام‌شده"
    CANCELLED = "cancelled", "لغوشده"


TRANSITIONS = {
    State.PLANNED: {State.DONE, State.CANCELLED},
    State.CANCELLED: {State.PLANNED},
    State.DONE: set(),
}


class PlaceKind(models.TextChoices):
    SITE = "site", "کارگاه و پروژه"
    OFFICE = "office", "واحد اداری و دفتر"
    ROAD = "road", "راه و محور"
    VILLAGE = "village", "روستا و محله"
    OTHER = "other", "دیگر"


class Visit(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="visits", verbose_name="واحد")
    place = models.CharField("محل بازدید", max_length=200)
    place_kind = models.CharField("نوع محل", max_length=10, choices=PlaceKind.choices, default=PlaceKind.SITE)
    address = models.CharField("نشانی", max_length=300, blank=True)
    purpose = models.TextField("هدف بازدید")
    planned_on = models.DateField("تاریخ برنامه", db_index=True)
    team = models.ManyToManyField(Person, blank=True, related_name="visits", verbose_name="همراهان")
    state = models.CharField("وضعیت", max_length=10, choices=State.choices, default=State.PLANNED, db_index=True)
    done_on = models.DateField("تاریخ انجام", null=True, blank=True)
    findings = models.TextField("یافته‌ها", blank=True)
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

    @property
    def is_late(self) -> bool:
        """Planned for a day that has passed with no record of it taking place."""
        return self.state == State.PLANNED and self.planned_on < jalali.today()


class Photo(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name="بازدید")
    file = models.FileField("عکس", upload_to="visits/%Y/%m/", storage=private_storage)
    content_type = models.CharField(max_length=40)
    caption = models.CharField("شرح", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "عکس بازدید"
        verbose_name_plural = "عکس‌های بازدید"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.caption or f"عکس {self.pk}"


class ActionState(models.TextChoices):
    OPEN = "open", "در جریان"
    DONE = "done", "انجام‌شده"


class FollowUp(models.Model):
    """An action a visit leads to; `unit` is copied from the visit so lists scope with one filter."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions", verbose_name="بازدید")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="واحد")
    title = models.CharField("اقدام", max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visit_actions", verbose_name="مسئول")
    due_on = models.DateField("مهلت", db_index=True)
    state = models.CharField("وضعیت", max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    done_on = models.DateField("تاریخ انجام", null=True, blank=True)
    done_note = models.TextField("شرح انجام", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "اقدام پیگیری"
        verbose_name_plural = "اقدام‌های پیگیری"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        return self.state == ActionState.OPEN and self.due_on < jalali.today()
