import datetime as dt

from django import forms

from ravabet.lib.digits import to_latin_digits
from ravabet.lib.forms import JalaliDateTimeField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.lib.instruction import item_short
from ravabet.offices.forms import MobileField
from ravabet.offices.models import Unit
from ravabet.photos.forms import LibraryPhotoField, MultipleImageField

from .models import Condition, EventKind, RunSheetState


class EventForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع", choices=EventKind.choices)
    title = PersianCharField(label="عنوان", max_length=200)
    venue = PersianCharField(label="محل برگزاری", max_length=200)
    starts_at = JalaliDateTimeField(label="زمان برگزاری")
    occasion = forms.ModelChoiceField(label="مناسبت", queryset=None, required=False)
    description = PersianTextField(label="شرح", required=False)

    def __init__(self, *args, occasions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions


class RunSheetRowForm(PersianFormMixin, forms.Form):
    """One row of the run-sheet's single form (prefix r<row id>): the timed programme and who does it."""

    order = forms.IntegerField(label="ردیف", min_value=0, max_value=99, required=False)
    start_time = forms.CharField(label="ساعت شروع", max_length=5, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "۱۰:۳۰",
                                                               "dir": "ltr"}))
    duration = forms.IntegerField(label="مدت (دقیقه)", min_value=1, max_value=600, required=False)
    person = forms.ModelChoiceField(label="مسئول از کارکنان", queryset=None, required=False)
    outside = forms.ModelChoiceField(label="یا شخص بیرونی از فهرست", queryset=None, required=False)
    outside_person = PersianCharField(label="یا نام شخص بیرونی تازه", max_length=150, required=False,
                                      help_text="به فهرست اشخاص بیرونی واحد افزوده می‌شود.")
    state = forms.ChoiceField(label="وضعیت", choices=RunSheetState.choices)
    note = PersianCharField(label="توضیح", max_length=200, required=False)

    helper_unit = forms.ModelChoiceField(label="یا شهرستان همکار", queryset=None, required=False,
                                         help_text="بخشی از مراسم اداره کل که به روابط عمومی شهرستان سپرده می‌شود.")

    field_order = ["order", "start_time", "duration", "person", "outside", "outside_person", "helper_unit", "state",
                   "note"]

    def __init__(self, *args, people, outsiders=(), helper_units=(), **kwargs):
        """`people`: the unit's active staff, `outsiders`: its directory of outside people, `helper_units`: the
        counties an HQ event may give a part (none: no such field) — lists of model instances read once for
        every row, so each row's options are drawn without a query; a sent value is checked against them."""
        super().__init__(*args, **kwargs)
        from django.db.models import fields as model_fields

        from ravabet.offices.models import Person

        from .models import OutsidePerson

        lists = [("person", Person, people, model_fields.BLANK_CHOICE_LABEL),
                 ("outside", OutsidePerson, outsiders, model_fields.BLANK_CHOICE_LABEL)]
        if helper_units:
            lists.append(("helper_unit", Unit, helper_units, "—"))
        else:
            del self.fields["helper_unit"]
        for name, model, objects, blank in lists:
            self.fields[name].queryset = model.objects.filter(pk__in=[o.pk for o in objects])
            self.fields[name].choices = [("", blank), *((o.pk, str(o)) for o in objects)]

    def clean_start_time(self):
        text = to_latin_digits(self.cleaned_data.get("start_time") or "").strip().replace("٫", ":")
        if not text:
            return None
        try:
            return dt.datetime.strptime(text, "%H:%M").time()
        except ValueError:
            raise forms.ValidationError("ساعت را مانند ۱۰:۳۰ بنویسید.") from None

    def clean_order(self):
        return self.cleaned_data.get("order") or 0


class GuestForm(PersianFormMixin, forms.Form):
    name = PersianCharField(label="نام و نام خانوادگی", max_length=120)
    title = PersianCharField(label="سمت یا عنوان", max_length=150, required=False)
    mobile = MobileField(label="شماره همراه", required=False)


class RsvpForm(PersianFormMixin, forms.Form):
    answer = forms.ChoiceField(label="پاسخ", choices=[("accept", "می‌آیم"), ("decline", "نمی‌توانم بیایم")],
                               widget=forms.RadioSelect)
    companions = forms.IntegerField(label="شمار همراهان", min_value=0, max_value=10, initial=0, required=False,
                                    error_messages={"min_value": "شمار همراهان نمی‌تواند منفی باشد.",
                                                    "max_value": "بیش از ۱۰ همراه پذیرفته نیست.",
                                                    "invalid": "شمار همراهان را با عدد بنویسید."})


class CheckInForm(PersianFormMixin, forms.Form):
    token = forms.CharField(label="کد یا پیوند کارت دعوت", max_length=300,
                            widget=forms.TextInput(attrs={"autofocus": True, "dir": "ltr", "autocomplete": "off"}))


class OutsidePersonForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    """An entry of the unit's directory of outside people (issue 15 §5)."""

    full_name = PersianCharField(label="نام و نام خانوادگی", max_length=150)
    role = PersianCharField(label="نقش یا سمت", max_length=150, required=False,
                            help_text="مانند قاری قرآن، سخنران یا سرپرست گروه سرود.")
    mobile = MobileField(label="شماره همراه", required=False)


class SupplyForm(PersianFormMixin, forms.Form):
    name = PersianCharField(label="نام وسیله", max_length=120)
    quantity = forms.IntegerField(label="موجودی", min_value=0,
                                  error_messages={"min_value": "موجودی نمی‌تواند منفی باشد.",
                                                  "invalid": "موجودی را با عدد بنویسید."})
    min_quantity = forms.IntegerField(label="حداقل موجودی لازم", min_value=0, initial=1,
                                      error_messages={"min_value": "نمی‌تواند منفی باشد.",
                                                      "invalid": "با عدد بنویسید."})
    condition = forms.ChoiceField(label="وضعیت", choices=Condition.choices)
    note = PersianCharField(label="توضیح", max_length=200, required=False)


class LoanForm(PersianFormMixin, forms.Form):
    quantity = forms.IntegerField(label="تعداد", min_value=1, initial=1,
                                  error_messages={"min_value": "دست‌کم یک عدد.", "invalid": "با عدد بنویسید."})
    event = forms.ModelChoiceField(label="برای مراسم", queryset=None, required=False)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class EventRecordForm(PersianFormMixin, forms.Form):
    """What ties the ceremony into one record: its coordination meeting (F1) and its news item."""

    meeting = forms.ModelChoiceField(label=f"جلسه هماهنگی ({item_short('F1')})", queryset=None, required=False,
                                     help_text="جلسه هماهنگی این اداره یا اداره کل که در بخش جلسه‌ها ثبت شده است.")
    news = forms.ModelChoiceField(label="خبر مراسم", queryset=None, required=False)

    def __init__(self, *args, meetings, news, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["news"].queryset = news
        self.fields["meeting"].error_messages["invalid_choice"] = "این جلسه در فهرست جلسه‌های هماهنگی نیست."
        self.fields["news"].error_messages["invalid_choice"] = "این خبر در فهرست خبرهای اداره نیست."


class EventPhotoForm(PersianFormMixin, forms.Form):
    """Photos of the ceremony: new files (checked by the F3 rules) or photos already in the library."""

    photos = MultipleImageField(label="عکس‌های تازه", help_text=f"افقی، باکیفیت، بدون عکس تکراری یا تک‌نفره ({item_short('F3')}).")
    library_photos = LibraryPhotoField(label="از کتابخانه عکس واحد", queryset=None)

    def __init__(self, *args, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library_photos"].queryset = library
        if not library:
            del self.fields["library_photos"]

    def clean(self):
        data = super().clean()
        if not data.get("photos") and not data.get("library_photos") and not self.errors:
            raise forms.ValidationError("عکسی برگزیده نشده است؛ پرونده‌ای بدهید یا از کتابخانه انتخاب کنید.")
        return data
