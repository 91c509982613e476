"""Persian text normalisation, applied to free text before it is stored or searched.

hazm's Normalizer unifies Arabic letters (ي/ك) with Persian ones, fixes ZWNJ and
spacing and removes diacritics. Building one costs about a second, so each
process builds one lazily and keeps it.
"""

import functools
import re

from .digits import to_latin_digits

# Bidi overrides and isolates let text display in an order other than it is stored.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Stored text keeps hamza forms (تأخیر stays تأخیر); only Arabic look-alike letters are replaced.
_STORE_MAP = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
# Search keys also fold hamza and tā marbūta, so "تاخیر" finds "تأخیر".
_SEARCH_MAP = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "ؤ": "و", "أ": "ا", "إ": "ا"})


@functools.cache
def _normalizer():
    from hazm import Normalizer

    return Normalizer(persian_numbers=False, correct_spacing=True, remove_diacritics=True, decrease_repeated_chars=False)


def has_bidi_control(text: str) -> bool:
    return bool(BIDI_CONTROL.search(text or ""))


def normalize(text: str | None) -> str:
    """Normalise free text for storage: Persian letters, clean spacing, no bidi overrides."""
    if not text:
        return ""
    text = BIDI_CONTROL.sub("", text)
    text = text.translate(_STORE_MAP)
    lines = [_normalizer().normalize(line) if line.strip() else "" for line in text.splitlines()]
    return "\n".join(lines).strip()


def search_key(text: str | None) -> str:
    """A form of the text used only for matching: letters unified, digits Latin, one space."""
    if not text:
        return ""
    text = BIDI_CONTROL.sub("", text).translate(_SEARCH_MAP)
    text = to_latin_digits(text).replace("\u200c", " ")
    text = re.sub(r"[\u064b-\u065f\u0670]", "", text)
    return re.sub(r"\s+", " ", text).strip().lower()
