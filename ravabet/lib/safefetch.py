"""Safe outbound fetching of addresses people type (press feeds and any other user-supplied URL).

Only http and https; every connection — the first and each redirect — is made to an address checked
after name resolution (so a name that resolves to an inside address, or changes between checks, is
refused): loopback, link-local, private, shared, reserved and multicast ranges are refused unless listed in
settings.RAVABET_FETCH_ALLOWED_NETWORKS (CIDR list, environment FETCH_ALLOWED_NETWORKS). Each socket
operation has a timeout, the body a size cap, redirects a count cap. Every failure is a FetchError whose
message is Persian and fit to show on a page, never a library's English text.
Source: issue 13, point 6 (OWASP ASVS level 2, V12.6 SSRF protection)."""

import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from .digits import to_persian_digits

DEFAULT_TIMEOUT = 15  # seconds, per connect and per read
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "Ravabet"


class FetchError(ValueError):
    """A fetch that failed or was refused; str(error) is a Persian sentence for the page."""


def _allowed_networks():
    return [ipaddress.ip_network(net, strict=False) for net in getattr(settings, "RAVABET_FETCH_ALLOWED_NETWORKS", [])]


def address_allowed(ip: str) -> bool:
    """True for a public (global) address, or one inside settings.RAVABET_FETCH_ALLOWED_NETWORKS."""
    address = ipaddress.ip_address(ip.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in network for network in _allowed_networks()):
        return True
    return address.is_global and not address.is_multicast


def check_url(url: str) -> str:
    """Refuse what can be refused before connecting: a scheme other than http(s), no host, credentials, or a
    literal inside address. Returns the URL stripped; raises FetchError (Persian)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("نشانی درست نیست.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("نشانی باید با http:// یا https:// آغاز شود و نام وب‌گاه را داشته باشد.")
    if parts.username or parts.password:
        raise FetchError("نشانی نباید نام کاربری یا گذرواژه داشته باشد.")
    del port
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    if literal is not None and not address_allowed(str(literal)):
        raise FetchError(REFUSED)
    return url


REFUSED = "این نشانی به شبکه‌ی داخلی یا خود سرور اشاره می‌کند و خواندن آن مجاز نیست."


def _guarded_connection(address, timeout=DEFAULT_TIMEOUT, source_address=None, **kwargs):
    """socket.create_connection that connects only to checked addresses of the resolved name."""
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError("نام این وب‌گاه پیدا نشد؛ نشانی را بررسی کنید.")
    if not infos or any(not address_allowed(info[4][0]) for info in infos):
        raise FetchError(REFUSED)
    last_error = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            last_error = error
            sock.close()
    raise last_error or OSError("no address")


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=ssl.create_default_context())


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (_HTTPHandler(), _HTTPSHandler(), _RedirectHandler(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          headers: dict[str, str] | None = None) -> bytes:
    """GET `url` (http or https, typed by a person) and return at most `max_bytes` bytes of its body.

    Raises FetchError with a Persian message when the address is refused (inside ranges, see module note),
    the name does not resolve, the site does not answer within `timeout` seconds, answers an HTTP error,
    has a bad certificate, redirects too often or elsewhere inside, or sends more than `max_bytes` bytes."""
    url = check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with _opener().open(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        if error.code in (301, 302, 303, 307, 308):
            raise FetchError("وب‌گاه به نشانی‌ای ارجاع داد که خواندنش مجاز نیست، یا بیش از اندازه ارجاع داد.")
        raise FetchError(f"وب‌گاه با خطای {to_persian_digits(str(error.code))} پاسخ داد.")
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, FetchError):
            raise reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError("وب‌گاه در زمان مقرر پاسخ نداد؛ بعداً دوباره تلاش کنید.")
        if isinstance(reason, ssl.SSLError):
            raise FetchError("گواهی امنیتی وب‌گاه معتبر نیست یا اتصال امن برقرار نشد.")
        raise FetchError("اتصال به وب‌گاه برقرار نشد؛ نشانی را بررسی کنید یا بعداً دوباره تلاش کنید.")
    except TimeoutError:
        raise FetchError("وب‌گاه در زمان مقرر پاسخ نداد؛ بعداً دوباره تلاش کنید.")
    except (OSError, http.client.HTTPException, ValueError):
        raise FetchError("پاسخ وب‌گاه خوانده نشد؛ بعداً دوباره تلاش کنید.")
    if len(body) > max_bytes:
        size = to_persian_digits(str(max(1, max_bytes // (1024 * 1024))))
        raise FetchError(f"پاسخ وب‌گاه بزرگ‌تر از {size} مگابایت است و خوانده نشد.")
    return body
