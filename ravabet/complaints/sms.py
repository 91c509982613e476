"""Every SMS the complaints part sends to a citizen, and how many SMS parts each takes.

A citizen's SMS must fit in two parts (issue 14): Persian text is sent as UCS-2, where one part holds
70 characters and each part of a multipart message 67 (GSM 03.38 / 3GPP TS 23.040: 140 octets, less a
6-octet concatenation header). The answer itself is never in the SMS: a short link to the tracking page is.
"""

from .tracking import in_sms, short_url

MAX_PARTS = 2
# The GSM 7-bit default alphabet (basic table); a text with any other character is sent as UCS-2.
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
           "¿abcdefghijklmnopqrstuvwxyzäöñüà")


def sms_parts(text: str) -> int:
    """The number of SMS parts `text` (str) is sent in: GSM-7 160 / 153 a part, otherwise UCS-2 70 / 67
    (characters outside the basic multilingual plane count twice). Returns an int ≥ 1."""
    if all(char in GSM7 for char in text):
        single, multi, length = 160, 153, len(text)
    else:
        single, multi = 70, 67
        length = sum(2 if ord(char) > 0xFFFF else 1 for char in text)
    if length <= single:
        return 1
    return -(-length // multi)


def fit(*variants: str) -> str:
    """The first of `variants` (longest wording first) that goes in MAX_PARTS parts; else the last."""
    for text in variants:
        if sms_parts(text) <= MAX_PARTS:
            return text
    return variants[-1]


def sms_received(case) -> str:
    """To the citizen when a case is filed: the tracking code and the short link."""
    code, link = in_sms(case.tracking_code), short_url(case)
    return fit(f"{case.get_kind_display()} شما در {case.unit.name} ثبت شد.\nکد: {code}\n{link}",
               f"{case.get_kind_display()} شما ثبت شد.\nکد: {code}\n{link}")


def sms_answered(case) -> str:
    """To the citizen when an answer is given: where to read it (never the answer text)."""
    code, link = in_sms(case.tracking_code), short_url(case)
    return fit(f"پاسخ {case.unit.name} به پرونده {code} آماده است:\n{link}",
               f"پاسخ پرونده {code} آماده است:\n{link}")


def sms_closed_unanswered(case) -> str:
    """To the citizen when the case is closed without an answer; the reason is on the tracking page."""
    return fit(f"پرونده {in_sms(case.tracking_code)} بدون پاسخ بسته شد. علت و اعتراض:\n{short_url(case)}")


def sms_transferred(case) -> str:
    """To the citizen when the case moves to another unit (its unit is already the new one)."""
    code, link = in_sms(case.tracking_code), short_url(case)
    return fit(f"پرونده {code} برای رسیدگی به {case.unit.name} فرستاده شد.\n{link}",
               f"پرونده {code} به {case.unit.city or 'اداره دیگر'} فرستاده شد.\n{link}")


def sms_merged(case) -> str:
    """To the citizen whose case was merged into a similar one: its answer will reach them too."""
    code, link = in_sms(case.tracking_code), short_url(case)
    return fit(f"پرونده {code} با پرونده‌ای مشابه در {case.unit.name} یکی شد؛ پاسخ آن به شما هم پیامک می‌شود:\n{link}",
               f"پرونده {code} با پرونده‌ای مشابه یکی شد؛ پاسخ آن را پیامک می‌کنیم:\n{link}")


def sms_referred(case) -> str:
    """To an employee without an account the case is referred to (no link: they have no login)."""
    return fit(f"پرونده مردمی «{case.subject[:40]}» در {case.unit.name} برای رسیدگی به شما ارجاع شد؛ "
               f"با روابط عمومی اداره هماهنگ کنید.",
               f"پرونده مردمی «{case.subject[:40]}» برای رسیدگی به شما ارجاع شد؛ با روابط عمومی هماهنگ کنید.")


CITIZEN_TEMPLATES = (sms_received, sms_answered, sms_closed_unanswered, sms_transferred, sms_merged)
