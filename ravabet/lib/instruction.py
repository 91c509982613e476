"""The one way to show an instruction item to people (issue 12, point 5).

People read the instruction's own notation: its section letter (الف، ب، ج، د، ه، و) and the item number in
Persian digits, «بند ب-۵». The Latin code (B5) stays in URLs, data and code only.
"""

import re

from .digits import to_persian_digits

_CODE = re.compile(r"^([A-Za-z])(\d{1,2})$")


def _letters() -> dict[str, str]:
    from ravabet.compliance.catalog import sections

    return {section.code.upper(): section.letter for section in sections()}


def item_short(code: str | None) -> str:
    """"B5" → "ب-۵" (the section letter and the item number of the instruction). A code that is not an
    instruction item comes back with Persian digits; None → ""."""
    if not code:
        return ""
    match = _CODE.match(str(code).strip())
    letter = match and _letters().get(match.group(1).upper())
    if not letter:
        return to_persian_digits(code)
    return f"{letter}-{to_persian_digits(int(match.group(2)))}"


def item_label(code: str | None) -> str:
    """"B5" → "بند ب-۵", for pages, PDFs, Excel cells and messages."""
    short = item_short(code)
    return f"بند {short}" if short else ""
