"""Rendering a condolence banner: a print-ready PDF at a banner size and a PNG for screens.

WeasyPrint cannot shrink text to fit a box, so the type sizes are chosen here: the largest
that lets the name, the text and the ceremonies fit the sheet, estimated from the number of
characters per line. A long position or a long text gives smaller letters, never a cut line
or a second page."""

import base64
import hashlib
import io
import math

from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.pdf import render_pdf

from .models import BANNER_SIZES, CondolenceBanner

# Vazirmatn's Persian letters and spaces average about half an em; the extra covers word wrapping.
CHAR_EM = 0.52
# (block, size relative to the body text, line height)
BLOCKS = {"verse": (0.9, 1.5), "name": (1.6, 1.35), "position": (0.95, 1.45), "body": (1.0, 1.65),
          "ceremony": (0.78, 1.5), "signature": (0.95, 1.5)}
GAP = 0.35  # space after each block, in body-text ems
PNG_SIZE = "300x100"


def _photo_data_uri(banner: CondolenceBanner) -> str:
    """The photo inlined, so the PDF never fetches anything and works with any storage."""
    if not banner.photo:
        return ""
    from ravabet.lib.uploads import sniff

    with banner.photo.open("rb") as handle:
        kind = sniff(handle) or "image/jpeg"
        data = handle.read()
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _length_mm(value: str) -> float:
    if value.endswith("mm"):
        return float(value[:-2])
    return float(value[:-2]) * 10  # "cm"


def _ceremonies(banner: CondolenceBanner) -> list[str]:
    lines = []
    for title, when, place in (("مراسم تشییع", banner.funeral_at, banner.funeral_place),
                               ("مراسم ترحیم", banner.memorial_at, banner.memorial_place)):
        if not (when or place):
            continue
        parts = [title]
        if when:
            parts.append(f": {jalali.format_long(when)} ساعت {jalali.format_datetime(when)[-5:]}")
        if place:
            parts.append(f" — {to_persian_digits(place)}")
        lines.append("".join(parts))
    return lines


def banner_blocks(banner: CondolenceBanner) -> list[tuple[str, str]]:
    """(block kind, text) in reading order."""
    blocks = [("verse", "إِنّا لِلّٰهِ وَ إِنّا إِلَیْهِ راجِعون")]
    name = f"{banner.deceased_title} {banner.deceased_name}".strip()
    if banner.relation == "family":
        blocks.append(("name", f"درگذشت {name}"))
    else:
        blocks.append(("name", name))
        if banner.position:
            blocks.append(("position", banner.position))
    blocks += [("body", to_persian_digits(line.strip())) for line in banner.text.splitlines() if line.strip()]
    blocks += [("ceremony", line) for line in _ceremonies(banner)]
    blocks.append(("signature", f"روابط عمومی {banner.unit.name}"))
    return blocks


def _height(blocks, base: float, width: float) -> float:
    total = 0.0
    for kind, text in blocks:
        ratio, line_height = BLOCKS[kind]
        font = base * ratio
        per_line = max(1, int(width / (font * CHAR_EM)))
        total += math.ceil(len(text) / per_line) * font * line_height + base * GAP
    return total


def banner_layout(banner: CondolenceBanner, size: str) -> dict:
    """Page, frame and type sizes (in mm) for one banner size."""
    _label, width, height = BANNER_SIZES[size]
    width_mm, height_mm = _length_mm(width), _length_mm(height)
    border, margin, corner = 0.02 * height_mm, 0.05 * height_mm, 0.16 * height_mm
    inner_height = height_mm - 2 * (border + margin)
    photo_height = 0.62 * inner_height if banner.photo else 0
    photo_width = photo_height * 0.8
    text_width = width_mm - 2 * (border + margin) - (photo_width + margin if banner.photo else 0) - corner * 0.6
    blocks = banner_blocks(banner)
    base = 0.075 * height_mm
    while base > 0.01 * height_mm and _height(blocks, base, text_width) > 0.88 * inner_height:
        base *= 0.95
    mm = {"border": border, "margin": margin, "corner": corner, "photo_height": photo_height,
          "inner_height": inner_height - 0.5,
          "photo_width": photo_width, "corner_room": corner * 0.6, "frame": border * 0.35,
          **{kind: base * ratio for kind, (ratio, _lh) in BLOCKS.items()}, "gap": base * GAP}
    return {"page_width": width, "page_height": height,
            "sizes": {name: f"{value:.1f}mm" for name, value in mm.items()},
            "line_heights": {kind: line_height for kind, (_ratio, line_height) in BLOCKS.items()},
            "blocks": blocks}


def render_banner_pdf(banner: CondolenceBanner, size: str) -> bytes:
    label = BANNER_SIZES[size][0]
    return render_pdf("messaging/banner_pdf.html", {
        "banner": banner, "size_label": label, "photo": _photo_data_uri(banner), **banner_layout(banner, size)})


def png_fingerprint(banner: CondolenceBanner) -> str:
    """Changes whenever what the banner shows changes, so a stored PNG of an older text is never served."""
    parts = [banner.text, banner.deceased_name, banner.position, banner.relation, banner.funeral_place,
             banner.memorial_place, str(banner.funeral_at), str(banner.memorial_at), banner.photo.name or "",
             str(banner.approved_at), banner.unit.name]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def render_banner_png(banner: CondolenceBanner, *, width_px: int = 1600) -> bytes:
    """A PNG of the 300×100 layout for screens and messengers (see pdf_page_png); the height follows
    the page's 3:1 ratio. Raises pypdfium2.PdfiumError if the PDF cannot be read."""
    return pdf_page_png(render_banner_pdf(banner, PNG_SIZE), width_px=width_px)


def pdf_page_png(pdf: bytes, *, width_px: int) -> bytes:
    """The first page of a PDF as a PNG `width_px` pixels wide (the height keeps the page's ratio).

    The PDF (WeasyPrint) is rasterised in-process by PDFium through the pypdfium2 wheel, so no system
    program is needed. Raises pypdfium2.PdfiumError if the PDF cannot be read."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width_px / page.get_width()).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def banner_png(banner: CondolenceBanner) -> bytes:
    """The screen PNG, rendered once (about a second) and then read from storage."""
    from django.core.files.base import ContentFile

    fingerprint = png_fingerprint(banner)
    if banner.rendered_png and banner.rendered_png_key == fingerprint:
        try:
            with banner.rendered_png.open("rb") as handle:
                return handle.read()
        except OSError:
            pass  # the file went missing: render it again
    data = render_banner_png(banner)
    old = banner.rendered_png.name if banner.rendered_png else ""
    banner.rendered_png.save(f"banner-{banner.pk}-{fingerprint}.png", ContentFile(data), save=False)
    banner.rendered_png_key = fingerprint
    CondolenceBanner.objects.filter(pk=banner.pk).update(rendered_png=banner.rendered_png.name,
                                                         rendered_png_key=fingerprint)
    if old and old != banner.rendered_png.name:
        banner.rendered_png.storage.delete(old)
    return data
