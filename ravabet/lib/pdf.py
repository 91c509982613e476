"""Persian PDFs with WeasyPrint, using the vendored Vazirmatn TTF files (no network)."""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

FONTS_DIR = Path(settings.BASE_DIR) / "ravabet" / "static" / "fonts"

FONT_CSS = f"""
@font-face {{ font-family: Vazirmatn; src: url("file://{FONTS_DIR / 'Vazirmatn-Regular.ttf'}"); font-weight: normal; }}
@font-face {{ font-family: Vazirmatn; src: url("file://{FONTS_DIR / 'Vazirmatn-Bold.ttf'}"); font-weight: bold; }}
"""


def _no_network():
    """Only local files and inline data may be loaded into a PDF (WeasyPrint 70 wants a URLFetcher)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"})


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # @font-face rules only take effect through a FontConfiguration shared by the
    # stylesheet and the rendering; without one WeasyPrint silently falls back to DejaVu.
    fonts = FontConfiguration()
    fetcher = _no_network()  # one per document: each builds an SSL context (tens of ms)
    html = render_to_string(template_name, {**context, "font_css": FONT_CSS}, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=FONT_CSS, url_fetcher=fetcher, font_config=fonts)], font_config=fonts)


def pdf_response(filename: str, content: bytes, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}.pdf"
    return response
