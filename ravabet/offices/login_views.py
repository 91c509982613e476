"""Login and password reset pages with limits that hold across processes (issue 13, points 1 and 3).

Login: failed attempts are counted per client address across usernames (password spraying) and per
account across addresses, on top of django-axes' lockout per username and address. Password reset:
requests are counted per address and per email; the link in the email is built from settings.SITE_URL,
never from the request's Host header."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django_otp import login as otp_login

from ravabet.lib import ratelimit
from ravabet.lib.ratelimit import Limit

from .twofactor import LoginForm

LOGIN_FAILURES_PER_ADDRESS = Limit("login-address", settings.RAVABET_LOGIN_FAILURES_PER_ADDRESS, 15 * 60)
LOGIN_FAILURES_PER_ACCOUNT = Limit("login-account", settings.RAVABET_LOGIN_FAILURES_PER_ACCOUNT, 15 * 60)
RESETS_PER_ADDRESS = Limit("reset-address", settings.RAVABET_RESETS_PER_ADDRESS, 3600)
RESETS_PER_ACCOUNT = Limit("reset-account", settings.RAVABET_RESETS_PER_ACCOUNT, 3600)

SLOWED = ("تلاش‌های ناموفق ورود از این نشانی یا برای این حساب بیش از اندازه بوده است؛ "
          "پس از ۱۵ دقیقه دوباره تلاش کنید یا با روابط عمومی اداره کل تماس بگیرید.")
RESETS_SLOWED = "درخواست‌های بازیابی گذرواژه از این نشانی بیش از اندازه بوده است؛ یک ساعت دیگر دوباره تلاش کنید."


def _address(request) -> str:
    return ratelimit.client_ip(request) or "unknown"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if (ratelimit.exceeded(LOGIN_FAILURES_PER_ADDRESS, _address(request))
                or (username and ratelimit.exceeded(LOGIN_FAILURES_PER_ACCOUNT, username))):
            form = self.get_form()
            form.otp_error = SLOWED
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        ratelimit.hit(LOGIN_FAILURES_PER_ADDRESS, _address(self.request))
        if username := self.request.POST.get("username", ""):
            ratelimit.hit(LOGIN_FAILURES_PER_ACCOUNT, username)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(form.get_user(), "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        if ratelimit.over(RESETS_PER_ADDRESS, _address(request)):
            form = self.get_form()
            form.add_error(None, RESETS_SLOWED)
            return render(request, self.template_name, self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Over the per-account allowance nothing is sent, and the page says the same as always
        # (whether an address has an account is never revealed).
        if ratelimit.over(RESETS_PER_ACCOUNT, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc + site.path.rstrip("/"),
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return HttpResponseRedirect(self.get_success_url())
