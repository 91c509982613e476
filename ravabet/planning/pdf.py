"""The meeting minutes and the monthly report as Persian PDFs."""

from pathlib import Path

from django.conf import settings

from ravabet.lib import jalali
from ravabet.lib.pdf import render_pdf

from .models import Meeting, MonthlyReport


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


def bar_chart(counts: list) -> list[dict]:
    """Bars of a horizontal bar chart, each as a percentage of the largest figure.

    Drawn with HTML boxes rather than SVG text: WeasyPrint's SVG text has no Persian shaping."""
    numeric = [(label, value) for label, value in counts if isinstance(value, (int, float))]
    top = max([value for _, value in numeric] + [0]) or 1
    return [{"label": label, "value": value, "percent": round(100 * value / top, 1)} for label, value in numeric]


def meeting_pdf_bytes(meeting: Meeting) -> bytes:
    return render_pdf("planning/pdf/meeting.html", {"meeting": meeting, "printed": jalali.today()})


def report_pdf_bytes(report: MonthlyReport) -> bytes:
    sections = []
    for index, section in enumerate(report.sections, start=1):
        photos = [path for path in (local_photo(url) for url in section.get("photos", [])[:4]) if path]
        sections.append({**section, "number": index, "anchor": f"section-{index}",
                         "chart": bar_chart(section.get("counts", [])), "local_photos": photos})
    return render_pdf("planning/pdf/report.html", {"report": report, "sections": sections,
                                                   "due_date": report.due_date(), "printed": jalali.today()})
