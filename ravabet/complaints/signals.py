"""Deadlines follow the calendar (issue 14): when HQ adds, moves or removes a closure (offices.Closure) or
corrects an official holiday (occasions.OfficialHoliday), every open case whose deadline counts that day
is counted again. Connected in ComplaintsConfig.ready; the owning apps are not edited."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

CALENDAR_MODELS = (("offices", "Closure", "تعطیلی اعلام‌شده اداره کل"),
                   ("occasions", "OfficialHoliday", "اصلاح تعطیلات رسمی"))


def _remember_old_date(sender, instance, **kwargs):
    old = sender._default_manager.filter(pk=instance.pk).values_list("date", flat=True).first() if instance.pk else None
    instance._complaints_old_date = old


def _recount(reason: str):
    def receiver(sender, instance, **kwargs):
        from .services import recount_deadlines

        days = {day for day in (getattr(instance, "date", None), getattr(instance, "_complaints_old_date", None))
                if day is not None}
        title = getattr(instance, "title", "") or getattr(instance, "name", "")
        # After the calendar change commits, so the count reads the new calendar.
        transaction.on_commit(lambda: recount_deadlines(days=days, reason=f"{reason} «{title}»".strip()))
    return receiver


def connect() -> None:
    for app_label, model_name, reason in CALENDAR_MODELS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if not any(field.name == "date" for field in model._meta.fields):
            continue
        uid = f"complaints.recount.{app_label}.{model_name}"
        pre_save.connect(_remember_old_date, sender=model, dispatch_uid=f"{uid}.pre")
        receiver = _recount(reason)
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}.save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
