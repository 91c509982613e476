"""The meeting minutes and the monthly report as Persian PDFs."""

import threading
from pathlib import Path

from django.conf import settings

from ravabet.lib import jalali
from ravabet.lib.pdf import render_pdf

from .models import Meeting, MonthlyReport

_warm_up_lock = threading.Lock()
_warm_up_done = threading.Event()
_warm_up_started = False


def warm_up_in_background() -> None:
    """Load WeasyPrint and the fonts once per process, in a background thread, while someone reads
    a page whose PDF they may ask for (the report and meeting pages).

    The first PDF of a process otherwise pays about half its time importing WeasyPrint
    (Pango, HarfBuzz and fontTools through cffi) and laying out the fonts for the first time."""
    global _warm_up_started
    with _warm_up_lock:
        if _warm_up_started:
            return
        _warm_up_started = True

    def run():
        try:
            from weasyprint import HTML

            from ravabet.lib.pdf import FONT_CSS

            HTML(string=f"<style>{FONT_CSS}</style><p style='font-family: Vazirmatn'>گرم <b>کردن</b></p>").render()
        except Exception:  # noqa: BLE001 — a failed warm-up only means the first PDF is slower
            pass
        finally:
            _warm_up_done.set()

    threading.Thread(target=run, name="planning-pdf-warm-up", daemon=True).start()


def _after_warm_up() -> None:
    """Never import WeasyPrint in two threads at once: wait for a running warm-up to finish."""
    if _warm_up_started:
        _warm_up_done.wait(timeout=30)


def local_photo(url: str) -> str:
    """A section photo's /media/... URL as a file:// path under MEDIA_ROOT, or '' when missing."""
    media_url = settings.MEDIA_URL or "/media/"
    if not url or not url.startswith(media_url):
        return ""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / url[len(media_url):]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return ""
    return path.as_uri()


def print_photos(urls: list[str]) -> list[str]:
    """The sections' photos as local files for the PDF, using the photo part's 480 px thumbnail
    when there is one: a 7.5 cm print needs no 1600 px original, and decoding and embedding the
    originals made the PDF three times bigger and slower (one query for all of them).
    One entry per URL, '' for a photo that is not on disk."""
    from ravabet.photos.models import Photo

    media_url = settings.MEDIA_URL or "/media/"
    names = [url[len(media_url):] for url in urls if url and url.startswith(media_url)]
    thumbnails = dict(Photo.objects.filter(image__in=names).exclude(thumbnail="").values_list("image", "thumbnail"))
    paths = []
    for url in urls:
        name = url[len(media_url):] if url and url.startswith(media_url) else ""
        path = local_photo(media_url + thumbnails[name]) if name in thumbnails else ""
        paths.append(path or local_photo(url))
    return paths


def bar_chart(counts: list) -> list[dict]:
    """The counts as rows with a bar each, as a percentage of the largest figure (percent None for
    a figure that is not a number).

    Drawn with HTML boxes rather than SVG text: WeasyPrint's SVG text has no Persian shaping."""
    numeric = [value for _, value in counts if isinstance(value, (int, float)) and not isinstance(value, bool)]
    top = max(numeric + [0]) or 1
    return [{"label": label, "value": value,
             "percent": round(100 * value / top, 1) if value in numeric else None} for label, value in counts]


def has_bars(rows: list[dict]) -> bool:
    """Bars only help when at least two figures are above zero to compare."""
    return sum(1 for row in rows if row["percent"]) >= 2


def meeting_pdf_bytes(meeting: Meeting) -> bytes:
    _after_warm_up()
    return render_pdf("planning/pdf/meeting.html", {"meeting": meeting, "printed": jalali.today()})


def report_pdf_bytes(report: MonthlyReport) -> bytes:
    _after_warm_up()
    shown = {section["key"]: section.get("photos", [])[:4] for section in report.sections}
    paths = iter(print_photos([url for urls in shown.values() for url in urls]))
    sections = []
    for index, section in enumerate(report.sections, start=1):
        photos = [path for path in (next(paths, "") for _ in shown[section["key"]]) if path]
        rows = bar_chart(section.get("counts", []))
        sections.append({**section, "number": index, "anchor": f"section-{index}", "rows": rows,
                         "chart": has_bars(rows), "local_photos": photos})
    return render_pdf("planning/pdf/report.html", {"report": report, "sections": sections,
                                                   "due_date": report.due_date(), "printed": jalali.today()})
