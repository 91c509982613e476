"""Numbers, sizes, direction and instruction items as people read them (issue 12, points 4, 5 and 9)."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines

from ravabet.lib.digits import format_number, format_size, parse_int
from ravabet.lib.instruction import item_label, item_short
from ravabet.lib.uploads import check_upload


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("value,text", [(12345, "۱۲٬۳۴۵"), (Decimal("12.5"), "۱۲٫۵"), (0, "۰"), (-1500, "-۱٬۵۰۰"),
                                        ("۱۲۳۴", "۱٬۲۳۴"), (1234567.25, "۱٬۲۳۴٬۵۶۷٫۲۵"), (Decimal("3.50"), "۳٫۵")])
def test_one_number_format(value, text):
    assert format_number(value) == text


def test_number_filter_rounds_floats_to_one_decimal_or_as_asked():
    assert render("{{ x|fa_number }}", x=3.3333) == "۳٫۳"
    assert render("{{ x|fa_number:2 }}", x=3.3333) == "۳٫۳۳"


@pytest.mark.parametrize("size,text", [(0, "۰ بایت"), (900, "۹۰۰ بایت"), (2048, "۲ کیلوبایت"),
                                       (5 * 1024 * 1024, "۵ مگابایت"), (2621440, "۲٫۵ مگابایت")])
def test_file_sizes_in_persian_units(size, text):
    assert format_size(size) == text
    assert render("{{ s|file_size }}", s=size) == text


def test_too_big_upload_message_has_persian_digits_and_units():
    upload = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 3000)
    with pytest.raises(ValidationError) as error:
        check_upload(upload, allowed={"application/pdf"}, max_bytes=2048)
    message = error.value.messages[0]
    assert "۲ کیلوبایت" in message and not any(d in message.replace("a.pdf", "") for d in "0123456789")


@pytest.mark.parametrize("text,value", [("12", 12), ("۱۲", 12), ("١٢", 12), ("-3", -3), ("1e3", None), ("۱۲a", None),
                                        ("", None), (None, None), ("\x00", None), ("12.5", None), ("²", None), ("১২", None)])
def test_integer_parameters(text, value):
    assert parse_int(text) == value


def test_phone_numbers_keep_their_direction():
    html = render("{{ p|ltr }}", p="+989171234567")
    assert html == '<bdi dir="ltr" class="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi>'
    html = render("{{ p|bidi }}", p="۰۷۱-۴۳۳۳۰۰۰۰ و ۱۴۱ <script>")
    assert html == '<bdi dir="ltr">۰۷۱-۴۳۳۳۰۰۰۰</bdi> و <bdi dir="ltr">۱۴۱</bdi> &lt;<bdi dir="ltr">script</bdi>&gt;'
    # A link or e-mail inside the text is isolated as typed (its digits stay Latin), in pages and in PDFs.
    html = render("{{ p|bidi }}", p="نشانی www.rah-fars.ir/news?id=12&x=3 تلفن 141")
    assert html == ('نشانی <bdi dir="ltr">www.rah-fars.ir/news?id=12&amp;x=3</bdi> تلفن <bdi dir="ltr">۱۴۱</bdi>')
    text = render("{{ p|bidi_text }}", p="پلاک 12، info@rah-fars.ir")
    assert text == "پلاک \u2066۱۲\u2069، \u2066info@rah-fars.ir\u2069"


def test_instruction_items_in_the_instructions_own_notation():
    assert item_short("B5") == "ب-۵"
    assert item_label("A1") == "بند الف-۱"
    assert item_label("F7") == "بند و-۷"
    assert render("{{ c|instruction_item }}", c="B5") == "بند ب-۵"
    assert item_label("") == "" and item_short("Z9") == "Z۹"


def test_no_template_shows_a_latin_instruction_code_as_text():
    """Issue 12 §5: pages name items in the instruction's own notation («ه-۳»); the Latin code (E3) stays in
    URLs, attributes and data. Reads every template's visible text (tags, template code, styles removed)."""
    from pathlib import Path

    import ravabet

    found = []
    for path in Path(ravabet.__file__).parent.rglob("templates/**/*.html"):
        text = re.sub(r"(?s)<(style|script)\b.*?</\1>|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", "",
                      path.read_text(encoding="utf-8"))
        text = re.sub(r"(?s)\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>", " ", text)
        found += [f"{path.name}: {m.group()}" for m in re.finditer(r"(?<![\w\-/.])[A-F][0-9]{1,2}(?![\w])", text)]
    assert not found, found


def test_bidi_leaves_markup_written_by_code_alone():
    from django.utils.safestring import mark_safe

    assert render("{{ m|bidi }}", m=mark_safe('<a href="/x/1">1</a>')) == '<a href="/x/1">1</a>'


def test_form_errors_and_messages_show_persian_digits(client, world):
    from django import forms

    class Form(forms.Form):
        name = forms.CharField(max_length=5)

    form = Form(data={"name": "abcdefgh"})
    form.is_valid()
    html = render('{% include "includes/form_fields.html" %}', form=form)
    error = html.split('invalid-feedback d-block">')[1].split("</div>")[0]
    assert "۵" in error and not re.search("[0-9]", error)
    assert render("{{ m|fa_text }}", m="کد 12 در https://x.ir/t/12 و a@b.ir") == "کد ۱۲ در https://x.ir/t/12 و a@b.ir"


def test_plain_text_isolates_each_number_for_pdfs():
    text = render("{{ p|bidi_text }}", p="۰۷۱-۴۳۳۳۰۰۰۰ و 141 <b>")
    assert text == "\u2066۰۷۱-۴۳۳۳۰۰۰۰\u2069 و \u2066۱۴۱\u2069 &lt;\u2066b\u2069&gt;"


def test_one_decimal_separator_everywhere_a_number_is_shown():
    """|fa after floatformat and on a float or Decimal shows «٫», as |fa_number does; years get no «٬»."""
    assert render("{{ x|floatformat:1|fa }} {{ x|fa }} {{ d|fa }} {{ x|fa_number }}", x=12.5, d=Decimal("3.25")) == \
        "۱۲٫۵ ۱۲٫۵ ۳٫۲۵ ۱۲٫۵"
    assert render("{{ y|fa }} {{ s|fa }}", y=1405, s="1405/09/09") == "۱۴۰۵ ۱۴۰۵/۰۹/۰۹"
    assert render("{{ m|fa_text }}", m="میانگین 4.5 از 5") == "میانگین ۴٫۵ از ۵"


def test_bidi_html_isolates_runs_in_the_text_of_safe_html_only():
    """Issue 12 §9: the news body (cleaned HTML) keeps its tags and gets each phone number, code and link
    isolated; a value not marked safe is escaped like |bidi, never taken as markup."""
    body = '<p>تلفن +989171234567 و <a href="http://x.ir/?a=1&amp;b=2">www.x.ir/?a=1&amp;b=2</a> &lt;b&gt;</p>'
    html = render("{{ b|safe|bidi_html }}", b=body)
    assert html == ('<p>تلفن <bdi dir="ltr">+۹۸۹۱۷۱۲۳۴۵۶۷</bdi> و <a href="http://x.ir/?a=1&amp;b=2">'
                    '<bdi dir="ltr">www.x.ir/?a=1&amp;b=2</bdi></a> &lt;<bdi dir="ltr">b</bdi>&gt;</p>')
    assert render("{{ b|bidi_html }}", b="<script>1</script>") == (
        '&lt;<bdi dir="ltr">script</bdi>&gt;<bdi dir="ltr">۱</bdi>&lt;/<bdi dir="ltr">script</bdi>&gt;')
