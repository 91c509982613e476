"""In the browser: an officer makes a token on their page, sees it once, and the documentation page draws
the API from local files only (issue 18, point 1)."""

import pytest

from ravabet.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_makes_a_token_and_reads_the_docs_without_outside_requests(page, world, live_server, screenshots):
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:") else None)
    browser_login(page, "officer")
    page.get_by_role("button", name="مسئول روابط عمومی الف").click()
    page.get_by_role("link", name="کلیدهای API من").click()
    page.get_by_label("نام کلید").fill("وبگاه اداره کل")
    page.get_by_role("button", name="ساختن کلید").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("rvb_")
    page.screenshot(path=screenshots / "api-tokens.png", full_page=True)
    page.reload()
    assert token not in page.content()
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() >= 15
    page.screenshot(path=screenshots / "api-docs.png", full_page=False)
    assert not outside, outside
