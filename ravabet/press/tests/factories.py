"""Records of the press part for tests, built directly (not through services) so tests choose the state."""

import datetime as dt

from django.utils import timezone

from ravabet.press.models import (
    ContactLog,
    Journalist,
    JournalistVisit,
    Keyword,
    MediaRequest,
    Outlet,
    OutletKind,
    Party,
    PressItem,
    PressSource,
    RequestKind,
)


def make_outlet(unit, name="روزنامه خبر جنوب", **fields) -> Outlet:
    from ravabet.lib.text import search_key

    return Outlet.objects.create(unit=unit, name=name, name_key=search_key(name),
                                 kind=fields.pop("kind", OutletKind.NEWSPAPER), **fields)


def make_journalist(unit, full_name="سارا محمدی", **fields) -> Journalist:
    return Journalist.objects.create(unit=unit, full_name=full_name, mobile=fields.pop("mobile", "09171110001"),
                                     **fields)


def _user(unit):
    from ravabet.offices.models import Membership

    return Membership.objects.filter(unit=unit).order_by("pk").first().user


def make_request(unit, subject="مصاحبه رئیس اداره", **fields) -> MediaRequest:
    fields.setdefault("created_by", _user(unit))
    fields.setdefault("proposed_at", timezone.now() + dt.timedelta(days=2))
    return MediaRequest.objects.create(unit=unit, kind=fields.pop("kind", RequestKind.INTERVIEW), subject=subject,
                                       submitted_at=timezone.now(), **fields)


def make_visit(unit, **fields) -> JournalistVisit:
    fields.setdefault("recorded_by", _user(unit))
    return JournalistVisit.objects.create(unit=unit, journalist_name=fields.pop("journalist_name", "سارا محمدی"),
                                          arrived_at=fields.pop("arrived_at", timezone.now()),
                                          purpose=fields.pop("purpose", "گزارش جاده"), **fields)


def make_contact(unit, **fields) -> ContactLog:
    fields.setdefault("recorded_by", _user(unit))
    return ContactLog.objects.create(unit=unit, contacted_at=timezone.now(), party=Party.LOCAL_OFFICE,
                                     party_name=fields.pop("party_name", "فرمانداری"),
                                     subject=fields.pop("subject", "هماهنگی"), **fields)


def make_source(unit, url="https://example.ir/rss.xml", **fields) -> PressSource:
    return PressSource.objects.create(unit=unit, name=fields.pop("name", "خبر جنوب"), url=url, **fields)


def make_keyword(unit, text="جاده") -> Keyword:
    from ravabet.lib.text import search_key

    return Keyword.objects.create(unit=unit, text=text, key=search_key(text))


def make_item(unit, number=1, source=None, **fields) -> PressItem:
    source = source or PressSource.objects.filter(unit=unit).first() or make_source(unit)
    return PressItem.objects.create(unit=unit, source=source, title=fields.pop("title", f"گلایه از جاده {number}"),
                                    link=f"https://example.ir/news/{unit.pk}/{number}", matched="جاده", **fields)
