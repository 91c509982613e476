from django import forms

from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField

from .models import RATING_LABELS, Audience, QuestionKind


class SurveyForm(PersianFormMixin, forms.Form):
    title = PersianCharField(label="عنوان", max_length=200)
    intro = PersianTextField(label="متن آغاز (برای پاسخ‌دهنده)", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label="مخاطب", choices=Audience.choices)
    opens_on = JalaliDateField(label="تاریخ شروع")
    closes_on = JalaliDateField(label="تاریخ پایان")

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد.")
        return data


class QuestionForm(PersianFormMixin, forms.Form):
    text = PersianCharField(label="متن پرسش", max_length=300)
    kind = forms.ChoiceField(label="نوع پرسش", choices=QuestionKind.choices)
    options = PersianTextField(label="گزینه‌ها", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="برای پرسش تک‌گزینه‌ای و چندگزینه‌ای: هر گزینه در یک سطر.")
    required = forms.BooleanField(label="پاسخ الزامی است", required=False, initial=True)

    def clean_options(self):
        return [line.strip() for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip()]


class AnswerForm(forms.Form):
    """One field per question, named q<id>, in the survey's order."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            label, required = question.text, question.required
            if question.kind == QuestionKind.SINGLE:
                field = forms.TypedChoiceField(label=label, required=required, coerce=int, widget=forms.RadioSelect,
                                               choices=list(enumerate(question.options)))
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(label=label, required=required, coerce=int,
                                                       widget=forms.CheckboxSelectMultiple,
                                                       choices=list(enumerate(question.options)))
            elif question.kind == QuestionKind.RATING:
                field = forms.TypedChoiceField(label=label, required=required, coerce=int, widget=forms.RadioSelect,
                                               choices=[(v, f"{'۱۲۳۴۵'[v - 1]} — {text}")
                                                        for v, text in RATING_LABELS.items()])
            elif question.kind == QuestionKind.SHORT:
                field = PersianCharField(label=label, required=required, max_length=300)
            else:
                field = PersianTextField(label=label, required=required, max_length=3000,
                                         widget=forms.Textarea(attrs={"rows": 4}))
            field.error_messages["invalid_choice"] = "گزینه‌ای از فهرست برگزینید."
            self.fields[f"q{question.pk}"] = field
        self._style()

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)) \
                else "form-control"
            widget.attrs.setdefault("class", css)
            field.error_messages["required"] = "به این پرسش پاسخ دهید."
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = "پاسخ بیش از اندازه بلند است؛ کوتاه‌ترش کنید."

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}
