"""Issue 12 §9: numbers, phone numbers and links in a news item keep their direction on staff and public pages;
the body's HTML stays the cleaned markup (tags kept, typed text never becomes markup)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ravabet.news import services
from ravabet.news.models import NewsState

from .helpers import photo_file

pytestmark = pytest.mark.django_db

MOBILE = '<bdi dir="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi>'
PHONES = '<bdi dir="ltr">۰۷۱-۴۳۳۳۰۰۰۰</bdi> و <bdi dir="ltr">۱۴۱</bdi>'


def test_news_title_lead_and_body_isolate_each_number_on_staff_and_public_pages(world, client_for):
    news, _ = services.news_create(
        unit=world.county_a, by=world.officer, kind="news", title="ستاد خبری 071-43330000 و 141",
        lead="سامانه پیامکی +989171234567", body="برای گزارش با +989171234567 تماس بگیرید <script>x</script>\n\n"
        "<b>071-43330000 و 141</b>", news_date=datetime.date(2026, 11, 20), occasion="", tags="",
        uploads=[photo_file(7, size=(640, 427))])
    staff_pages = [client_for("officer").get(reverse("news:detail", args=[news.pk])),
                   client_for("officer").get(reverse("news:mine"))]
    type(news).objects.filter(pk=news.pk).update(state=NewsState.PUBLISHED, published_at=timezone.now())
    public_pages = [client_for("anon").get(reverse("news:public_detail", args=[news.pk])),
                    client_for("anon").get(reverse("news:public_list"))]
    for response in staff_pages + public_pages:
        assert response.status_code == 200
        assert f"ستاد خبری {PHONES}" in response.content.decode()
    for response in (staff_pages[0], public_pages[0]):
        html = response.content.decode()
        assert f"سامانه پیامکی {MOBILE}" in html
        assert f"با {MOBILE} تماس بگیرید" in html
        assert f"<b>{PHONES}</b>" in html  # the body's own markup kept around the isolated numbers
        assert "<script" not in html.split('class="news-body"')[1].split("</div>")[0]
    assert f"سامانه پیامکی {MOBILE}" in public_pages[1].content.decode()
