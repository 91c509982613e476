"""E2 as real work (issue 15 §3): typed cultural and administrative-ethics programmes with evidence and
photos, a yearly target per unit that HQ sets, and HQ's view of every county against its target."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.occasions.models import Activity, ActivityFormat, CultureTarget
from ravabet.photos.imagegen import landscape

pytestmark = pytest.mark.django_db

def _today() -> str:
    return jalali.format_date(jalali.today(), persian=False)


def _year() -> int:
    return jalali.to_jalali(jalali.today()).year


def test_a_programme_is_recorded_with_its_format_evidence_and_photos(client_for, world):
    client = client_for("officer")
    response = client.post(reverse("occasions:activity_create"), {
        "kind": "culture", "format": ActivityFormat.BULLETIN, "title": "بولتن هفته وحدت", "date": _today(),
        "participants": "۰", "evidence": SimpleUploadedFile("bulletin.pdf", b"%PDF-1.4\n%test\n",
                                                           content_type="application/pdf"),
        "photos": [SimpleUploadedFile("board.jpg", landscape(5), content_type="image/jpeg")]})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.format == ActivityFormat.BULLETIN and activity.evidence_type == "application/pdf"
    assert activity.photos.get().unit == world.county_a  # through the unit's photo library
    evidence = client.get(reverse("occasions:activity_evidence", args=[activity.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")
    assert client_for("outsider").get(reverse("occasions:activity_evidence", args=[activity.pk])).status_code == 404


def test_a_programme_needs_its_format_and_a_bad_evidence_file_is_refused_keeping_what_was_typed(client_for, world):
    client = client_for("officer")
    url = reverse("occasions:activity_create")
    page = client.post(url, {"kind": "ethics", "title": "کارگاه تکریم ارباب رجوع", "date": _today(),
                             "participants": "12"}).content.decode()
    assert "قالب برنامه فرهنگی را برگزینید" in page and "کارگاه تکریم ارباب رجوع" in page
    page = client.post(url, {"kind": "ethics", "format": "workshop", "title": "کارگاه تکریم ارباب رجوع",
                             "date": _today(), "participants": "12",
                             "evidence": SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf")
                             }).content.decode()
    assert "کارگاه تکریم ارباب رجوع" in page and 'id="id_evidence"' in page
    assert not Activity.objects.exists()
    # A march is E1: no format needed.
    client.post(url, {"kind": "march", "title": "راهپیمایی ۲۲ بهمن", "date": _today(), "participants": "30"})
    assert Activity.objects.filter(kind="march", format="").exists()


def test_hq_sets_yearly_targets_and_sees_each_county_against_them(client_for, world, django_assert_max_num_queries):
    year = _year()
    for n in range(3):
        Activity.objects.create(unit=world.county_a, kind="culture", format="poster", title=f"پوستر {n}",
                                date=jalali.today())
    hq = client_for("hq_head")
    url = f"{reverse('occasions:culture')}?year={year}"
    response = hq.post(url, {f"t-{world.county_a.pk}-culture": "۳", f"t-{world.county_b.pk}-culture": "2",
                             f"t-{world.county_a.pk}-ethics": "1"})
    assert response.status_code == 302
    assert {(t.unit_id, t.kind, t.target) for t in CultureTarget.objects.filter(year=year)} == {
        (world.county_a.pk, "culture", 3), (world.county_b.pk, "culture", 2), (world.county_a.pk, "ethics", 1)}
    hq.get(url)
    with django_assert_max_num_queries(14):
        rows = hq.get(url).context["rows"]
    by_unit = {r["unit"].pk: {c["kind"].value: c for c in r["cells"]} for r in rows}
    culture_a = by_unit[world.county_a.pk]["culture"]
    assert (culture_a["held"], culture_a["target"], culture_a["met"]) == (3, 3, True)
    assert not by_unit[world.county_a.pk]["ethics"]["met"] and by_unit[world.county_b.pk]["culture"]["held"] == 0
    # Clearing a box removes the target; a bad value is refused with a Persian message.
    hq.post(url, {f"t-{world.county_a.pk}-culture": "3", f"t-{world.county_b.pk}-culture": "",
                  f"t-{world.county_a.pk}-ethics": "1"})
    assert not CultureTarget.objects.filter(unit=world.county_b).exists()
    bad = hq.post(url, {f"t-{world.county_a.pk}-culture": "-1"})
    assert bad.status_code == 200 and "نمی‌تواند منفی باشد" in bad.content.decode()


def test_a_county_sees_its_own_targets_and_cannot_set_them(client_for, world):
    CultureTarget.objects.create(unit=world.county_a, year=_year(), kind="culture", target=4)
    CultureTarget.objects.create(unit=world.county_b, year=_year(), kind="culture", target=9)
    officer = client_for("officer")
    response = officer.get(reverse("occasions:culture"))
    page = response.content.decode()
    assert world.county_a.name in page and world.county_b.name not in page
    assert response.context["form"] is None and [c["target"] for c in response.context["rows"][0]["cells"]] == [4, None]
    assert to_persian_digits(4) in page
    assert officer.post(reverse("occasions:culture"), {f"t-{world.county_a.pk}-culture": "40"}).status_code == 403
    assert CultureTarget.objects.get(unit=world.county_a).target == 4


def test_the_e2_score_measures_each_kind_against_hqs_yearly_target_pro_rated_to_the_period(world):
    """Issue 15 §3: E2 in HQ's evaluation reads HQ's yearly target per unit and kind, a twelfth of it for
    each month of the period; each kind counts up to its own target (culture beyond its target does not make
    up for missing ethics); a unit HQ set no target for keeps the item's common target (1 a month)."""
    import datetime as dt

    from ravabet.compliance.evaluation import Period, compute

    period = Period("quarter", 1404, 2)  # Tir-Shahrivar 1404: three months
    today = period.end + dt.timedelta(days=5)
    day = period.start + dt.timedelta(days=10)
    for kind, target in (("culture", 12), ("ethics", 12)):  # yearly: 3 of each in the quarter
        CultureTarget.objects.create(unit=world.county_a, year=1404, kind=kind, target=target)
    CultureTarget.objects.create(unit=world.county_a, year=1403, kind="ethics", target=120)  # another year

    def held(unit, kind, n):
        Activity.objects.bulk_create(Activity(unit=unit, kind=kind, title=f"{kind} {i}", date=day,
                                              format=ActivityFormat.SESSION) for i in range(n))

    def cell(unit):
        return compute(period, [world.county_a, world.county_b], today=today).row_for(unit.pk).cells["E2"]

    held(world.county_a, "culture", 5)
    a = cell(world.county_a)
    assert (a.value, a.target, a.attainment) == (3.0, 6.0, 50.0)  # 5 culture count as 3, no ethics
    held(world.county_a, "ethics", 2)
    a = cell(world.county_a)
    assert (a.value, a.target) == (5.0, 6.0) and a.attainment == pytest.approx(83.33, abs=0.01)
    held(world.county_a, "ethics", 1)
    assert cell(world.county_a).attainment == 100.0
    # County B has no target from HQ: the common one, 1 a month, for both kinds together.
    held(world.county_b, "culture", 2)
    b = cell(world.county_b)
    assert (b.value, b.target) == (2.0, 3.0) and b.attainment == pytest.approx(66.67, abs=0.01)
    # Halfway through the quarter only the months begun so far are due.
    early = compute(period, [world.county_a], today=period.start + dt.timedelta(days=20))
    assert early.row_for(world.county_a.pk).cells["E2"].target == 2.0  # a twelfth of 12, for each kind
