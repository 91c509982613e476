"""The form of a step's needed values, built from its declaration."""

from django import forms

from ravabet.lib.forms import JalaliDateField, JalaliDateTimeField, PersianCharField, PersianFormMixin, PersianTextField

from .declare import Step

FIELD_FOR = {"textarea": PersianTextField, "text": PersianCharField, "plain": forms.CharField,
             "url": forms.URLField, "date": JalaliDateField, "datetime": JalaliDateTimeField}


class StepForm(PersianFormMixin, forms.Form):
    """One field per `Need` of the step; a required need shows its declared Persian message."""

    def __init__(self, spec: Step, *args, **kwargs):
        self.spec = spec
        super().__init__(*args, **kwargs)
        for need in spec.needs:
            field = FIELD_FOR[need.widget](label=need.label, required=need.required, help_text=need.help)
            if need.required:
                field.error_messages["required"] = need.message
            if need.widget == "textarea":
                field.widget.attrs.setdefault("rows", 3)
            if need.widget in ("url", "plain"):
                field.widget.attrs.setdefault("dir", "ltr")
            if need.widget == "url":
                field.error_messages["invalid"] = "نشانی وب درست نیست؛ آن را با https:// بنویسید."
            self.fields[need.name] = field
        # PersianFormMixin set a generic "required" message; the declaration's is the one to show.
        for need in spec.required:
            self.fields[need.name].error_messages["required"] = need.message
