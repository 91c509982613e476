"""The `<option>`s of a `<select>` built in Python instead of by a template loop: a loop with a comparison per
choice was a fifth of an HQ list's template time with its 31 units (issue 11).

    {% load options %}
    {% options states current_state %}          (value, label) pairs, the selected value
    {% unit_options units request.GET.unit %}   Unit rows by primary key, the selected `?unit=` text
"""

from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def select_options(choices: Iterable[tuple[object, object]], selected: object = None) -> SafeString:
    """`<option value="…">label</option>` for each (value, label) of `choices`, values and labels escaped, the
    option whose value equals `selected` (compared as text; None selects none) marked `selected`. Escaped as
    the template's autoescape would (a label already marked safe is kept). Returns safe HTML."""
    chosen = None if selected is None else str(selected)
    return mark_safe("".join(  # noqa: S308 - every value and label escaped
        f'<option value="{conditional_escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
        f'{conditional_escape(label)}</option>' for value, label in choices))


@register.simple_tag
def options(choices, selected=None) -> SafeString:
    """The options of (value, label) `choices` with `selected` (a value, or None) marked."""
    return select_options(choices, selected)


@register.simple_tag
def unit_options(units, selected=None) -> SafeString:
    """The options of `units` (Unit rows: primary key as the value, name as the label) with the one whose key
    is `selected` (the `?unit=` text, or None) marked."""
    return select_options(((unit.pk, unit.name) for unit in units), selected)


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python: ` name="value"`, ` name` for True, nothing for False."""
    return "".join("" if value is False else f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
                   for name, value in attrs.items())


@register.simple_tag
def widget_attrs(attrs: dict) -> SafeString:
    """A widget's attributes as Django's widgets/attrs.html writes them, built in Python (that template is
    included once per field on every form page). Used by ravabet/templates/django/forms/widgets/attrs.html."""
    return mark_safe(_attrs(attrs))  # noqa: S308 - every value escaped


@register.simple_tag
def optgroups(widget: dict) -> SafeString:
    """The inside of a `<select>` widget (its `optgroups`), exactly as Django's select.html and
    select_option.html write it, built in Python: a select of a few hundred people or units included the
    option template once per option (a run-sheet of 12 rows spent 0.1 s in it; issue 11). Used by
    ravabet/templates/django/forms/widgets/select.html (FORM_RENDERER = TemplatesSetting)."""
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value, label and attribute escaped
