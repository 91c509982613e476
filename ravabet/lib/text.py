"""Persian text: what is stored (kept as typed) and what is matched (the search key).

Storage keeps what a person typed. `normalize` only
- replaces the Arabic look-alike letters ي ى ك with the Persian ی ی ک,
- removes bidi controls (overrides, embeddings, isolates and marks) and other control characters
  (tab and line breaks stay; CR LF becomes LF),
- trims the ends.
It never corrects spacing or punctuation: links, e-mail addresses, decimals, Jalali dates, kilometre marks
and codes written inside text stay exactly as typed (issue 12, "storage keeps what was typed").

Matching uses `search_key`, a separate form that folds letter, digit, hamza, diacritic and ZWNJ/space
variants so that «راه‌ها», «راهها» and «راه ها» find each other.
"""

import re

from .digits import to_latin_digits

# Bidi overrides, embeddings, isolates and marks let text display in an order other than it is stored.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# C0 controls other than tab and line feed, DEL and C1 controls: invisible, refused by PostgreSQL (NUL)
# and by Excel files (e.g. U+0008).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that show nothing: spaces of every width, ZWNJ/ZWJ, zero-width space, BOM, soft hyphen, tatweel.
INVISIBLE = re.compile("[\\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u00ad\u061c\u0640\u3164\u115f\u1160]+")

# Stored text keeps hamza forms (تأخیر stays تأخیر); only Arabic look-alike letters are replaced.
_STORE_MAP = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
# Search keys also fold hamza, alef madda and tā marbūta, so "تاخیر" finds "تأخیر" and "اب" finds "آب".
_SEARCH_MAP = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "ؤ": "و", "أ": "ا", "إ": "ا",
                             "آ": "ا", "ٱ": "ا", "ئ": "ی", "ء": None, "ـ": None})
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
# The ezafe written after a final ه: «هفته‌ی»، «هفته ی» → «هفته».
_EZAFE = re.compile("ه[\u200c ]ی(?=\\s|$)")
# Affixes that people write joined, with ZWNJ or with a space: «راه‌ها»/«راهها»/«راه ها», «می‌روم»/«می روم».
_SUFFIX = re.compile(r"(?<=\S) (?=(?:ها|های|هایی|هایم|هایت|هایش|هایمان|هایتان|هایشان|تر|ترین|ترها)(?:\s|$))")
_PREFIX = re.compile(r"(?:(?<=\s)|^)(ن?می) (?=\S)")


def has_bidi_control(text: str) -> bool:
    """True when `text` holds a bidi override, embedding, isolate or mark."""
    return bool(BIDI_CONTROL.search(text or ""))


def is_blank(text: str | None) -> bool:
    """True when nothing visible is left once spaces, ZWNJ and other invisible characters are removed."""
    if not text:
        return True
    return not INVISIBLE.sub("", CONTROL.sub("", BIDI_CONTROL.sub("", text)))


def normalize(text: str | None) -> str:
    """The text to store: str in, str out ("" for None or empty).

    Only ي ى ك → ی ی ک, bidi and control characters removed (tab and line breaks kept, CR LF → LF)
    and the ends trimmed. Nothing else changes: no spacing, punctuation or digit "corrections"."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", BIDI_CONTROL.sub("", text))
    return text.translate(_STORE_MAP).strip()


def search_key(text: str | None) -> str:
    """A form of the text used only for matching (never shown, never stored as the text itself).

    Letters unified (ي/ك, hamza forms, آ, ة/ۀ), diacritics and tatweel removed, digits Latin, lower case,
    the ezafe after ه dropped, ZWNJ removed and the spaces before ها/تر/ترین and after می/نمی removed
    (so «راه‌ها», «راهها» and «راه ها» give one key), every run of spaces one space. None → ""."""
    if not text:
        return ""
    text = CONTROL.sub(" ", BIDI_CONTROL.sub("", text))
    text = _DIACRITICS.sub("", text.translate(_SEARCH_MAP))
    text = re.sub(r"[\s\u200b\u200d\u2060\ufeff]+", " ", to_latin_digits(text))
    text = _EZAFE.sub("ه", text)
    text = text.replace("\u200c", "")
    text = _PREFIX.sub(r"\1", _SUFFIX.sub("", text))
    return text.strip().lower()
