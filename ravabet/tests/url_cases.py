"""The platform's own rows of the URL × role matrix (see ravabet/tests/test_url_matrix.py).
Every app lists its URL names the same way in `ravabet/<app>/tests/url_cases.py`."""

from ravabet.testing import Case, hq_only, post_only, public, unit_record


def _person(world):
    from ravabet.offices.models import Person

    return {"pk": Person.objects.filter(unit=world.county_a).first().pk}


def _closure(world):
    import datetime

    from ravabet.offices.models import Closure

    return {"pk": Closure.objects.create(date=datetime.date(2026, 12, 30), title="برف").pk}


def _news_step(world):
    from ravabet.news.tests.helpers import make_news

    return {"label": "news.news", "pk": make_news(world).pk, "name": "publish"}


CASES = {
    "home": Case(anon=302, staff=200),
    "public_home": public(),
    "health": public(),
    "login": Case(anon=200, hq_head=302, hq_expert=302, manager=302, officer=302, staff=302, outsider=302),
    "logout": post_only(anon=405),
    "password_change": Case(staff=200),
    "password_change_done": Case(staff=200),
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": public(),
    "offices:switch_unit": post_only(anon=302),
    "offices:staff_list": Case(staff=403),
    "offices:staff_create": Case(staff=403),
    "offices:staff_edit": unit_record(_person),
    "offices:staff_archive": post_only(_person),
    "offices:unit_list": hq_only(),
    "offices:closures": hq_only(),
    "offices:closure_delete": post_only(_closure),
    "outbox:notices": Case(staff=200),
    "outbox:notices_read": post_only(),
    "outbox:sms_setting": post_only(),
    # A step the record's state does not allow: 403 with the reason for whoever has a part in news, 404 outside.
    "workflow:transition": Case(kwargs=_news_step, hq_head=403, hq_expert=403, manager=403, officer=403, staff=404,
                                outsider=404),
    "compliance:catalog": Case(staff=200),
}
CASES["compliance:scorecard"] = Case(manager=302, officer=302, outsider=302, staff=403, query="?month=1405-09")
CASES["offices:two_factor"] = Case(staff=200)
