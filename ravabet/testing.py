"""Shared test helpers: a small world of HQ and two counties with one user per role,
and the shape of the URL × role matrix that every app fills in for its own URLs."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from ravabet.offices.models import Membership, Person, Unit, UnitKind
from ravabet.offices.roles import Role

PASSWORD = "test-pass-1405"
# The actors of the matrix: county A's people own the records; county B's officer is the outsider.
ACTORS = ("anon", "hq_head", "hq_expert", "manager", "officer", "staff", "outsider")


@dataclass
class World:
    hq: Unit
    county_a: Unit
    county_b: Unit
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def make_user(username: str, full_name: str, unit: Unit | None = None, role: str | None = None, mobile: str = ""):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, full_name=full_name,
                                                email=f"{username}@example.ir", mobile=mobile)
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
        Person.objects.create(unit=unit, user=user, full_name=full_name, mobile=mobile, position=role)
    return user


def build_world() -> World:
    hq = Unit.objects.create(code="hq", name="اداره کل آزمون", city="شیراز", kind=UnitKind.HQ)
    county_a = Unit.objects.create(code="county-a", name="اداره شهرستان الف", city="مرودشت", parent=hq)
    county_b = Unit.objects.create(code="county-b", name="اداره شهرستان ب", city="کازرون", parent=hq)
    users = {
        "hq_head": make_user("hq_head", "رئیس روابط عمومی", hq, Role.HQ_HEAD, "09170000001"),
        "hq_expert": make_user("hq_expert", "کارشناس اداره کل", hq, Role.HQ_EXPERT, "09170000002"),
        "manager": make_user("manager", "رئیس اداره الف", county_a, Role.UNIT_MANAGER, "09170000003"),
        "officer": make_user("officer", "مسئول روابط عمومی الف", county_a, Role.PR_OFFICER, "09170000004"),
        "staff": make_user("staff", "کارمند الف", county_a, Role.STAFF, "09170000005"),
        "outsider": make_user("outsider", "مسئول روابط عمومی ب", county_b, Role.PR_OFFICER, "09170000006"),
        "b_manager": make_user("b_manager", "رئیس اداره ب", county_b, Role.UNIT_MANAGER, "09170000007"),
    }
    return World(hq=hq, county_a=county_a, county_b=county_b, users=users)


@dataclass
class Case:
    """Expected GET status of one URL name for each actor. `kwargs(world)` builds the
    URL's arguments, creating the records it needs (owned by county A)."""

    kwargs: Callable[[World], dict] | None = None
    anon: int = 302
    hq_head: int = 200
    hq_expert: int = 200
    manager: int = 200
    officer: int = 200
    staff: int = 403
    outsider: int = 200
    query: str = ""

    def expected(self, actor: str) -> int:
        return getattr(self, actor)


def public(kwargs=None, status: int = 200, query: str = "") -> Case:
    """A page anyone may open."""
    return Case(kwargs=kwargs, anon=status, hq_head=status, hq_expert=status, manager=status, officer=status,
                staff=status, outsider=status, query=query)


def unit_record(kwargs, *, staff: int = 404, manager: int = 200, officer: int = 200) -> Case:
    """A page about one record of county A: its people and HQ see it, county B gets 404."""
    return Case(kwargs=kwargs, manager=manager, officer=officer, staff=staff, outsider=404)


def hq_only(kwargs=None) -> Case:
    """A page for HQ roles only."""
    return Case(kwargs=kwargs, manager=403, officer=403, staff=403, outsider=403)


def post_only(kwargs=None, anon: int = 302) -> Case:
    """A view that accepts POST only: GET answers 405 once logged in."""
    return Case(kwargs=kwargs, anon=anon, hq_head=405, hq_expert=405, manager=405, officer=405, staff=405, outsider=405)


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form in a Playwright page."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


# --- Reading PDFs in tests through Python wheels (no poppler on the machine) -------------------------

def _pdf_bytes(pdf) -> bytes:
    """`pdf` is bytes or a path (str or Path) of a PDF file."""
    if isinstance(pdf, bytes | bytearray):
        return bytes(pdf)
    from pathlib import Path

    return Path(pdf).read_bytes()


def pdf_text(pdf, *, pages: range | None = None) -> str:
    """The text of a PDF in logical (reading) order, as PDFium extracts it, pages joined by a form feed.

    `pdf`: bytes or a path; `pages`: 0-based page numbers (all by default). Lines end in "\\n". Like poppler's
    pdftotext, a ZWNJ (a joiner without a glyph) is not in the text. Raises pypdfium2.PdfiumError on a broken PDF.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(_pdf_bytes(pdf))
    try:
        texts = []
        for number in pages if pages is not None else range(len(document)):
            textpage = document[number].get_textpage()
            texts.append(textpage.get_text_bounded().replace("\r\n", "\n"))
        return "\f".join(texts)
    finally:
        document.close()


def pdf_pages(pdf) -> list[tuple[float, float]]:
    """(width, height) of every page of a PDF in points (1/72 inch); len() is the page count."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(_pdf_bytes(pdf))
    try:
        return [document[number].get_size() for number in range(len(document))]
    finally:
        document.close()


def pdf_fonts(pdf) -> set[str]:
    """The base font names a PDF's pages use, without the subset prefix («ABCDEF+Vazirmatn» → «Vazirmatn»)."""
    import io

    import pypdf

    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(_pdf_bytes(pdf))).pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")).lstrip("/").split("+")[-1])
    return fonts


def pdf_image_count(pdf) -> int:
    """How many images the pages of a PDF draw (each use counted, as poppler's pdfimages lists them)."""
    import io

    import pypdf

    return sum(len(page.images) for page in pypdf.PdfReader(io.BytesIO(_pdf_bytes(pdf))).pages)


def pdf_png(pdf, target, *, width_px: int = 1200, page: int = 0) -> None:
    """Draw one page (0-based) of a PDF into the PNG file `target`, `width_px` pixels wide (height to scale)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(_pdf_bytes(pdf))
    try:
        sheet = document[page]
        sheet.render(scale=width_px / sheet.get_width()).to_pil().save(str(target), format="PNG")
    finally:
        document.close()


# --- Accessibility checks in the browser tests (axe-core, vendored for the tests only) ---------------------

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_source() -> str:
    """The vendored axe-core script (ravabet/tests/browser/vendor/axe-core/axe.min.js, MPL-2.0)."""
    from pathlib import Path

    return (Path(__file__).parent / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js").read_text()


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on what a Playwright page shows now.

    Returns one dict per violated rule: id, impact, help and up to five offending nodes (CSS target and
    axe's failure summary); an empty list when the page passes. The script is evaluated through the
    browser's debugging protocol, so the app's Content-Security-Policy does not block it.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(AXE_RUN, list(AXE_TAGS))


def format_violations(violations: list[dict]) -> str:
    """A readable list of axe violations for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}" for node in violation["nodes"])
    return "\n".join(lines)


# The public pages and the main pages of a county PR officer and of HQ's head: the pages the accessibility
# (axe-core) and HTML validity (Nu) checks walk (issue 18 §6).
MAIN_PAGES = {
    "anon": ["/public/", "/accounts/login/", "/public/news/", "/public/complaints/", "/public/complaints/track/"],
    "officer": ["/", "/news/", "/news/new/", "/complaints/", "/complaints/new/", "/press/requests/",
                "/press/requests/new/", "/planning/meetings/", "/planning/reports/", "/messaging/announcements/",
                "/messaging/announcements/new/", "/messaging/banners/", "/events/", "/occasions/", "/instruction/",
                "/notices/"],
    "hq_head": ["/", "/news/desk/", "/news/daily/", "/complaints/hq/overdue/", "/instruction/scorecard/",
                "/planning/plans/overview/"],
}
