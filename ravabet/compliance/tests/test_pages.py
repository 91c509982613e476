"""The evaluation pages (issue 10 §2-7): HQ's page, drill-down, marks, weights, closing, exports."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ravabet.audit.models import ActionLog
from ravabet.compliance.board import invalidate
from ravabet.compliance.evaluation import Period
from ravabet.compliance.models import FrozenPeriod, QualityMark, WeightSet
from ravabet.outbox.models import Notification
from ravabet.planning.models import MeetingKind
from ravabet.planning.tests.factories import make_meeting
from ravabet.reports.models import UnitReport

pytestmark = pytest.mark.django_db
URL = "/instruction/scorecard/"


def _csrf(page: str) -> str:
    """The page's CSRF token (each response carries its own)."""
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_hq_sees_ranking_heat_map_and_trend_with_a_constant_number_of_queries(world, client_for,
                                                                               django_assert_max_num_queries):
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
    client = client_for("hq_head")
    client.get(URL)
    invalidate()  # the board scored again: the queries of a scoring, not of a cached page
    with django_assert_max_num_queries(420):  # 6 trend periods × (36 measures + a few): not per unit or record
        page = client.get(URL).content.decode()
    with django_assert_max_num_queries(12):  # the cached board and its drawn fragment: session, user, units, nav
        again = client.get(URL).content.decode()
    assert again.replace(_csrf(again), "") == page.replace(_csrf(page), "")
    assert 'id="heat-map"' in page and 'id="trend-chart"' in page and "evaluation-chart-data" in page
    assert "{#" not in page and "{%" not in page  # no template comment or tag printed as text
    assert page.index("اداره شهرستان الف") < page.index("اداره شهرستان ب")
    assert reverse("compliance:cell", args=[world.county_a.pk, "F1"]) in page


def test_the_evaluation_page_runs_the_same_queries_for_2_and_6_units_and_more_records(world, client_for):
    """Issue 10, Speed: grouped queries per measure — the page's count grows neither with units nor records."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ravabet.complaints.tests.factories import make_case
    from ravabet.events.tests.factories import make_event, make_guest
    from ravabet.offices.models import Unit

    client = client_for("hq_head")
    client.get(URL)  # warms the content-type and holiday caches
    invalidate()  # each measured request scores the board anew
    with CaptureQueriesContext(connection) as two:
        assert client.get(URL).status_code == 200
    earlier = timezone.now() - dt.timedelta(minutes=5)
    for index in range(4):
        unit = Unit.objects.create(code=f"c{index}", name=f"اداره شهرستان {index}", city="شهر", parent=world.hq)
        for unit_ in (unit, world.county_a):
            make_meeting(unit_, kind=MeetingKind.COORDINATION, when=earlier)
            make_guest(make_event(unit_, days=-1, state="held"), invited_at=earlier)
            make_case(unit_, mobile=f"0912765{index:04d}")
    client.get(URL)  # the new units changed the kept units and roles (offices.kept): read them again first
    invalidate()
    with CaptureQueriesContext(connection) as six:
        page = client.get(URL).content.decode()
    assert "اداره شهرستان ۳" in page or "اداره شهرستان 3" in page
    assert len(six) == len(two), [q["sql"][:120] for q in six.captured_queries[len(two):]]


def test_the_board_is_shared_until_it_is_stale_refreshed_or_a_mark_changes_it(world, client_for, settings):
    """Issue 10 speed: the scores are worked out once and served to every viewer until they go stale
    (COMPLIANCE_LIVE_SECONDS), someone presses «محاسبه دوباره», or a quality mark moves them."""
    from ravabet.compliance.board import board
    from ravabet.compliance.views import _county_units

    period = Period.current_month()
    when = timezone.now() - dt.timedelta(minutes=5)
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=when)

    def f1() -> float:
        return board(period, list(_county_units())).result.row_for(world.county_a.pk).cells["F1"].value

    assert f1() == 1
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=when)
    assert f1() == 1  # served from the board scored a moment ago
    page = client_for("hq_head").get(URL).content.decode()
    assert "محاسبه شده‌اند" in page and "محاسبه دوباره" in page
    response = client_for("hq_head").post(reverse("compliance:refresh"), {"period": period.key})
    assert response.status_code == 302 and response["Location"].startswith(URL)
    assert f1() == 2
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=when)
    assert f1() == 2
    import time
    from unittest import mock

    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 301):
        assert f1() == 3  # five minutes on, the board is stale and scored again
    settings.COMPLIANCE_LIVE_SECONDS = 0  # nothing kept: every request scores anew
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=when)
    assert f1() == 4


def test_each_process_serves_the_drawn_board_it_holds_until_the_board_goes_stale(world, client_for):
    """A worker keeps the HQ board it drew or read (compliance.board._near) and serves it again without
    reading the shared cache's copy; another worker (its copies forgotten) reads the shared one; when the
    board's live time is over, the part is drawn again from a new scoring, in every worker."""
    import time
    from unittest import mock

    from ravabet.compliance import board as boards

    hq = client_for("hq_head")
    read: list[str] = []
    get = boards.cache.get

    def spy(key, *args, **kwargs):
        read.append(key)
        return get(key, *args, **kwargs)

    drawn = hq.get(URL).content.decode()
    with mock.patch.object(boards.cache, "get", side_effect=spy):
        again = hq.get(URL).content.decode()
        assert not [key for key in read if key.endswith(":hq")]  # served from this process's copy
        boards.forget_near()
        hq.get(URL)
        assert [key for key in read if key.endswith(":hq")]  # another worker reads the shared copy
    assert again.replace(_csrf(again), "") == drawn.replace(_csrf(drawn), "")
    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
    with mock.patch.object(boards, "score", wraps=boards.score) as scored, \
            mock.patch("django.core.cache.backends.locmem.time.time", return_value=time.time() + 301):
        hq.get(URL)
    assert scored.call_count == 1  # the held copy went stale with its board: scored and drawn again


def test_a_refresh_of_a_malformed_period_says_so_and_the_box_shows_persian_digits(client_for):
    hq = client_for("hq_head")
    response = hq.post(reverse("compliance:refresh"), {"period": "1405-13"}, follow=True)
    page = response.content.decode()
    assert "دوباره محاسبه شد" not in page and "امتیازهای ماه جاری نشان داده می‌شود" in page
    shown = hq.get(URL, {"period": "1405-08"}).content.decode()
    assert 'value="۱۴۰۵-۰۸"' in shown


def test_a_unit_refreshes_its_own_view_and_staff_may_not_refresh(world, client_for):
    period = Period.current_month()
    officer = client_for("officer")
    response = officer.post(reverse("compliance:refresh"), {"period": period.key, "page": "mine"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("compliance:mine"))
    mine = officer.get(response["Location"]).content.decode()
    assert 'name="page" value="mine"' in mine and "دوباره محاسبه شد" in mine
    assert "{#" not in mine and "{%" not in mine
    assert client_for("staff").post(reverse("compliance:refresh"), {"period": period.key}).status_code == 403
    assert client_for("anon").post(reverse("compliance:refresh"), {"period": period.key}).status_code == 302


def test_a_quality_mark_or_new_weights_make_the_board_stale_at_once(world):
    from ravabet.compliance.board import board, board_key
    from ravabet.compliance.views import _county_units

    period, units = Period.current_month(), list(_county_units())
    board(period, units)
    before = board_key(period, units)
    report = UnitReport.objects.create(unit=world.county_a, kind="problem", subject="کمبود آب",
                                       state="sent", sent_at=timezone.now(), created_by=world.users["officer"])
    QualityMark.objects.create(content_type=ContentType.objects.get_for_model(UnitReport), object_id=report.pk,
                               unit=world.county_a, item="B4", mark=2, marked_by=world.users["hq_head"])
    assert board_key(period, units) != before
    moved = board_key(period, units)
    world.county_a.name = "اداره شهرستان الف نو"
    world.county_a.save()
    assert board_key(period, list(_county_units())) != moved


def test_the_scheduled_warming_scores_this_month_and_the_last_where_the_cache_is_shared(world, monkeypatch,
                                                                                         django_assert_num_queries):
    from ravabet.compliance import tasks
    from ravabet.compliance.board import board
    from ravabet.compliance.views import _county_units

    assert tasks.warm_evaluation_boards.call() == []  # the tests' cache is this process's memory
    assert not tasks.shared_cache("django.core.cache.backends.locmem.LocMemCache")
    assert tasks.shared_cache("django.core.cache.backends.redis.RedisCache")
    monkeypatch.setattr(tasks, "shared_cache", lambda backend: True)
    month = Period.current_month()
    assert tasks.warm_evaluation_boards.call() == [month.key, month.previous().key]
    units = list(_county_units())
    with django_assert_num_queries(0):  # both boards are read from the cache, not scored
        board(month, units), board(month.previous(), units)


def test_a_units_items_are_fetched_when_opened_on_a_phone_and_shown_as_a_page_without_script(world, client_for):
    hq = client_for("hq_head")
    page = hq.get(URL).content.decode()
    url = reverse("compliance:unit_rows", args=[world.county_a.pk])
    item = '<li class="list-group-item d-flex justify-content-between'
    assert f'data-hx-get="{url}?period=' in page and item not in page  # not sent with the page
    fragment = hq.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.count(item) == 36 and "<html" not in fragment
    assert reverse("compliance:cell", args=[world.county_a.pk, "F1"]) in fragment
    whole = hq.get(url).content.decode()
    assert whole.count(item) == 36 and "<html" in whole and "بازگشت به ارزیابی واحدها" in whole
    assert hq.get(reverse("compliance:unit_rows", args=[987654])).status_code == 404
    assert client_for("officer").get(url).status_code == 403


def test_a_future_period_gets_a_persian_message_and_the_typed_text_is_kept(client_for):
    page = client_for("hq_head").get(URL, {"period": "۱۴۹۹-۰۲"}).content.decode()
    assert "آینده" in page and 'value="۱۴۹۹-۰۲"' in page


def test_the_drill_down_lists_the_counted_records_and_the_days_without_news(world, client_for):
    meeting = make_meeting(world.county_a, kind=MeetingKind.COORDINATION,
                           when=timezone.now() - dt.timedelta(minutes=5))
    page = client_for("officer").get(reverse("compliance:cell", args=[world.county_a.pk, "F1"])).content.decode()
    assert meeting.title in page
    b5 = client_for("hq_head").get(reverse("compliance:cell", args=[world.county_a.pk, "B5"])).content.decode()
    assert "شاهدی در این دوره شمرده نشده است" in b5
    assert client_for("outsider").get(reverse("compliance:cell", args=[world.county_a.pk, "F1"])).status_code == 404


def test_hq_marks_evidence_and_a_mark_outside_1_to_5_is_refused(world, client_for):
    report = UnitReport.objects.create(unit=world.county_a, kind="problem", subject="کمبود آب آشامیدنی",
                                       state="sent", sent_at=timezone.now() - dt.timedelta(minutes=5),
                                       created_by=world.users["officer"])
    url = reverse("compliance:mark", args=[world.county_a.pk, "B4", report.pk])
    client = client_for("hq_expert")
    bad = client.post(url, {"mark": "۹", "comment": "خوب است"})
    page = bad.content.decode()
    assert bad.status_code == 400 and not QualityMark.objects.exists()
    assert "نمره کیفیت باید از ۱ تا ۵ باشد." in page and 'value="۹"' in page and 'value="خوب است"' in page
    client.post(url, {"mark": "۲", "comment": "بدون عکس"})
    assert QualityMark.objects.get().mark == 2
    mine = client_for("officer").get(reverse("compliance:cell", args=[world.county_a.pk, "B4"])).content.decode()
    assert "بدون عکس" in mine
    assert client_for("officer").post(url, {"mark": "5"}).status_code == 403


def test_weights_must_sum_to_100_and_negative_targets_are_refused(client_for):
    client = client_for("hq_head")
    form = client.get(reverse("compliance:weights")).context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data["valid_from"] = "۱۴۰۴/۰۱/۰۱"
    data["w_A1"] = "50"
    data["t_B5"] = "-2"
    page = client.post(reverse("compliance:weights"), data).content.decode()
    assert "جمع وزن‌ها باید ۱۰۰ باشد" in page and "هدف منفی پذیرفته نیست." in page and not WeightSet.objects.exists()
    data["w_A1"] = str(form["w_A1"].value())
    data["t_B5"] = "1"
    assert client.post(reverse("compliance:weights"), data).status_code == 302
    assert WeightSet.objects.get().weights.count() == 36


def test_closing_a_period_stores_it_tells_managers_and_recompute_is_logged(world, client_for):
    period = Period.current_month().previous()
    client = client_for("hq_head")
    client.post(reverse("compliance:close"), {"period": period.key})
    assert FrozenPeriod.objects.filter(key=period.key).exists()
    assert Notification.objects.filter(user=world.users["manager"], title__contains="رتبه").exists()
    client.post(reverse("compliance:close"), {"period": period.key, "recompute": "1"})
    assert ActionLog.objects.filter(action="compliance.recomputed").count() == 1
    refused = client.post(reverse("compliance:close"), {"period": Period.current_month().key}, follow=True)
    assert "هنوز تمام نشده" in refused.content.decode()


def test_units_see_their_own_score_rank_and_what_would_raise_it(world, client_for):
    response = client_for("officer").get(URL)
    assert response.status_code == 302
    page = client_for("officer").get(response.url).content.decode()
    assert "رتبه در میان ۲ واحد" in page and 'id="gains"' in page


def test_excel_has_a_ranking_sheet_and_a_unit_by_item_sheet(client_for):
    response = client_for("hq_head").get(URL, {"export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["رتبه‌بندی", "واحد × بند"]
    assert book["واحد × بند"].max_column == 38
    headers = [cell.value for cell in book["واحد × بند"][1]]
    assert "ب-۵" in headers and "B5" not in headers  # items in the instruction's notation (issue 12 §5)


def test_the_pdf_report_renders(client_for):
    response = client_for("hq_head").get(URL, {"export": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_the_pdf_has_cover_ranking_heat_map_and_a_page_per_unit_with_its_trend(world, client_for):
    """Issue 10 §7. The heat map's coloured cells and each unit's trend bars are PNG strips drawn once
    (compliance.charts); unit names, item labels and period names stay text (shaped right to left)."""
    from ravabet.lib.instruction import item_short
    from ravabet.testing import pdf_fonts, pdf_image_count, pdf_pages, pdf_text

    make_meeting(world.county_a, kind=MeetingKind.COORDINATION, when=timezone.now() - dt.timedelta(minutes=5))
    content = client_for("hq_head").get(URL, {"export": "pdf"}).content
    units = 2  # the world's two counties
    assert len(pdf_pages(content)) == 3 + units
    assert pdf_image_count(content) >= units + units  # a heat-map strip and a trend chart per unit
    heat = pdf_text(content, pages=range(2, 3))
    assert world.county_a.name in heat and world.county_b.name in heat
    # The 36 item labels as text (PDFium gives «و۱-» for «و-۱»: visual order of a label that mixes directions).
    assert heat.count("-") == 36 and all(item_short(code).split("-")[0] in heat for code in ("A1", "F7"))
    unit_page = pdf_text(content, pages=range(3, 5))
    assert Period.current_month().label in unit_page and "آنچه کم دارد" in unit_page
    assert all("Vazirmatn" in font for font in pdf_fonts(content))


def test_the_heat_strip_colours_each_cell_by_level_right_to_left():
    import base64
    import io

    from PIL import Image

    from ravabet.compliance.charts import COLOURS, heat_strip

    uri = heat_strip([("a4", 100), ("a0", 0), ("a2", 40)], cell=40, height=20)
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    assert image.size == (121, 20)
    hex_at = lambda x: "#{:02x}{:02x}{:02x}".format(*image.getpixel((x, 3)))  # noqa: E731
    # The first item is on the right, as in the right-to-left header above the strip.
    assert (hex_at(115), hex_at(75), hex_at(5)) == (COLOURS["a4"], COLOURS["a0"], COLOURS["a2"])
