"""B10: a ticker, screen or letterhead text shown in its format before anyone prints or airs it: a TV
crawl strip, an LED screen frame, or the top of an A4 letterhead with the text in its place. Rendered
as a PDF (WeasyPrint, the vendored Vazirmatn) and, for the page, as a PNG (PDFium)."""

from ravabet.lib import jalali
from ravabet.lib.pdf import render_pdf

from .banners import pdf_page_png
from .models import TickerKind, TickerText

# Page size (mm) and colours of each format: a 16:1 TV crawl band, a 5:1 LED frame, an A4 sheet.
FORMATS = {
    TickerKind.TV: {"width": 320, "height": 20, "background": "#0b2a55", "color": "#ffffff", "size": 9},
    TickerKind.SCREEN: {"width": 300, "height": 60, "background": "#000000", "color": "#ffb300", "size": 16},
    TickerKind.LETTERHEAD: {"width": 210, "height": 297, "background": "#ffffff", "color": "#111111", "size": 11},
}
PNG_WIDTH = {TickerKind.TV: 1600, TickerKind.SCREEN: 1200, TickerKind.LETTERHEAD: 900}


def render_ticker_pdf(ticker: TickerText) -> bytes:
    """The text in its format as a one-page PDF (sizes in FORMATS): the strip or frame with the text,
    or a letterhead whose header carries the text above the unit's name, date and number lines."""
    layout = FORMATS[TickerKind(ticker.kind)]
    return render_pdf("messaging/ticker_preview_pdf.html", {
        "ticker": ticker, "layout": layout, "is_letterhead": ticker.kind == TickerKind.LETTERHEAD,
        "today": jalali.format_date(jalali.today())})


def render_ticker_png(ticker: TickerText) -> bytes:
    """The preview PDF's page as a PNG (PNG_WIDTH pixels wide for the text's format)."""
    return pdf_page_png(render_ticker_pdf(ticker), width_px=PNG_WIDTH[TickerKind(ticker.kind)])
