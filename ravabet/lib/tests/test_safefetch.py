"""Issue 13, point 6: outbound fetching refuses inside addresses unless allow-listed, caps size and time,
and speaks Persian. A local HTTP server stands in for the outside (no network at test time)."""

import http.server
import threading
import time

import pytest

from ravabet.lib.safefetch import FetchError, address_allowed, check_url, fetch


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/big":
            body = b"x" * 5000
        elif self.path == "/slow":
            time.sleep(2)
            body = b"late"
        elif self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("?to=", 1)[1])
            self.end_headers()
            return
        elif self.path == "/missing":
            self.send_error(404)
            return
        else:
            body = b"<rss>ok</rss>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_loopback_private_and_link_local_addresses_are_refused(settings):
    settings.RAVABET_FETCH_ALLOWED_NETWORKS = []
    for url in ("http://127.0.0.1/", "http://10.1.2.3/feed", "http://192.168.1.1/", "http://169.254.169.254/latest",
                "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/"):
        with pytest.raises(FetchError, match="شبکه‌ی داخلی"):
            fetch(url)
    assert address_allowed("8.8.8.8") and not address_allowed("172.16.0.5")


def test_a_name_that_resolves_to_loopback_is_refused(settings, server):
    settings.RAVABET_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(FetchError, match="شبکه‌ی داخلی"):
        fetch(server.replace("127.0.0.1", "localhost"))


def test_other_schemes_and_credentials_are_refused_in_persian():
    for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://x", "javascript:alert(1)", ""):
        with pytest.raises(FetchError, match="http://"):
            check_url(url)
    with pytest.raises(FetchError, match="گذرواژه"):
        check_url("http://user:pw@example.com/")


def test_an_allow_listed_network_is_fetched(settings, server):
    settings.RAVABET_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    assert fetch(server + "/feed") == b"<rss>ok</rss>"


def test_size_cap_timeout_and_http_errors_give_persian_messages(settings, server):
    settings.RAVABET_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with pytest.raises(FetchError, match="بزرگ‌تر از"):
        fetch(server + "/big", max_bytes=1000)
    with pytest.raises(FetchError, match="در زمان مقرر پاسخ نداد"):
        fetch(server + "/slow", timeout=0.5)
    with pytest.raises(FetchError, match="خطای ۴۰۴"):
        fetch(server + "/missing")


def test_a_redirect_to_an_inside_address_is_refused(settings, server):
    settings.RAVABET_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with pytest.raises(FetchError, match="شبکه‌ی داخلی"):
        fetch(server + "/redirect?to=http://169.254.169.254/latest/meta-data")
    with pytest.raises(FetchError, match="ارجاع داد"):
        fetch(server + "/redirect?to=file:///etc/passwd")
    assert fetch(server + f"/redirect?to={server}/feed") == b"<rss>ok</rss>"


@pytest.mark.django_db
def test_press_monitoring_fetches_through_it_and_shows_a_persian_error(world, settings, server):
    from ravabet.press.models import PressSource
    from ravabet.press.services import fetch_source

    settings.RAVABET_FETCH_ALLOWED_NETWORKS = []
    source = PressSource.objects.create(unit=world.county_a, name="داخلی", url="http://127.0.0.1:9/feed")
    assert fetch_source(source.pk) == 0
    source.refresh_from_db()
    assert "شبکه‌ی داخلی" in source.last_error and "urlopen" not in source.last_error
    settings.RAVABET_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    other = PressSource.objects.create(unit=world.county_a, name="خراب", url=server + "/big")
    fetch_source(other.pk)
    other.refresh_from_db()
    assert other.last_error.startswith("خوراک خوانا نیست؛") and "SAX" not in other.last_error
