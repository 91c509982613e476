"""One view runs any declared step of any workflow model from a POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from ravabet.lib.actions import errors_to_form
from ravabet.offices.access import get_scoped_or_404

from .engine import RoleRefused, TransitionRefused, check, move, steps_of, unit_lookup, visible_roles, workflow_model
from .forms import StepForm


def _back(request: HttpRequest, obj) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return obj.get_absolute_url()


@login_required
def transition(request: HttpRequest, label: str, pk: int, name: str) -> HttpResponse:
    """GET: the step's page (what it does, its needed values). POST: make the step.

    A record outside the person's units answers 404; a step the state, a guard or the person's role
    does not allow answers 403 with the Persian reason; an empty needed value is shown on its field
    with everything typed kept.
    """
    model = workflow_model(label)
    spec = steps_of(model).get(name) if model else None
    if spec is None:
        raise Http404("چنین کاری تعریف نشده است.")
    obj = get_scoped_or_404(request.access, model, visible_roles(model), field=unit_lookup(model), pk=pk)
    form = StepForm(spec, request.POST if request.method == "POST" else None)
    context = {"obj": obj, "spec": spec, "form": form, "back": _back(request, obj),
               "model_name": model._meta.verbose_name}
    try:
        if request.method == "POST":
            if form.is_valid():
                try:
                    move(obj, name, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    errors_to_form(form, error)
                else:
                    messages.success(request, spec.done or f"«{spec.label}» انجام شد.")
                    return redirect(context["back"])
        else:
            check(obj, spec, request.access, typed=False)
    except RoleRefused:
        raise  # the plain 403 page: nothing about a record the person has no part in
    except TransitionRefused as refusal:
        context["refusal"] = str(refusal)
        return render(request, "workflow/step.html", context, status=403)
    return render(request, "workflow/step.html", context, status=400 if form.errors else 200)


def refused(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The project's 403 page (settings' handler403). A step refused because the record's state moved on since
    the person opened the page (TransitionRefused, not RoleRefused) says so and asks them to open the record
    again, instead of the «no permission» text; every other refusal keeps that text. In: the request and the
    exception Django caught. Out: a 403 response."""
    changed = isinstance(exception, TransitionRefused) and not isinstance(exception, RoleRefused)
    return render(request, "403.html", {"exception": str(exception or ""), "changed": changed}, status=403)
