"""The bench's own tools (issue 11 §7): wrk's report read right, and the anchor page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.run import parse_wrk  # noqa: E402

REPORT = """Running 5s test @ http://127.0.0.1:8000/rows/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.20ms    3.10ms  45.00ms   80.00%
    Req/Sec   563.10     40.22   640.00     70.00%
  Latency Distribution
     50%   13.85ms
     75%   15.40ms
     90%   17.90ms
     99%    1.02s
  5612 requests in 5.00s, 9.80MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   1122.40
Transfer/sec:      1.96MB
"""


def test_wrk_report_gives_throughput_percentiles_in_ms_and_errors():
    result = parse_wrk(REPORT)
    assert result["rps"] == pytest.approx(1122.40)
    assert result["p50_ms"] == pytest.approx(13.85)
    assert result["p99_ms"] == pytest.approx(1020.0)
    assert result["errors"] == 10


def test_the_anchor_page_lists_20_rows_through_the_index(tmp_path):
    script = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'bench.anchor.settings';"
        "django.setup();"
        "from django.db import connection; from bench.anchor.models import Row;"
        "from django.utils import timezone;"
        "editor = connection.schema_editor(); editor.__enter__(); editor.create_model(Row); editor.__exit__(None, None, None);"
        "Row.objects.bulk_create(Row(title=f'r{n}', created_at=timezone.now()) for n in range(30));"
        "from django.test import Client; page = Client().get('/rows/');"
        "assert page.status_code == 200 and page.content.count(b'<tr>') == 20, page.content;"
        "sql = str(Row.objects.order_by('-created_at')[:20].query);"
        "plan = connection.cursor().execute('EXPLAIN QUERY PLAN ' + sql).fetchall();"
        "assert any('INDEX' in row[-1] for row in plan), plan;"
        "assert Client().get('/ok/').content == b'ok'"
    )
    env = {**os.environ, "ANCHOR_DB": str(tmp_path / "anchor.sqlite3")}
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=120)
