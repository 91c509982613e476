"""Ravabet benchmark: province-scale data, pages measured over HTTP against a baseline.

    python bench/run.py [--requests 30] [--skip-seed] [--only news]

1. Creates (once) a separate SQLite database var/bench.sqlite3 (or uses $DATABASE_URL) and loads
   `manage.py seed_bench` into it (30 units, 5 years; every app adds its volume).
2. Starts the application in production mode (DEBUG off, static files collected, gunicorn --preload,
   2 sync workers) on a free port with RAVABET_QUERY_COUNT=1, logs in the bench users, and requests
   every page that an app lists in `ravabet/<app>/bench.py: pages(ctx)` once for its status and SQL
   query count.
3. With wrk (Debian package `wrk`; `--requests` mode without it): starts the anchor project
   (bench/anchor: a bare Django page listing 20 of 100,000 rows through an index, and a plain "ok"
   page) the same way, and for every page runs wrk (16 connections, `--seconds`) on the anchor and then
   on the page, interleaved; prints throughput and p50/p99 with each page's ratio to the anchor measured
   just before it (issue 11 §7). Without wrk: `--requests` sequential requests each, p50/p95 and the
   ratio to `/health/`.
4. Runs every `measures(ctx)` entry in-process (for work that is not a page: near-duplicate
   lookups, PDF rendering, outbox throughput), with its own baseline where one is given.
Results are also written to bench/results/latest.json.
"""

import argparse
import http.client
import http.cookies
import importlib
import json
import os
import re
import shutil
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
    """One visitor: keeps its cookies by hand (production cookies are `Secure`; the bench speaks plain HTTP
    behind `X-Forwarded-Proto: https`, as a TLS proxy would) and does not follow redirects."""

    def __init__(self, base: str):
        self.base = base
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies: dict[str, str] = {}

    def headers(self) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https", "Origin": f"https://{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, body: bytes | None = None, extra: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=300)
        try:
            connection.request(method, path, body=body, headers={**self.headers(), **(extra or {})})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def get(self, path: str) -> tuple[int, float, int]:
        start = time.perf_counter()
        status, headers, _data = self.request("GET", path)
        elapsed = (time.perf_counter() - start) * 1000
        return status, elapsed, int(headers.get("X-Query-Count", -1))

    def login(self, username: str) -> None:
        _status, _headers, html = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html.decode()).group(1)
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        status, _headers, _data = self.request(
            "POST", "/accounts/login/", data, {"Content-Type": "application/x-www-form-urlencoded",
                                               "Referer": f"https://{self.host}:{self.port}/accounts/login/"})
        if status != 302:
            raise RuntimeError(f"bench login of {username} failed ({status})")


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


WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, cookie: str | None, seconds: int, connections: int = 16) -> dict:
    """Run wrk on `url` (2 threads, `connections` connections, `seconds` s, with the session `cookie`);
    returns {"rps": requests per second, "p50_ms", "p99_ms", "errors": non-2xx/3xx responses + socket errors}."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "30s",
               "-s", str(ROOT / "bench" / "latency.lua"), "-H", "X-Forwarded-Proto: https", url]
    if cookie:
        command[-1:-1] = ["-H", f"Cookie: {cookie}"]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def parse_wrk(out: str) -> dict:
    """wrk's `--latency` report (and bench/latency.lua's P95_US line) as {"rps", "p50_ms", "p95_ms", "p99_ms",
    "errors"} (latencies in milliseconds)."""
    latency = {pct: float(value) * UNIT_MS[unit] for pct, value, unit in WRK_LATENCY.findall(out)}
    p95 = re.search(r"^P95_US (\d+)$", out, re.M)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?timeout)\s*:?\s*(\d+)", out))
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50_ms": latency.get("50", float("nan")),
            "p95_ms": int(p95.group(1)) / 1000 if p95 else float("nan"),
            "p99_ms": latency.get("99", float("nan")), "errors": errors}


def production_cache(env: dict, local: bool) -> str:
    """Point the application at Redis as production runs it (README: REDIS_URL), so both gunicorn workers
    share one cache: `env`'s REDIS_URL when set, else database 12 of a Redis answering on 127.0.0.1:6379,
    emptied first so no earlier run's pages are served. `local` (or no Redis) leaves each worker its own
    memory, where every worker builds a kept page (HQ's evaluation board, home parts) once for itself.
    Returns a line saying which cache the run used."""
    if local:
        env.pop("REDIS_URL", None)
        os.environ.pop("REDIS_URL", None)
        return "cache: each worker's own memory (--local-cache)"
    import redis

    url = env.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError:
        env.pop("REDIS_URL", None)
        os.environ.pop("REDIS_URL", None)
        return f"cache: each worker's own memory (no Redis answered at {url})"
    client.flushdb()
    env["REDIS_URL"] = url
    return f"cache: Redis at {url}, shared by the workers as in production"


def start_server(module: str, port: int, env: dict) -> subprocess.Popen:
    """gunicorn serving `module` on 127.0.0.1:`port` with 2 sync workers and --preload (imports done once,
    before the workers fork, so no first visitor waits for them); returns once it answers."""
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", module, "-b", f"127.0.0.1:{port}", "-w", "2",
                               "--preload", "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=1).read()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    return server


def measure_wrk(base: str, anchor: str, pages: list[dict], seconds: int) -> list[dict]:
    """Every page under wrk, each right after a wrk run of the anchor page (same connections and time);
    ratios are to that anchor run. The plain "ok" page of the anchor is measured first."""
    sessions: dict[str | None, Session] = {}
    ok = wrk(anchor + "/ok/", None, seconds)
    results = [{"name": "anchor: plain ok page", "path": "/ok/", "status": 200, "queries": 0, **ok,
                "anchor_rps": ok["rps"], "anchor_p95_ms": ok["p95_ms"], "anchor_p99_ms": ok["p99_ms"],
                "rps_ratio": 1.0, "p95_ratio": 1.0, "p99_ratio": 1.0}]
    for page in pages:
        user = page.get("user")
        if user not in sessions:
            sessions[user] = Session(base)
            if user:
                sessions[user].login(user)
        session = sessions[user]
        status, _elapsed, queries = session.get(page["path"])
        session.get(page["path"])
        cookie = session.headers().get("Cookie")
        rows = wrk(anchor + "/rows/", None, seconds)
        measured = wrk(base + page["path"], cookie, seconds)
        results.append({"name": page["name"], "path": page["path"], "status": status, "queries": queries,
                        **measured, "anchor_rps": rows["rps"], "anchor_p95_ms": rows["p95_ms"],
                        "anchor_p99_ms": rows["p99_ms"],
                        "rps_ratio": measured["rps"] / rows["rps"] if rows["rps"] else 0.0,
                        "p95_ratio": measured["p95_ms"] / rows["p95_ms"] if rows["p95_ms"] else float("nan"),
                        "p99_ratio": measured["p99_ms"] / rows["p99_ms"] if rows["p99_ms"] else float("nan"),
                        "ok_ratio": measured["rps"] / ok["rps"] if ok["rps"] else 0.0})
        print(f"{page['name'][:44]:<44} {status:>4} {queries:>4} {measured['rps']:>8.1f} "
              f"{measured['p50_ms']:>8.1f} {measured['p99_ms']:>8.1f} {results[-1]['rps_ratio']:>6.2f} "
              f"{results[-1]['p99_ratio']:>6.1f}  (anchor {rows['rps']:.0f}/s, p99 {rows['p99_ms']:.1f} ms)",
              flush=True)
    return results


def print_wrk_table(results: list[dict]) -> None:
    print(f"\n{'page':<44} {'st':>4} {'q':>4} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'×anch':>6} "
          f"{'p95×':>6} {'p99×':>6} {'×ok':>6} {'errors':>6}")
    for row in results:
        print(f"{row['name'][:44]:<44} {row['status']:>4} {row['queries']:>4} {row['rps']:>8.1f} "
              f"{row['p50_ms']:>8.1f} {row.get('p95_ms', float('nan')):>8.1f} {row['p99_ms']:>8.1f} "
              f"{row['rps_ratio']:>6.2f} {row.get('p95_ratio', float('nan')):>6.1f} {row['p99_ratio']:>6.1f} "
              f"{row.get('ok_ratio', 1.0):>6.2f} {row['errors']:>6}")


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
    parser.add_argument("--requests", type=int, default=30, help="sequential requests a page without wrk")
    parser.add_argument("--seconds", type=int, default=5, help="wrk time on each page and each anchor run")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--skip-measures", action="store_true", help="pages only")
    parser.add_argument("--only", help="one app label")
    parser.add_argument("--pages", help="only the pages whose name matches this regular expression")
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--local-cache", action="store_true",
                        help="each worker's own memory even when Redis answers (production uses Redis)")
    args = parser.parse_args()

    # Production mode, behind a TLS proxy as deployed (X-Forwarded-Proto), two-step login not demanded of
    # the bench users, login throttling off.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ravabet.settings", "RAVABET_QUERY_COUNT": "1",
           "AXES_ENABLED": "false", "DEBUG": "False", "SECRET_KEY": "bench-not-secret-" + "y" * 40,
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "False", "SECURE_HSTS_SECONDS": "0",
           "TWO_FACTOR_REQUIRED": "0"}
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    cache = production_cache(env, args.local_cache)
    print(cache, flush=True)
    os.environ.update(env)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    if not args.skip_seed:
        subprocess.run([python, "manage.py", "seed_bench", f"--units={args.units}", f"--years={args.years}"],
                       cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    from django.db import connection

    # Planner statistics, as a maintained database has them (PostgreSQL's autovacuum gathers them; on SQLite
    # ANALYZE, or `PRAGMA optimize` now and then): without them SQLite may pick a worse index.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
    connection.close()
    ctx = BenchRun()
    modules = list(bench_modules(args.only))
    pages = [page for module in modules if hasattr(module, "pages") for page in module.pages(ctx)
             if not args.pages or re.search(args.pages, page["name"])]
    measures = [m for module in modules if hasattr(module, "measures") for m in module.measures(ctx)]

    use_wrk = shutil.which("wrk") is not None
    if not use_wrk:
        print("wrk is not installed (apt-get install wrk): sequential requests, no anchor", file=sys.stderr)
    port, anchor_port = free_port(), free_port()
    server = start_server("ravabet.wsgi", port, env)
    anchor = None
    if use_wrk:
        subprocess.run([python, "-m", "bench.anchor.seed"], cwd=ROOT, check=True)
        anchor_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
        anchor = start_server("bench.anchor.wsgi", anchor_port, {**anchor_env,
                                                                 "DJANGO_SETTINGS_MODULE": "bench.anchor.settings"})
    base = f"http://127.0.0.1:{port}"
    try:
        if use_wrk:
            page_results = measure_wrk(base, f"http://127.0.0.1:{anchor_port}", pages, args.seconds)
        else:
            page_results = measure_pages(base, pages, args.requests)
    finally:
        for process in (server, anchor):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    measure_results = [] if args.skip_measures else run_measures(measures)

    print(cache)
    if use_wrk:
        print_wrk_table(page_results)
    else:
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
    (out / "latest.json").write_text(json.dumps({"cache": cache, "pages": page_results, "measures": measure_results},
                                                ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
