"""Where one page's time goes: requests a page N times in process, in production mode, on the bench data.

    python bench/pageprofile.py [--user bench.expert] [--n 20] [--profile] [--sql] PATH [PATH ...]

Uses the bench database (var/bench.sqlite3, or $DATABASE_URL) that `bench/run.py` loaded, with the same
production settings (DEBUG off, TLS proxy header, no two-factor demand). For each PATH prints the status, the
SQL query count, p50/min wall time and p50 CPU time (this process: Python and SQLite; steady when other
programs share the CPU) of `--n` requests through Django's test client (the whole middleware
stack, context processors and templates; no HTTP server); `--sql` lists each query with its time, and
`--profile` prints the 40 functions with the most cumulative time and the 25 with the most own time
over the N requests (cProfile). `DJANGO_SETTINGS_MODULE=bench.anchor.settings … /rows/` measures the anchor.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ravabet.settings", "AXES_ENABLED": "false", "DEBUG": "False",
    "SECRET_KEY": "bench-not-secret-" + "y" * 40, "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "False", "SECURE_HSTS_SECONDS": "0", "TWO_FACTOR_REQUIRED": "0",
    "RAVABET_TESTING": "0",
}


class QueryLog:
    """An execute wrapper appending (milliseconds, SQL) of every query to `entries`."""

    def __init__(self, entries: list[tuple[float, str]]):
        self.entries = entries

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.entries.append(((time.perf_counter() - start) * 1000, sql))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--user", help="username to log in as (none: an anonymous visitor)")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()
    for name, value in PRODUCTION_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if args.user:
        client.force_login(get_user_model().objects.get(username=args.user))
    for path in args.paths:
        client.get(path, secure=True)  # warm: imports, template and content-type caches
        queries: list[tuple[float, str]] = []
        with connection.execute_wrapper(QueryLog(queries)):
            response = client.get(path, secure=True)
        timings, cpu = [], []
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.n):
            start, start_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get(path, secure=True)
            if profiler:
                profiler.disable()
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        timings.sort()
        cpu.sort()
        print(f"{path}: {response.status_code}, {len(queries)} queries, "
              f"p50 {timings[len(timings) // 2]:.1f} ms, min {timings[0]:.1f} ms, CPU p50 {cpu[len(cpu) // 2]:.1f} ms, "
              f"{len(response.content)} bytes")
        if args.sql:
            for elapsed, sql in queries:
                print(f"  {elapsed:7.1f} ms  {sql[:300]}")
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
