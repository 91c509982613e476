from django import forms

from ravabet.lib.digits import to_persian_digits
from ravabet.lib.forms import (
    JalaliDateField,
    JalaliDateTimeField,
    PersianCharField,
    PersianFormMixin,
    PersianTextField,
)
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.lib.validators import MOBILE_RE, normalize_mobile
from ravabet.occasions.selectors import calendar_choices
from ravabet.offices.models import Person, Unit

from .models import (
    TICKER_LIMITS,
    ColleagueTitle,
    DeceasedTitle,
    Kind,
    Kinship,
    OfficialBody,
    Relation,
    StaffGroup,
    TickerKind,
)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} — {person.unit.name}" if person.position == "" else \
            f"{person.full_name} ({person.position}) — {person.unit.name}"


class AnnouncementForm(PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع اطلاعیه", choices=Kind.choices)
    title = PersianCharField(label="عنوان", max_length=150)
    body = PersianTextField(label="متن", widget=forms.Textarea(attrs={"rows": 5}))
    occasion = PersianCharField(label="مناسبت یا شخص موضوع پیام", max_length=150, required=False,
                                help_text="برای تبریک، تسلیت و مناسبت بنویسید (مانند «روز مهندس» یا نام درگذشته).")
    occasion_ref = forms.ModelChoiceField(label="مناسبت تقویم", queryset=None, required=False,
                                          help_text="اگر پیام برای یکی از مناسبت‌های تقویم است، آن را برگزینید.")
    via_app = forms.BooleanField(label="اعلان درون‌سامانه", required=False, initial=True)
    via_sms = forms.BooleanField(label="پیامک", required=False)
    via_email = forms.BooleanField(label="ایمیل", required=False)
    target_units = forms.ModelMultipleChoiceField(label="همه کارکنان این واحدها", queryset=Unit.objects.none(),
                                                  required=False, widget=forms.CheckboxSelectMultiple)
    groups = forms.ModelMultipleChoiceField(label="گروه‌ها", queryset=StaffGroup.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    # Rendered by the template as a search picker (HQ may address some 1,800 people): only the
    # chosen ones and the current search results are on the page.
    people = PeopleChoiceField(label="افراد برگزیده", queryset=Person.objects.none(), required=False,
                               widget=forms.MultipleHiddenInput)
    send_at = JalaliDateTimeField(label="زمان ارسال", required=False,
                                  help_text="خالی یعنی همین حالا؛ یا تاریخ و ساعت شمسی، مانند ۱۴۰۵/۰۹/۱۰ ۰۸:۰۰.")
    confirm_duplicate = forms.BooleanField(
        label="می‌دانم پیام همانندی پیش‌تر فرستاده شده و باز هم می‌فرستم", required=False)
    override_reason = PersianCharField(label="علت فرستادن با وجود پیام همانند", max_length=300, required=False)

    def __init__(self, *args, unit_ids: list[int], keep_occasion: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion_ref"].queryset = calendar_choices(keep=keep_occasion or None)
        self.fields["target_units"].queryset = Unit.objects.filter(pk__in=unit_ids, is_active=True).order_by("path")
        self.fields["groups"].queryset = StaffGroup.objects.filter(unit_id__in=unit_ids).select_related("unit")
        if len(unit_ids) > 1:
            # HQ sees every unit's groups: «رانندگان» alone would not say whose drivers.
            self.fields["groups"].label_from_instance = lambda group: f"{group.name} — {group.unit.name}"
        self.fields["people"].queryset = Person.objects.filter(unit_id__in=unit_ids, is_active=True) \
            .select_related("unit").order_by("unit__path", "full_name")

    def clean(self):
        data = super().clean()
        if data.get("occasion_ref") and not data.get("occasion"):
            data["occasion"] = data["occasion_ref"].title
        return data


def initial_from_post(form: forms.Form, data) -> dict:
    """What was typed, as initial values: the form is shown again (after a people search without
    JavaScript) without being validated, so no error appears on fields not filled in yet."""
    initial = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            initial[name] = data.getlist(name)
        elif isinstance(field, forms.BooleanField):
            initial[name] = data.get(name) in ("on", "true", "1")
        else:
            initial[name] = data.get(name, "")
    return initial


def people_search(unit_ids: list[int], query: str, *, exclude=(), limit: int = 30):
    """Active people of the given units whose name, position, mobile or unit matches the query,
    and whether more matched than are shown."""
    from django.db.models import Q

    from ravabet.lib.digits import to_latin_digits
    from ravabet.lib.text import normalize

    query = normalize(query)
    if not query:
        return [], False
    people = Person.objects.filter(unit_id__in=unit_ids, is_active=True).exclude(pk__in=list(exclude))
    for word in query.split()[:4]:
        people = people.filter(Q(full_name__icontains=word) | Q(position__icontains=word)
                               | Q(mobile__contains=to_latin_digits(word)) | Q(unit__name__icontains=word))
    found = list(people.select_related("unit").order_by("full_name", "pk")[:limit + 1])
    return found[:limit], len(found) > limit


class ImportForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    file = forms.FileField(label="پرونده اکسل فهرست کارکنان",
                           help_text="ستون‌ها: نام، شماره همراه، و اگر دارید سمت، ایمیل و گروه.")


class GroupForm(PersianFormMixin, forms.Form):
    name = PersianCharField(label="نام گروه", max_length=120)
    members = PeopleChoiceField(label="اعضا", queryset=Person.objects.none(), required=False,
                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, unit: Unit, group: StaffGroup | None = None, **kwargs):
        from django.db.models import Exists, OuterRef, Value

        super().__init__(*args, **kwargs)
        # The members first, so an edit shows who is in the group without scrolling the whole staff.
        is_member = Exists(StaffGroup.members.through.objects.filter(staffgroup=group, person=OuterRef("pk"))) \
            if group else Value(False)
        self.fields["members"].queryset = Person.objects.filter(unit=unit, is_active=True) \
            .annotate(is_member=is_member).order_by("-is_member", "full_name")
        # All are of this one unit: the unit's name after every person says nothing.
        self.fields["members"].label_from_instance = \
            lambda person: f"{person.full_name} ({person.position})" if person.position else person.full_name


class TickerForm(PersianFormMixin, forms.Form):
    kind = forms.ChoiceField(label="نوع", choices=TickerKind.choices,
                             help_text="سقف نویسه‌ها: " + "، ".join(f"{TickerKind(k).label} {to_persian_digits(v)}"
                                                                for k, v in TICKER_LIMITS.items()))
    occasion_ref = forms.ModelChoiceField(label="مناسبت تقویم", queryset=None, required=False,
                                          help_text="مناسبت را از تقویم برگزینید، یا اگر در تقویم نیست بنویسید.")
    occasion = PersianCharField(label="مناسبت", max_length=150, required=False)
    occasion_date = JalaliDateField(label="تاریخ مناسبت", required=False)
    text = PersianTextField(label="متن", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion_ref"].queryset = calendar_choices(keep=self.initial.get("occasion_ref"))

    def clean(self):
        data = super().clean()
        chosen = data.get("occasion_ref")
        if chosen:
            data["occasion"] = data.get("occasion") or chosen.title
            data["occasion_date"] = data.get("occasion_date") or chosen.date
        elif not data.get("occasion") and "occasion" not in self.errors:
            self.add_error("occasion", "مناسبت را از تقویم برگزینید یا نام آن را بنویسید.")
        kind, text = data.get("kind"), data.get("text") or ""
        if kind in TICKER_LIMITS and len(text) > TICKER_LIMITS[kind]:
            self.add_error("text", f"متن {TickerKind(kind).label} حداکثر {to_persian_digits(TICKER_LIMITS[kind])} "
                                   f"نویسه است؛ این متن {to_persian_digits(len(text))} نویسه دارد.")
        return data


class NewTickerForm(SubmitTokenMixin, TickerForm):
    """A new text: its one-time token makes the form sent twice one text (issue 13 §7)."""


class BannerForm(PersianFormMixin, forms.Form):
    deceased_title = forms.ChoiceField(label="عنوان درگذشته", required=False,
                                       choices=[("", "بی‌عنوان"), *DeceasedTitle.choices])
    deceased_name = PersianCharField(label="نام درگذشته", max_length=120)
    position = PersianCharField(label="سمت", max_length=120, required=False)
    relation = forms.ChoiceField(label="نسبت با اداره", choices=Relation.choices)
    kinship = forms.ChoiceField(label="نسبت درگذشته با همکار (اگر از بستگان همکار است)", required=False,
                                choices=[("", "—"), *Kinship.choices])
    bereaved_title = forms.ChoiceField(label="عنوان همکار داغدار", required=False,
                                       choices=[("", "—"), *ColleagueTitle.choices])
    bereaved = PersianCharField(label="نام همکار داغدار (اگر درگذشته از بستگان همکار است)", max_length=120,
                                required=False)
    funeral_at = JalaliDateTimeField(label="زمان تشییع", required=False)
    funeral_place = PersianCharField(label="محل تشییع", max_length=200, required=False)
    memorial_at = JalaliDateTimeField(label="زمان مراسم ترحیم", required=False)
    memorial_place = PersianCharField(label="محل مراسم ترحیم", max_length=200, required=False)
    text = PersianTextField(label="متن بنر", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="خالی بگذارید تا متن رسمی از روی اطلاعات بالا نوشته شود.")
    photo = forms.FileField(label="عکس (اختیاری)", required=False, help_text="JPEG، PNG یا WebP تا ۸ مگابایت.")

    def clean(self):
        data = super().clean()
        if data.get("relation") == "family":
            if not data.get("bereaved"):
                self.add_error("bereaved", "نام همکاری را که عزادار است بنویسید.")
            if not data.get("kinship"):
                self.add_error("kinship", "نسبت درگذشته با همکار را برگزینید (پدر، مادر، همسر...).")
            if not data.get("bereaved_title"):
                self.add_error("bereaved_title", "«جناب آقای» یا «سرکار خانم» را برگزینید.")
        else:
            data["kinship"], data["bereaved_title"] = "", data.get("bereaved_title") or ""
        return data


class NewBannerForm(SubmitTokenMixin, BannerForm):
    """A new request: its one-time token makes the form sent twice one banner and one SMS (issue 13 §7)."""


class CondolenceTemplateForm(PersianFormMixin, forms.Form):
    """HQ's customary condolence text for a relation and kinship (B8)."""

    relation = forms.ChoiceField(label="نسبت با اداره", choices=Relation.choices)
    kinship = forms.ChoiceField(label="نسبت درگذشته با همکار", required=False,
                                choices=[("", "همه نسبت‌هایی که متن جداگانه ندارند"), *Kinship.choices])
    text = PersianTextField(label="متن", widget=forms.Textarea(attrs={"rows": 5}))


class InstalledForm(PersianFormMixin, forms.Form):
    photo = forms.FileField(label="عکس بنر نصب‌شده")


class OfficialForm(PersianFormMixin, forms.Form):
    """An official of the region in the register (B2)."""

    full_name = PersianCharField(label="نام و نام خانوادگی", max_length=120)
    title = PersianCharField(label="سمت", max_length=150)
    body = forms.ChoiceField(label="نهاد", choices=OfficialBody.choices)
    organisation = PersianCharField(label="نام نهاد", max_length=150, required=False)
    mobile = forms.CharField(label="شماره همراه", max_length=20, required=False)
    email = forms.EmailField(label="ایمیل", required=False)
    receives_achievements = forms.BooleanField(label="دستاوردها برایش فرستاده شود", required=False, initial=True)
    is_active = forms.BooleanField(label="فعال", required=False, initial=True)

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile") or "")
        if mobile and not MOBILE_RE.match(mobile):
            raise forms.ValidationError("شماره همراه باید ۱۱ رقم و با ۰۹ آغاز شود.")
        return mobile

    def clean(self):
        data = super().clean()
        if data.get("receives_achievements") and not (data.get("mobile") or data.get("email")) \
                and not self.errors.get("mobile") and not self.errors.get("email"):
            self.add_error("mobile", "برای فرستادن دستاوردها، شماره همراه یا ایمیل را بنویسید.")
        return data
