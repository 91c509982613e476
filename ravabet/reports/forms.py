from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.offices.profile_forms import MultipleFileField, MultipleFileInput, check_files

from .models import Kind, Source, State, UnitReport, Urgency

ATTACHMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


class ReportForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع گزارش", choices=Kind.choices)
    source = forms.ChoiceField(label="خاستگاه (مورد توجه چه کسانی)", choices=[("", "— برگزینید —"), *Source.choices])
    subject = PersianCharField(label="موضوع", max_length=200)
    description = PersianTextField(label="شرح", max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text="مشکل یا راهکار را با جزئیات بنویسید: کجا، از کی، چه کسانی، چه پیشنهادی.")
    urgency = forms.ChoiceField(label="فوریت", choices=Urgency.choices, initial=Urgency.NORMAL)
    solves = forms.ModelChoiceField(label="مشکلی که این راهکار حل می‌کند", queryset=UnitReport.objects.none(),
                                    required=False, empty_label="— بدون پیوند —",
                                    help_text="فقط برای گزارش راهکار.")
    attachments = MultipleFileField(label="پیوست‌ها (تصویر یا PDF)", required=False,
                                    widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
                                    help_text="حداکثر ۵ پرونده، هر کدام تا ۱۰ مگابایت.")

    def __init__(self, *args, unit, exclude_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        problems = UnitReport.objects.filter(unit=unit, kind=Kind.PROBLEM).exclude(state=State.DRAFT)
        if exclude_pk:
            problems = problems.exclude(pk=exclude_pk)
        self.fields["solves"].queryset = problems.order_by("-sent_at", "-pk")
        self.fields["solves"].error_messages["invalid_choice"] = "این مشکل در فهرست مشکلات فرستاده‌شده واحد نیست."
        for name in ("kind", "source", "urgency"):
            self.fields[name].error_messages["invalid_choice"] = "گزینه‌ای از فهرست برگزینید."

    def clean_attachments(self):
        return check_files(self.cleaned_data.get("attachments") or [], ATTACHMENT_TYPES)

    def clean(self):
        data = super().clean()
        if data.get("solves") and data.get("kind") != Kind.SOLUTION:
            self.add_error("solves", "فقط گزارش راهکار به مشکل پیوند می‌خورد؛ نوع گزارش را «راهکار» کنید.")
        return data


class ActForm(PersianFormMixin, forms.Form):
    """HQ takes a report on (the "act" step): who follows it up at HQ and until when."""

    comment = PersianTextField(label="نظر اداره کل", max_length=3000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    followup_by = forms.ModelChoiceField(label="پیگیری‌کننده در اداره کل", queryset=get_user_model().objects.none(),
                                         empty_label="— برگزینید —")
    followup_due = JalaliDateField(label="مهلت پیگیری")

    def __init__(self, *args, hq_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["followup_by"].queryset = hq_people.order_by("full_name")
        self.fields["followup_by"].label_from_instance = lambda user: user.full_name or user.username
        self.fields["followup_by"].error_messages.update(
            required="پیگیری‌کننده را برگزینید.",
            invalid_choice="پیگیری‌کننده باید از کارکنان روابط عمومی اداره کل باشد.")
        self.fields["followup_due"].error_messages["required"] = "مهلت پیگیری را بنویسید."

    def clean_followup_due(self):
        due = self.cleaned_data["followup_due"]
        if due < timezone.localdate():
            raise ValidationError("مهلت پیگیری نمی‌تواند پیش از امروز باشد.")
        return due
