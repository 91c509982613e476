"""The anchor's two pages: `/rows/` (20 newest of 100,000 rows through an index, rendered by a Django
template) and `/ok/` (a plain "ok")."""

from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import path

from .models import Row

PAGE = Engine().from_string(
    "<!doctype html><html lang=\"fa\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>ردیف‌ها</title></head><body>"
    "<table>{% for row in rows %}<tr><td>{{ row.pk }}</td><td>{{ row.title }}</td><td>{{ row.created_at }}</td>"
    "</tr>{% endfor %}</table></body></html>")


def rows(request):
    return HttpResponse(PAGE.render(Context({"rows": Row.objects.order_by("-created_at")[:20]})))


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("rows/", rows), path("ok/", ok)]
