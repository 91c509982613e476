"""The customary Persian condolence text of a banner (B8), composed from the templates HQ maintains.

A template is plain Persian text with {placeholders} (models.TEMPLATE_PLACEHOLDERS). The template
for the request's relation and kinship is used, else the relation's general one, else the
built-in text below (the same texts the first migration seeds for HQ to edit)."""

import re

from .models import FEMALE_KINSHIPS, TEMPLATE_PLACEHOLDERS, CondolenceTemplate, Kinship, Relation

PLACEHOLDER_RE = re.compile(r"\{([^{}\n]*)\}")

_FAMILY_TAIL = ("را به جنابعالی و خانواده محترم تسلیت عرض نموده، از خداوند متعال برای {آن_مرحوم} علو درجات "
                "و برای شما و سایر بازماندگان صبر و اجر مسئلت داریم.")

# (relation, kinship) → text. Kinship "" is the relation's general text.
DEFAULT_TEMPLATES = {
    (Relation.COLLEAGUE, ""): "درگذشت همکار گرامی {عنوان} {درگذشته} {سمت} را به خانواده محترم ایشان و همکاران "
                              "{اداره} تسلیت عرض نموده، برای {آن_مرحوم} غفران الهی و برای بازماندگان صبر و اجر "
                              "مسئلت داریم.",
    (Relation.OFFICIAL, ""): "درگذشت {عنوان} {درگذشته} {سمت} را به خانواده محترم ایشان و مردم شریف شهرستان "
                             "تسلیت عرض نموده، برای {آن_مرحوم} رحمت و غفران الهی و برای بازماندگان صبر و اجر "
                             "مسئلت داریم.",
    (Relation.FAMILY, ""): "همکار ارجمند {همکار}\nمصیبت درگذشت {نسبت} گرامی‌تان {عنوان} {درگذشته} " + _FAMILY_TAIL,
    (Relation.FAMILY, Kinship.FATHER): "همکار ارجمند {همکار}\nمصیبت درگذشت پدر بزرگوارتان {عنوان} {درگذشته} "
                                       + _FAMILY_TAIL,
    (Relation.FAMILY, Kinship.MOTHER): "همکار ارجمند {همکار}\nمصیبت درگذشت مادر مهربان‌تان {عنوان} {درگذشته} "
                                       + _FAMILY_TAIL,
    (Relation.FAMILY, Kinship.SPOUSE): "همکار ارجمند {همکار}\nمصیبت درگذشت همسر گرامی‌تان {عنوان} {درگذشته} "
                                       + _FAMILY_TAIL,
    (Relation.FAMILY, Kinship.CHILD): "همکار ارجمند {همکار}\nمصیبت جانگداز درگذشت فرزند عزیزتان {عنوان} "
                                      "{درگذشته} " + _FAMILY_TAIL,
}


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that are not placeholders a template may use, in order of appearance."""
    return [name for name in dict.fromkeys(PLACEHOLDER_RE.findall(text)) if name not in TEMPLATE_PLACEHOLDERS]


def template_for(relation: str, kinship: str = "") -> str:
    """The template text for a request: HQ's text for (relation, kinship), else HQ's general text of
    the relation, else the built-in one. One query."""
    kinship = kinship if relation == Relation.FAMILY else ""
    rows = dict(CondolenceTemplate.objects.filter(relation=relation, kinship__in={kinship, ""})
                .values_list("kinship", "text"))
    return (rows.get(kinship) or rows.get("") or DEFAULT_TEMPLATES.get((relation, kinship))
            or DEFAULT_TEMPLATES[(relation, "")])


def compose_condolence_text(*, unit_name: str, deceased_name: str, relation: str, deceased_title: str = "",
                            position: str = "", kinship: str = "", bereaved: str = "", bereaved_title: str = "",
                            template: str | None = None) -> str:
    """The banner's text (str, one paragraph per line) from the request's fields (all str as typed)
    and HQ's template for its relation and kinship (or `template` when given, e.g. to preview an edit).
    An empty placeholder leaves no double space. Raises nothing; an unknown placeholder is kept as
    written (templates are checked when HQ saves them). Rule: instruction item B8."""
    values = {
        "عنوان": deceased_title.strip(),
        "درگذشته": deceased_name.strip(),
        "سمت": position.strip(),
        "نسبت": Kinship(kinship).label if kinship in Kinship.values and kinship != Kinship.OTHER
        else "یکی از بستگان",
        "همکار": f"{bereaved_title} {bereaved}".strip(),
        "آن_مرحوم": "آن مرحومه" if (kinship in FEMALE_KINSHIPS or "مرحومه" in deceased_title or "خانم" in
                                   deceased_title) else ("آن شهید" if deceased_title == "شهید" else "آن مرحوم"),
        "اداره": unit_name,
    }
    text = template if template is not None else template_for(relation, kinship)
    filled = PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    lines = (re.sub(r"[ \t]{2,}", " ", line).replace(" ،", "،").strip() for line in filled.splitlines())
    return "\n".join(line for line in lines if line)
