"""Two-step login with a time-based code (any authenticator app).

A user who has confirmed a TOTP device must type its six-digit code on the login form;
HQ heads and experts (settings.RAVABET_TWO_FACTOR_ROLES) must enrol one at their first login
unless settings.RAVABET_TWO_FACTOR_REQUIRED is off (the laptop demo); the admin site admits
only staff who logged in with a code. Wrong codes count toward the django-axes lockout.
Source: issue 13 (OWASP ASVS level 2 review, point 1)."""

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
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
                # A wrong code is a failed login: django-axes counts it toward the lockout.
                user_login_failed.send(sender=__name__, request=self.request,
                                       credentials={"username": self.cleaned_data.get("username")})
                raise forms.ValidationError(self.otp_error, code="otp_invalid")
            # django_otp's user_logged_in receiver marks the session verified with this device.
            user.otp_device = device
        return cleaned


class AdminLoginForm(LoginForm):
    """The admin's login: staff only, and only with a confirmed device and its code."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError("این حساب به بخش مدیریت دسترسی ندارد.", code="invalid_login")
        if not confirmed_devices(user).exists():
            self.otp_error = ("ورود به بخش مدیریت بی ورود دومرحله‌ای ممکن نیست؛ "
                              "نخست از «ورود دومرحله‌ای» در حساب خود آن را فعال کنید.")
            raise forms.ValidationError(self.otp_error, code="otp_required")


class RavabetAdminSite(AdminSite):
    """Django's admin, open only to active staff whose session was verified with a TOTP code."""

    login_form = AdminLoginForm
    login_template = "registration/login.html"

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and getattr(user, "is_verified", lambda: False)()


@receiver(user_logged_in)
def log_admin_login(sender, request, user, **kwargs):
    """Every login through the admin's own login page goes into the action log."""
    if request is not None and request.path.startswith(reverse("admin:login")):
        log_action(actor=user, action="audit.admin_login", summary="ورود به بخش مدیریت", target=user,
                   ip_address=request.META.get("REMOTE_ADDR"))


def role_requires(request) -> bool:
    """True when two-step login is required and the logged-in user holds a role that needs it."""
    if not settings.RAVABET_TWO_FACTOR_REQUIRED or not request.user.is_authenticated:
        return False
    roles = set(settings.RAVABET_TWO_FACTOR_ROLES)
    return any(m.role in roles for m in request.access.memberships)


def must_enrol(request) -> bool:
    """True when the user's role needs two-step login and this session was not verified with a code."""
    return request.user.is_authenticated and not request.user.is_verified() and role_requires(request)


class TwoFactorEnrolmentMiddleware:
    """Sends HQ heads and experts without a verified two-step session to enrol (or to log in again)."""

    OPEN_PREFIXES = ("/accounts/", "/static/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.OPEN_PREFIXES) and must_enrol(request):
            if confirmed_devices(request.user).exists():
                logout(request)
                return redirect(f"{reverse('login')}?next={request.path}")
            messages.warning(request, "برای نقش شما ورود دومرحله‌ای لازم است؛ پیش از ادامه آن را فعال کنید.")
            return redirect("offices:two_factor")
        return self.get_response(request)


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="برنامه احراز هویت", confirmed=False)


@transaction.atomic
def enable(*, user, token: str) -> TOTPDevice | None:
    """Confirm the pending device when `token` is its current code; return it, or None for a wrong code."""
    device = pending_device(user)
    if _verify([device], token) is None:
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log_action(actor=user, action="offices.two_factor_enabled", summary="فعال کردن ورود دومرحله‌ای", target=user)
    return device


@transaction.atomic
def disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    log_action(actor=user, action="offices.two_factor_disabled", summary="غیرفعال کردن ورود دومرحله‌ای", target=user)
