"""Ravabet benchmark: province-scale data, pages measured over HTTP against a baseline.

    python bench/run.py [--requests 30] [--skip-seed] [--only news]

1. Creates (once) a separate SQLite database var/bench.sqlite3 (or uses $DATABASE_URL) and loads
   `manage.py seed_bench` into it (30 units, 5 years; every app adds its volume).
2. Starts the application with gunicorn on a free port with RAVABET_QUERY_COUNT=1, logs in the
   bench users, and requests every page that an app lists in `ravabet/<app>/bench.py: pages(ctx)`,
   `--requests` times each, after a warm-up; prints p50/p95 latency, the SQL query count, and the
   ratio of p50/p95 to the baseline page `/health/` measured in the same run.
3. Runs every `measures(ctx)` entry in-process (for work that is not a page: near-duplicate
   lookups, PDF rendering, outbox throughput), with its own baseline where one is given.
Results are also written to bench/results/latest.json.
"""

import argparse
import http.cookiejar
import importlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "ravabet-demo"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


class BenchRun:
    """What bench modules get: the loaded units and users, and a helper to find records."""

    def __init__(self):
        from ravabet.offices.models import Unit

        self.hq = Unit.objects.get(code="bench-hq")
        self.units = list(Unit.objects.filter(code__startswith="bench-", parent=self.hq).order_by("code"))
        self.hq_expert = "bench.expert"
        self.officers = {unit.pk: f"bench.pr{index:02d}" for index, unit in enumerate(self.units)}

    @staticmethod
    def first(model, **filters):
        return model.objects.filter(**filters).order_by("pk").first()


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, float, int]:
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                response.read()
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            error.read()
            status, headers = error.code, error.headers
        elapsed = (time.perf_counter() - start) * 1000
        return status, elapsed, int(headers.get("X-Query-Count", -1))

    def login(self, username: str) -> None:
        with self.opener.open(self.base + "/accounts/login/") as response:
            html = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data,
                                         headers={"Referer": self.base + "/accounts/login/"})
        with self.opener.open(request) as response:
            response.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_modules(only: str | None):
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("ravabet.") or (only and config.label != only):
            continue
        try:
            yield importlib.import_module(f"{config.name}.bench")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.bench":
                raise


def measure_pages(base: str, pages: list[dict], requests: int) -> list[dict]:
    sessions: dict[str | None, Session] = {}
    results = []
    for page in [{"name": "baseline: /health/", "path": "/health/", "user": None}, *pages]:
        user = page.get("user")
        if user not in sessions:
            sessions[user] = Session(base)
            if user:
                sessions[user].login(user)
        session = sessions[user]
        for _ in range(3):
            session.get(page["path"])
        timings, queries, status = [], -1, 0
        for _ in range(requests):
            status, elapsed, queries = session.get(page["path"])
            timings.append(elapsed)
        results.append({"name": page["name"], "path": page["path"], "status": status, "queries": queries,
                        "p50_ms": percentile(timings, 50), "p95_ms": percentile(timings, 95)})
    baseline = results[0]
    for row in results:
        row["p50_ratio"] = row["p50_ms"] / baseline["p50_ms"]
        row["p95_ratio"] = row["p95_ms"] / baseline["p95_ms"]
    return results


def run_measures(measures: list[dict]) -> list[dict]:
    results = []
    for measure in measures:
        repeat = measure.get("repeat", 20)
        row = {"name": measure["name"]}
        for label in ("run", "baseline"):
            fn = measure.get(label)
            if fn is None:
                continue
            fn()  # warm-up
            timings = []
            for _ in range(repeat if label == "run" else max(3, repeat // 4)):
                start = time.perf_counter()
                fn()
                timings.append((time.perf_counter() - start) * 1000)
            row[f"{label}_p50_ms"] = percentile(timings, 50)
            row[f"{label}_p95_ms"] = percentile(timings, 95)
        if "baseline_p95_ms" in row:
            row["p95_ratio"] = row["run_p95_ms"] / row["baseline_p95_ms"]
        if "per_second" in measure:
            row["per_second"] = measure["per_second"]()
        results.append(row)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--only", help="one app label")
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ravabet.settings", "RAVABET_QUERY_COUNT": "1",
           "AXES_ENABLED": "false"}
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    os.environ.update(env)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    if not args.skip_seed:
        subprocess.run([python, "manage.py", "seed_bench", f"--units={args.units}", f"--years={args.years}"],
                       cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    ctx = BenchRun()
    modules = list(bench_modules(args.only))
    pages = [page for module in modules if hasattr(module, "pages") for page in module.pages(ctx)]
    measures = [m for module in modules if hasattr(module, "measures") for m in module.measures(ctx)]

    port = free_port()
    server = subprocess.Popen([python, "-m", "gunicorn", "ravabet.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                               "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        page_results = measure_pages(base, pages, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=10)
    measure_results = run_measures(measures)

    print(f"\n{'page':<44} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p50 x':>6} {'p95 x':>6}")
    for row in page_results:
        print(f"{row['name'][:44]:<44} {row['status']:>6} {row['queries']:>7} {row['p50_ms']:>8.1f} "
              f"{row['p95_ms']:>8.1f} {row['p50_ratio']:>6.1f} {row['p95_ratio']:>6.1f}")
    if measure_results:
        print(f"\n{'measure':<44} {'p50 ms':>8} {'p95 ms':>8} {'base p95':>9} {'ratio':>6} {'per s':>8}")
        for row in measure_results:
            print(f"{row['name'][:44]:<44} {row.get('run_p50_ms', 0):>8.1f} {row.get('run_p95_ms', 0):>8.1f} "
                  f"{row.get('baseline_p95_ms', float('nan')):>9.1f} {row.get('p95_ratio', float('nan')):>6.2f} "
                  f"{row.get('per_second', float('nan')):>8.1f}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"pages": page_results, "measures": measure_results},
                                                ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
