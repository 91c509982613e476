from django import template

from ..services import timeline_for

register = template.Library()


@register.inclusion_tag("audit/timeline.html")
def timeline(target, title="تاریخچه"):
    return {"entries": timeline_for(target), "title": title}
