"""The news body: a small safe subset of HTML, and the text used for search and diffs."""

import html
import re

import nh3
from django.utils.html import strip_tags

from ravabet.lib.text import search_key

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
TAG = re.compile(r"<[a-zA-Z/!]")
BLOCK_TAG = re.compile(r"<(p|ul|ol|li|blockquote|h3|h4|div|table)[\s>/]", re.IGNORECASE)
LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def clean_body(text: str) -> str:
    """Keep paragraphs, lists, emphasis and links; drop scripts, event handlers and styles.
    Plain text with line breaks becomes paragraphs."""
    text = (text or "").translate(LETTERS).replace("\r\n", "\n").strip()
    if not BLOCK_TAG.search(text):
        # Typed text, perhaps with a bold word or a link: each line is a paragraph.
        paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
        text = "".join(f"<p>{p if TAG.search(p) else html.escape(p)}</p>" for p in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer").strip()


def editable_body(body: str) -> str:
    """The stored body as the officer typed it: paragraphs separated by a blank line instead of
    <p> tags, which clean_body() turns back into the same HTML. Other HTML is shown as it is."""
    body = (body or "").strip()
    paragraphs = re.findall(r"<p>(.*?)</p>", body, flags=re.DOTALL)
    if not paragraphs or "".join(f"<p>{p}</p>" for p in paragraphs) != body \
            or any(BLOCK_TAG.search(p) or "\n" in p for p in paragraphs):
        return body
    return "\n\n".join(p if TAG.search(p) else html.unescape(p) for p in paragraphs)


def plain(body: str) -> str:
    """The body as plain text, one paragraph per line."""
    with_breaks = re.sub(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", "\n", body or "")
    return html.unescape(strip_tags(with_breaks)).strip()


def news_search_key(*, title: str, lead: str, body: str, tags: str) -> str:
    return search_key(" ".join([title, lead, plain(body), tags]))
