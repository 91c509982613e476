"""HQ's evaluation of its units (issue 10): versioned weights and targets, quality marks on
evidence, and frozen periods."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .catalog import item_choices


class WeightSet(models.Model):
    """HQ's weights, targets and grade bands, in force from `valid_from` (Gregorian date; shown
    Jalali) until the next set. A past period is always scored with the set in force at its start."""

    valid_from = models.DateField("معتبر از تاریخ", unique=True)
    note = models.CharField("توضیح", max_length=200, blank=True)
    excellent_from = models.PositiveSmallIntegerField("سرآمد از امتیاز", default=85,
                                                      validators=[MaxValueValidator(100)])
    active_from = models.PositiveSmallIntegerField("فعال از امتیاز", default=65, validators=[MaxValueValidator(100)])
    partial_from = models.PositiveSmallIntegerField("نیمه‌فعال از امتیاز", default=40,
                                                    validators=[MaxValueValidator(100)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "وزن‌ها و هدف‌های ارزیابی"
        verbose_name_plural = "نسخه‌های وزن‌ها و هدف‌ها"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        from ravabet.lib import jalali

        return f"وزن‌ها از {jalali.format_date(self.valid_from)}"


class ItemWeight(models.Model):
    weight_set = models.ForeignKey(WeightSet, on_delete=models.CASCADE, related_name="weights")
    item = models.CharField("بند", max_length=4, choices=item_choices)
    weight = models.DecimalField("وزن", max_digits=5, decimal_places=2, default=Decimal(0),
                                 validators=[MinValueValidator(Decimal(0))])
    target = models.DecimalField("هدف ماهانه", max_digits=7, decimal_places=2, default=Decimal(1),
                                 validators=[MinValueValidator(Decimal(0))])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["weight_set", "item"], name="one_weight_per_item")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.weight}"


class QualityMark(models.Model):
    """HQ's mark (1-5) on one piece of evidence; feeds the quality part of the item's score."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey("offices.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="واحد")
    item = models.CharField("بند", max_length=4)
    mark = models.PositiveSmallIntegerField("نمره کیفیت", validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField("نظر", max_length=300, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "نمره کیفیت شاهد"
        verbose_name_plural = "نمره‌های کیفیت شواهد"
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_mark_per_evidence")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.item} #{self.object_id}: {self.mark}"


class FrozenPeriod(models.Model):
    """A period's published scores, stored with the ids of the evidence behind each cell; later
    edits to records do not move it. A recompute is an explicit, logged HQ action."""

    key = models.CharField("دوره", max_length=10, unique=True)  # "1405-09", "1405-Q3", "1405"
    data = models.JSONField(default=dict)
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    recomputed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "دوره بسته‌شده"
        verbose_name_plural = "دوره‌های بسته‌شده"
        ordering = ["-key"]

    def __str__(self) -> str:
        return self.key
