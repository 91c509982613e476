"""Tracking codes: random, unguessable, and easy to read out on the phone.

Citizens read the code to a PR officer over the phone in Persian, so the alphabet is
digits only: no letter that looks or sounds like another (O/0, I/1, Persian ۴/Arabic ٤
are normalised). Twelve random digits (10^12 codes) behind a rate-limited lookup that
also wants the mobile number cannot be enumerated; they are shown as 4-4-4 groups.
"""

import re
import secrets

from django.conf import settings
from django.urls import reverse

from ravabet.lib.digits import to_latin_digits, to_persian_digits

ALPHABET = "0123456789"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def group(code: str) -> str:
    """1234-5678-9012 (the stored code has no dashes)."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


LRM, LRI, PDI = "\u200e", "\u2066", "\u2069"


def in_text(code: str) -> str:
    """The grouped code in Persian digits for a Persian sentence on a page, a PDF or in the action log.

    Between Persian words the bidi algorithm treats the digit groups as Arabic numbers and the
    dashes as neutrals, so 1234-5678-9012 shows as 9012-5678-1234: a citizen or an officer reading
    it out gives a wrong code. A left-to-right isolate keeps the groups in order; browsers and
    WeasyPrint honour it (WeasyPrint ignores a lone LRM).
    """
    return LRI + to_persian_digits(group(code)) + PDI


def in_sms(code: str) -> str:
    """The grouped code for an SMS: Latin digits (copied straight into the form) behind an LRM, which
    keeps the groups in order and which old phones also know (isolates are newer than many handsets)."""
    return LRM + group(code)


def normalize_code(text: str | None) -> str:
    """What the citizen typed, in any digits and with any dashes or spaces, as the stored code."""
    return re.sub(r"[^0-9]", "", to_latin_digits(text or ""))


def tracking_url(case) -> str:
    """The public tracking page with the case's code filled in; the citizen adds only the mobile number."""
    return f"{settings.SITE_URL}{reverse('complaints:public_track')}?code={case.tracking_code}"


def short_url(case) -> str:
    """The short link for an SMS (/t/<code>): it opens the tracking page with the code filled in."""
    return f"{settings.SITE_URL}/t/{case.tracking_code}"
