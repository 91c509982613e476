"""The evaluation PDF's charts, drawn once in Python as small PNG images (issue 10 §7).

Why images: WeasyPrint lays out every table cell and every SVG <text> through Pango one by one; the
30 × 36 heat map of attainment numbers took most of the 30-unit report's seconds, and SVG text is not
shaped right to left (Persian words come out reversed). So the parts without words — the coloured cells
with their numbers (digits need no shaping) and the trend bars — are PNG strips drawn with Pillow, and
every Persian word (unit names, item labels, period names) stays in the HTML around them, where
WeasyPrint shapes it. Colours are those of the page's heat map (`views._level`: a0 nothing … a4 ≥ 85 %).
"""

from __future__ import annotations

import base64
import functools
import io

from PIL import Image, ImageDraw, ImageFont

from ravabet.lib.digits import format_number, to_persian_digits
from ravabet.lib.pdf import FONTS_DIR

COLOURS = {"a0": "#f8d7da", "a1": "#fbe3c8", "a2": "#fff3cd", "a3": "#d8efd9", "a4": "#a8d8b0"}
BAR = "#0b5c6b"
GRID = "#999999"


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    # Digits only: the basic layout is enough (no shaping, no bidi needed).
    return ImageFont.truetype(str(FONTS_DIR / "Vazirmatn-Regular.ttf"), size,
                              layout_engine=ImageFont.Layout.BASIC)


def _data_uri(image: Image.Image) -> str:
    # The fastest zlib level: WeasyPrint decodes every PNG and compresses it again for the PDF anyway, so a
    # tighter PNG here only costs time (60 charts of the 30-unit report: 267 → 186 ms CPU to encode).
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def heat_strip(levels_and_values: list[tuple[str, float]], *, cell: int = 48, height: int = 34) -> str:
    """One unit's row of the heat map as a PNG data URI (str): a cell per item, right to left (the first
    item on the right, as in the HTML header above it), coloured by its level ("a0"…"a4") and labelled
    with its attainment (0-100, whole per cent) in Persian digits. `cell` and `height` in pixels."""
    count = len(levels_and_values)
    image = Image.new("RGB", (cell * count + 1, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(int(height * 0.5))
    for index, (level, value) in enumerate(levels_and_values):
        left = (count - 1 - index) * cell
        draw.rectangle((left, 0, left + cell, height - 1), fill=COLOURS[level], outline=GRID)
        draw.text((left + cell / 2, height / 2), to_persian_digits(f"{value:.0f}"), fill="black", font=font,
                  anchor="mm")
    return _data_uri(image)


def trend_bars(totals: list[float], *, column: int = 120, height: int = 110) -> str:
    """A unit's totals (0-100) over consecutive periods as vertical bars, each with its total (one decimal,
    Persian digits) above it, a PNG data URI (str); right to left (the first period on the right) so that the
    period names in the HTML row below line up. `column` and `height` in pixels."""
    count = len(totals)
    image = Image.new("RGB", (column * count + 1, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(18)
    label = 24  # room above the tallest bar for its number
    draw.line((0, height - 1, column * count, height - 1), fill=GRID)
    for index, total in enumerate(totals):
        left = (count - 1 - index) * column
        top = height - 1 - round(max(0.0, min(100.0, total)) / 100 * (height - label - 4))
        draw.rectangle((left + column * 0.3, top, left + column * 0.7, height - 1), fill=BAR)
        draw.text((left + column / 2, top - 3), format_number(round(total, 1)),
                  fill="black", font=font, anchor="mb")
    return _data_uri(image)
