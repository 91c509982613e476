"""Public news search on PostgreSQL at 1,000,000 news items against the bench's plain 20-row page (issue 18 §5).

    .venv/bin/python .ci/search_bench_pg.py [--rows 1000000] [--requests 200] [--rebuild] [--database NAME]

1. Creates (once; `--rebuild` drops it first) a separate PostgreSQL database (default `ravabet_search_bench`
   on `PG_ADMIN_URL`'s server, never the `ravabet` test database), migrates it (the trigram GIN index of
   news 0006 included), makes 30 units and one author and adds `--rows` published news items in one
   `INSERT … SELECT generate_series` on the server: titles and bodies of 6 and 30 words drawn with a skewed
   frequency from 3,000 Persian words, their search key built from the same words (checked against
   `lib.text.search_key`), spread over four years and the 30 units. The indexes (trigram, word index and its
   vocabulary of news 0010, word index by period of news 0011) are built after the load.
2. Serves the application in production mode (DEBUG off, gunicorn, 2 sync workers, `--preload`) and the
   bench's anchor project (`bench/anchor`, 20 newest of 100,000 rows through an index), as `bench/run.py`.
3. Interleaves rounds: `--requests` anchor `/rows/` requests, then `--requests` public searches
   `/public/news/?q=…` (each query text different, so the server's page cache never answers; one or two
   words of frequent, middling and rare ranks), 4 at a time; p50/p95 in milliseconds of each.
Prints the figures and exits 1 when the search's p95 is more than 3× the anchor's (`--factor`).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Session, free_port, percentile, start_server  # noqa: E402

SYLLABLES = ["را", "ه", "سا", "زی", "پل", "جا", "ده", "شهر", "بان", "کار", "گاه", "مرد", "مان", "نو", "سو",
             "دار", "گر", "ور", "تو", "نگ", "فار", "ست", "خا", "نه", "بر", "فت", "دو", "رو", "سن", "گی",
             "زم", "ین", "آب", "یار", "مه", "شت", "بو", "لا", "پا", "ژه"]
COMMON = ["راه", "جاده", "پروژه", "افتتاح", "ساخت", "بازدید", "مدیر", "کل", "شهرستان", "استان", "فارس",
          "روستا", "مسکن", "زمین", "طرح", "بهسازی", "آسفالت", "پل", "تونل", "ایمنی", "نگهداری", "زمستانی",
          "برف", "عملیات", "مردم", "جلسه", "نشست", "قرارداد", "پیمانکار", "کیلومتر", "بودجه", "اعتبار"]
VOCABULARY_SIZE = 3000


def vocabulary() -> list[str]:
    """3,000 distinct words whose search key is the word itself (so a row's key is its words joined)."""
    from ravabet.lib.text import search_key

    rng = random.Random(18)
    words = [w for w in COMMON if search_key(w) == w]
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word in seen or search_key(word) != word or word.startswith(("ها", "تر")) or word in ("می", "نمی"):
            continue
        seen.add(word)
        words.append(word)
    sample = " ".join(rng.choice(words) for _ in range(200))
    assert search_key(sample) == sample, "the vocabulary must be its own search key"
    return words


def psql(admin_url: str, sql: str) -> str:
    return subprocess.run(["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def load(env: dict, rows: int, words: list[str]) -> None:
    """migrate + 30 units + `rows` published news items (server-side INSERT … SELECT) + ANALYZE."""
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from ravabet.news.models import News, NewsState
    from ravabet.offices.models import Unit, UnitKind, User

    hq = Unit.objects.create(kind=UnitKind.HQ, code="search-hq", name="اداره کل", city="شیراز")
    units = [hq.pk] + [Unit.objects.create(parent=hq, code=f"search-{n:02d}", name=f"اداره شهرستان {n}",
                                           city=f"شهر {n}").pk for n in range(1, 30)]
    author = User.objects.create_user(username="search.bench", password=None)
    template = News.objects.create(unit=hq, author=author, title="الگو", body="<p>الگو</p>", search_key="الگو",
                                   news_date=timezone.localdate(), state=NewsState.PUBLISHED,
                                   published_at=timezone.now())
    columns = [f.column for f in News._meta.concrete_fields if f.column not in ("id", "form_token")]
    varying = {
        "unit_id": "(%(units)s::bigint[])[1 + (g %% cardinality(%(units)s::bigint[]))]",
        "title": "array_to_string(t.w[1:6], ' ')",
        "lead": "''", "tags": "''", "occasion": "''",
        "body": "'<p>' || array_to_string(t.w[7:36], ' ') || '</p>'",
        "search_key": "array_to_string(t.w[1:36], ' ')",
        "published_at": "now() - make_interval(mins => g * 2)",
        "news_date": "(now() - make_interval(mins => g * 2))::date",
        "sent_on": "(now() - make_interval(mins => g * 2))::date",
        "created_at": "now() - make_interval(mins => g * 2)",
        "updated_at": "now() - make_interval(mins => g * 2)",
    }
    select = ", ".join(varying.get(column, f"n.{column}") for column in columns)
    index = "news_news_search_key_trgm"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {index}")
        # The word index of news 0010 is built after the load too, and its vocabulary filled in one statement
        # instead of by its trigger for each of the million rows.
        cursor.execute("DROP INDEX IF EXISTS news_news_search_words")
        cursor.execute("DROP INDEX IF EXISTS news_news_search_word_periods")  # news 0011, built after too
        cursor.execute("ALTER TABLE news_news DISABLE TRIGGER news_search_words")
        # Word i drawn with probability falling with its rank (random()^3): a few words are in most items,
        # most words in few. The lateral subquery refers to g, so it is drawn again for every row.
        cursor.execute(
            f"INSERT INTO news_news ({', '.join(columns)}) "
            f"SELECT {select} FROM news_news n, generate_series(1, %(rows)s) g, "
            f"LATERAL (SELECT array_agg((%(words)s::text[])[1 + floor(random() ^ 3 * %(size)s)::int]) w "
            f"         FROM generate_series(1, 36 + 0 * g)) t WHERE n.id = %(template)s",
            {"units": units, "rows": rows, "words": words, "size": len(words), "template": template.pk})
        loaded = time.perf_counter()
        cursor.execute("ALTER TABLE news_news ENABLE TRIGGER news_search_words")
        cursor.execute("INSERT INTO news_search_word (word) SELECT DISTINCT w FROM news_news, "
                       "unnest(string_to_array(search_key, ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING")
        cursor.execute(f"CREATE INDEX {index} ON news_news USING gin (search_key gin_trgm_ops)")
        cursor.execute("CREATE INDEX news_news_search_words ON news_news USING gin (string_to_array(search_key, ' '))")
        cursor.execute("CREATE INDEX news_news_search_word_periods ON news_news "
                       "USING gin (news_search_word_periods(search_key, published_at))")
        cursor.execute("ANALYZE news_news")
        cursor.execute("ANALYZE news_search_word")
    print(f"loaded {rows:,} news items in {loaded - started:.0f} s, trigram and word indexes in "
          f"{time.perf_counter() - loaded:.0f} s", flush=True)


def timed(session_base: str, paths: list[str], workers: int = 4) -> list[float]:
    """Milliseconds of each GET (4 at a time, each on its own connection); a status other than 200 fails."""
    def one(path: str) -> float:
        status, elapsed, _queries = Session(session_base).get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return elapsed

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, paths))


def queries(words: list[str], count: int, rng: random.Random) -> list[str]:
    """`count` different search queries: one word (frequent, middling or rare rank) or two words."""
    made: list[str] = []
    seen = set()
    while len(made) < count:
        ranks = [rng.choice((rng.randrange(0, 30), rng.randrange(30, 600), rng.randrange(600, len(words))))
                 for _ in range(rng.choice((1, 2)))]
        text = " ".join(words[r] for r in ranks)
        if text not in seen:
            seen.add(text)
            made.append("/public/news/?" + urllib.parse.urlencode({"q": text}))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind in each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--factor", type=float, default=3.0)
    parser.add_argument("--database", default="ravabet_search_bench")
    parser.add_argument("--rebuild", action="store_true", help="drop and load the database again")
    args = parser.parse_args()

    admin_url = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if args.database in ("ravabet", "postgres", "test") or args.database.startswith("test_"):
        raise SystemExit(f"{args.database} is not a bench database")
    database_url = admin_url.rsplit("/", 1)[0] + "/" + args.database
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ravabet.settings", "DATABASE_URL": database_url,
           "AXES_ENABLED": "false", "DEBUG": "False", "SECRET_KEY": "bench-not-secret-" + "y" * 40,
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "False", "SECURE_HSTS_SECONDS": "0",
           "TWO_FACTOR_REQUIRED": "0", "RAVABET_QUERY_COUNT": "1"}
    os.environ.update(env)
    words = vocabulary()
    if args.rebuild:
        psql(admin_url, f"DROP DATABASE IF EXISTS {args.database}")
    if not psql(admin_url, f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'"):
        psql(admin_url, f"CREATE DATABASE {args.database}")
        load(env, args.rows, words)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)
    subprocess.run([sys.executable, "-m", "bench.anchor.seed"], cwd=ROOT, check=True)
    count = int(psql(database_url, "SELECT count(*) FROM news_news WHERE state = 'published'"))

    port, anchor_port = free_port(), free_port()
    server = start_server("ravabet.wsgi", port, env)
    anchor_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    anchor = start_server("bench.anchor.wsgi", anchor_port, {**anchor_env,
                                                             "DJANGO_SETTINGS_MODULE": "bench.anchor.settings"})
    base, anchor_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{anchor_port}"
    rng = random.Random(5)
    search_paths = queries(words, args.requests * args.rounds + 20, rng)
    try:
        timed(anchor_base, ["/rows/"] * 20)  # warm both: connections, templates, caches of the planner
        timed(base, search_paths[-20:])
        rows_ms: list[float] = []
        search_ms: list[float] = []
        load_before = os.getloadavg()
        for round_ in range(args.rounds):
            rows_ms += timed(anchor_base, ["/rows/"] * args.requests)
            search_ms += timed(base, search_paths[round_ * args.requests:(round_ + 1) * args.requests])
        load_after = os.getloadavg()
    finally:
        for process in (server, anchor):
            process.terminate()
            process.wait(timeout=30)
    figures = {
        "published_news": count,
        "anchor_rows_p50_ms": round(statistics.median(rows_ms), 1),
        "anchor_rows_p95_ms": round(percentile(rows_ms, 95), 1),
        "search_p50_ms": round(statistics.median(search_ms), 1),
        "search_p95_ms": round(percentile(search_ms, 95), 1),
    }
    figures["p95_ratio"] = round(figures["search_p95_ms"] / figures["anchor_rows_p95_ms"], 2)
    # One-word and two-word searches apart (a two-word search of rarer words is the one the index answers).
    for words_count in (1, 2):
        some = [ms for path, ms in zip(search_paths[:len(search_ms)], search_ms, strict=True) if path.count("+") == words_count - 1]
        if some:
            figures[f"search_{words_count}_word_p95_ms"] = round(percentile(some, 95), 1)
    figures["loadavg_1min_before_after"] = [round(load_before[0], 2), round(load_after[0], 2)]
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if figures["p95_ratio"] > args.factor:
        raise SystemExit(f"search p95 is {figures['p95_ratio']}× the 20-row page's (allowed {args.factor}×)")


if __name__ == "__main__":
    main()
