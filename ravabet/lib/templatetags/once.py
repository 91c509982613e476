"""`{% submit_token %}`: the hidden one-time token of a create form whose template lays out its own
fields (forms rendered through includes/form_fields.html get it from `SubmitTokenMixin`)."""

from django import template
from django.utils.html import format_html

from ravabet.lib.idempotency import FIELD, new_token, sent_token

register = template.Library()


@register.simple_tag(takes_context=True)
def submit_token(context) -> str:
    """A hidden input named `idempotency.FIELD`: the token this request sent when it is a POST shown
    again (errors), otherwise a fresh one. Needs `request` in the context (RequestContext)."""
    request = context.get("request")
    token = (sent_token(request) if request is not None else None) or new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
