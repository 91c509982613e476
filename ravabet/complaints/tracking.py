"""Tracking codes: random, unguessable, and easy to read out on the phone.

Citizens read the code to a PR officer over the phone in Persian, so the alphabet is
digits only: no letter that looks or sounds like another (O/0, I/1, Persian ۴/Arabic ٤
are normalised). Twelve random digits (10^12 codes) behind a rate-limited lookup that
also wants the mobile number cannot be enumerated; they are shown as 4-4-4 groups.
"""

import re
import secrets

from ravabet.lib.digits import to_latin_digits, to_persian_digits

ALPHABET = "0123456789"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def group(code: str) -> str:
    """1234-5678-9012 (the stored code has no dashes)."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


LRM = "\u200e"


def in_text(code: str, persian: bool = True) -> str:
    """The grouped code for plain text inside a Persian sentence (SMS, flash messages, the action log).

    Between Persian words the bidi algorithm treats the digit groups as Arabic numbers and the
    dashes as neutrals, so 1234-5678-9012 shows as 9012-5678-1234: a citizen reading it out would
    give a wrong code. A left-to-right mark in front keeps the groups in order (HTML uses <bdi>).
    """
    grouped = group(code)
    return LRM + (to_persian_digits(grouped) if persian else grouped)


def normalize_code(text: str | None) -> str:
    """What the citizen typed, in any digits and with any dashes or spaces, as the stored code."""
    return re.sub(r"[^0-9]", "", to_latin_digits(text or ""))
