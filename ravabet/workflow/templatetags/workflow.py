import functools

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ravabet.workflow.engine import allowed

register = template.Library()
_PK = 987654321  # stands for the record's id in a URL reversed once per step (see _step_url)


@functools.lru_cache(maxsize=1024)
def _step_url_pattern(prefix: str, view: str, label: str, name: str) -> str:
    if view:
        return reverse(view, args=[_PK])
    return reverse("workflow:transition", args=[label, _PK, name])


def _step_url(spec, label: str, pk: int) -> str:
    """The URL of a step's button on record `pk`: its own page (`spec.view`) or the transition view. Reversed
    once per (script prefix, step) and filled with the id: a 50-row list reversed ~200 URLs a request
    (issue 11)."""
    return _step_url_pattern(get_script_prefix(), spec.view or "", label, spec.name).replace(str(_PK), str(pk))


@register.filter
def model_label(obj) -> str:
    """"news.news" for a News: the workflow URL's model part."""
    return obj._meta.label_lower


_NEXT, _CSRF = "__workflow_next__", "__workflow_csrf__"  # stand for the request's own values in a drawn set


@register.simple_tag(takes_context=True)
def workflow_buttons(context, obj, only: str = "", exclude: str = ""):
    """{% workflow_buttons news %}: a button (or a small form, for steps that need a comment) for
    each step the person may make on `obj` now. `only`/`exclude`: comma-separated step names.

    The buttons of one set of steps are drawn once a request (workflow/buttons.html, with stand-ins for the
    record's id, the page to come back to and the CSRF token) and filled in for each record: a 50-row list
    drew the same few sets fifty times (issue 11). Returns safe HTML (str)."""
    request = context["request"]
    steps = allowed(obj, request.access)
    if only:
        steps = [spec for spec in steps if spec.name in only.split(",")]
    if exclude:
        steps = [spec for spec in steps if spec.name not in exclude.split(",")]
    if not steps:
        return ""
    label = obj._meta.label_lower
    drawn = request.__dict__.setdefault("_workflow_buttons", {})
    key = (label, tuple(spec.name for spec in steps))
    if key not in drawn:
        drawn[key] = render_to_string("workflow/buttons.html", {
            "steps": [(spec, _step_url(spec, label, _PK)) for spec in steps], "obj": {"pk": _PK}, "label": label,
            "next": _NEXT, "csrf_token": _CSRF if context.get("csrf_token") else None})
    # The page's address last: nothing typed into it is replaced afterwards.
    html = drawn[key].replace(str(_PK), str(obj.pk)).replace(_CSRF, escape(str(context.get("csrf_token") or "")))
    return mark_safe(html.replace(_NEXT, escape(request.get_full_path())))  # noqa: S308 (drawn from our template)


@register.simple_tag(takes_context=True)
def can_step(context, obj, name: str) -> bool:
    """{% can_step news "approve" as ok %}: whether the person may make that step now."""
    return any(spec.name == name for spec in allowed(obj, context["request"].access))
