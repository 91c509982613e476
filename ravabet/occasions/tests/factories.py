"""Records of the occasions part for tests, owned by county A unless told otherwise."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from ravabet.lib import jalali
from ravabet.offices.models import Unit

from ..models import Activity, ActivityKind, Occasion, OccasionContent

PDF = b"%PDF-1.4 test"


def make_occasion(title: str = "دهه فجر", days: int = 10, **kwargs) -> Occasion:
    return Occasion.objects.create(title=title, date=jalali.today() + dt.timedelta(days=days), **kwargs)


def make_activity(unit: Unit, kind: str = ActivityKind.MARCH) -> Activity:
    return Activity.objects.create(unit=unit, kind=kind, title="راهپیمایی ۲۲ بهمن", date=jalali.today(),
                                   participants=25)


def make_content(unit: Unit, occasion: Occasion | None = None, with_file: bool = False,
                 state: str = "draft") -> OccasionContent:
    content = OccasionContent.objects.create(unit=unit, occasion=occasion or make_occasion(),
                                             title="ویژه‌نامه دهه فجر", text="متن ویژه‌نامه", state=state)
    if with_file:
        content.file.save("c.pdf", SimpleUploadedFile("c.pdf", PDF), save=False)
        content.file_type = "application/pdf"
        content.save()
    return content
