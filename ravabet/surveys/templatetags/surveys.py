"""Template filters of the surveys pages."""

from django import template

register = template.Library()


@register.filter
def value_label(question, value) -> str:
    """The Persian label of a closed answer `value` (option index or rating) of `question`."""
    return question.value_label(int(value))
