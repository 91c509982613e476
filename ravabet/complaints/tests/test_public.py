import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ravabet.audit.models import ActionLog
from ravabet.complaints.models import Case, State
from ravabet.complaints.tracking import group
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.idempotency import new_token
from ravabet.outbox.models import OutboxMessage
from ravabet.workflow.engine import move

from .factories import make_case
from .helpers import jpeg, public_data

pytestmark = pytest.mark.django_db
NEW = reverse("complaints:public_new")
TRACK = reverse("complaints:public_track")
CASE = reverse("complaints:public_case")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_a_citizen_files_with_a_photo_and_sees_the_code_that_also_goes_by_sms(client, world):
    response = client.post(NEW, {**public_data(world.county_a), "attachments": [jpeg()]})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.citizen_mobile == "09121234567" and case.attachments.get().content_type == "image/jpeg"
    page = client.get(response["Location"])
    assert to_persian_digits(case.display_code) in page.content.decode()
    assert OutboxMessage.objects.filter(body__contains=group(case.tracking_code)).exists()


def test_a_citizen_may_stay_anonymous(client, world):
    response = client.post(NEW, public_data(world.county_a, citizen_name="", citizen_mobile=""))
    assert response.status_code == 302
    assert Case.objects.get().has_personal_data is False


def _errors(response) -> str:
    """The page's text with the numbers' isolates (|bidi) taken out, so a message reads as one string."""
    assert response.status_code == 200
    return re.sub(r'<bdi dir="ltr">([^<]*)</bdi>', r"\1", response.content.decode())


def test_a_wrong_captcha_is_refused_in_persian_and_keeps_the_text(client, world):
    page = _errors(client.post(NEW, public_data(world.county_a, captcha_1="wrong")))
    assert "پاسخ پرسش امنیتی درست نیست" in page
    assert "چاله در جاده روستا" in page and not Case.objects.exists()


@pytest.mark.parametrize("wrong", [{"captcha_1": "۹۹۹۹"}, {"citizen_mobile": "۱۲۳"}])
def test_a_refused_form_uses_up_its_captcha_picture_though_its_claim_is_rolled_back(client, world, wrong):
    """One attempt per picture (django-simple-captcha): the form is validated inside create_once's transaction
    (lib.idempotency.Invalid), and that rollback must not give the picture back for another guess."""
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    data = public_data(world.county_a, **{"captcha_0": key, "captcha_1": answer, "submit_token": new_token(), **wrong})
    assert client.post(NEW, data).status_code == 200
    assert not CaptchaStore.objects.filter(hashkey=key).exists() and not Case.objects.exists()


def test_a_missing_captcha_is_refused(client, world):
    page = _errors(client.post(NEW, public_data(world.county_a, captcha_1="")))
    assert "پرسش امنیتی" in page and not Case.objects.exists()


def test_the_sixth_submission_in_a_minute_is_refused_and_keeps_what_was_typed(client, world):
    for _ in range(5):
        assert client.post(NEW, public_data(world.county_a)).status_code == 302
    page = _errors(client.post(NEW, public_data(world.county_a, subject="ششمین ارسال")))
    assert "بیش از ۵ بار" in page and "ششمین ارسال" in page
    assert Case.objects.count() == 5


def test_the_limit_holds_across_processes_and_is_shared_with_the_api(client, world, settings):
    """Issue 13 §3: the counter is lib.ratelimit's (the database here, Redis when configured), not a process's
    cache: another worker (its own empty cache, simulated by clearing it) still refuses the sixth, and the
    page and the API draw on one allowance per address."""
    from ravabet.lib.models import RateCounter

    assert "redis" not in settings.CACHES["default"]["BACKEND"].lower()
    for _ in range(3):
        assert client.post(NEW, public_data(world.county_a)).status_code == 302
    api = {"unit": world.county_a.pk, "kind": "complaint", "subject": "چاله", "text": "متن", "captcha_key": "k",
           "captcha_value": "x"}
    for _ in range(2):  # refused on its captcha, but counted
        assert client.post("/api/v1/public/complaints", api, content_type="application/json").status_code == 400
    assert RateCounter.objects.get().count == 5
    cache.clear()
    page = _errors(client.post(NEW, public_data(world.county_a, subject="ششمین ارسال")))
    assert "بیش از ۵ بار" in page and "ششمین ارسال" in page
    assert client.post("/api/v1/public/complaints", api, content_type="application/json").status_code == 429
    assert Case.objects.count() == 3


def test_another_address_is_not_limited_by_the_first(client, world):
    for _ in range(6):
        client.post(NEW, public_data(world.county_a))
    assert client.post(NEW, public_data(world.county_a), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_an_invalid_mobile_and_national_code_get_persian_messages(client, world):
    page = _errors(client.post(NEW, public_data(world.county_a, citizen_mobile="0912", citizen_national_code="1234567890")))
    assert "شماره همراه معتبر نیست" in page and "کد ملی معتبر نیست" in page
    assert 'value="0912"' in page


def test_twenty_thousand_characters_of_text_are_refused_and_kept(client, world):
    text = "الف" * 20_000
    page = _errors(client.post(NEW, public_data(world.county_a, text=text)))
    assert "حداکثر ۵٬۰۰۰ نویسه" in page and "اکنون ۶۰٬۰۰۰ نویسه" in page and text in page


def test_script_in_the_subject_is_refused_and_never_rendered_as_html(client, world):
    page = _errors(client.post(NEW, public_data(world.county_a, subject="<script>alert(1)</script>")))
    assert "HTML" in page and "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_bidi_override_characters_are_refused(client, world):
    page = _errors(client.post(NEW, public_data(world.county_a, subject="موضوع \u202eوارونه")))
    assert "نویسه‌های کنترلی جهت" in page and not Case.objects.exists()


def test_an_exe_renamed_jpg_is_refused_in_persian(client, world):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    page = _errors(client.post(NEW, {**public_data(world.county_a), "attachments": [fake]}))
    assert "پرونده‌ی مجاز نیست" in page and not Case.objects.exists()


def test_an_unknown_office_is_refused(client, world):
    page = _errors(client.post(NEW, public_data(world.county_a, unit=99999)))
    assert "این اداره در فهرست نیست" in page


def _track(client, code, mobile=""):
    return client.post(TRACK, {"code": code, "mobile": mobile})


def test_tracking_works_with_persian_digits_and_shows_state_and_answer(client, world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="ترمیم شد.")
    response = _track(client, to_persian_digits(case.display_code), "۰۹۱۲۱۲۳۴۵۶۷")
    assert response.status_code == 302
    page = client.get(CASE).content.decode()
    assert "ترمیم شد." in page and "پاسخ‌داده‌شده" in page


def test_numbers_and_links_in_the_citizens_text_keep_their_direction(client, world):
    """+98… and «۰۷۱-۴۳۳۳۰۰۰۰ و ۱۴۱» read in order inside Persian text; a link keeps its digits (issue 12 §9)."""
    text = "تماس با +989171234567 یا 071-43330000 و 141؛ خبر: www.rah-fars.ir/news?id=12&x=3"
    case = make_case(world.county_a, text=text)
    assert case.text == text  # stored as typed
    _track(client, case.tracking_code, "09121234567")
    page = client.get(CASE).content.decode()
    for run in ('<bdi dir="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi>', '<bdi dir="ltr">۰۷۱-۴۳۳۳۰۰۰۰</bdi>', '<bdi dir="ltr">۱۴۱</bdi>',
                '<bdi dir="ltr">www.rah-fars.ir/news?id=12&amp;x=3</bdi>'):
        assert run in page, run


def test_a_wrong_mobile_reveals_nothing_more_than_an_unknown_code(client, world):
    case = make_case(world.county_a)
    wrong_mobile = _errors(_track(client, case.tracking_code, "09350000000"))
    unknown = _errors(_track(client, "000000000000", "09121234567"))
    assert "پیدا نشد" in wrong_mobile and "پیدا نشد" in unknown
    assert case.subject not in wrong_mobile
    assert client.get(CASE).status_code == 302


def test_an_anonymous_case_is_tracked_with_the_code_alone(client, world):
    case = make_case(world.county_a, mobile="", citizen_name="")
    assert _track(client, case.tracking_code).status_code == 302


def test_the_citizen_rates_then_objects_which_reopens_the_case(client, world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="انجام شد.")
    _track(client, case.tracking_code, "09121234567")
    assert client.post(CASE, {"action": "rate", "rating": "4", "resolution": "partly"}).status_code == 302
    assert case.answers.get().rating == 4
    assert client.post(CASE, {"action": "object", "objection": "هنوز انجام نشده."}).status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.REOPENED
    assert case.answers.get().rating == 4


def test_a_rating_out_of_range_gets_a_persian_message(client, world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="انجام شد.")
    _track(client, case.tracking_code, "09121234567")
    page = _errors(client.post(CASE, {"action": "rate", "rating": "9"}))
    assert "رضایت باید عددی از ۱ تا ۵ باشد" in page


def test_an_empty_objection_is_refused_and_the_case_stays_answered(client, world):
    case = make_case(world.county_a)
    move(case, "answer", by=world.officer, answer="انجام شد.")
    _track(client, case.tracking_code, "09121234567")
    page = _errors(client.post(CASE, {"action": "object", "objection": ""}))
    assert "این بخش را پر کنید" in page
    assert Case.objects.get(pk=case.pk).state == State.ANSWERED


def test_tracking_lookups_are_rate_limited(client, world):
    for _ in range(10):
        _track(client, "000000000000")
    assert "بیش از اندازه" in _errors(_track(client, "000000000000"))


def test_the_text_box_has_no_maxlength_so_a_long_paste_is_not_cut_silently(client, world):
    page = client.get(NEW).content.decode()
    textarea = page[page.index('<textarea name="text"'):].split(">")[0]
    assert "maxlength" not in textarea


def test_behind_a_proxy_the_limit_counts_the_address_in_the_configured_header(client, world, settings):
    settings.RAVABET_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(5):
        assert client.post(NEW, public_data(world.county_a), HTTP_X_REAL_IP="5.6.7.8").status_code == 302
    assert "بیش از ۵ بار" in _errors(client.post(NEW, public_data(world.county_a), HTTP_X_REAL_IP="5.6.7.8"))
    # Another citizen behind the same proxy (same REMOTE_ADDR) still gets through.
    assert client.post(NEW, public_data(world.county_a), HTTP_X_REAL_IP="5.6.7.9").status_code == 302
    entry = ActionLog.objects.filter(action="complaints.received").order_by("-pk").first()
    assert entry.ip_address == "5.6.7.9"


def test_a_forwarded_for_chain_counts_its_last_address_and_junk_falls_back_to_remote_addr(client, world, settings):
    from django.test import RequestFactory

    from ravabet.complaints.views import client_ip

    settings.RAVABET_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 9.9.9.9", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "9.9.9.9"
    assert client_ip(RequestFactory().get("/", HTTP_X_FORWARDED_FOR="nonsense", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None


def test_without_the_setting_a_client_cannot_escape_the_limit_with_a_made_up_header(client, world):
    for n in range(5):
        client.post(NEW, public_data(world.county_a), HTTP_X_REAL_IP=f"5.6.7.{n}")
    page = _errors(client.post(NEW, public_data(world.county_a), HTTP_X_REAL_IP="5.6.7.99"))
    assert "بیش از ۵ بار" in page


def test_the_sms_keeps_the_code_groups_in_order_and_links_to_tracking_with_the_code(client, world, settings):
    settings.SITE_URL = "https://ravabet.example.ir"
    client.post(NEW, public_data(world.county_a))
    case = Case.objects.get()
    body = OutboxMessage.objects.get(recipient="09121234567").body
    assert "\u200e" + group(case.tracking_code) in body
    assert f"https://ravabet.example.ir/t/{case.tracking_code}" in body
    # The short link opens the tracking page with the code filled in.
    assert client.get(f"/t/{case.tracking_code}").url == f"{TRACK}?code={case.tracking_code}"


def test_the_submitted_page_says_what_to_do_next_and_links_tracking_with_the_code(client, world):
    client.post(NEW, public_data(world.county_a))
    case = Case.objects.get()
    page = client.get(reverse("complaints:public_done")).content.decode()
    assert f'data-copy="{case.display_code}"' in page and "رونوشت کد" in page
    assert "گام بعدی چیست؟" in page and f"{TRACK}?code={case.tracking_code}" in page
    assert 'id="sms-note"' in page and "complaints/public.js" in page


def test_an_anonymous_citizen_is_told_to_write_the_code_down(client, world):
    client.post(NEW, public_data(world.county_a, citizen_name="", citizen_mobile=""))
    page = client.get(reverse("complaints:public_done")).content.decode()
    assert 'id="no-sms-note"' in page and "یادداشت کنید" in page


def test_the_tracking_link_fills_the_code_in_persian_digits_and_focuses_the_mobile(client, world):
    page = client.get(TRACK, {"code": "123456789012"}).content.decode()
    assert 'value="۱۲۳۴-۵۶۷۸-۹۰۱۲"' in page
    mobile = page[page.index('name="mobile"'):].split(">")[0]
    assert "autofocus" in mobile
    assert 'value="' not in client.get(TRACK, {"code": "12<script>"}).content.decode().split('name="code"')[1].split(">")[0]


def test_the_case_page_explains_the_state_and_shows_what_the_citizen_wrote(client, world):
    case = make_case(world.county_a)
    _track(client, case.tracking_code, "09121234567")
    page = client.get(CASE).content.decode()
    # Numbers in the text are isolated (<bdi dir="ltr">۱۲</bdi>, issue 12 §9); the words read as written.
    assert "به‌زودی به کارشناس مربوط سپرده می‌شود" in page and case.text in re.sub(r"</?bdi[^>]*>", "", page)
    move(case, "answer", by=world.officer, answer="انجام شد.")
    page = client.get(CASE).content.decode()
    assert "کاملاً راضی" in page and "ناراضی" in page and 'class="btn-check"' in page
    assert "پرونده دوباره باز می‌شود" in page


def test_a_refused_form_says_so_at_the_top_and_asks_for_the_attachments_again(client, world):
    page = _errors(client.post(NEW, {**public_data(world.county_a, subject=""), "attachments": [jpeg()]}))
    assert 'id="form-problems"' in page and "هنوز ثبت نشده است" in page and 'id="files-dropped"' in page
    assert page.index('id="form-problems"') < page.index('name="subject"')


def test_the_captcha_has_a_persian_description_and_a_new_picture_button(client, world):
    page = client.get(NEW).content.decode()
    assert 'alt="تصویر پرسش امنیتی' in page and 'alt="captcha"' not in page
    assert f'data-url="{reverse("captcha-refresh")}"' in page and "تصویر دیگر" in page
    assert "complaints/public.js" in page


def test_with_the_pool_a_plain_get_of_the_form_writes_no_captcha_and_the_refill_keeps_it_full(
        client, world, monkeypatch):
    import datetime as dt

    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore
    from django.utils import timezone

    from ravabet.complaints.tasks import refill_captcha_pool_now

    # django-simple-captcha reads its settings once at import: the pool is switched on where it reads them.
    monkeypatch.setattr(captcha_settings, "CAPTCHA_GET_FROM_POOL", True)
    assert refill_captcha_pool_now(size=5) == 5
    assert refill_captcha_pool_now(size=5) == 0
    pool = set(CaptchaStore.objects.values_list("hashkey", flat=True))
    for _ in range(3):
        page = client.get(NEW).content.decode()
        assert re.search(r'name="captcha_0"[^>]*value="(\w+)"', page).group(1) in pool
    assert CaptchaStore.objects.count() == 5
    # Captchas about to expire are not counted as the pool; expired ones are deleted.
    CaptchaStore.objects.filter(hashkey__in=list(pool)[:2]).update(expiration=timezone.now() - dt.timedelta(minutes=1))
    assert refill_captcha_pool_now(size=5) == 2 and CaptchaStore.objects.count() == 5
