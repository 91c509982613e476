"""`make smoke-prod`: run Ravabet as production does and check that its main paths work (issue 18 §7).

    .venv/bin/python .ci/smoke_prod.py [--workers 3] [--keep]

1. A fresh PostgreSQL database (`ravabet_smoke` on `PG_ADMIN_URL`'s server; dropped first, and at the end
   unless `--keep`; never the `ravabet` test database) and Redis (`SMOKE_REDIS_URL`, default database 13 of
   127.0.0.1:6379, emptied first). Production settings: DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS,
   CSRF_TRUSTED_ORIGINS and SITE_URL, HQ two-step login required, login throttling on, media in a temporary
   directory, SMS through the Kavenegar transport against a stand-in Kavenegar HTTP API run by this script.
2. `manage.py check --deploy --fail-level WARNING`, `migrate`, `collectstatic`, `seed_demo`, then the three
   processes of the README's production section: `gunicorn ravabet.wsgi` (`--workers` sync workers,
   `gunicorn.conf.py` preloading; the access log names each request's worker), `manage.py db_worker
   --queue-name='*'` and `manage.py run_scheduler`. Requests speak plain HTTP with `X-Forwarded-Proto: https`,
   as the TLS proxy in front would.
3. Checks: `/health/`; a public complaint filed through the page (the captcha answered from the database),
   the citizen led to the done page with the tracking code; the SMS for that complaint delivered by the
   worker through the outbox to the SMS API; the public form's per-address limit (5 a minute) holding across
   workers — a burst of posts served by at least two workers, each post beyond the allowance refused; a PDF
   (the case's) for the unit's PR officer after a login with password (and no login for a wrong password).
Prints one line per check; exits 1 on the first failure with the processes' logs.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Session, free_port  # noqa: E402

PASSWORD = "ravabet-demo"
SUBMIT_LIMIT = 5  # complaints.views.SUBMIT_LIMIT: public complaint posts a minute from one address
REFUSED = "در یک دقیقه بیش از"
FORM = "application/x-www-form-urlencoded"


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


class Kavenegar(BaseHTTPRequestHandler):
    """A stand-in for Kavenegar's `/v1/<key>/sms/send.json`: records each message, answers as Kavenegar does."""

    received: list[dict] = []

    def do_POST(self):  # noqa: N802 — http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        Kavenegar.received.append({"path": self.path, **fields})
        body = json.dumps({"return": {"status": 200, "message": "تایید شد"},
                           "entries": [{"messageid": 1000 + len(Kavenegar.received)}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    check(select is not None, f"the public complaint form has no «{name}» list")
    return [(v, label.strip()) for v, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)', select.group(1))]


def post_form(session: Session, path: str, fields: dict) -> tuple[int, dict, bytes]:
    origin = f"https://{session.host}:{session.port}"
    return session.request("POST", path, urllib.parse.urlencode(fields).encode(),
                           {"Content-Type": FORM, "Referer": origin + path})


def wait_for(what: str, probe, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := probe()):
            return value
        time.sleep(0.5)
    raise SmokeFailure(f"{what}: nothing after {seconds:.0f} s")


def complaint_fields(session: Session, database_url: str, unit_name: str) -> tuple[dict, str]:
    """The public complaint form's fields filled in for a unit whose name contains `unit_name`, the
    captcha answered from the database; returns (fields, citizen mobile)."""
    status, _headers, page = session.request("GET", "/public/complaints/")
    check(status == 200, f"the public complaint form answered {status}")
    html = page.decode()
    fields = hidden_inputs(html)
    unit = next((value for value, label in options(html, "unit") if unit_name in label), None)
    check(unit is not None, f"no unit named {unit_name} on the public form")
    hashkey = re.sub(r"[^0-9a-f]", "", fields.get("captcha_0", ""))
    answer = psql(database_url, f"SELECT response FROM captcha_captchastore WHERE hashkey = '{hashkey}'")
    check(bool(answer), "the captcha of the public form is not in the database")
    mobile = "0917" + str(secrets.randbelow(10**7)).zfill(7)
    fields.update(unit=unit, kind=options(html, "kind")[0][0], subject="آسفالت خیابان اصلی",
                  text="چاله‌های خیابان اصلی روستا پس از بارندگی بزرگ شده است. www.rah-fars.ir/news?id=12",
                  citizen_name="مریم رضایی", citizen_mobile=mobile, citizen_national_code="",
                  captcha_1=answer)
    return fields, mobile


def run_checks(base: str, database_url: str, access_log: Path) -> None:
    citizen = Session(base)
    status, _headers, _body = citizen.request("GET", "/health/")
    check(status == 200, f"/health/ answered {status}")
    print("ok   health", flush=True)

    # Start the complaint and the burst early in a minute: the per-address window is the clock's minute.
    while time.time() % 60 > 30:
        time.sleep(1)
    fields, mobile = complaint_fields(citizen, database_url, "مرودشت")
    status, headers, body = post_form(citizen, "/public/complaints/", fields)
    check(status == 302 and headers.get("Location", "").endswith("/public/complaints/done/"),
          f"the public complaint was not filed ({status}): {body.decode()[:300]}")
    status, _headers, done = citizen.request("GET", "/public/complaints/done/")
    case_id, code = psql(database_url, "SELECT id, tracking_code FROM complaints_case "
                                       f"WHERE citizen_mobile = '{mobile}'").split("|")
    check(status == 200 and code in done.decode(), "the done page does not show the tracking code")
    print(f"ok   public complaint filed: case {case_id}, tracking code {code}", flush=True)

    # The rest of the minute's allowance and beyond, at once, each post on its own connection.
    burst = 3 * SUBMIT_LIMIT
    marker = f"burst-{secrets.token_hex(4)}"
    token = {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]}
    with ThreadPoolExecutor(burst) as pool:  # Session.request opens a connection for every request
        answers = list(pool.map(lambda _: post_form(citizen, f"/public/complaints/?{marker}", token)[2].decode(),
                                range(burst)))
    refused = sum(REFUSED in html for html in answers)
    time.sleep(1)  # the access log is written after each answer
    workers = {line.split()[0] for line in access_log.read_text().splitlines() if marker in line}
    check(len(workers) >= 2, f"the burst was served by {len(workers)} worker(s); cannot show a shared limit")
    check(refused == burst - (SUBMIT_LIMIT - 1),
          f"{refused} of {burst} posts refused by the per-address limit, expected {burst - SUBMIT_LIMIT + 1} "
          "(one allowance shared by all workers)")
    print(f"ok   rate limit shared: {burst} posts over {len(workers)} workers, {refused} refused "
          f"({SUBMIT_LIMIT} a minute, one used by the complaint)", flush=True)

    sms = wait_for("the SMS of the complaint", lambda: next(
        (m for m in Kavenegar.received if m.get("receptor") == mobile), None))
    check(code in sms["message"], f"the SMS does not carry the tracking code: {sms['message']}")
    state = wait_for("the outbox row marked sent", lambda: psql(
        database_url, "SELECT state || ', provider ' || provider_ref FROM outbox_outboxmessage "
                      f"WHERE recipient = '{mobile}' AND state = 'sent'"))
    print(f"ok   SMS through the outbox and the worker to the SMS API: «{sms['message'][:60]}…» ({state})",
          flush=True)

    officer = Session(base)
    status, _headers, page = officer.request("GET", "/accounts/login/")
    token = hidden_inputs(page.decode())["csrfmiddlewaretoken"]
    status, _headers, _body = post_form(officer, "/accounts/login/", {
        "username": "marvdasht.pr", "password": "wrong-" + PASSWORD, "csrfmiddlewaretoken": token})
    check(status == 200, f"a wrong password answered {status}")
    status, headers, _body = post_form(officer, "/accounts/login/", {
        "username": "marvdasht.pr", "password": PASSWORD, "csrfmiddlewaretoken": token})
    check(status == 302, f"the login of marvdasht.pr answered {status}")
    status, _headers, home = officer.request("GET", headers["Location"])
    check(status == 200 and "خروج" in home.decode(),
          f"the home page after login answered {status}")
    print("ok   login (a wrong password refused, the right one let in)", flush=True)

    status, headers, pdf = officer.request("GET", f"/complaints/{case_id}/pdf/")
    check(status == 200 and headers.get("Content-Type", "").startswith("application/pdf") and pdf[:5] == b"%PDF-",
          f"the case PDF answered {status} {headers.get('Content-Type')}")
    import io

    from pypdf import PdfReader

    from ravabet.lib.digits import to_latin_digits

    text = to_latin_digits("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))
    digits = re.sub(r"\D", "", text)  # pypdf reads a right-to-left line's number groups in visual order
    check(code in digits or code[::-1] in digits, f"the case PDF does not carry the tracking code: {text[:200]}")
    print(f"ok   case PDF ({len(pdf) // 1024} KB, tracking code inside)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database", default="ravabet_smoke")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary directory")
    args = parser.parse_args()
    if args.database in ("ravabet", "postgres", "test") or args.database.startswith("test_"):
        raise SystemExit(f"{args.database} is not a smoke-test database")
    admin_url = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database_url = admin_url.rsplit("/", 1)[0] + "/" + args.database
    redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/13")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    psql(admin_url, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    psql(admin_url, f"CREATE DATABASE {args.database}")

    work = Path(tempfile.mkdtemp(prefix="ravabet-smoke-"))
    sms_api = ThreadingHTTPServer(("127.0.0.1", 0), Kavenegar)
    threading.Thread(target=sms_api.serve_forever, daemon=True).start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "RAVABET_", "PYTEST")) and key not in ("TWO_FACTOR_REQUIRED", "DEBUG")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "ravabet.settings", "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "SITE_URL": f"https://127.0.0.1:{port}", "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(work / "media"), "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "OUTBOX_SMS_TRANSPORT": "kavenegar", "KAVENEGAR_API_KEY": "smoke-key", "KAVENEGAR_SENDER": "10004346",
        "KAVENEGAR_URL": f"http://127.0.0.1:{sms_api.server_port}/v1", "OUTBOX_CONSOLE_LOG": str(work / "outbox.log"),
        "WEB_CONCURRENCY": str(args.workers), "LOG_LEVEL": "WARNING",
    })
    python = sys.executable
    manage = [python, "manage.py"]
    processes: dict[str, subprocess.Popen] = {}
    logs = {name: work / f"{name}.log" for name in ("gunicorn", "db_worker", "run_scheduler")}
    access_log = work / "access.log"
    failed = False
    try:
        for step in (["check", "--deploy", "--fail-level", "WARNING"], ["migrate", "--noinput", "-v0"],
                     ["collectstatic", "--noinput", "-v0"], ["seed_demo"]):
            subprocess.run(manage + step, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"ok   check --deploy clean; {args.database} migrated and seeded", flush=True)
        commands = {
            "gunicorn": [python, "-m", "gunicorn", "ravabet.wsgi", "-b", f"127.0.0.1:{port}",
                         "--access-logfile", str(access_log), "--access-logformat", '%(p)s "%(r)s" %(s)s'],
            "db_worker": manage + ["db_worker", "--queue-name=*"],
            "run_scheduler": manage + ["run_scheduler"],
        }
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[name].open("w"),
                                               stderr=subprocess.STDOUT)
        wait_for("gunicorn answering", lambda: access_log.exists() and _answers(base), seconds=120)
        time.sleep(1)
        for name, process in processes.items():
            check(process.poll() is None, f"{name} stopped at start")
        print(f"ok   gunicorn ({args.workers} workers), db_worker and run_scheduler running", flush=True)
        run_checks(base, database_url, access_log)
        print("smoke-prod: every check passed")
    except (SmokeFailure, subprocess.CalledProcessError) as error:
        failed = True
        print(f"FAIL {error}", file=sys.stderr)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        sms_api.shutdown()
        if failed:
            for name, path in logs.items():
                if path.exists():
                    print(f"--- {name} (last lines)\n" + "\n".join(path.read_text().splitlines()[-30:]),
                          file=sys.stderr)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            psql(admin_url, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        else:
            print(f"kept: database {args.database}, files in {work}")
    sys.exit(1 if failed else 0)


def _answers(base: str) -> bool:
    try:
        return Session(base).request("GET", "/health/")[0] == 200
    except OSError:
        return False


if __name__ == "__main__":
    main()
