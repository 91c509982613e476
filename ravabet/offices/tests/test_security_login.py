"""Issue 13, points 1 and 4: two-step login enforced (admin, HQ enrolment, lockout) and session limits."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.audit.models import ActionLog
from ravabet.offices.session_limits import SEEN_KEY, STARTED_KEY
from ravabet.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def _code(device, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _staff(user):
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_admin_login_with_the_password_alone_is_refused_for_an_account_with_a_device(world, client):
    _device(_staff(world.hq_expert))
    response = client.post("/admin/login/?next=/admin/", {"username": "hq_expert", "password": PASSWORD,
                                                           "next": "/admin/"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_login_without_any_device_is_refused_with_a_persian_message(world, client):
    _staff(world.hq_expert)
    response = client.post("/admin/login/", {"username": "hq_expert", "password": PASSWORD, "otp_token": "123456"})
    assert "بی ورود دومرحله‌ای ممکن نیست" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_staff_session_without_a_code_does_not_reach_the_admin(world, client):
    _device(_staff(world.hq_expert))
    client.force_login(world.hq_expert)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/offices/user/").status_code == 302


def test_admin_login_with_password_and_code_reaches_the_admin_and_is_logged(world, client):
    device = _device(_staff(world.hq_expert))
    response = client.post("/admin/login/?next=/admin/", {"username": "hq_expert", "password": PASSWORD,
                                                           "otp_token": _code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    entry = ActionLog.objects.get(action="audit.admin_login")
    assert entry.actor == world.hq_expert and entry.ip_address == "127.0.0.1"


def test_wrong_codes_count_toward_the_lockout(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device = _device(world.hq_expert)
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "hq_expert", "password": PASSWORD,
                                                    "otp_token": "000000"})
    response = client.post("/accounts/login/", {"username": "hq_expert", "password": PASSWORD,
                                                "otp_token": _code(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_hq_roles_must_enrol_before_anything_else(world, client, settings):
    settings.RAVABET_TWO_FACTOR_REQUIRED = True
    client.force_login(world.hq_expert)
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/two-factor/")
    page = client.get("/accounts/two-factor/").content.decode()
    assert "ورود دومرحله‌ای لازم است" in page
    device = TOTPDevice.objects.get(user=world.hq_expert)
    assert client.post("/accounts/two-factor/", {"action": "enable", "token": _code(device)}).status_code == 302
    assert client.get("/units/").status_code == 200
    # ...and cannot turn it off again while the rule holds.
    response = client.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD})
    assert "نمی‌توان آن را غیرفعال کرد" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.hq_expert, confirmed=True).exists()


def test_enrolled_hq_user_logged_in_without_a_code_must_log_in_again(world, client, settings):
    settings.RAVABET_TWO_FACTOR_REQUIRED = True
    _device(world.hq_head)
    client.force_login(world.hq_head)
    response = client.get("/units/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_other_roles_and_the_relaxed_demo_setting_are_not_sent_to_enrol(world, client, settings):
    settings.RAVABET_TWO_FACTOR_REQUIRED = True
    client.force_login(world.officer)
    assert client.get("/staff/").status_code == 200
    settings.RAVABET_TWO_FACTOR_REQUIRED = False
    client.force_login(world.hq_expert)
    assert client.get("/units/").status_code == 200


def _age_session(client, *, started_ago: int, seen_ago: int):
    session = client.session
    now = int(time.time())
    session[STARTED_KEY], session[SEEN_KEY] = now - started_ago, now - seen_ago
    session.save()


def test_a_session_idle_for_more_than_30_minutes_ends(world, client):
    client.force_login(world.officer)
    _age_session(client, started_ago=31 * 60, seen_ago=31 * 60)
    response = client.get("/units/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_an_active_session_ends_after_12_hours_in_all(world, client):
    client.force_login(world.officer)
    _age_session(client, started_ago=12 * 3600 + 5, seen_ago=10)
    assert client.get("/units/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_active_session_goes_on_and_the_limits_follow_the_settings(world, client, settings):
    client.force_login(world.officer)
    _age_session(client, started_ago=11 * 3600, seen_ago=29 * 60)
    assert client.get("/staff/").status_code == 200
    assert time.time() - client.session[SEEN_KEY] < 5
    settings.RAVABET_SESSION_IDLE_SECONDS = 60
    _age_session(client, started_ago=300, seen_ago=120)
    assert client.get("/units/").status_code == 302


def test_a_signed_in_persons_pages_are_not_kept_by_the_browser_and_public_ones_keep_their_caching(world, client):
    """The Back button must not show a list as it was before the person acted on it (ASVS V8.2.1): every HTML
    page of a signed-in person says no-store; a file keeps its own header, the public newsroom its own."""
    client.force_login(world.officer)
    staff = client.get(reverse("complaints:list"))
    assert "no-store" in staff["Cache-Control"] and "private" in staff["Cache-Control"]
    assert "no-store" in client.get(reverse("home"))["Cache-Control"]
    client.logout()
    public = client.get(reverse("news:public_list"))
    assert "no-store" not in public.get("Cache-Control", "") and "public" in public["Cache-Control"]


def test_session_limits_come_from_the_environment(monkeypatch):
    import importlib

    import ravabet.settings as module

    monkeypatch.setenv("SESSION_IDLE_MINUTES", "10")
    monkeypatch.setenv("SESSION_MAX_HOURS", "8")
    reloaded = importlib.reload(module)
    try:
        assert reloaded.RAVABET_SESSION_IDLE_SECONDS == 600
        assert reloaded.RAVABET_SESSION_MAX_SECONDS == 8 * 3600 == reloaded.SESSION_COOKIE_AGE
    finally:
        monkeypatch.undo()
        importlib.reload(module)


# Issue 13, point 3: login and password reset limits across usernames, accounts and processes.


def test_password_spraying_over_many_usernames_from_one_address_is_slowed(world, client, settings):
    from ravabet.lib.ratelimit import Limit
    from ravabet.offices import login_views

    settings.AXES_FAILURE_LIMIT = 100
    login_views.LOGIN_FAILURES_PER_ADDRESS = Limit("login-address", 4, 900)
    try:
        for name in ("a1", "a2", "a3", "a4"):
            assert client.post("/accounts/login/", {"username": name, "password": "x"}).status_code == 200
        response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
        assert response.status_code == 429 and "بیش از اندازه" in response.content.decode()
        assert "_auth_user_id" not in client.session
        # Another address is not slowed.
        other = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD},
                            REMOTE_ADDR="10.9.9.9")
        assert other.status_code == 302
    finally:
        login_views.LOGIN_FAILURES_PER_ADDRESS = Limit("login-address", settings.RAVABET_LOGIN_FAILURES_PER_ADDRESS,
                                                       900)


def test_one_account_attacked_from_many_addresses_is_slowed(world, client, settings):
    from ravabet.lib.ratelimit import Limit
    from ravabet.offices import login_views

    login_views.LOGIN_FAILURES_PER_ACCOUNT = Limit("login-account", 3, 900)
    try:
        for n in range(3):
            client.post("/accounts/login/", {"username": "officer", "password": "x"}, REMOTE_ADDR=f"10.1.1.{n}")
        response = client.post("/accounts/login/", {"username": "OFFICER", "password": PASSWORD},
                               REMOTE_ADDR="10.1.1.99")
        assert response.status_code == 429
    finally:
        login_views.LOGIN_FAILURES_PER_ACCOUNT = Limit("login-account", settings.RAVABET_LOGIN_FAILURES_PER_ACCOUNT,
                                                       900)


def test_password_reset_link_comes_from_site_url_not_the_host_header(world, client, settings):
    from ravabet.outbox.models import OutboxMessage

    settings.MAILERS = {**settings.MAILERS, "default": {"BACKEND": "ravabet.outbox.email_backend.OutboxEmailBackend"}}
    settings.SITE_URL = "https://ravabet.example.ir"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    client.post("/accounts/password_reset/", {"email": "officer@example.ir"}, HTTP_HOST="evil.example")
    body = OutboxMessage.objects.get(channel="email").body
    assert "https://ravabet.example.ir/accounts/reset/" in body and "evil.example" not in body


def test_password_reset_is_limited_per_account_and_per_address(world, client, monkeypatch):
    from django.contrib.auth.forms import PasswordResetForm

    from ravabet.lib.ratelimit import Limit
    from ravabet.offices import login_views

    sent = []
    monkeypatch.setattr(PasswordResetForm, "send_mail", lambda self, *args, **kwargs: sent.append(args[4]))
    monkeypatch.setattr(login_views, "RESETS_PER_ACCOUNT", Limit("ra", 2, 3600))
    monkeypatch.setattr(login_views, "RESETS_PER_ADDRESS", Limit("rb", 4, 3600))
    for _ in range(3):
        response = client.post("/accounts/password_reset/", {"email": "officer@example.ir"})
        assert response.status_code == 302  # the same answer, sent or not
    assert sent == ["officer@example.ir"] * 2
    client.post("/accounts/password_reset/", {"email": "nobody@example.ir"})
    response = client.post("/accounts/password_reset/", {"email": "nobody2@example.ir"})
    assert response.status_code == 429 and "یک ساعت دیگر" in response.content.decode()
