"""Reads that cross relations: the results of one survey, in a fixed number of queries."""

from django.db.models import Count

from .models import RATING_LABELS, Answer, QuestionKind, Survey


def results(survey: Survey) -> list[dict]:
    """One entry per question: counts and percentages per option (or rating), or the texts given."""
    questions = list(survey.questions.all())
    counts: dict[tuple[int, int], int] = {}
    answered: dict[int, int] = {}
    for row in Answer.objects.filter(question__survey=survey, value__isnull=False).values(
            "question_id", "value").annotate(n=Count("id")):
        counts[(row["question_id"], row["value"])] = row["n"]
    for row in Answer.objects.filter(question__survey=survey).values("question_id").annotate(
            n=Count("response_id", distinct=True)):
        answered[row["question_id"]] = row["n"]
    texts: dict[int, list[str]] = {}
    for question_id, text in Answer.objects.filter(question__survey=survey).exclude(text="").order_by(
            "response__created_at").values_list("question_id", "text"):
        texts.setdefault(question_id, []).append(text)
    total = survey.responses_count
    out = []
    for question in questions:
        entry = {"question": question, "answered": answered.get(question.pk, 0), "rows": [], "texts": [],
                 "average": None}
        if question.is_choice or question.kind == QuestionKind.RATING:
            labels = question.options if question.is_choice else [RATING_LABELS[i] for i in range(1, 6)]
            values = range(len(labels)) if question.is_choice else range(1, 6)
            # Percent of people who answered the question: a multiple-choice column can sum past 100.
            base = entry["answered"] or 1
            for label, value in zip(labels, values, strict=True):
                n = counts.get((question.pk, value), 0)
                entry["rows"].append({"label": f"{value} — {label}" if question.kind == QuestionKind.RATING
                                      else label, "count": n, "percent": round(100 * n / base, 1)})
            if question.kind == QuestionKind.RATING and entry["answered"]:
                entry["average"] = round(sum(v * counts.get((question.pk, v), 0) for v in values)
                                         / entry["answered"], 2)
        else:
            entry["texts"] = texts.get(question.pk, [])
        entry["skipped"] = max(total - entry["answered"], 0)
        out.append(entry)
    return out


def chart_data(entries: list[dict]) -> list[dict]:
    return [{"id": e["question"].pk, "labels": [r["label"] for r in e["rows"]],
             "counts": [r["count"] for r in e["rows"]]} for e in entries if e["rows"]]


def raw_rows(survey: Survey) -> tuple[list[str], list[list]]:
    """Headers and one row per response, for the Excel export of raw answers."""
    questions = list(survey.questions.all())
    by_response: dict[int, dict[int, list[str]]] = {}
    for answer in Answer.objects.filter(response__survey=survey).order_by("pk"):
        by_response.setdefault(answer.response_id, {}).setdefault(answer.question_id, []).append(
            answer.text if answer.text else answer.value)
    options = {q.pk: q for q in questions}
    headers = ["ردیف", "زمان پاسخ"] + [q.text for q in questions]
    rows = []
    for index, response in enumerate(survey.responses.order_by("created_at"), start=1):
        row = [index, response.created_at]
        given = by_response.get(response.pk, {})
        for question in questions:
            values = given.get(question.pk, [])
            if options[question.pk].is_choice:
                values = [question.options[v] if isinstance(v, int) and 0 <= v < len(question.options) else v
                          for v in values]
            row.append("، ".join(str(v) for v in values))
        rows.append(row)
    return headers, rows
