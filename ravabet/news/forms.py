from django import forms

from ravabet.lib.digits import to_latin_digits
from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.lib.text import has_bidi_control
from ravabet.occasions.selectors import calendar_choices
from ravabet.photos.forms import LibraryPhotoField, MultipleImageField
from ravabet.photos.selectors import library_choices

from .models import NewsKind, NewsSettings


class NewsForm(PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع", choices=NewsKind.choices, initial=NewsKind.NEWS,
                             help_text="دستاورد پیش از انتشار به تأیید رئیس اداره و رئیس روابط عمومی اداره کل می‌رسد.")
    title = PersianCharField(label="تیتر", max_length=200)
    lead = PersianTextField(label="لید (خلاصه خبر)", max_length=600, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label="متن خبر", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text="پاراگراف‌ها را با یک خط خالی جدا کنید. برچسب‌های ساده (پررنگ، فهرست، پیوند) مجازند.")
    news_date = JalaliDateField(label="تاریخ خبر")
    occasion = PersianCharField(label="مناسبت یا رویداد مرتبط", max_length=200, required=False)
    occasion_ref = forms.ModelChoiceField(label="مناسبت تقویم", queryset=None, required=False,
                                          help_text="اگر خبر درباره یکی از مناسبت‌های تقویم است، آن را برگزینید.")
    tags = PersianCharField(label="برچسب‌ها", max_length=300, required=False, help_text="با ویرگول جدا کنید.")
    photos = MultipleImageField(label="عکس‌های تازه", help_text="یک یا چند عکس افقی باکیفیت (JPEG، PNG یا WebP).")
    library_photos = LibraryPhotoField(
        label="عکس‌های کتابخانه واحد", queryset=None,
        help_text="عکس‌هایی که پیش‌تر بارگذاری شده‌اند؛ عکسی که در خبر دیگری هم آمده باز قابل انتخاب است.")

    def __init__(self, *args, unit=None, news=None, **kwargs):
        super().__init__(*args, **kwargs)
        attached = news.news_photos.values_list("photo_id", flat=True) if news is not None else ()
        self.fields["occasion_ref"].queryset = calendar_choices(keep=news.occasion_ref_id if news is not None else None)
        choices = library_choices(unit, exclude_ids=attached) if unit is not None else None
        if choices is None or not choices.exists():
            del self.fields["library_photos"]
        else:
            self.fields["library_photos"].queryset = choices

    def clean_body(self):
        body = self.cleaned_data["body"]
        if has_bidi_control(body):
            raise forms.ValidationError("متن نویسه‌های کنترلی جهت دارد که نمایش آن را وارونه می‌کند؛ آن‌ها را پاک کنید.")
        return body

    def clean(self):
        data = super().clean()
        if data.get("occasion_ref") and not data.get("occasion"):
            data["occasion"] = data["occasion_ref"].title
        return data

    def clean_tags(self):
        tags = [tag.strip() for tag in self.cleaned_data["tags"].replace(",", "،").split("،") if tag.strip()]
        return "، ".join(dict.fromkeys(tags))

    def text_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in
                ("kind", "title", "lead", "body", "news_date", "occasion", "occasion_ref", "tags")}


def form_initial(news) -> dict:
    """The edit form's starting values: the body as typed text, not the stored HTML."""
    from .text import editable_body

    initial = {name: getattr(news, name) for name in ("kind", "title", "lead", "news_date", "occasion", "tags")}
    initial["occasion_ref"] = news.occasion_ref_id
    return {**initial, "body": editable_body(news.body)}


class TwentyFourHourField(forms.TimeField):
    """A time typed as 13:30 in Persian or Latin digits. Not <input type="time">: Chromium draws that
    with the system's AM/PM, which Persian office hours never use."""

    widget = forms.TimeInput(attrs={"dir": "ltr", "inputmode": "numeric", "placeholder": "13:00",
                                    "autocomplete": "off"}, format="%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S", "%H"])
        kwargs.setdefault("error_messages", {"invalid": "ساعت را به شکل ۲۴ ساعته بنویسید، مانند ۱۳:۰۰."})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value).replace("٫", ":").strip()
        return super().to_python(value)


class NewsSettingsForm(PersianFormMixin, forms.ModelForm):
    reminder_time = TwentyFourHourField(label="ساعت یادآوری",
                                        help_text="اگر واحدی تا این ساعت در روز کاری خبری نفرستاده باشد یادآوری می‌شود.")

    class Meta:
        model = NewsSettings
        fields = ["reminder_time", "reminders_enabled"]


class NewNewsForm(SubmitTokenMixin, NewsForm):
    """The form of a new item: with the one-time token, so a double submit makes one draft (issue 13)."""
