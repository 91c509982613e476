"""Two-step login with a time-based code (any authenticator app), recommended for HQ.

A user who has confirmed a TOTP device must type its six-digit code on the login form;
everyone else logs in with a password alone."""

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ravabet.audit.services import log_action
from ravabet.lib.digits import to_latin_digits


def confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def _verify(devices, token: str):
    token = to_latin_digits(token or "").strip().replace(" ", "")
    return next((device for device in devices if device.verify_token(token)), None) if token.isdigit() else None


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(
        label="کد ورود دومرحله‌ای", required=False, max_length=8,
        help_text="فقط اگر ورود دومرحله‌ای را فعال کرده‌اید: کد شش‌رقمی برنامه احراز هویت.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}))
    otp_error = ""

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        devices = list(confirmed_devices(user)) if user else []
        if devices:
            token = self.cleaned_data.get("otp_token")
            if not token:
                self.otp_error = "ورود دومرحله‌ای برای شما فعال است؛ کد شش‌رقمی برنامه احراز هویت را هم وارد کنید."
                raise forms.ValidationError(self.otp_error, code="otp_required")
            device = _verify(devices, token)
            if device is None:
                self.otp_error = "کد ورود دومرحله‌ای درست نیست یا زمانش گذشته است؛ کد تازه را وارد کنید."
                raise forms.ValidationError(self.otp_error, code="otp_invalid")
            user.otp_device = device
        return cleaned


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="برنامه احراز هویت", confirmed=False)


@transaction.atomic
def enable(*, user, token: str) -> bool:
    device = pending_device(user)
    if _verify([device], token) is None:
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log_action(actor=user, action="offices.two_factor_enabled", summary="فعال کردن ورود دومرحله‌ای", target=user)
    return True


@transaction.atomic
def disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    log_action(actor=user, action="offices.two_factor_disabled", summary="غیرفعال کردن ورود دومرحله‌ای", target=user)
