from django import forms

from ravabet.lib.forms import JalaliDateTimeField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.offices.forms import MobileField

from .models import (
    ContactLog,
    Journalist,
    MediaRequest,
    Outlet,
    OutletKind,
    Party,
    PressSource,
    RequestKind,
    Scope,
    SourceKind,
)


class OutletForm(SubmitTokenMixin, PersianFormMixin, forms.ModelForm):
    name = PersianCharField(label="نام رسانه", max_length=150)
    notes = PersianTextField(label="یادداشت", required=False)

    class Meta:
        model = Outlet
        fields = ["name", "kind", "scope", "phone", "email", "website", "address", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class JournalistForm(SubmitTokenMixin, PersianFormMixin, forms.ModelForm):
    full_name = PersianCharField(label="نام و نام خانوادگی", max_length=150)
    position = PersianCharField(label="سمت", max_length=100, required=False)
    mobile = MobileField(label="تلفن همراه", required=False)
    notes = PersianTextField(label="یادداشت", required=False)

    class Meta:
        model = Journalist
        fields = ["full_name", "outlet", "position", "mobile", "email", "notes", "is_active"]

    def __init__(self, *args, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets
        self.fields["outlet"].empty_label = "— بدون رسانه —"


class RequestForm(SubmitTokenMixin, PersianFormMixin, forms.ModelForm):
    subject = PersianCharField(label="موضوع", max_length=200)
    description = PersianTextField(label="شرح (محور گفت‌وگو، محل، رسانه‌ها)", required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    proposed_at = JalaliDateTimeField(label="زمان پیشنهادی")
    officials = PersianCharField(label="مسئولان و کارکنان حاضر", max_length=300, required=False)

    class Meta:
        model = MediaRequest
        fields = ["kind", "subject", "outlet", "journalist", "proposed_at", "officials", "description"]

    def __init__(self, *args, outlets, journalists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets
        self.fields["journalist"].queryset = journalists
        self.fields["outlet"].empty_label = "— بدون رسانه مشخص —"
        self.fields["journalist"].empty_label = "— بدون خبرنگار مشخص —"
        self.fields["kind"].choices = RequestKind.choices


class DoneForm(PersianFormMixin, forms.Form):
    """What came of an approved request (the step "record_done"): the link is a URL, not Persian text."""

    done_report = PersianTextField(label="گزارش انجام", widget=forms.Textarea(attrs={"rows": 3}),
                                   error_messages={"required": "گزارش کوتاهی از آنچه انجام شد بنویسید."})
    done_link = forms.URLField(label="پیوند خبر یا برنامه", required=False, max_length=500, assume_scheme="https",
                               error_messages={"invalid": "نشانی وب درست نیست؛ با https:// آغاز کنید."},
                               widget=forms.URLInput(attrs={"dir": "ltr"}))


class VisitForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    journalist = forms.ModelChoiceField(label="خبرنگار (از فهرست)", queryset=Journalist.objects.none(),
                                        required=False, empty_label="— خبرنگار تازه: نامش را در زیر بنویسید —")
    journalist_name = PersianCharField(label="یا نام خبرنگار", max_length=150, required=False)
    outlet_name = PersianCharField(label="رسانه", max_length=150, required=False)
    arrived_at = JalaliDateTimeField(label="زمان مراجعه")
    purpose = PersianTextField(label="موضوع خبر یا گزارش", widget=forms.Textarea(attrs={"rows": 3}))
    coordinated_with_hq = forms.BooleanField(label="خبرنگار پیش‌تر با روابط عمومی اداره کل هماهنگ کرده است",
                                             required=False)

    def __init__(self, *args, journalists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journalist"].queryset = journalists

    def clean(self):
        data = super().clean()
        if not data.get("journalist") and not data.get("journalist_name"):
            self.add_error("journalist_name", "نام خبرنگار را بنویسید یا از فهرست برگزینید.")
        return data


class OutcomeForm(PersianFormMixin, forms.Form):
    outcome = PersianTextField(label="نتیجه مراجعه", widget=forms.Textarea(attrs={"rows": 2}))


class ContactForm(SubmitTokenMixin, PersianFormMixin, forms.ModelForm):
    contacted_at = JalaliDateTimeField(label="زمان")
    party_name = PersianCharField(label="نام طرف ارتباط", max_length=150)
    subject = PersianCharField(label="موضوع", max_length=200)
    outcome = PersianTextField(label="نتیجه", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hq_coordination = PersianCharField(label="هماهنگی با اداره کل (با چه کسی، چگونه)", max_length=200,
                                       required=False)

    class Meta:
        model = ContactLog
        fields = ["contacted_at", "party", "party_name", "subject", "hq_coordination", "media_request", "outcome"]

    def __init__(self, *args, requests=None, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["media_request"]
        field.queryset = requests if requests is not None else MediaRequest.objects.none()
        field.empty_label = "— بدون درخواست مجوز —"
        field.label_from_instance = lambda item: f"{item.get_kind_display()}: {item.subject}"
        # What HQ has already judged stays as it was (services.contact_update refuses a change too).
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = "اداره کل درباره این هماهنگی نظر داده است؛ ویرایش نمی‌شود."


class InvitationForm(PersianFormMixin, forms.Form):
    outlet = forms.ModelChoiceField(label="رسانه", queryset=Outlet.objects.none(), empty_label="— رسانه را برگزینید —",
                                    error_messages={"required": "رسانه‌ای را برگزینید.",
                                                    "invalid_choice": "این رسانه در فهرست نیست."})

    def __init__(self, *args, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets


ATTENDANCE = [("", "نامعلوم"), ("yes", "حاضر بود"), ("no", "نیامد")]


class InvitationRecordForm(PersianFormMixin, forms.Form):
    attended = forms.TypedChoiceField(label="حضور", choices=ATTENDANCE, required=False, empty_value=None,
                                      coerce=lambda value: {"yes": True, "no": False}.get(value))
    coverage_link = forms.URLField(label="پیوند پوشش خبری", required=False, max_length=500, assume_scheme="https",
                                   error_messages={"invalid": "نشانی وب درست نیست؛ با https:// آغاز کنید."},
                                   widget=forms.URLInput(attrs={"dir": "ltr"}))


class SourceForm(PersianFormMixin, forms.ModelForm):
    name = PersianCharField(label="نام منبع", max_length=150)
    url = forms.URLField(label="نشانی خوراک (RSS یا Atom)", max_length=500, assume_scheme="https",
                         error_messages={"invalid": "نشانی خوراک درست نیست؛ مانند https://example.ir/rss"},
                         widget=forms.URLInput(attrs={"dir": "ltr"}))

    class Meta:
        model = PressSource
        fields = ["name", "kind", "url", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("فقط نشانی‌های http و https پذیرفته می‌شود.")
        return url


class KeywordForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    text = PersianCharField(label="کلیدواژه", max_length=80)


# Choices used by list filters.
FILTERS = {"kind": OutletKind.choices, "scope": Scope.choices, "party": Party.choices, "source": SourceKind.choices}
