import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.audit.models import ActionLog
from ravabet.lib.digits import to_persian_digits
from ravabet.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _code(device, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _enable(client, user):
    client.force_login(user)
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/accounts/two-factor/", {"action": "enable", "token": _code(device)})
    assert response.status_code == 302
    client.logout()
    device.refresh_from_db()
    return device


def test_hq_expert_turns_on_two_step_login_by_scanning_and_typing_a_code(world, client):
    client.force_login(world.hq_expert)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page and "برنامه احراز هویت" in page
    device = _enable(client, world.hq_expert)
    assert device.confirmed
    assert ActionLog.objects.filter(action="offices.two_factor_enabled", actor=world.hq_expert).exists()


def test_a_wrong_code_does_not_turn_it_on(world, client):
    client.force_login(world.hq_expert)
    client.get("/accounts/two-factor/")
    response = client.post("/accounts/two-factor/", {"action": "enable", "token": "000000"})
    assert "کد درست نیست" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.hq_expert, confirmed=True).exists()


def test_with_two_step_login_the_password_alone_is_not_enough(world, client):
    _enable(client, world.hq_expert)
    response = client.post("/accounts/login/", {"username": "hq_expert", "password": PASSWORD})
    assert response.status_code == 200
    assert "کد شش‌رقمی" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_may_be_typed_in_persian_digits(world, client):
    device = _enable(client, world.hq_expert)
    response = client.post("/accounts/login/", {"username": "hq_expert", "password": PASSWORD,
                                                "otp_token": to_persian_digits(_code(device, offset_steps=1))})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.hq_expert.pk)


def test_a_wrong_code_is_refused_with_a_persian_message(world, client):
    _enable(client, world.hq_expert)
    response = client.post("/accounts/login/", {"username": "hq_expert", "password": PASSWORD, "otp_token": "123"})
    assert "درست نیست یا زمانش گذشته" in response.content.decode()


def test_users_without_two_step_login_log_in_with_the_password(world, client):
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302


def test_turning_it_off_needs_the_password(world, client):
    _enable(client, world.hq_expert)
    client.force_login(world.hq_expert)
    assert "گذرواژه درست نیست" in client.post("/accounts/two-factor/", {"action": "disable",
                                                                       "password": "x"}).content.decode()
    client.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=world.hq_expert).exists()
