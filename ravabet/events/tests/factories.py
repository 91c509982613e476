"""Records of the events part for tests, owned by county A unless told otherwise."""

import datetime as dt

from django.utils import timezone

from ravabet.offices.models import Unit

from ..models import Event, Guest, RunSheetItem, RunSheetKind, SupplyItem, SupplyLoan


def make_event(unit: Unit, title: str = "آیین بهره‌برداری از پل روستایی", days: int = 3,
               state: str = "planned") -> Event:
    event = Event.objects.create(unit=unit, title=title, venue="سالن اجتماعات اداره", state=state,
                                 starts_at=timezone.now() + dt.timedelta(days=days))
    RunSheetItem.objects.bulk_create([RunSheetItem(event=event, kind=k, order=n)
                                      for n, k in enumerate(RunSheetKind.values, start=1)])
    return event


def make_guest(event: Event, name: str = "دکتر علی رضایی", mobile: str = "09121234567", **kwargs) -> Guest:
    return Guest.objects.create(event=event, name=name, title="فرماندار", mobile=mobile, **kwargs)


def make_supply(unit: Unit, name: str = "قیچی تشریفات", quantity: int = 3, min_quantity: int = 1) -> SupplyItem:
    return SupplyItem.objects.create(unit=unit, name=name, quantity=quantity, min_quantity=min_quantity)


def make_loan(unit: Unit) -> SupplyLoan:
    return SupplyLoan.objects.create(item=make_supply(unit), quantity=1)
