"""Issue 12 §9: numbers and phone numbers typed into press records keep their direction where people read them."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from .factories import make_contact, make_item, make_request, make_visit

pytestmark = pytest.mark.django_db

TYPED = "تماس +989171234567 یا 071-43330000 و 141 <b>"
SHOWN = ('تماس <bdi dir="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi> یا <bdi dir="ltr">۰۷۱-۴۳۳۳۰۰۰۰</bdi> و <bdi dir="ltr">۱۴۱</bdi> '
         '&lt;<bdi dir="ltr">b</bdi>&gt;')


def test_press_items_requests_contacts_and_visits_isolate_each_number(world, client_for):
    unit = world.county_a
    item = make_item(unit, title=TYPED, summary=TYPED)
    request = make_request(unit, subject=TYPED, description=TYPED, officials=TYPED)
    contact = make_contact(unit, subject=TYPED, outcome=TYPED)
    visit = make_visit(unit, purpose=TYPED, outcome=TYPED)
    officer = client_for("officer")
    pages = {("press:item_detail", item.pk): 2, ("press:item_list", None): 1,
             ("press:request_detail", request.pk): 3, ("press:request_list", None): 1,
             ("press:contact_detail", contact.pk): 2, ("press:contact_list", None): 2,
             ("press:visit_detail", visit.pk): 2}
    for (name, pk), times in pages.items():
        response = officer.get(reverse(name, args=[pk] if pk else []) + ("?state=all" if name == "press:item_list" else ""))
        assert response.status_code == 200, name
        assert response.content.decode().count(SHOWN) >= times, name
    pdf_html = render_to_string("press/request_pdf.html", {"media_request": request})
    assert pdf_html.count("تماس \u2066+۹۸۹۱۷۱۲۳۴۵۶۷\u2069 یا \u2066۰۷۱-۴۳۳۳۰۰۰۰\u2069 و \u2066۱۴۱\u2069 &lt;") == 3
