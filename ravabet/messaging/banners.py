"""Rendering a condolence banner: a print-ready PDF at a banner size and a PNG for screens."""

import base64
import subprocess
import tempfile
from pathlib import Path

from ravabet.lib import jalali
from ravabet.lib.pdf import render_pdf

from .models import BANNER_SIZES, CondolenceBanner


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
    number = float(value.rstrip("cm").rstrip("m"))
    return number * 10 if value.endswith("cm") else number


def render_banner_pdf(banner: CondolenceBanner, size: str) -> bytes:
    label, width, height = BANNER_SIZES[size]
    height_mm = _length_mm(height)
    ceremonies = []
    if banner.funeral_at or banner.funeral_place:
        ceremonies.append(("مراسم تشییع", jalali.format_long(banner.funeral_at),
                           jalali.format_datetime(banner.funeral_at)[-5:] if banner.funeral_at else "",
                           banner.funeral_place))
    if banner.memorial_at or banner.memorial_place:
        ceremonies.append(("مراسم ترحیم", jalali.format_long(banner.memorial_at),
                           jalali.format_datetime(banner.memorial_at)[-5:] if banner.memorial_at else "",
                           banner.memorial_place))
    # Type sizes follow the height of the sheet so every size keeps the same proportions.
    sizes = {name: f"{height_mm * ratio:.1f}mm" for name, ratio in
             {"verse": 0.075, "title": 0.11, "body": 0.052, "small": 0.04, "margin": 0.06, "photo": 0.55, "corner": 0.4}.items()}
    return render_pdf("messaging/banner_pdf.html", {
        "banner": banner, "page_width": width, "page_height": height, "size_label": label, "sizes": sizes,
        "photo": _photo_data_uri(banner), "ceremonies": ceremonies,
        "paragraphs": [line for line in banner.text.splitlines() if line.strip()],
    })


def render_banner_png(banner: CondolenceBanner, *, width_px: int = 1600) -> bytes:
    """A PNG of the 300×100 layout for screens and messengers, rasterised by poppler's pdftoppm."""
    pdf = render_banner_pdf(banner, "300x100")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "banner.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-singlefile", "-scale-to-x", str(width_px), "-scale-to-y", "-1",
                        str(source), str(Path(folder) / "banner")], check=True, timeout=60, capture_output=True)
        return (Path(folder) / "banner.png").read_bytes()
