import re

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.core.exceptions import ValidationError

from ravabet.lib.digits import format_number, to_latin_digits, to_persian_digits
from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.lib.uploads import clean_upload
from ravabet.lib.validators import PersianMessage
from ravabet.offices.forms import MobileField, NationalCodeField
from ravabet.offices.models import Unit, UnitKind

from .models import QUICK_CHANNELS, Case, Channel, Kind, KindDeadline, Resolution

ALLOWED_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
TEXT_LIMIT = 5000
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")
TAG_MESSAGE = "نشانه‌گذاری HTML (مانند <script>) پذیرفته نیست؛ متن را بدون علامت‌های < و > بنویسید."


class PersianCaptchaInput(CaptchaTextInput):
    """The captcha picture with a Persian description and a "another picture" button (public.js)."""

    template_name = "complaints/widgets/captcha.html"

    def get_context(self, name, value, attrs):
        """The widget context, with the hidden key input (subwidget 0) stripped of `required` and `autocomplete`:
        HTML allows neither on <input type=hidden> (Nu checker errors). The answer box keeps both. A stale key
        (a page restored from the history) is refused like a wrong answer, with a new picture."""
        context = super().get_context(name, value, attrs)
        hidden = context["widget"]["subwidgets"][0]["attrs"]
        for attribute in ("required", "autocomplete"):
            hidden.pop(attribute, None)
        # Safari's `autocorrect` is not in the HTML the Nu checker knows; the answer is digits anyway.
        context["widget"]["subwidgets"][1]["attrs"].pop("autocorrect", None)
        return context


class PersianCaptchaField(CaptchaField):
    """The self-hosted math captcha, accepting the answer in Persian or Arabic digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "پرسش امنیتی: حاصل حساب درون تصویر را بنویسید")
        kwargs.setdefault("help_text", ("مثلاً اگر در تصویر 3+4 دیدید، بنویسید ۷؛ علامت * یعنی ضرب (×). "
                                       "اگر تصویر خوانا نیست، «تصویر دیگر» را بزنید."))
        kwargs.setdefault("widget", PersianCaptchaInput())
        kwargs["error_messages"] = {"invalid": "پاسخ پرسش امنیتی درست نیست؛ پرسش تازه را پاسخ دهید.",
                                    "required": "پاسخ پرسش امنیتی را بنویسید.",
                                    "incomplete": "پاسخ پرسش امنیتی را بنویسید."}
        super().__init__(**kwargs)

    def clean(self, value):
        if isinstance(value, list) and len(value) > 1 and value[1]:
            value[1] = to_latin_digits(value[1])
        return super().clean(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def checked(upload):
    """Check a file by its content; remember the real type for the service."""
    clean_upload(upload, allowed=ALLOWED_TYPES, max_bytes=MAX_FILE_BYTES)  # sets upload.checked_type
    return upload


def no_tags(value: str) -> str:
    if value and TAG.search(value):
        raise ValidationError(TAG_MESSAGE, code="html")
    return value


class CaseFieldsMixin:
    """Subject, text and attachments as both the public and the staff forms take them."""

    def clean_subject(self):
        return no_tags(self.cleaned_data.get("subject", ""))

    def clean_text(self):
        return no_tags(self.cleaned_data.get("text", ""))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"حداکثر {to_persian_digits(MAX_FILES)} پیوست می‌توانید بفرستید.")
        errors = []
        for upload in files:
            try:
                checked(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _case_fields(form):
    form.fields["kind"] = forms.ChoiceField(label="نوع", choices=Kind.choices, initial=Kind.COMPLAINT)
    form.fields["subject"] = PersianCharField(label="موضوع", max_length=200)
    form.fields["text"] = PersianTextField(label="متن", max_length=TEXT_LIMIT,
                                           widget=forms.Textarea(attrs={"rows": 6}),
                                           help_text=f"حداکثر {format_number(TEXT_LIMIT)} نویسه.")
    # A maxlength attribute would make the browser cut a long paste silently; the server explains instead.
    form.fields["text"].widget.attrs.pop("maxlength", None)
    form.fields["citizen_name"] = PersianCharField(label="نام و نام خانوادگی", max_length=120, required=False)
    form.fields["citizen_mobile"] = MobileField(label="شماره همراه", required=False,
                                                help_text="کد رهگیری و پاسخ با پیامک به این شماره فرستاده می‌شود.")
    # The shared placeholder reads like a filled-in number on a phone; "for example" makes it a hint.
    form.fields["citizen_mobile"].widget.attrs["placeholder"] = "مثلاً ۰۹۱۲۳۴۵۶۷۸۹"
    form.fields["citizen_national_code"] = NationalCodeField(label="کد ملی", required=False)
    form.fields["attachments"] = MultipleFileField(
        label="پیوست‌ها (تصویر یا PDF)", required=False,
        help_text=f"حداکثر {to_persian_digits(MAX_FILES)} پرونده JPEG، PNG، WebP یا PDF، هر کدام تا ۵ مگابایت.")


SURVEY_CONSENT_HELP = (
    "اختیاری است و در رسیدگی به پرونده‌تان اثری ندارد. اگر تیک بزنید، این اداره گاهی پیوند یک نظرسنجی را به همین "
    "شماره پیامک می‌کند؛ شماره‌تان به کس دیگری داده نمی‌شود. هر پیامک دعوت یک پیوند «انصراف» دارد که با زدن آن "
    "دیگر دعوتی نمی‌گیرید.")


class PublicCaseForm(SubmitTokenMixin, CaseFieldsMixin, PersianFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="اداره", queryset=Unit.objects.none(), empty_label="اداره را برگزینید",
                                  error_messages={"invalid_choice": "این اداره در فهرست نیست."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("name")
        _case_fields(self)
        self.fields["citizen_name"].help_text = "اگر نمی‌خواهید نامتان دیده شود، خالی بگذارید."
        # Before submitting, the citizen sees how long an answer takes for each kind (HQ's working days).
        days = KindDeadline.table()
        self.fields["kind"].choices = [(value, f"{label} — پاسخ تا {to_persian_digits(days[value])} روز کاری")
                                       for value, label in Kind.choices]
        self.fields["kind"].help_text = ("روز کاری: بی‌جمعه و تعطیلات رسمی. پس از گذشت مهلت اگر پاسخی نرسید، "
                                         "از صفحه پیگیری می‌توانید از اداره کل پیگیری بخواهید.")
        # Issue 17 §2: citizens are invited to surveys only with their explicit consent, unticked by default.
        self.fields["survey_consent"] = forms.BooleanField(
            label="اجازه می‌دهم این اداره برای نظرسنجی‌هایش به شماره همراهم پیامک دعوت بفرستد.", required=False,
            initial=False, help_text=SURVEY_CONSENT_HELP,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
        self.fields["captcha"] = PersianCaptchaField()
        self.fields["captcha"].widget.attrs.update({"class": "form-control", "dir": "ltr", "inputmode": "numeric",
                                                    "autocomplete": "off"})
        super_init_styles(self)

    def file_case(self, ip_address: str | None) -> Case:
        """Validate this form and file its case through `complaints.services.case_submit` (D2; the page and the
        API both). In: the sender's IP address (str or None). Out: the saved Case. Raises
        `lib.idempotency.Invalid` when the form does not validate (its errors are on the form), and what
        `case_submit` raises (ValidationError). Meant to run inside `lib.idempotency.create_once`, so the form,
        with its one-time captcha, is checked after the submit token is claimed (issue 13 point 7)."""
        from ravabet.lib.idempotency import Invalid

        from . import services

        if not self.is_valid():
            raise Invalid
        data = self.cleaned_data
        return services.case_submit(
            unit=data["unit"], kind=data["kind"], subject=data["subject"], text=data["text"],
            citizen_name=data["citizen_name"], citizen_mobile=data["citizen_mobile"],
            citizen_national_code=data["citizen_national_code"], attachments=data.get("attachments") or [],
            ip_address=ip_address, survey_consent=data["survey_consent"])

    def spend_captcha(self) -> None:
        """Use up the sent captcha picture (`captcha_0`): one attempt per picture, as django-simple-captcha's
        `clean` intends. Called when a form validated inside `lib.idempotency.create_once` was not filed, since
        that transaction's rollback also undid the captcha's deletion. Returns None; raises nothing."""
        if key := self.data.get("captcha_0"):
            CaptchaStore.objects.filter(hashkey=str(key)).delete()

    def clean(self):
        data = super().clean()
        if data.get("survey_consent") and not data.get("citizen_mobile") and "citizen_mobile" not in self.errors:
            self.add_error("survey_consent", "برای دعوت به نظرسنجی، شماره همراه را بنویسید یا این گزینه را بردارید.")
        return data


def super_init_styles(form):
    """Fields added after PersianFormMixin ran get its classes, messages and number box too."""
    from ravabet.lib.forms import _persian_number_field, _persian_text_field

    for field in form.fields.values():
        if isinstance(field, forms.IntegerField) and not isinstance(field.widget, forms.HiddenInput):
            _persian_number_field(field)  # Persian, Arabic or Latin digits in; Persian shown
        elif isinstance(field, forms.CharField):
            _persian_text_field(field)  # a live counter, never a maxlength that cuts a paste (issue 12 §10)
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.MultiWidget):
            widget.attrs.setdefault("class", "form-control")
        field.error_messages["required"] = "این بخش را پر کنید."
        if getattr(field, "max_length", None):
            field.error_messages["max_length"] = PersianMessage(
                f"این متن حداکثر {format_number(field.max_length)} نویسه می‌تواند باشد"
                " (اکنون %(show_value)s نویسه است).")


def subject_from(text: str, limit: int = 60) -> str:
    """A subject from the first words of the text, cut at a word boundary."""
    first_line = " ".join(text.split())
    if len(first_line) <= limit:
        return first_line
    return first_line[:limit].rsplit(" ", 1)[0] + "…"


class QuickCaseForm(SubmitTokenMixin, CaseFieldsMixin, PersianFormMixin, forms.Form):
    """The PR officer's form while the citizen is on the phone: only the text is required."""

    channel = forms.ChoiceField(label="مسیر دریافت", choices=[(c.value, c.label) for c in QUICK_CHANNELS],
                                initial=Channel.PHONE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _case_fields(self)
        self.fields["subject"].required = False
        self.fields["subject"].help_text = "اگر خالی بماند، از آغاز متن ساخته می‌شود."
        # Text first: it is what the caller is saying right now.
        self.order_fields(["channel", "kind", "text", "subject", "citizen_mobile", "citizen_name",
                           "citizen_national_code", "attachments"])
        self.fields["text"].widget.attrs["autofocus"] = True
        super_init_styles(self)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("subject") and cleaned.get("text") and "subject" not in self.errors:
            cleaned["subject"] = subject_from(cleaned["text"])
        return cleaned


class PressFieldsMixin:
    def clean_clipping(self):
        clipping = self.cleaned_data.get("clipping")
        return checked(clipping) if clipping else None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("clipping") and not cleaned.get("press_link") and not self.errors.get("clipping"):
            self.add_error("clipping", "تصویر بریده روزنامه یا پیوند خبر را وارد کنید.")
        return cleaned


def _press_fields(form, required: bool = True):
    form.fields["press_outlet"] = PersianCharField(label="نشریه", max_length=150, required=required)
    form.fields["press_date"] = JalaliDateField(label="تاریخ انتشار", required=required)
    form.fields["press_page"] = PersianCharField(label="صفحه", max_length=20, required=False)
    form.fields["press_link"] = forms.URLField(label="پیوند خبر", required=False, max_length=500,
                                               error_messages={"invalid": "نشانی پیوند درست نیست."},
                                               widget=forms.URLInput(attrs={"dir": "ltr",
                                                                            "placeholder": "https://"}))
    form.fields["clipping"] = forms.FileField(label="تصویر بریده روزنامه (تصویر یا PDF)", required=False,
                                              widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}))


class PressCaseForm(SubmitTokenMixin, PressFieldsMixin, CaseFieldsMixin, PersianFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _case_fields(self)
        for name in ("citizen_name", "citizen_mobile", "citizen_national_code", "attachments"):
            del self.fields[name]
        _press_fields(self)
        super_init_styles(self)


class ForwardForm(SubmitTokenMixin, PressFieldsMixin, CaseFieldsMixin, PersianFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="اداره", queryset=Unit.objects.none(), empty_label="اداره را برگزینید")
    deadline = JalaliDateField(label="مهلت پاسخ")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        _case_fields(self)
        for name in ("citizen_name", "citizen_mobile", "citizen_national_code", "attachments"):
            del self.fields[name]
        _press_fields(self, required=False)
        super_init_styles(self)


class ReferForm(PersianFormMixin, forms.Form):
    person = forms.ChoiceField(label="ارجاع به")
    comment = PersianCharField(label="توضیح", max_length=300, required=False)

    def __init__(self, *args, people=(), head=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("head", f"رئیس اداره — {head.full_name}")] if head else []
        choices += [(str(p.pk), f"{p.full_name}{' — ' + p.position if p.position else ''}")
                    for p in people if not head or p.pk != head.pk]
        self.fields["person"].choices = choices


class AnswerForm(PersianFormMixin, forms.Form):
    answer = PersianTextField(label="پاسخ به شهروند", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="این پاسخ با پیامک برای شهروند فرستاده می‌شود و در صفحه پیگیری دیده می‌شود.")
    attachment = forms.FileField(label="پیوست پاسخ (تصویر یا PDF)", required=False,
                                 help_text="اختیاری؛ JPEG، PNG، WebP یا PDF تا ۵ مگابایت. شهروند آن را در صفحه پیگیری می‌گیرد.",
                                 widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}))

    def clean_answer(self):
        return no_tags(self.cleaned_data.get("answer", ""))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return checked(upload) if upload else None


class TrackForm(PersianFormMixin, forms.Form):
    code = forms.CharField(label="کد رهگیری", max_length=40,
                           widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric",
                                                         "autocomplete": "off", "placeholder": "۱۲۳۴-۵۶۷۸-۹۰۱۲"}))
    mobile = forms.CharField(label="شماره همراهی که با آن ثبت کرده‌اید", max_length=20, required=False,
                             help_text="اگر بی‌نام و بدون شماره همراه ثبت کرده‌اید، خالی بگذارید.",
                             widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}))


class RateForm(forms.Form):
    # The answer the citizen read and rates: a newer one arriving meanwhile is not rated by mistake.
    answer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(label="چقدر از پاسخ راضی هستید؟", coerce=int,
                                    choices=[(5, "۵ — کاملاً راضی"), (4, "۴ — راضی"), (3, "۳ — تا اندازه‌ای"),
                                             (2, "۲ — کم"), (1, "۱ — ناراضی")],
                                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                                    error_messages={"required": "میزان رضایت را برگزینید.",
                                                    "invalid_choice": "رضایت باید عددی از ۱ تا ۵ باشد."})
    resolution = forms.ChoiceField(label="آیا مشکل شما حل شد؟", choices=Resolution.choices,
                                   widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                                   error_messages={"required": "بگویید مشکل حل شد، تا اندازه‌ای حل شد یا حل نشد.",
                                                   "invalid_choice": "یکی از سه گزینه را برگزینید."})


class TransferForm(PersianFormMixin, forms.Form):
    to_unit = forms.ModelChoiceField(label="اداره مقصد", queryset=Unit.objects.none(), empty_label="اداره را برگزینید",
                                     error_messages={"invalid_choice": "این اداره در فهرست نیست.",
                                                     "required": "اداره مقصد را برگزینید."})
    transfer_reason = PersianTextField(label="علت انتقال", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="اداره مقصد و اداره کل آن را می‌بینند؛ به شهروند پیامک می‌شود که "
                                                 "پرونده‌اش به کدام اداره رفت.")

    def __init__(self, *args, exclude_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("name")
        if exclude_unit is not None:
            units = units.exclude(pk=exclude_unit)
        self.fields["to_unit"].queryset = units
        super_init_styles(self)


class EscalateForm(PersianFormMixin, forms.Form):
    escalation_note = PersianTextField(label="توضیح شما برای اداره کل (اختیاری)", max_length=1000, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))


class ObjectForm(PersianFormMixin, forms.Form):
    objection = PersianTextField(label="اگر از پاسخ راضی نیستید، بنویسید چرا", max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="با ثبت اعتراض، پرونده دوباره باز می‌شود و اداره باید دوباره پاسخ دهد.")

    def clean_objection(self):
        return no_tags(self.cleaned_data.get("objection", ""))


class DeadlinesForm(PersianFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        table = KindDeadline.table()
        for value, label in Kind.choices:
            self.fields[value] = forms.IntegerField(
                label=f"{label} (روز کاری)", min_value=1, max_value=90, initial=table[value],
                error_messages={"min_value": "دست‌کم ۱ روز کاری.", "max_value": "حداکثر ۹۰ روز کاری.",
                                "invalid": "یک عدد بنویسید.", "required": "این بخش را پر کنید."})
        super_init_styles(self)
        from .models import ComplaintSettings

        self.fields["transfer_restarts_deadline"] = forms.BooleanField(
            label="با انتقال پرونده به اداره دیگر، مهلت پاسخ از نو شمرده شود", required=False,
            initial=ComplaintSettings.current().transfer_restarts_deadline,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class UnitCaseSettingsForm(forms.Form):
    review_staff_answers = forms.BooleanField(
        label="پاسخ کارکنان پیش از رسیدن به شهروند به بازبینی مسئول روابط عمومی برسد", required=False,
        help_text="کارمندی که پرونده به او ارجاع شده پاسخ را می‌نویسد؛ مسئول روابط عمومی آن را می‌خواند، "
                  "اگر لازم بود اصلاح می‌کند و می‌فرستد، یا با یادداشت بازمی‌گرداند.",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class PeriodForm(PersianFormMixin, forms.Form):
    start = JalaliDateField(label="از تاریخ", required=False)
    end = JalaliDateField(label="تا تاریخ", required=False)
