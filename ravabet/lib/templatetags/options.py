"""The `<option>`s of a `<select>` built in Python instead of by a template loop: a loop with a comparison per
choice was a fifth of an HQ list's template time with its 31 units (issue 11).

    {% load options %}
    {% options states current_state %}          (value, label) pairs, the selected value
    {% unit_options units request.GET.unit %}   Unit rows by primary key, the selected `?unit=` text
"""

import html
from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def select_options(choices: Iterable[tuple[object, object]], selected: object = None) -> SafeString:
    """`<option value="…">label</option>` for each (value, label) of `choices`, values and labels escaped, the
    option whose value equals `selected` (compared as text; None selects none) marked `selected`. Returns safe
    HTML."""
    chosen = None if selected is None else str(selected)
    return mark_safe("".join(  # noqa: S308 - every value and label escaped
        f'<option value="{html.escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
        f'{html.escape(str(label))}</option>' for value, label in choices))


@register.simple_tag
def options(choices, selected=None) -> SafeString:
    """The options of (value, label) `choices` with `selected` (a value, or None) marked."""
    return select_options(choices, selected)


@register.simple_tag
def unit_options(units, selected=None) -> SafeString:
    """The options of `units` (Unit rows: primary key as the value, name as the label) with the one whose key
    is `selected` (the `?unit=` text, or None) marked."""
    return select_options(((unit.pk, unit.name) for unit in units), selected)
