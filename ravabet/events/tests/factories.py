"""Records of the events part for tests, owned by county A unless told otherwise."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.offices.models import Unit

from ..models import (
    Activity,
    ActivityKind,
    Assignment,
    Event,
    Guest,
    Occasion,
    OccasionContent,
    RunSheetItem,
    RunSheetKind,
    SupplyItem,
    SupplyLoan,
    Task,
)

PDF = b"%PDF-1.4 test"


def make_task(*units: Unit, title: str = "تهیه گزارش تصویری هفته دولت", days: int = 5) -> Task:
    task = Task.objects.create(title=title, description="گزارش با عکس بفرستید.",
                               due_date=jalali.today() + dt.timedelta(days=days))
    for unit in units:
        Assignment.objects.create(task=task, unit=unit)
    return task


def make_assignment(unit: Unit, **kwargs) -> Assignment:
    return make_task(unit, **kwargs).assignments.get()


def make_event(unit: Unit, title: str = "آیین بهره‌برداری از پل روستایی", days: int = 3) -> Event:
    event = Event.objects.create(unit=unit, title=title, venue="سالن اجتماعات اداره",
                                 starts_at=timezone.now() + dt.timedelta(days=days))
    RunSheetItem.objects.bulk_create([RunSheetItem(event=event, kind=k) for k in RunSheetKind.values])
    return event


def make_guest(event: Event, name: str = "دکتر علی رضایی", mobile: str = "09121234567") -> Guest:
    return Guest.objects.create(event=event, name=name, title="فرماندار", mobile=mobile)


def make_supply(unit: Unit, name: str = "قیچی تشریفات", quantity: int = 3, min_quantity: int = 1) -> SupplyItem:
    return SupplyItem.objects.create(unit=unit, name=name, quantity=quantity, min_quantity=min_quantity)


def make_loan(unit: Unit) -> SupplyLoan:
    return SupplyLoan.objects.create(item=make_supply(unit), quantity=1)


def make_occasion(title: str = "دهه فجر", days: int = 10, **kwargs) -> Occasion:
    return Occasion.objects.create(title=title, date=jalali.today() + dt.timedelta(days=days), **kwargs)


def make_activity(unit: Unit, kind: str = ActivityKind.MARCH) -> Activity:
    return Activity.objects.create(unit=unit, kind=kind, title="راهپیمایی ۲۲ بهمن", date=jalali.today(),
                                   participants=25)


def make_content(unit: Unit, occasion: Occasion | None = None, with_file: bool = False) -> OccasionContent:
    content = OccasionContent.objects.create(unit=unit, occasion=occasion or make_occasion(),
                                             title="ویژه‌نامه دهه فجر", text="متن ویژه‌نامه")
    if with_file:
        content.file.save("c.pdf", SimpleUploadedFile("c.pdf", PDF), save=False)
        content.file_type = "application/pdf"
        content.save()
    return content
