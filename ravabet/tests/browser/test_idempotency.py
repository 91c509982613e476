"""Issue 13 point 7 in the browser: the public complaint form as the citizen's browser has it (with its
one-time token) sent twice — as a resend after a lost answer does, past the double-click guard — files
one case, and the page the citizen lands on shows that case's code."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _captcha_test_mode_and_fresh_rate_limits(monkeypatch):
    from captcha.conf import settings as captcha_settings
    from django.core.cache import cache

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()


def test_the_public_complaint_form_sent_twice_files_one_case(page, screenshots):
    from ravabet.complaints.models import Case
    from ravabet.lib.digits import to_persian_digits
    from ravabet.outbox.models import OutboxMessage
    from ravabet.testing import build_world

    world = build_world()
    page.goto("/public/complaints/")
    assert len(page.locator("input[type=hidden][name=submit_token]").input_value()) == 32
    page.select_option("#id_unit", str(world.county_a.pk))
    page.select_option("#id_kind", "complaint")
    page.fill("#id_subject", "چاله در جاده خیرآباد")
    page.fill("#id_text", "در کیلومتر ۱۲ جاده چاله‌ای بزرگ است.")
    page.fill("#id_citizen_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
    page.fill("#id_captcha_1", "PASSED")
    statuses = page.evaluate("""async () => {
        const form = document.querySelector("form[method=post]");
        const send = () => fetch(location.pathname, {method: "POST", body: new FormData(form), redirect: "manual",
                                                     credentials: "same-origin"});
        // One after the other: the live server's in-memory SQLite cannot hold two writers at once (the
        // same moment is tested on PostgreSQL in ravabet/lib/tests/test_idempotency_pg.py).
        const answers = [await send(), await send()];
        return answers.map(a => a.type === "opaqueredirect" ? "redirect" : String(a.status));
    }""")
    assert statuses == ["redirect", "redirect"]
    case = Case.objects.get()
    page.goto("/public/complaints/done/")
    page.screenshot(path=str(screenshots / "idempotency-public-complaint-twice.png"), full_page=True)
    assert to_persian_digits(case.display_code) in page.locator("body").inner_text().replace("\u200e", "")
    assert OutboxMessage.objects.filter(recipient="09121234567", channel="sms").count() == 1
