"""The news body: a small safe subset of HTML, and the text used for search and diffs."""

import html
import re

import nh3
from django.utils.html import strip_tags

from ravabet.lib.text import search_key

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def clean_body(text: str) -> str:
    """Keep paragraphs, lists, emphasis and links; drop scripts, event handlers and styles.
    Plain text with line breaks becomes paragraphs."""
    text = (text or "").translate(LETTERS).strip()
    if not re.search(r"<[a-zA-Z/!]", text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n|\n", text) if p.strip()]
        text = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer").strip()


def plain(body: str) -> str:
    """The body as plain text, one paragraph per line."""
    with_breaks = re.sub(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", "\n", body or "")
    return html.unescape(strip_tags(with_breaks)).strip()


def news_search_key(*, title: str, lead: str, body: str, tags: str) -> str:
    return search_key(" ".join([title, lead, plain(body), tags]))
