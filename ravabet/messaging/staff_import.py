"""Import of a unit's staff and mobile numbers from an Excel sheet (B11), with a report per row.

Offices keep their lists in whatever shape they have: a title row merged across the
columns, numbers typed in Persian digits or as +98..., blank lines between sections,
numbers stored as numbers (losing the leading 0). All of that is accepted and reported.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from ravabet.audit.services import log_action
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import normalize, search_key
from ravabet.lib.validators import MOBILE_RE, normalize_mobile
from ravabet.offices.access import access_for
from ravabet.offices.models import Person, Unit
from ravabet.offices.roles import WORK_ROLES
from ravabet.offices.services import person_create, person_update

from .models import StaffGroup

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_WORDS = {
    "name": ("نام و نام خانوادگی", "نام کامل", "نام"),
    "mobile": ("شماره همراه", "تلفن همراه", "همراه", "موبایل", "شماره تماس"),
    "position": ("سمت", "پست"),
    "email": ("ایمیل", "پست الکترونیک", "رایانامه"),
    "group": ("گروه",),
}


class Outcome:
    ACCEPTED = "accepted"
    FIXED = "fixed"
    REFUSED = "refused"


OUTCOME_LABELS = {Outcome.ACCEPTED: "پذیرفته شد", Outcome.FIXED: "اصلاح و پذیرفته شد", Outcome.REFUSED: "رد شد"}


@dataclass
class RowReport:
    row: int
    name: str
    mobile_typed: str
    mobile: str
    outcome: str
    reason: str = ""

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _column_of(header: str) -> str | None:
    key = search_key(header)
    for column, words in HEADER_WORDS.items():
        if any(key == search_key(word) for word in words):
            return column
    for column, words in HEADER_WORDS.items():
        if any(search_key(word) in key for word in words if len(word) > 3):
            return column
    return None


def _fill_merged(sheet) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                sheet.cell(row, col).value = value


def read_rows(upload) -> list[tuple[int, dict]]:
    """(row number, {"name": ..., "mobile": ...}) of the first sheet that has a name and a mobile column."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if upload.size > MAX_BYTES:
        raise ValidationError("حجم پرونده بیش از ۵ مگابایت است.")
    upload.seek(0)
    try:
        workbook = load_workbook(upload, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError("این پرونده اکسل (xlsx) نیست یا خراب است؛ فهرست را در اکسل با قالب "
                              "«Excel Workbook (.xlsx)» ذخیره کنید و دوباره بفرستید.") from None
    for sheet in workbook.worksheets:
        _fill_merged(sheet)
        header_row, columns = None, {}
        for row_number, row in enumerate(sheet.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
            found = {}
            for index, value in enumerate(row):
                column = _column_of(_text(value)) if value is not None else None
                if column and column not in found:
                    found[column] = index
            if "name" in found and "mobile" in found:
                header_row, columns = row_number, found
                break
        if header_row is None:
            continue
        rows = []
        for row_number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True),
                                         start=header_row + 1):
            values = {column: _text(row[index]) if index < len(row) else "" for column, index in columns.items()}
            rows.append((row_number, values))
            if len(rows) > MAX_ROWS:
                raise ValidationError(f"پرونده بیش از {MAX_ROWS} ردیف دارد؛ آن را در چند پرونده بفرستید.")
        return rows
    names = "، ".join(f"«{sheet.title}»" for sheet in workbook.worksheets)
    raise ValidationError(f"در برگه‌های این پرونده ({names}) ستون‌های «نام» و «شماره همراه» پیدا نشد؛ "
                          "سطر اول فهرست باید عنوان ستون‌ها باشد.")


@transaction.atomic
def staff_import(*, unit: Unit, by, upload) -> list[RowReport]:
    """Create or update the unit's people from the sheet; return what happened to every row."""
    access_for(by).require(unit, WORK_ROLES)
    rows = read_rows(upload)
    people = list(Person.objects.filter(unit=unit, is_active=True))
    by_mobile = {person.mobile: person for person in people if person.mobile}
    by_name = {search_key(person.full_name): person for person in people}
    groups = {group.name: group for group in StaffGroup.objects.filter(unit=unit)}
    seen: dict[str, int] = {}
    report = []
    for row_number, values in rows:
        if not any(values.values()):
            continue
        name = normalize(values.get("name", ""))
        typed = values.get("mobile", "")
        mobile = normalize_mobile(typed)
        entry = RowReport(row=row_number, name=name, mobile_typed=typed, mobile=mobile, outcome=Outcome.ACCEPTED)
        report.append(entry)
        if not name:
            entry.outcome, entry.reason = Outcome.REFUSED, "نام ندارد"
            continue
        if typed and not MOBILE_RE.match(mobile):
            entry.outcome, entry.reason = Outcome.REFUSED, "شماره همراه نامعتبر است (باید ۱۱ رقم و با ۰۹ شروع شود)"
            continue
        if mobile in seen:
            entry.outcome = Outcome.REFUSED
            entry.reason = f"شماره تکراری؛ در ردیف {seen[mobile]} همین پرونده هم آمده است"
            continue
        if mobile:
            seen[mobile] = row_number
        owner = by_mobile.get(mobile) if mobile else None
        person = by_name.get(search_key(name))
        if owner is not None and person is not None and owner.pk != person.pk or \
                owner is not None and person is None:
            entry.outcome, entry.reason = Outcome.REFUSED, f"شماره تکراری؛ برای «{owner.full_name}» ثبت شده است"
            continue
        fields = {"full_name": name}
        notes = []
        if values.get("position"):
            fields["position"] = normalize(values["position"])
        email = values.get("email", "")
        if email:
            try:
                validate_email(email)
                fields["email"] = email
            except ValidationError:
                # A typo in an optional column should not cost the row its name and number.
                notes.append(f"ایمیل «{email}» نادرست بود و ثبت نشد")
        if mobile:
            fields["mobile"] = mobile
        try:
            if person is None:
                person = person_create(unit=unit, by=by, **fields)
                by_name[search_key(name)] = person
            else:
                changed = {k: v for k, v in fields.items() if getattr(person, k) != v}
                if changed:
                    person_update(person=person, by=by, **changed)
                notes.insert(0, "پیش‌تر ثبت شده بود؛ به‌روز شد" if changed else "پیش‌تر ثبت شده بود")
        except ValidationError as error:
            entry.outcome, entry.reason = Outcome.REFUSED, " ".join(error.messages)
            continue
        if mobile:
            by_mobile[mobile] = person
        if typed and mobile != typed:
            notes.append(f"شماره از «{typed}» به شکل استاندارد درآمد")
        elif not mobile:
            notes.append("بدون شماره همراه ثبت شد")
        if typed and mobile != typed or any(note.startswith("ایمیل") for note in notes):
            entry.outcome = Outcome.FIXED
        entry.reason = "؛ ".join(notes)
        group_name = normalize(values.get("group", ""))
        if group_name:
            if group_name not in groups:
                groups[group_name] = StaffGroup.objects.create(unit=unit, name=group_name[:120])
            groups[group_name].members.add(person)
    counts = {outcome: sum(1 for entry in report if entry.outcome == outcome) for outcome in OUTCOME_LABELS}
    log_action(actor=by, action="messaging.staff_imported",
               summary=f"ورود فهرست کارکنان از اکسل: {to_persian_digits(counts[Outcome.ACCEPTED])} پذیرفته، "
                       f"{to_persian_digits(counts[Outcome.FIXED])} اصلاح‌شده، "
                       f"{to_persian_digits(counts[Outcome.REFUSED])} رد",
               unit=unit, data={"file": getattr(upload, "name", ""), **counts})
    return report
