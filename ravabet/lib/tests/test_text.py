"""Stored text is kept as typed; only the search key folds (issue 12, point 1)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ravabet.lib.text import is_blank, normalize, search_key

PIECES = [
    "www.rah-fars.ir/news?id=12&x=3", "https://rah.ir/a_b?q=۱۲#x", "info@rah-fars.ir", "۱۲٫۵", "12.5", "3,000",
    "۱۴۰۵/۰۹/۰۵", "1405/9/5", "کیلومتر ۱۲+۳۰۰", "km 12+300", "B5-3", "ب-۴", "راه‌ها", "راه ها", "تأخیر",
    "(الف)", "«نقل»", "؟", "!", ":", "؛", "،", "۰۷۱-۴۳۳۳۰۰۰۰", "+989171234567", "  ", "\n", "\t", "\u200c",
]
LISTED = {"ي": "ی", "ى": "ی", "ك": "ک"}
CONTROLS = ["\u202e", "\u202b", "\u2066", "\u2069", "\u200f", "\u200e", "\u061c", "\x00", "\x08", "\x1b"]


def expected(text: str) -> str:
    for char in CONTROLS:
        text = text.replace(char, "")
    for arabic, persian in LISTED.items():
        text = text.replace(arabic, persian)
    return text.strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(list(LISTED) + CONTROLS),
                          st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cf", "Cs"]),
                                  max_size=12)),
                max_size=25))
def test_storing_any_mix_changes_only_the_listed_letters_and_controls(parts):
    text = "".join(parts)
    assert normalize(text) == expected(text)


@pytest.mark.parametrize("text", [
    "www.rah-fars.ir/news?id=12&x=3", "info@rah-fars.ir", "۱۲٫۵ و 12.5", "تاریخ ۱۴۰۵/۰۹/۰۵", "کیلومتر ۱۲+۳۰۰",
    "کد B5-3", "خط اول\n\nخط سوم", "می روم", "راه ها", "«نقل قول» ؛ ،",
])
def test_text_that_is_already_persian_is_stored_unchanged(text):
    assert normalize(text) == text


def test_normalize_unifies_arabic_letters_and_removes_controls():
    assert normalize(" علي كرمان \u202e\x08") == "علی کرمان"
    assert normalize("یک\r\nدو") == "یک\nدو"
    assert normalize(None) == ""


@pytest.mark.parametrize("variants", [
    ("راه‌ها", "راهها", "راه ها"),
    ("راه‌سازی", "راهسازی"),
    ("می‌روم", "می روم", "میروم"),
    ("تأخیر", "تاخیر"),
    ("آب", "اب"),
    ("هفته‌ی بسیج", "هفته بسیج", "هفته ی بسیج"),
    ("۱۲۳", "123", "١٢٣"),
    ("كرمان", "کرمان"),
    ("بزرگ‌ترین", "بزرگ ترین", "بزرگترین"),
])
def test_search_key_folds_variants(variants):
    keys = {search_key(text) for text in variants}
    assert len(keys) == 1, keys


def test_search_key_keeps_words_apart():
    assert search_key("راه همراه").split() == ["راه", "همراه"]


@pytest.mark.parametrize("text", ["", "   ", "\u200c", " \u200c \u200f ", "\u200b\ufeff", "\t\n", "ـ"])
def test_blank_text(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["ا", ".", "0", "؟"])
def test_visible_text_is_not_blank(text):
    assert not is_blank(text)


def test_rebuild_search_keys_recomputes_stale_keys(world):
    from django.core.management import call_command

    from ravabet.press.models import Keyword

    keyword = Keyword.objects.create(unit=world.county_a, text="راه ها", key="راه ها")
    call_command("rebuild_search_keys", "--dry-run")
    keyword.refresh_from_db()
    assert keyword.key == "راه ها"
    call_command("rebuild_search_keys")
    keyword.refresh_from_db()
    assert keyword.key == search_key("راه‌ها") == "راهها"


@pytest.mark.parametrize("query", ["راهها", "راه‌ها", "راه ها", "راه‌هاي"])
def test_news_search_finds_every_spacing_of_a_word(world, query):
    from ravabet.news.models import News
    from ravabet.news.selectors import filter_news
    from ravabet.news.tests.helpers import make_news

    news = make_news(world, title="بهسازی راه‌های روستایی www.rah-fars.ir/news?id=12", photos=0)
    assert news.title == "بهسازی راه‌های روستایی www.rah-fars.ir/news?id=12"
    assert list(filter_news(News.objects.all(), {"q": query})) == [news]
