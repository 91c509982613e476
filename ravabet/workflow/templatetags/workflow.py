from django import template

from ravabet.workflow.engine import allowed

register = template.Library()


@register.filter
def model_label(obj) -> str:
    """"news.news" for a News: the workflow URL's model part."""
    return obj._meta.label_lower


@register.inclusion_tag("workflow/buttons.html", takes_context=True)
def workflow_buttons(context, obj, only: str = "", exclude: str = ""):
    """{% workflow_buttons news %}: a button (or a small form, for steps that need a comment) for
    each step the person may make on `obj` now. `only`/`exclude`: comma-separated step names."""
    request = context["request"]
    steps = allowed(obj, request.access)
    if only:
        steps = [spec for spec in steps if spec.name in only.split(",")]
    if exclude:
        steps = [spec for spec in steps if spec.name not in exclude.split(",")]
    return {"steps": steps, "obj": obj, "label": obj._meta.label_lower, "next": request.get_full_path(),
            "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def can_step(context, obj, name: str) -> bool:
    """{% can_step news "approve" as ok %}: whether the person may make that step now."""
    return any(spec.name == name for spec in allowed(obj, context["request"].access))
