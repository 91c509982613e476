"""Benchmark of the complaints part: the public form's submit (submissions per second, p95 against the
/health/ view in the same process), the tracking page, the staff list and the HQ figures."""

import itertools
import time

SUBMITS = 50


def _client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def _form_data(unit_pk: int) -> dict:
    return {"unit": unit_pk, "kind": "complaint", "subject": "آزمون بار فرم عمومی",
            "text": "متن شکایت برای سنجش سرعت ثبت فرم عمومی.", "citizen_name": "", "citizen_mobile": "09120000000",
            "citizen_national_code": "", "captcha_0": "bench", "captcha_1": "PASSED"}


def _submitter(ctx):
    """POST the public form through the whole Django stack; each call from a fresh address so the
    per-address rate limit does not stop the benchmark (the captcha runs in test mode here only)."""
    from captcha.conf import settings as captcha_settings

    captcha_settings.CAPTCHA_TEST_MODE = True
    client, data = _client(), _form_data(ctx.units[0].pk)
    addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))

    def run():
        response = client.post("/public/complaints/", data, REMOTE_ADDR=next(addresses))
        assert response.status_code == 302, response.status_code

    return run


def _baseline():
    client = _client()

    def run():
        client.get("/health/")

    return run


def _per_second(ctx):
    run = _submitter(ctx)

    def rate():
        start = time.perf_counter()
        for _ in range(SUBMITS):
            run()
        return round(SUBMITS / (time.perf_counter() - start), 1)

    return rate


def _tracking(ctx):
    from ravabet.complaints.models import Case

    case = Case.objects.filter(unit__in=ctx.units).exclude(citizen_mobile="").order_by("pk").first()
    client = _client()
    data = {"code": case.tracking_code, "mobile": case.citizen_mobile}
    addresses = (f"11.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))

    def run():
        response = client.post("/public/complaints/track/", data, REMOTE_ADDR=next(addresses))
        assert response.status_code == 302
        client.get("/public/complaints/case/")

    return run


def pages(ctx) -> list[dict]:
    officer = ctx.officers[ctx.units[0].pk]
    return [
        {"name": "complaints: public form", "path": "/public/complaints/", "user": None},
        {"name": "complaints: tracking page", "path": "/public/complaints/track/", "user": None},
        {"name": "complaints: staff list (county)", "path": "/complaints/", "user": officer},
        {"name": "complaints: staff list overdue (county)", "path": "/complaints/?due=overdue", "user": officer},
        {"name": "complaints: list (HQ, all units)", "path": "/complaints/", "user": ctx.hq_expert},
        {"name": "complaints: overdue list (HQ)", "path": "/complaints/hq/overdue/", "user": ctx.hq_expert},
        {"name": "complaints: figures (HQ)", "path": "/complaints/figures/", "user": ctx.hq_expert},
        {"name": "complaints: figures (county)", "path": "/complaints/figures/", "user": officer},
    ]


def measures(ctx) -> list[dict]:
    return [
        {"name": "complaints: public form submit vs /health/ (in process)", "run": _submitter(ctx),
         "baseline": _baseline(), "repeat": 40, "per_second": _per_second(ctx)},
        {"name": "complaints: tracking lookup and case page vs /health/ (in process)", "run": _tracking(ctx),
         "baseline": _baseline(), "repeat": 40},
    ]
