"""Reads that cross relations: the results of one survey, filtered (issue 17: by answer date and by any
closed question), a cross-tab of two closed questions and the Excel workbook, in a fixed number of queries."""

import dataclasses
import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Avg, Count, Max, Min, QuerySet

from ravabet.lib import excel, jalali
from ravabet.lib.digits import to_latin_digits
from ravabet.offices.models import Unit

from .models import RATING_LABELS, Answer, Question, QuestionKind, Response, Survey


@dataclasses.dataclass
class ResultFilter:
    """Which responses the results count: answered between `date_from` and `date_to` (Gregorian dates,
    inclusive, the local day of the answer) and, for each closed question id in `answers`, given that
    value (option index or rating)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    answers: dict[int, int] = dataclasses.field(default_factory=dict)
    typed: dict[str, str] = dataclasses.field(default_factory=dict)
    # The respondent's unit (Response.unit: staff members and invited people whose unit is known).
    unit: Unit | None = None

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.answers or self.unit)

    def querystring(self) -> str:
        """The filter as typed, for the Excel and PDF links (so they reflect the same filter)."""
        return urlencode(self.typed)

    def describe(self, questions: dict[int, Question]) -> list[str]:
        """The filter in Persian words, for the page and the PDF."""
        out = [f"واحد پاسخ‌دهنده: {self.unit.name}"] if self.unit else []
        if self.date_from:
            out.append(f"پاسخ از {jalali.format_date(self.date_from)}")
        if self.date_to:
            out.append(f"پاسخ تا {jalali.format_date(self.date_to)}")
        for pk, value in self.answers.items():
            question = questions[pk]
            out.append(f"«{question.text[:60]}» = {question.value_label(value)}")
        return out


def respondent_units(survey: Survey) -> list[Unit]:
    """The units of `survey`'s respondents where known (see Response.unit), in tree order: the results'
    unit filter choices."""
    return list(Unit.objects.filter(pk__in=Response.objects.filter(survey=survey, unit__isnull=False)
                                    .values("unit_id")).order_by("path"))


def read_filter(survey: Survey, params, units=None) -> tuple[ResultFilter, dict[str, str]]:
    """The filter in the query `params` (`unit` as one of `units`, the respondents' units, any digits;
    `from`, `to` as Jalali dates in any digits; `f<question id>` as a closed value), and the Persian errors
    per parameter for what could not be read (ignored)."""
    result, errors = ResultFilter(), {}
    typed = to_latin_digits(params.get("unit") or "").strip()
    if typed:
        units = respondent_units(survey) if units is None else units
        result.unit = next((unit for unit in units if str(unit.pk) == typed), None)
        if result.unit is None:
            errors["unit"] = "واحدی از فهرست برگزینید."
        else:
            result.typed["unit"] = typed
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        typed = (params.get(name) or "").strip()
        if typed:
            result.typed[name] = typed
            try:
                setattr(result, attr, jalali.parse_date(typed))
            except jalali.JalaliParseError as error:
                errors[name] = str(error)
    for question in survey.questions.all():
        typed = params.get(f"f{question.pk}", "")
        if typed == "" or not question.is_closed:
            continue
        try:
            value = int(typed)
        except ValueError:
            value = None
        if value not in question.value_choices():
            errors[f"f{question.pk}"] = "پاسخی از فهرست برگزینید."
            continue
        result.answers[question.pk] = value
        result.typed[f"f{question.pk}"] = typed
    return result, errors


def responses_for(survey: Survey, flt: ResultFilter | None = None) -> QuerySet:
    """The responses of `survey` that `flt` keeps (all when None)."""
    responses = Response.objects.filter(survey=survey)
    if flt is None:
        return responses
    responses = responses.filter(**jalali.in_days("created_at", flt.date_from, flt.date_to))
    if flt.unit is not None:
        responses = responses.filter(unit=flt.unit)
    for pk, value in flt.answers.items():
        responses = responses.filter(pk__in=Answer.objects.filter(question_id=pk, value=value).values("response_id"))
    return responses


def results(survey: Survey, flt: ResultFilter | None = None) -> list[dict]:
    """One entry per question over the responses `flt` keeps: counts and percentages per option or rating
    (`rows`), number and date summaries (`summary`), matrix rows (`matrix`: counts per rating and the
    average), ranking items (`ranking`: average rank, best first) or the texts given."""
    questions = [q for q in survey.questions.all() if not q.is_page]
    responses = responses_for(survey, flt)
    total = responses.count()
    answers = Answer.objects.filter(question__survey=survey, response__in=responses.values("pk"))
    counts: dict[tuple, int] = {}
    for row in answers.filter(value__isnull=False).values("question_id", "row", "value").annotate(n=Count("id")):
        counts[(row["question_id"], row["row"], row["value"])] = row["n"]
    answered = {row["question_id"]: row["n"] for row in answers.values("question_id").annotate(
        n=Count("response_id", distinct=True))}
    numbers = {row["question_id"]: row for row in answers.exclude(number=None).values("question_id").annotate(
        average=Avg("number"), least=Min("number"), most=Max("number"))}
    dates = {row["question_id"]: row for row in answers.exclude(date=None).values("question_id").annotate(
        first=Min("date"), last=Max("date"))}
    texts: dict[int, list[str]] = {}
    for question_id, text in answers.exclude(text="").order_by("response__created_at").values_list(
            "question_id", "text"):
        texts.setdefault(question_id, []).append(text)
    out = []
    for question in questions:
        pk = question.pk
        entry = {"question": question, "answered": answered.get(pk, 0), "rows": [], "texts": [], "average": None,
                 "summary": [], "matrix": [], "ranking": []}
        base = entry["answered"] or 1
        if question.is_closed:
            values = question.value_choices()
            for value in values:
                n = counts.get((pk, None, value), 0)
                entry["rows"].append({"label": question.value_label(value), "count": n,
                                      "percent": round(100 * n / base, 1)})
            if question.kind == QuestionKind.RATING and entry["answered"]:
                entry["average"] = round(sum(v * counts.get((pk, None, v), 0) for v in values) / entry["answered"], 2)
        elif question.kind == QuestionKind.NUMBER and pk in numbers:
            row = numbers[pk]
            entry["summary"] = [("میانگین", round(Decimal(row["average"]), 2)), ("کمینه", row["least"].normalize()),
                                ("بیشینه", row["most"].normalize())]
        elif question.kind == QuestionKind.DATE and pk in dates:
            entry["summary"] = [("نخستین", jalali.format_date(dates[pk]["first"])),
                                ("واپسین", jalali.format_date(dates[pk]["last"]))]
        elif question.kind == QuestionKind.MATRIX:
            for index, label in enumerate(question.rows):
                cells = [counts.get((pk, index, v), 0) for v in RATING_LABELS]
                n = sum(cells)
                entry["matrix"].append({"label": label, "cells": cells, "count": n, "average": round(
                    sum(v * c for v, c in zip(RATING_LABELS, cells, strict=True)) / n, 2) if n else None})
        elif question.kind == QuestionKind.RANKING:
            places = len(question.options)
            for index, label in enumerate(question.options):
                ranks = {rank: counts.get((pk, index, rank), 0) for rank in range(1, places + 1)}
                n = sum(ranks.values())
                entry["ranking"].append({"label": label, "first": ranks.get(1, 0), "average": round(
                    sum(r * c for r, c in ranks.items()) / n, 2) if n else None})
            entry["ranking"].sort(key=lambda item: (item["average"] is None, item["average"] or 0))
        else:
            entry["texts"] = texts.get(pk, [])
        entry["skipped"] = max(total - entry["answered"], 0)
        out.append(entry)
    return out


def chart_data(entries: list[dict]) -> list[dict]:
    """Bar data per question: counts per option or rating, the average per matrix row, or how often each
    ranked item came first."""
    out = []
    for e in entries:
        pk = e["question"].pk
        if e["rows"]:
            out.append({"id": pk, "labels": [r["label"] for r in e["rows"]], "counts": [r["count"] for r in e["rows"]]})
        elif e["matrix"]:
            out.append({"id": pk, "labels": [r["label"] for r in e["matrix"]],
                        "counts": [float(r["average"] or 0) for r in e["matrix"]], "series": "میانگین امتیاز"})
        elif e["ranking"]:
            out.append({"id": pk, "labels": [r["label"] for r in e["ranking"]],
                        "counts": [r["first"] for r in e["ranking"]], "series": "بار نخست شدن"})
    return out


def crosstab(survey: Survey, first: Question, second: Question, flt: ResultFilter | None = None) -> dict:
    """How the responses `flt` keeps split over two closed questions: {'rows': labels of `first`'s values,
    'columns': labels of `second`'s, 'cells': counts [row][column], 'row_totals', 'column_totals',
    'total'}. A multiple-choice answer counts once per ticked option."""
    responses = responses_for(survey, flt).values("pk")
    given: dict[int, dict[int, set[int]]] = {}
    for response_id, question_id, value in Answer.objects.filter(
            question_id__in=[first.pk, second.pk], response__in=responses, row=None).values_list(
            "response_id", "question_id", "value"):
        given.setdefault(response_id, {}).setdefault(question_id, set()).add(value)
    rows, columns = first.value_choices(), second.value_choices()
    cells = [[0] * len(columns) for _ in rows]
    for chosen in given.values():
        for a in chosen.get(first.pk, ()):
            for b in chosen.get(second.pk, ()):
                if a in rows and b in columns:
                    cells[rows.index(a)][columns.index(b)] += 1
    return {"rows": [first.value_label(v) for v in rows], "columns": [second.value_label(v) for v in columns],
            "cells": cells, "row_totals": [sum(row) for row in cells],
            "column_totals": [sum(column) for column in zip(*cells, strict=True)] if cells else [],
            "total": sum(sum(row) for row in cells), "first": first, "second": second,
            "lines": [{"label": first.value_label(v), "cells": cells[i], "total": sum(cells[i])}
                      for i, v in enumerate(rows)]}


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def raw_rows(survey: Survey, flt: ResultFilter | None = None) -> tuple[list[str], list[list]]:
    """Headers and one row per response, for the Excel export of raw answers. Ratings, numbers, matrix
    cells and ranks stay numbers; a matrix gives one column per row and a ranking one per item; a date
    is written in Jalali; several ticked options are joined with «،»."""
    questions = [q for q in survey.questions.all() if not q.is_page]
    responses = list(responses_for(survey, flt).select_related("unit").order_by("created_at"))
    by_response: dict[int, dict[tuple, list]] = {}
    for answer in Answer.objects.filter(response__in=[r.pk for r in responses]).order_by("pk"):
        if answer.date:
            value = jalali.format_date(answer.date, persian=False)
        elif answer.number is not None:
            value = answer.number
        else:
            value = answer.text or answer.value
        by_response.setdefault(answer.response_id, {}).setdefault((answer.question_id, answer.row), []).append(value)
    headers, columns = ["ردیف", "زمان پاسخ", "واحد پاسخ‌دهنده"], []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            parts = list(enumerate(question.rows))
        elif question.kind == QuestionKind.RANKING:
            parts = [(i, f"رتبه {label}") for i, label in enumerate(question.options)]
        else:
            parts = [(None, None)]
        for row, label in parts:
            headers.append(f"{question.text} — {label}" if label else question.text)
            columns.append((question, row))
    rows = []
    for index, response in enumerate(responses, start=1):
        line = [index, response.created_at, response.unit.name if response.unit else ""]
        given = by_response.get(response.pk, {})
        for question, row in columns:
            values = given.get((question.pk, row), [])
            if question.is_choice:
                values = [question.options[v] if isinstance(v, int) and 0 <= v < len(question.options) else v
                          for v in values]
            if len(values) == 1:
                line.append(_number(values[0]))
            else:
                line.append("، ".join(str(v) for v in values))
        rows.append(line)
    return headers, rows


SHEET_KINDS = [
    ("گزینه‌ای", {QuestionKind.SINGLE, QuestionKind.MULTIPLE}),
    ("امتیازی", {QuestionKind.RATING}),
    ("جدولی", {QuestionKind.MATRIX}),
    ("رتبه‌بندی", {QuestionKind.RANKING}),
    ("عددی و تاریخ", {QuestionKind.NUMBER, QuestionKind.DATE}),
    ("متنی", {QuestionKind.SHORT, QuestionKind.LONG}),
]


def workbook_bytes(survey: Survey, flt: ResultFilter | None = None) -> bytes:
    """The .xlsx file (bytes) of `survey`'s results under `flt` (all responses when None): the raw answers,
    then one sheet per question type the survey has. Written by the one Excel writer (`lib.excel`, issue 12
    §6): every count, percent, rating, average and number is a number cell, dates are Jalali text with Latin
    digits, text that looks like a formula stays text, control characters are removed."""
    headers, rows = raw_rows(survey, flt)
    sheets = [("پاسخ‌ها", headers, rows)]
    entries = results(survey, flt)
    for title, kinds in SHEET_KINDS:
        chosen = [e for e in entries if e["question"].kind in kinds]
        if not chosen:
            continue
        if kinds & {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING}:
            sheets.append((title, ["پرسش", "گزینه", "شمار", "درصد", "میانگین"],
                           [[e["question"].text, r["label"], r["count"], r["percent"], e["average"]]
                            for e in chosen for r in e["rows"]]))
        elif QuestionKind.MATRIX in kinds:
            sheets.append((title, ["پرسش", "سطر", *[f"{v} — {t}" for v, t in RATING_LABELS.items()], "شمار",
                                   "میانگین"],
                           [[e["question"].text, r["label"], *r["cells"], r["count"], r["average"]]
                            for e in chosen for r in e["matrix"]]))
        elif QuestionKind.RANKING in kinds:
            sheets.append((title, ["پرسش", "گزینه", "میانگین رتبه", "بار نخست شدن"],
                           [[e["question"].text, r["label"], r["average"], r["first"]]
                            for e in chosen for r in e["ranking"]]))
        elif QuestionKind.NUMBER in kinds:
            sheets.append((title, ["پرسش", "شمار پاسخ", "شاخص", "مقدار"],
                           [[e["question"].text, e["answered"], label, _number(value)]
                            for e in chosen for label, value in e["summary"]]))
        else:
            sheets.append((title, ["پرسش", "پاسخ"], [[e["question"].text, t] for e in chosen for t in e["texts"]]))
    return excel.sheets_bytes(sheets)
