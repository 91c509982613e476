"""The page where a user makes and revokes their personal API tokens (issue 18, point 1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ravabet.lib.actions import errors_to_form

from . import tokens
from .forms import TokenForm
from .models import ApiToken


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own tokens; POST makes one and shows its text once on this answer (never again)."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, text = tokens.token_create(by=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            created = {"token": token, "text": text}
            form = TokenForm()
    response = render(request, "api/tokens.html", {
        "form": form, "created": created, "tokens": ApiToken.objects.filter(user=request.user)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's answers 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(by=request.user, token=token)
    messages.success(request, f"کلید «{token.name}» باطل شد؛ برنامه‌هایی که آن را به کار می‌برند دیگر پاسخی نمی‌گیرند.")
    return redirect("api:tokens")


def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any address under /api/v1/ that is no endpoint: 404 in the API's error shape (base.Error)."""
    return JsonResponse({"detail": "پیدا نشد.", "code": "not_found", "errors": []}, status=404)
