"""Template filters of the surveys pages."""

from django import template

register = template.Library()


@register.filter
def value_label(question, value) -> str:
    """The Persian label of a closed answer `value` (option index or rating) of `question`."""
    return question.value_label(int(value))


@register.filter
def get_item(mapping, key):
    """mapping[key], or None."""
    return mapping.get(key) if mapping else None
