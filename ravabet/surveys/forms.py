from django import forms

from ravabet.lib.digits import to_latin_digits, to_persian_digits
from ravabet.lib.forms import JalaliDateField, PersianCharField, PersianFormMixin, PersianTextField, _persian_text_field
from ravabet.lib.idempotency import SubmitTokenMixin
from ravabet.messaging.staff_import import read_rows
from ravabet.offices.forms import MobileField

from .models import RATING_LABELS, Audience, QuestionKind


class SurveyForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    title = PersianCharField(label="عنوان", max_length=200)
    intro = PersianTextField(label="متن آغاز (برای پاسخ‌دهنده)", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label="مخاطب", choices=Audience.choices)
    invited_only = forms.BooleanField(
        label="فقط با پیوند شخصی پاسخ بگیرد", required=False,
        help_text="برای نظرسنجی مردمی: پیوند عمومی و کد QR پاسخ نمی‌گیرند؛ فقط دعوت‌شدگان، هر کدام یک بار.")
    opens_on = JalaliDateField(label="تاریخ شروع")
    closes_on = JalaliDateField(label="تاریخ پایان")

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "تاریخ پایان نمی‌تواند پیش از تاریخ شروع باشد.")
        if data.get("invited_only") and data.get("audience") == Audience.STAFF:
            self.add_error("invited_only", "نظرسنجی کارکنان همیشه با حساب خود کارکنان پاسخ می‌گیرد؛ این گزینه "
                                           "برای نظرسنجی مردمی است.")
        return data


class NumberField(forms.DecimalField):
    """A number typed with Persian, Arabic or Latin digits, «٫» or «.» as the decimal point and «٬» or «,»
    between thousands."""

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value).replace("٫", ".").replace("٬", "").replace(",", "").strip()
        return super().to_python(value)


class QuestionForm(SubmitTokenMixin, PersianFormMixin, forms.Form):
    text = PersianCharField(label="متن پرسش", max_length=300)
    kind = forms.ChoiceField(label="نوع پرسش", choices=QuestionKind.choices)
    options = PersianTextField(label="گزینه‌ها", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="برای پرسش تک‌گزینه‌ای، چندگزینه‌ای و رتبه‌بندی: هر گزینه در یک سطر.")
    rows = PersianTextField(label="سطرهای جدول", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="برای پرسش جدولی: هر سطر در یک خط؛ هر سطر از ۱ تا ۵ امتیاز می‌گیرد.")
    condition = forms.MultipleChoiceField(
        label="نمایش فقط وقتی", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="خالی بگذارید تا پرسش همیشه نشان داده شود؛ پاسخ‌ها باید از یک پرسش پیشین باشند.")
    required = forms.BooleanField(label="پاسخ الزامی است", required=False, initial=True)

    def __init__(self, *args, earlier=(), **kwargs):
        """`earlier`: the survey's questions before this one; their closed answers may be a condition."""
        super().__init__(*args, **kwargs)
        self.earlier = {q.pk: q for q in earlier if q.is_closed}
        self.fields["condition"].choices = [
            (f"{q.pk}:{value}", f"«{q.text[:60]}» = {q.value_label(value)}")
            for q in self.earlier.values() for value in q.value_choices()]
        if not self.earlier:
            del self.fields["condition"]

    def clean_options(self):
        return [line.strip() for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip()]

    def clean_rows(self):
        return [line.strip() for line in (self.cleaned_data.get("rows") or "").splitlines() if line.strip()]

    def clean_condition(self):
        pairs = [tuple(int(part) for part in item.split(":")) for item in self.cleaned_data.get("condition") or []]
        if len({pk for pk, _ in pairs}) > 1:
            raise forms.ValidationError("پاسخ‌های شرط را از یک پرسش برگزینید.")
        return pairs

    def service_values(self) -> dict:
        """The cleaned data as the arguments of services.question_add / question_update."""
        data = dict(self.cleaned_data)
        pairs = data.pop("condition", [])
        data["show_if"] = self.earlier[pairs[0][0]] if pairs else None
        data["show_if_values"] = [value for _, value in pairs]
        return data

    @staticmethod
    def initial_for(question) -> dict:
        return {"text": question.text, "kind": question.kind, "required": question.required,
                "options": "\n".join(question.options), "rows": "\n".join(question.rows),
                "condition": [f"{question.show_if_id}:{v}" for v in question.show_if_values]
                if question.show_if_id else []}


class AnswerForm(forms.Form):
    """One field per question, named q<id> (a matrix: q<id>_r<row> per row; a ranking: q<id>_i<item> per
    item), in the survey's order. Fields are optional at field level: clean() requires a required
    question only when its condition shows it (the page hides the others as they are answered)."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.groups: dict[int, list[str]] = {}
        for question in self.questions:
            self.groups[question.pk] = []
            for name, field in self._fields_for(question):
                field.required = False
                field.error_messages["invalid_choice"] = "گزینه‌ای از فهرست برگزینید."
                self.fields[name] = field
                self.groups.setdefault(question.pk, []).append(name)
        self._style()

    @staticmethod
    def _fields_for(question):
        label, pk = question.text, question.pk
        ratings = [(v, f"{'۱۲۳۴۵'[v - 1]} — {text}") for v, text in RATING_LABELS.items()]
        if question.kind == QuestionKind.SINGLE:
            yield f"q{pk}", forms.TypedChoiceField(label=label, coerce=int, widget=forms.RadioSelect,
                                                   choices=list(enumerate(question.options)))
        elif question.kind == QuestionKind.MULTIPLE:
            yield f"q{pk}", forms.TypedMultipleChoiceField(label=label, coerce=int,
                                                           widget=forms.CheckboxSelectMultiple,
                                                           choices=list(enumerate(question.options)))
        elif question.kind == QuestionKind.RATING:
            yield f"q{pk}", forms.TypedChoiceField(label=label, coerce=int, widget=forms.RadioSelect, choices=ratings)
        elif question.kind == QuestionKind.NUMBER:
            field = NumberField(label=label, max_digits=18, decimal_places=4,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}))
            field.error_messages["invalid"] = "یک عدد بنویسید، مانند ۱۲ یا ۳٫۵."
            field.error_messages["max_digits"] = field.error_messages["max_whole_digits"] = "عدد بیش از اندازه بزرگ است."
            field.error_messages["max_decimal_places"] = "حداکثر چهار رقم پس از ممیز بنویسید."
            yield f"q{pk}", field
        elif question.kind == QuestionKind.DATE:
            yield f"q{pk}", JalaliDateField(label=label)
        elif question.kind == QuestionKind.MATRIX:
            for index, row in enumerate(question.rows):
                yield f"q{pk}_r{index}", forms.TypedChoiceField(label=row, coerce=int, widget=forms.RadioSelect,
                                                                choices=ratings)
        elif question.kind == QuestionKind.RANKING:
            ranks = [("", "—")] + [(n, to_persian_digits(n)) for n in range(1, len(question.options) + 1)]
            for index, option in enumerate(question.options):
                yield f"q{pk}_i{index}", forms.TypedChoiceField(label=option, coerce=int, choices=ranks,
                                                                empty_value=None)
        elif question.kind == QuestionKind.SHORT:
            yield f"q{pk}", PersianCharField(label=label, max_length=300)
        elif question.kind == QuestionKind.PAGE:
            return  # a page break: a heading, nothing to answer
        else:
            yield f"q{pk}", PersianTextField(label=label, max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)) \
                else "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            if isinstance(field, forms.CharField):
                _persian_text_field(field)  # a live counter instead of a maxlength that cuts (issue 12 §10)

    def pages(self) -> list[dict]:
        """For the template: the survey's pages in order (`page`: its page-break question, None for the
        questions before the first break; `show_values`: its condition's values) and per question of each
        (`blocks`) its number (pages not counted), its bound fields and its condition."""
        pages = [{"page": None, "show_values": "", "blocks": []}]
        number = 0
        for q in self.questions:
            show_values = ",".join(str(v) for v in q.show_if_values)
            if q.is_page:
                pages.append({"page": q, "show_values": show_values, "blocks": []})
                continue
            number += 1
            pages[-1]["blocks"].append({
                "question": q, "number": number, "fields": [self[name] for name in self.groups[q.pk]],
                "errors": [e for name in self.groups[q.pk] for e in self[name].errors][:1],
                "single": q.kind not in (QuestionKind.MATRIX, QuestionKind.RANKING), "show_values": show_values})
        return [page for page in pages if page["page"] is not None or page["blocks"]]

    def _value(self, question):
        names = self.groups[question.pk]
        data = self.cleaned_data
        if question.kind == QuestionKind.MATRIX:
            return {i: data.get(name) for i, name in enumerate(names) if data.get(name) not in (None, "")}
        if question.kind == QuestionKind.RANKING:
            return {i: data.get(name) for i, name in enumerate(names) if data.get(name) not in (None, "")}
        return data.get(names[0])

    def clean(self):
        data = super().clean()
        given: dict[int, set[int]] = {}
        page = None
        for question in self.questions:
            if question.is_page:
                page = question
                continue
            if not question.shown_for(given, page):
                continue
            value = self._value(question)
            names = self.groups[question.pk]
            empty = value in (None, "", [], {})
            if question.kind == QuestionKind.MATRIX and question.required:
                for index, name in enumerate(names):
                    if index not in value and name not in self.errors:
                        self.add_error(name, "به این سطر امتیاز دهید.")
            elif question.kind == QuestionKind.RANKING and not empty:
                if sorted(value.values()) != list(range(1, len(names) + 1)):
                    self.add_error(names[0], "به هر گزینه یک رتبه‌ی جدا بدهید (۱ برای نخستین).")
            elif question.kind == QuestionKind.RANKING and question.required:
                self.add_error(names[0], "گزینه‌ها را رتبه‌بندی کنید.")
            elif empty and question.required and names[0] not in self.errors:
                self.add_error(names[0], "به این پرسش پاسخ دهید.")
            if question.is_closed and not empty:
                given[question.pk] = set(value) if isinstance(value, list) else {value}
        return data

    def answers(self) -> dict[int, object]:
        return {question.pk: self._value(question) for question in self.questions if not question.is_page}


class InviteForm(PersianFormMixin, forms.Form):
    """Whom to send personal links: the staff directory of the survey's unit (and, for HQ, of the units
    under it), a staff group (B11), or a list typed or uploaded — a .txt or .csv file (UTF-8), one person
    a line: «name, mobile or e-mail», or an Excel sheet (.xlsx) with «name» and «mobile» columns (and
    optionally «e-mail»), read by the staff import's reader (messaging.staff_import.read_rows). `reach`: the units whose staff may be invited; `groups`: the staff
    groups of those units."""

    source = forms.ChoiceField(label="فهرست", choices=[("list", "فهرست نوشته‌شده یا بارگذاری‌شده"),
                                                       ("staff", "کارکنان واحد (دفتر کارکنان)"),
                                                       ("panel", "شهروندانی که برای دعوت رضایت داده‌اند"),
                                                       ("group", "یک گروه کارکنان")],
                               widget=forms.RadioSelect, initial="list")
    units = forms.MultipleChoiceField(label="کارکنان کدام واحدها", required=False,
                                      widget=forms.CheckboxSelectMultiple)
    group = forms.ChoiceField(label="گروه کارکنان", required=False)
    people = PersianTextField(label="فهرست افراد", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="هر نفر در یک سطر: نام، شماره همراه یا رایانامه — مانند «علی رضایی، ۰۹۱۲۳۴۵۶۷۸۹».")
    file = forms.FileField(label="یا پرونده‌ی فهرست (اکسل xlsx، یا txt و csv)", required=False,
                           help_text="اکسل: سطر اول عنوان ستون‌ها، با ستون «نام» و «شماره همراه» (و اگر هست «رایانامه»).")

    def __init__(self, *args, reach=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reach = {str(unit.pk): unit for unit in reach}
        self.groups = {str(group.pk): group for group in groups}
        if len(self.reach) > 1:
            self.fields["units"].choices = [(pk, unit.name) for pk, unit in self.reach.items()]
            self.fields["units"].initial = list(self.reach)[:1]
        else:
            del self.fields["units"]
        if self.groups:
            self.fields["group"].choices = [("", "—")] + [
                (pk, f"{group.name} ({group.unit.name})") for pk, group in self.groups.items()]
        else:
            del self.fields["group"]
            self.fields["source"].choices = self.fields["source"].choices[:3]

    def clean(self):
        from .services import parse_list

        data = super().clean()
        source = data.get("source")
        if source == "staff":
            chosen = data.get("units") if "units" in self.fields else list(self.reach)
            if not chosen:
                self.add_error("units", "دست‌کم یک واحد را برگزینید.")
            data["units_chosen"] = [self.reach[pk] for pk in chosen or [] if pk in self.reach]
            return data
        if source == "group":
            group = self.groups.get(data.get("group") or "")
            if group is None:
                self.add_error("group", "گروه کارکنان را برگزینید.")
            data["group_chosen"] = group
            return data
        if source != "list":
            return data  # "panel": the consenting citizens of the survey's reach (services.panel_recipients)
        text = data.get("people") or ""
        upload = data.get("file")
        if upload:
            if upload.size > 1024 * 1024:
                self.add_error("file", "پرونده‌ی فهرست حداکثر یک مگابایت است.")
                return data
            if upload.name.lower().endswith(".xlsx"):
                try:
                    rows = read_rows(upload)
                except forms.ValidationError as error:
                    self.add_error("file", error)
                    return data
                text += "".join(f"\n{row['name']}، {row['mobile'] or row.get('email', '')}" for _, row in rows
                                if row["mobile"] or row.get("email"))
                upload = None
        if upload:
            try:
                text += "\n" + upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "پرونده را با رمزگذاری UTF-8 (مانند خروجی CSV اکسل با UTF-8) بارگذاری کنید.")
                return data
        people, bad = parse_list(text)
        if bad:
            self.add_error("people", "این سطرها شماره همراه یا رایانامه‌ی درستی ندارند: " + "، ".join(bad[:5]))
        elif not people:
            self.add_error("people", "دست‌کم یک نفر را با شماره همراه یا رایانامه بنویسید.")
        data["people_list"] = people
        return data


class PanelForm(PersianFormMixin, forms.Form):
    """After a public answer: a citizen's mobile and explicit consent to be invited to the unit's future
    surveys (nothing is kept without the tick)."""

    mobile = MobileField(label="شماره همراه")
    consent = forms.BooleanField(label="رضایت می‌دهم برای نظرسنجی‌های بعدی این اداره پیامک دعوت بگیرم.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].error_messages["required"] = "برای ثبت شماره، رضایت خود را با زدن این گزینه نشان دهید."
