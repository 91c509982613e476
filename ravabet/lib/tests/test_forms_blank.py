"""Every form of the product refuses required text that is only spaces, ZWNJ and invisible characters
(issue 12, point 8): each PersianFormMixin form is built (its own keyword arguments given a unit, an empty
list or None), every required text field is sent «  \u200c\u200f  », and each must come back with an error."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps

from ravabet.lib.forms import PersianFormMixin

INVISIBLE = " \u200c \u200f\u200b "


def _form_classes():
    for config in apps.get_app_configs():
        if config.name.startswith("ravabet."):
            for module in ("forms", "profile_forms"):
                try:
                    importlib.import_module(f"{config.name}.{module}")
                except ModuleNotFoundError:
                    pass

    def below(klass):
        for sub in klass.__subclasses__():
            yield sub
            yield from below(sub)

    return sorted({klass for klass in below(PersianFormMixin)
                   if klass.__module__.startswith("ravabet.") and ".tests" not in klass.__module__
                   and not klass.__name__.startswith("_")}, key=lambda k: f"{k.__module__}.{k.__name__}")


def _build(klass, world, data):
    names = [name for name, parameter in inspect.signature(klass.__init__).parameters.items()
             if parameter.kind == parameter.KEYWORD_ONLY]
    for filler in (None, []):
        kwargs = {name: world.county_a if name == "unit" else filler for name in names}
        try:
            return klass(data=data, **kwargs)
        except Exception:  # noqa: BLE001 - a form that needs more than these is counted as not built
            continue
    return None


def test_every_required_text_field_refuses_invisible_text(world):
    built, checked, failures = [], 0, []
    for klass in _form_classes():
        probe = _build(klass, world, None)
        if probe is None:
            continue
        text_fields = [name for name, field in probe.fields.items()
                       if isinstance(field, forms.CharField) and field.required
                       and not isinstance(field.widget, forms.HiddenInput | forms.PasswordInput)]
        if not text_fields:
            continue
        form = _build(klass, world, {name: INVISIBLE for name in text_fields})
        built.append(klass.__name__)
        form.is_valid()
        for name in text_fields:
            checked += 1
            if name not in form.errors:
                failures.append(f"{klass.__module__}.{klass.__name__}.{name}")
    assert len(built) >= 40 and checked >= 60, (len(built), checked)
    assert not failures, failures


@pytest.mark.parametrize("text", ["\u200c", "   ", "\u200f\u200b"])
def test_the_complaint_objection_of_invisible_text_is_refused(text):
    from ravabet.complaints.forms import ObjectForm

    form = ObjectForm(data={"objection": text})
    assert not form.is_valid() and "objection" in form.errors
