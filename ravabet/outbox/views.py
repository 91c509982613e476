from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ravabet.lib.digits import parse_int

from . import services


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "outbox/notices.html", {"page_obj": page})


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    ids = [number for number in map(parse_int, request.POST.getlist("id")) if number is not None] or None
    services.mark_read(user=request.user, notification_ids=ids)
    return redirect("outbox:notices")


@login_required
@require_POST
def sms_setting(request: HttpRequest) -> HttpResponse:
    """Turn SMS copies of urgent workflow notices on or off for the signed-in user."""
    services.set_sms_notices(user=request.user, enabled=request.POST.get("sms_notices") == "on")
    return redirect("outbox:notices")
