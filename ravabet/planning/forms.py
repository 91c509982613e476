from django import forms
from django.core.exceptions import ValidationError

from ravabet.compliance.catalog import sections as catalog_sections
from ravabet.lib import jalali
from ravabet.lib.forms import (
    JalaliDateField,
    JalaliDateTimeField,
    PersianCharField,
    PersianFormMixin,
    PersianTextField,
)
from ravabet.lib.uploads import clean_upload
from ravabet.offices.forms import MobileField
from ravabet.offices.models import Person

from .models import (
    Channel,
    Decision,
    Guest,
    ItemMeasure,
    Meeting,
    MeetingKind,
    MonthlyReport,
    Plan,
    PlanItem,
    PlanningSettings,
    Platform,
    Training,
)

CERTIFICATE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
MONTH_CHOICES = [(number, jalali.month_name(number)) for number in range(1, 13)]


def _people(unit):
    return Person.objects.filter(unit=unit, is_active=True).order_by("full_name")


class PlanForm(PersianFormMixin, forms.ModelForm):
    title = PersianCharField(label="عنوان", max_length=200, required=False)
    month = forms.TypedChoiceField(label="ماه", coerce=int, empty_value=None, required=False,
                                   choices=[("", "برنامه سالانه (همه سال)")] + MONTH_CHOICES)

    class Meta:
        model = Plan
        fields = ["year", "month", "title"]
        error_messages = {"year": {"min_value": "سال را شمسی بنویسید، مانند ۱۴۰۵.",
                                   "max_value": "سال را شمسی بنویسید، مانند ۱۴۰۵.",
                                   "invalid": "سال را با رقم بنویسید."}}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        if not self.instance.pk:
            self.initial.setdefault("year", jalali.current_month()[0])


def grouped_item_choices():
    """The instruction's 36 items under their six sections, for a searchable checkbox list."""
    return [(f"{section.letter}. {section.title}", [(item.code, item.text) for item in section.items])
            for section in catalog_sections()]


class CodePicker(forms.CheckboxSelectMultiple):
    """Checkboxes grouped by the instruction's sections, with a filter box (planning/code_picker.js)."""

    template_name = "planning/widgets/code_picker.html"


class PlanItemForm(PersianFormMixin, forms.ModelForm):
    title = PersianCharField(label="کار", max_length=250)
    codes = forms.MultipleChoiceField(label="بندهای دستورالعمل", choices=grouped_item_choices,
                                      widget=CodePicker,
                                      error_messages={"invalid_choice": "بند دستورالعمل «%(value)s» ناشناخته است."})
    target_date = JalaliDateField(label="هدف (انجام تا تاریخ)", required=False)
    due_date = JalaliDateField(label="سررسید")
    measure = forms.ChoiceField(label="سنجش پیشرفت", choices=ItemMeasure.choices, required=False,
                                initial=ItemMeasure.INDICATOR,
                                help_text="«سوابق پیوندشده»: تنها سوابقی که به این کار پیوند می‌دهید شمرده می‌شود.")

    class Meta:
        model = PlanItem
        fields = ["title", "codes", "measure", "target_count", "target_date", "owner", "due_date"]

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(unit)
        self.fields["owner"].empty_label = "—"
        self.fields["codes"].error_messages["required"] = "دست‌کم یک بند دستورالعمل را برای این کار برگزینید."

    def clean_measure(self):
        return self.cleaned_data.get("measure") or ItemMeasure.INDICATOR

    @property
    def changed_data(self):
        # A row left empty (its measure not posted, so the default) is not a new item.
        changed = super().changed_data
        if not self.data.get(self.add_prefix("measure")):
            changed = [name for name in changed if name != "measure"]
        return changed


class BasePlanItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not kept:
            raise ValidationError("دست‌کم یک بند برای برنامه بنویسید.")


PlanItemFormSet = forms.inlineformset_factory(Plan, PlanItem, form=PlanItemForm, formset=BasePlanItemFormSet,
                                              extra=2, can_delete=True)


class MeetingForm(PersianFormMixin, forms.ModelForm):
    title = PersianCharField(label="موضوع", max_length=200)
    place = PersianCharField(label="محل", max_length=200)
    starts_at = JalaliDateTimeField(label="آغاز")
    ends_at = JalaliDateTimeField(label="پایان")
    agenda = PersianTextField(label="دستور جلسه", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="پیش از جلسه با دعوت‌نامه برای شرکت‌کنندگان فرستاده می‌شود.")
    minutes = PersianTextField(label="صورت‌جلسه", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    present = forms.ModelMultipleChoiceField(label="حاضران", queryset=Person.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    absent = forms.ModelMultipleChoiceField(label="غایبان", queryset=Person.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "place", "agenda", "minutes"]

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["kind"].choices = [("", "— نوع جلسه را برگزینید —"), *MeetingKind.choices]
        people = _people(unit)
        self.fields["present"].queryset = people
        self.fields["absent"].queryset = people
        if self.instance.pk:
            attendances = list(self.instance.attendances.all())
            self.initial["present"] = [a.person_id for a in attendances if a.present]
            self.initial["absent"] = [a.person_id for a in attendances if not a.present]

    def clean(self):
        data = super().clean()
        both = set(data.get("present") or []) & set(data.get("absent") or [])
        if both:
            self.add_error("absent", "«" + "، ".join(p.full_name for p in both) + "» هم حاضر زده شده و هم غایب.")
        return data


class DecisionForm(PersianFormMixin, forms.ModelForm):
    text = PersianCharField(label="مصوبه", max_length=500)
    due_date = JalaliDateField(label="مهلت")

    class Meta:
        model = Decision
        fields = ["text", "owner", "due_date", "done"]

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(unit)
        self.fields["owner"].empty_label = "—"


DecisionFormSet = forms.inlineformset_factory(Meeting, Decision, form=DecisionForm, extra=2, can_delete=True)


class GuestForm(PersianFormMixin, forms.ModelForm):
    """An outside attendee of a meeting (A3): name and organisation, a mobile for the SMS invitation."""

    full_name = PersianCharField(label="نام و نام خانوادگی", max_length=120)
    organisation = PersianCharField(label="سازمان یا نهاد", max_length=150)
    mobile = MobileField(label="شماره همراه", required=False)

    class Meta:
        model = Guest
        fields = ["full_name", "organisation", "mobile", "present"]


GuestFormSet = forms.inlineformset_factory(Meeting, Guest, form=GuestForm, extra=1, can_delete=True)


class SignedMinutesForm(forms.Form):
    """The signed minutes of a meeting (A3/F6), scanned or photographed: PDF or image."""

    signed_minutes = forms.FileField(label="صورت‌جلسه امضاشده (PDF یا تصویر)",
                                     error_messages={"required": "پرونده صورت‌جلسه امضاشده را برگزینید."})

    def clean_signed_minutes(self):
        upload = self.cleaned_data["signed_minutes"]
        clean_upload(upload, allowed=CERTIFICATE_TYPES, max_bytes=CERTIFICATE_MAX_BYTES)
        return upload


class TrainingForm(PersianFormMixin, forms.ModelForm):
    title = PersianCharField(label="عنوان", max_length=200)
    provider = PersianCharField(label="برگزارکننده", max_length=200, required=False)
    date = JalaliDateField(label="تاریخ")
    hours = forms.DecimalField(label="ساعت", max_digits=6, decimal_places=1,
                               error_messages={"invalid": "ساعت را با رقم بنویسید.",
                                               "max_digits": "ساعت بیش از اندازه است.",
                                               "max_decimal_places": "ساعت را با حداکثر یک رقم اعشار بنویسید."})
    certificate = forms.FileField(label="گواهی (PDF یا تصویر)", required=False)

    class Meta:
        model = Training
        fields = ["person", "kind", "title", "provider", "hours", "date", "certificate"]

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["person"].queryset = _people(unit)
        self.fields["person"].error_messages["invalid_choice"] = "این فرد در فهرست کارکنان واحد نیست."
        hours = self.instance.hours
        if hours is not None and hours == int(hours):
            self.initial["hours"] = int(hours)  # "16", not "16.0"

    def clean_hours(self):
        from ravabet.lib.digits import to_persian_digits

        from .models import MAX_TRAINING_HOURS

        hours = self.cleaned_data["hours"]
        if hours is not None and hours <= 0:
            raise ValidationError("ساعت آموزش باید بیش از صفر باشد.")
        if hours is not None and hours > MAX_TRAINING_HOURS:
            raise ValidationError(f"یک دوره آموزشی حداکثر {to_persian_digits(MAX_TRAINING_HOURS)} ساعت است؛ "
                                  "دوره‌های بلندتر را در چند بند بنویسید.")
        return hours

    def clean_date(self):
        from django.utils import timezone

        date = self.cleaned_data.get("date")
        if date and date > timezone.localdate():
            raise ValidationError("تاریخ پایان آموزش در آینده است؛ آموزش را پس از برگزاری ثبت کنید.")
        return date

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload and hasattr(upload, "content_type"):
            clean_upload(upload, allowed=CERTIFICATE_TYPES, max_bytes=CERTIFICATE_MAX_BYTES)
        return upload


class SettingsForm(PersianFormMixin, forms.ModelForm):
    class Meta:
        model = PlanningSettings
        fields = ["yearly_training_hours", "report_due_day", "reminder_days_before"]


class ChannelForm(PersianFormMixin, forms.ModelForm):
    name = PersianCharField(label="نام", max_length=150)
    url = forms.URLField(label="نشانی", required=False, assume_scheme="https",
                         error_messages={"invalid": "نشانی معتبر نیست؛ مانند https://example.ir/page"})

    class Meta:
        model = Channel
        fields = ["platform", "name", "url", "is_active"]

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["platform"].choices = [("", "— نوع کانال را برگزینید —"), *Platform.choices]
        self.fields["url"].widget.attrs["dir"] = "ltr"


class FigureForm(PersianFormMixin, forms.Form):
    year = forms.IntegerField(label="سال", min_value=1390, max_value=1500)
    month = forms.TypedChoiceField(label="ماه", coerce=int, choices=MONTH_CHOICES)
    posts = forms.IntegerField(label="تعداد مطالب", min_value=0)
    members = forms.IntegerField(label="اعضا/دنبال‌کنندگان", min_value=0)
    views = forms.IntegerField(label="بازدید", min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, month = jalali.current_month()
        self.initial.setdefault("year", year)
        self.initial.setdefault("month", month)
        for name in ("year", "posts", "members", "views"):
            self.fields[name].widget.attrs["dir"] = "ltr"
            self.fields[name].error_messages.update({"min_value": "عدد منفی یا نادرست پذیرفته نیست.",
                                                     "max_value": "عدد بیش از اندازه است.",
                                                     "invalid": "با رقم بنویسید."})

    def clean(self):
        data = super().clean()
        _not_future_month(self)
        return data


def _not_future_month(form) -> None:
    data = form.cleaned_data
    if data.get("year") and data.get("month") and (data["year"], data["month"]) > tuple(jalali.current_month()):
        form.add_error("month", "آمار ماهی که هنوز نیامده ثبت نمی‌شود.")


class MonthForm(PersianFormMixin, forms.Form):
    year = forms.IntegerField(label="سال", min_value=1390, max_value=1500,
                              error_messages={"min_value": "سال را شمسی بنویسید.", "max_value": "سال را شمسی بنویسید.",
                                              "invalid": "سال را با رقم بنویسید."})
    month = forms.TypedChoiceField(label="ماه", coerce=int, choices=MONTH_CHOICES)


class ReportTextForm(PersianFormMixin, forms.ModelForm):
    narrative = PersianTextField(label="شرح کارهای ماه", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    problems = PersianTextField(label="مشکلات و چالش‌ها", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    proposals = PersianTextField(label="پیشنهادها", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = MonthlyReport
        fields = ["narrative", "problems", "proposals"]
