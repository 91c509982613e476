"""Opinion surveys (D5): a survey of questions, opened to the public or to a unit's staff,
answered once per browser or per person, with results reported to the unit manager and HQ."""

import secrets

from django.conf import settings
from django.db import models

from ravabet.offices.models import Unit


class Audience(models.TextChoices):
    PUBLIC = "public", "مردم (پیوند عمومی)"
    STAFF = "staff", "کارکنان واحد"


class State(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    OPEN = "open", "باز برای پاسخ"
    CLOSED = "closed", "بسته"


# Questions can change only in draft: answers already given would otherwise count against other options.
TRANSITIONS = {
    State.DRAFT: {State.OPEN},
    State.OPEN: {State.CLOSED},
    State.CLOSED: {State.OPEN},
}


class QuestionKind(models.TextChoices):
    SINGLE = "single", "تک‌گزینه‌ای"
    MULTIPLE = "multiple", "چندگزینه‌ای"
    RATING = "rating", "امتیاز ۱ تا ۵"
    SHORT = "short", "پاسخ کوتاه"
    LONG = "long", "پاسخ بلند"


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
TEXT_KINDS = {QuestionKind.SHORT, QuestionKind.LONG}
RATING_LABELS = {1: "خیلی بد", 2: "بد", 3: "متوسط", 4: "خوب", 5: "خیلی خوب"}


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="surveys", verbose_name="واحد")
    title = models.CharField("عنوان", max_length=200)
    intro = models.TextField("متن آغاز", blank=True)
    audience = models.CharField("مخاطب", max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    opens_on = models.DateField("تاریخ شروع")
    closes_on = models.DateField("تاریخ پایان")
    state = models.CharField("وضعیت", max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    # The public address: not the id, so surveys cannot be walked by number.
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="سازنده")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField("گزارش به مدیر و اداره کل", null=True, blank=True)
    responses_count = models.PositiveIntegerField("شمار پاسخ‌ها", default=0)

    class Meta:
        verbose_name = "نظرسنجی"
        verbose_name_plural = "نظرسنجی‌ها"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name="نظرسنجی")
    order = models.PositiveIntegerField("ترتیب", default=0)
    kind = models.CharField("نوع پرسش", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.CharField("متن پرسش", max_length=300)
    required = models.BooleanField("پاسخ الزامی", default=True)
    options = models.JSONField("گزینه‌ها", default=list, blank=True)

    class Meta:
        verbose_name = "پرسش"
        verbose_name_plural = "پرسش‌ها"
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name="نظرسنجی")
    # Set for staff surveys only; public answers stay anonymous.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="پاسخ‌دهنده")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "پاسخ‌نامه"
        verbose_name_plural = "پاسخ‌نامه‌ها"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["survey", "user"], condition=models.Q(user__isnull=False),
                                               name="one_response_per_staff_member")]

    def __str__(self) -> str:
        return f"پاسخ {self.pk} به {self.survey_id}"


class Answer(models.Model):
    """One answer to one question; a multiple-choice question gives one row per ticked option,
    so counting is a single GROUP BY over `value`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Option index for choice questions, 1-5 for ratings.
    value = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "پاسخ"
        verbose_name_plural = "پاسخ‌ها"
        indexes = [models.Index(fields=["question", "value"])]

    def __str__(self) -> str:
        return self.text or str(self.value)
