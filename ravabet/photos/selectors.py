"""Reads of the photo library for other parts' forms."""

from django.db.models import Count, QuerySet

from .models import Photo

PICKER_SIZE = 24


def library_choices(unit, *, exclude_ids=(), limit: int = PICKER_SIZE) -> QuerySet:
    """The unit's latest photos for a picker, each with `use_count` (how many news items show it).

    Reuse is allowed on purpose: a newsroom runs the same good picture of a bridge or a ceremony in
    follow-up stories, and refusing it would only push officers to upload it again (which the duplicate
    rule then refuses). The count lets them see that a photo has already been used."""
    ids = list(Photo.objects.filter(unit=unit).exclude(pk__in=list(exclude_ids))
               .order_by("-created_at", "-pk").values_list("pk", flat=True)[:limit])
    return Photo.objects.filter(pk__in=ids).annotate(use_count=Count("news")).order_by("-created_at", "-pk")
