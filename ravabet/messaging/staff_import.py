"""Import of a unit's staff and mobile numbers from an Excel sheet (B11): a preview of every row,
written only when confirmed, and undone when asked.

Offices keep their lists in whatever shape they have: a title row merged across the
columns, numbers typed in Persian digits or as +98..., blank lines between sections,
numbers stored as numbers (losing the leading 0). All of that is accepted and reported.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from ravabet.audit.services import log_action
from ravabet.lib.digits import to_latin_digits, to_persian_digits
from ravabet.lib.text import normalize, search_key
from ravabet.lib.validators import MOBILE_RE, national_code_is_valid, normalize_mobile
from ravabet.offices.access import access_for
from ravabet.offices.models import Person, Unit
from ravabet.offices.roles import WORK_ROLES
from ravabet.offices.services import person_create, person_update

from .models import StaffGroup, StaffImport

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_WORDS = {
    "name": ("نام و نام خانوادگی", "نام کامل", "نام"),
    "mobile": ("شماره همراه", "تلفن همراه", "همراه", "موبایل", "شماره تماس"),
    "position": ("سمت", "پست"),
    "email": ("ایمیل", "پست الکترونیک", "رایانامه"),
    "group": ("گروه",),
    "national_code": ("کد ملی", "شماره ملی"),
}


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


class Status:
    NEW = "new"
    UPDATED = "updated"
    SAME = "same"
    CONFLICT = "conflict"
    REFUSED = "refused"


STATUS_LABELS = {Status.NEW: "تازه", Status.UPDATED: "به‌روزرسانی", Status.SAME: "بی‌تغییر",
                 Status.CONFLICT: "ناسازگار (نوشته نمی‌شود)", Status.REFUSED: "رد شد"}
WRITES = {Status.NEW, Status.UPDATED, Status.SAME}
FIELDS = ("full_name", "national_code", "mobile", "position", "email")


def _match(values: dict, people: list[Person]) -> tuple[Person | None, str]:
    """The person a row is about: by national code, then mobile, then name (B11). (person, "") or
    (None, reason of a conflict) or (None, "") for a new person."""
    code, mobile, key = values["national_code"], values["mobile"], search_key(values["full_name"])
    if code:
        person = next((p for p in people if p.national_code == code), None)
        if person is not None:
            return person, ""
    if mobile:
        person = next((p for p in people if p.mobile == mobile), None)
        if person is not None:
            if code and person.national_code and person.national_code != code:
                return None, f"شماره همراه از آنِ «{person.full_name}» با کد ملی دیگری است"
            return person, ""
    namesakes = [p for p in people if search_key(p.full_name) == key]
    if len(namesakes) > 1:
        return None, f"{to_persian_digits(len(namesakes))} نفر با همین نام هستند؛ برای تشخیص، کد ملی بنویسید"
    if namesakes:
        person = namesakes[0]
        if code and person.national_code and person.national_code != code:
            return None, "هم‌نامی با کد ملی دیگر پیش‌تر ثبت شده است؛ اگر فرد دیگری است کد ملی را بررسی کنید"
        if mobile and person.mobile and person.mobile != mobile and not code:
            return None, (f"هم‌نامی با شماره دیگر ({to_persian_digits(person.mobile)}) پیش‌تر ثبت شده است؛ "
                          "برای تشخیص کد ملی بنویسید")
        return person, ""
    return None, ""


def preview_import(*, unit: Unit, by, upload) -> StaffImport:
    """Read the sheet and save a preview of every row as new, updated, unchanged, conflicting or
    refused (B11), writing no person or group. Rows identify people by national code, then mobile,
    then name. PermissionDenied unless `by` works in `unit`; ValidationError for an unreadable file."""
    access_for(by).require(unit, WORK_ROLES)
    sheet_rows = read_rows(upload)
    people = list(Person.objects.filter(unit=unit, is_active=True))
    groups = set(StaffGroup.objects.filter(unit=unit).values_list("name", flat=True))
    others = {}  # numbers and codes held in other units
    seen: dict[str, int] = {}
    rows, missing_groups = [], []
    for row_number, values in sheet_rows:
        if not any(values.values()):
            continue
        typed = values.get("mobile", "")
        row = {"row": row_number, "full_name": normalize(values.get("name", "")), "mobile_typed": typed,
               "mobile": normalize_mobile(typed), "national_code": to_latin_digits(values.get("national_code", "")).strip(),
               "position": normalize(values.get("position", "")), "email": values.get("email", "").strip(),
               "group": normalize(values.get("group", ""))[:120], "status": Status.NEW, "reason": "",
               "person": None, "changes": {}}
        rows.append(row)
        notes = []
        if not row["full_name"]:
            row["status"], row["reason"] = Status.REFUSED, "نام ندارد"
            continue
        if typed and not MOBILE_RE.match(row["mobile"]):
            row["status"], row["reason"] = Status.REFUSED, "شماره همراه نامعتبر است (باید ۱۱ رقم و با ۰۹ شروع شود)"
            continue
        if row["national_code"] and not national_code_is_valid(row["national_code"]):
            row["status"], row["reason"] = Status.REFUSED, "کد ملی نامعتبر است"
            continue
        clash = next((f"ردیف {to_persian_digits(seen[k])}" for k in (row["national_code"], row["mobile"])
                      if k and k in seen), None)
        if clash:
            row["status"], row["reason"] = Status.REFUSED, f"تکراری؛ در {clash} همین پرونده هم آمده است"
            continue
        for key in (row["national_code"], row["mobile"]):
            if key:
                seen[key] = row_number
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                notes.append(f"ایمیل «{row['email']}» نادرست است و ثبت نمی‌شود")
                row["email"] = ""
        values = {k: row[k] for k in FIELDS}
        person, conflict = _match(values, people)
        if conflict:
            row["status"], row["reason"] = Status.CONFLICT, conflict
            continue
        if person is None:
            for key, field in ((row["mobile"], "mobile"), (row["national_code"], "national_code")):
                if key and key not in others:
                    holder = Person.objects.filter(is_active=True, **{field: key}).exclude(unit=unit).select_related(
                        "unit").first()
                    others[key] = holder
                if key and others.get(key) is not None:
                    holder = others[key]
                    row["status"] = Status.CONFLICT
                    row["reason"] = f"{'شماره' if field == 'mobile' else 'کد ملی'} برای «{holder.full_name}» در {holder.unit.name} ثبت شده است"
            if row["status"] == Status.CONFLICT:
                continue
        else:
            row["person"] = person.pk
            changes = {k: [getattr(person, k), v] for k, v in values.items()
                       if v and getattr(person, k) != v and k != "full_name"}
            if "mobile" in changes:
                holder = next((p for p in people if p.mobile == row["mobile"] and p.pk != person.pk), None)
                if holder is not None:
                    row["status"], row["reason"] = Status.CONFLICT, f"شماره برای «{holder.full_name}» ثبت شده است"
                    continue
                if person.user_id and person.mobile:
                    row["status"] = Status.CONFLICT
                    row["reason"] = ("شماره همراه کسی که حساب کاربری دارد از اکسل عوض نمی‌شود؛ "
                                     "خودش یا مدیر سامانه آن را در نمایه‌اش تغییر دهد")
                    continue
            row["changes"] = changes
            row["status"] = Status.UPDATED if changes else Status.SAME
            notes.insert(0, "، ".join(f"{Person._meta.get_field(k).verbose_name}: «{old or '—'}» ← «{new}»"
                                      for k, (old, new) in changes.items()))
        if typed and row["mobile"] != typed:
            notes.append(f"شماره از «{typed}» به شکل استاندارد درمی‌آید")
        if row["group"] and row["group"] not in groups:
            notes.append(f"گروه «{row['group']}» وجود ندارد؛ فقط اگر ساختنش را تأیید کنید ساخته می‌شود")
            if row["group"] not in missing_groups:
                missing_groups.append(row["group"])
        row["reason"] = "؛ ".join(note for note in notes if note)
    return StaffImport.objects.create(unit=unit, created_by=by, file_name=getattr(upload, "name", "")[:200],
                                      rows=rows, new_groups=missing_groups)


def status_counts(rows: list[dict]) -> dict[str, int]:
    return {status: sum(1 for row in rows if row["status"] == status) for status in STATUS_LABELS}


def confirm_import(*, staff_import: StaffImport, by, create_groups=()) -> StaffImport:
    """Write a previewed import (B11): new people created, changed fields updated, members added
    to existing groups and to the missing groups named in `create_groups` (no other group is
    created). Conflicting and refused rows are not written. What is written is kept for
    `undo_import`. Confirming twice writes once. PermissionDenied unless `by` works in the unit;
    ValidationError if the import was undone."""
    access_for(by).require(staff_import.unit, WORK_ROLES)
    with transaction.atomic():
        imp = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
        if imp.applied_at:
            if imp.undone_at:
                raise ValidationError("این ورود بازگردانده شده است؛ پرونده را دوباره بارگذاری کنید.")
            return imp
        unit = imp.unit
        allowed = set(create_groups) & set(imp.new_groups)
        groups = {g.name: g for g in StaffGroup.objects.filter(unit=unit)}
        log = {"created": [], "updated": {}, "memberships": [], "groups": []}
        people = Person.objects.in_bulk([row["person"] for row in imp.rows if row["person"]])
        for row in imp.rows:
            if row["status"] not in WRITES:
                continue
            person = None
            try:
                with transaction.atomic():
                    if row["status"] == Status.NEW:
                        fields = {k: row[k] for k in FIELDS if row[k]}
                        person = person_create(unit=unit, by=by, **fields)
                        log["created"].append(person.pk)
                    else:
                        person = people.get(row["person"])
                        if person is None:
                            continue
                        if row["changes"]:
                            log["updated"][str(person.pk)] = {k: getattr(person, k) for k in row["changes"]}
                            person_update(person=person, by=by, **{k: v[1] for k, v in row["changes"].items()})
            except ValidationError as error:
                row["status"], row["reason"] = Status.REFUSED, " ".join(error.messages)
                if person is not None:
                    log["updated"].pop(str(person.pk), None)
                continue
            name = row["group"]
            if name and name not in groups and name in allowed:
                groups[name] = StaffGroup.objects.create(unit=unit, name=name)
                log["groups"].append(groups[name].pk)
            if name in groups and not groups[name].members.filter(pk=person.pk).exists():
                groups[name].members.add(person)
                log["memberships"].append([groups[name].pk, person.pk])
        imp.undo_log, imp.applied_by, imp.applied_at = log, by, timezone.now()
        imp.save(update_fields=["rows", "undo_log", "applied_by", "applied_at"])
        counts = status_counts(imp.rows)
        log_action(actor=by, action="messaging.staff_imported", target=imp, unit=unit,
                   summary=f"ورود فهرست کارکنان از اکسل تأیید شد: {to_persian_digits(counts[Status.NEW])} تازه، "
                           f"{to_persian_digits(counts[Status.UPDATED])} به‌روز، "
                           f"{to_persian_digits(counts[Status.CONFLICT])} ناسازگار، "
                           f"{to_persian_digits(counts[Status.REFUSED])} رد",
                   data={"file": imp.file_name, **counts, "groups_created": log["groups"]})
    return imp


def undo_import(*, staff_import: StaffImport, by) -> StaffImport:
    """Undo a confirmed import (B11): people it created are removed (kept inactive if something
    already refers to them), fields it changed get their earlier values back, memberships and
    groups it added are removed. PermissionDenied unless `by` works in the unit; ValidationError
    if it was not confirmed; undoing twice does it once."""
    access_for(by).require(staff_import.unit, WORK_ROLES)
    with transaction.atomic():
        imp = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
        if imp.undone_at:
            return imp
        if not imp.applied_at:
            raise ValidationError("این ورود هنوز تأیید نشده و چیزی ننوشته است.")
        log = imp.undo_log
        for group_id, person_id in log.get("memberships", []):
            StaffGroup.members.through.objects.filter(staffgroup_id=group_id, person_id=person_id).delete()
        StaffGroup.objects.filter(pk__in=log.get("groups", []), members__isnull=True).delete()
        for pk, before in log.get("updated", {}).items():
            person = Person.objects.filter(pk=pk).first()
            if person is not None:
                person_update(person=person, by=by, **before)
        for person in Person.objects.filter(pk__in=log.get("created", [])):
            try:
                with transaction.atomic():
                    person.delete()
            except ProtectedError:
                person_update(person=person, by=by, is_active=False)
        imp.undone_by, imp.undone_at = by, timezone.now()
        imp.save(update_fields=["undone_by", "undone_at"])
        log_action(actor=by, action="messaging.staff_import_undone", target=imp, unit=imp.unit,
                   summary=f"ورود فهرست کارکنان از «{imp.file_name}» بازگردانده شد", data=log)
    return imp
