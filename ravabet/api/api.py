"""The REST API at /api/v1/ (issue 18, point 1) on django-ninja: routers, the OpenAPI 3 schema at
/api/v1/openapi.json, the Swagger UI at /api/v1/docs (served from django-ninja's bundled static files, no
CDN), and the handlers that turn every error into the one documented shape (`base.Error`)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ravabet.lib.digits import to_persian_digits

from . import public, staff
from .base import ApiError

DESCRIPTION = """
روابط — واسط برنامه‌نویسی برای وبگاه اداره کل و برنامه‌های همراه.

* **عمومی** (`/api/v1/public/…`): خبرهای منتشرشده با عکس‌ها، واحدها، نظرسنجی‌های باز و پاسخ به آن‌ها،
  ثبت و پیگیری شکایت (با همان پرسش امنیتی و محدودیت شمار درخواست صفحه‌ها)، پاسخ به کارت دعوت.
* **کارکنان** (`/api/v1/staff/…`): با کلید شخصی (`Authorization: Bearer rvb_…`) که هر کاربر در
  `/api/tokens/` می‌سازد و باطل می‌کند؛ هر کس همان را می‌بیند که در صفحه‌ها می‌بیند. تنها نوشتن، انجام کارهای گردش کار است
  (`…/steps/{step}`)، همان‌گونه که دکمه‌های صفحه‌ها.
* **صفحه‌بندی**: `page` (از ۱) و `page_size` (تا ۱۰۰)؛ پاسخ `{"items": [...], "count": N}`.
* **تاریخ‌ها**: پالایه‌ها تاریخ شمسی می‌گیرند (`۱۴۰۵/۰۹/۰۵` یا `1405-09-05`، رقم فارسی یا لاتین)؛
  پاسخ‌ها تاریخ میلادی ISO و کنار آن `*_jalali` با رقم لاتین دارند.
* **فرستادن دوباره** (`Idempotency-Key`): ثبت شکایت، پاسخ نظرسنجی و پاسخ دعوت سرآیند اختیاری
  `Idempotency-Key` می‌گیرند (کلیدی یکتا مانند UUID، تا ۲۰۰ نویسه لاتین). اگر پاسخ نرسید، همان درخواست را با همان کلید
  و همان بدنه دوباره بفرستید: پاسخ نخست برمی‌گردد (با سرآیند `Idempotent-Replayed: true`) و چیزی دو بار ساخته
  یا پیامک نمی‌شود، حتی اگر دو درخواست هم‌زمان برسند. کلید با مسیر و بدنه بسته است و هفت روز نگه داشته می‌شود.
* **خطاها** همه یک شکل دارند: `{"detail": "پیام فارسی", "code": "invalid|unauthorized|forbidden|not_found|conflict|rate_limited",
  "errors": [{"field": "...", "message": "..."}]}`.
"""

api = NinjaAPI(title="Ravabet API", version="1", description=DESCRIPTION, urls_namespace="api_v1",
               docs=Swagger(settings={"persistAuthorization": True}), openapi_url="/openapi.json",
               docs_url="/docs")
api.add_router("/public/", public.router)
api.add_router("/staff/", staff.router)


def _shape(request: HttpRequest, status: int, detail: str, code: str, errors: list[dict] | None = None):
    return api.create_response(request, {"detail": detail, "code": code, "errors": errors or []}, status=status)


@api.exception_handler(ApiError)
def api_error(request, exc: ApiError):
    return _shape(request, exc.status, exc.detail, exc.code, exc.errors)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _shape(request, 404, "پیدا نشد.", "not_found")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _shape(request, 403, str(exc) or "شما اجازه این کار را ندارید.", "forbidden")


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return _shape(request, 401, "کلید API را در سرآیند Authorization: Bearer بفرستید؛ این کلید نادرست یا "
                                "باطل‌شده است.", "unauthorized")


@api.exception_handler(AuthorizationError)
def not_allowed(request, exc):
    return _shape(request, 403, "شما اجازه این کار را ندارید.", "forbidden")


STATUS_TEXT = {400: ("درخواست نادرست است.", "invalid"), 401: ("نخست خود را بشناسانید.", "unauthorized"),
               403: ("شما اجازه این کار را ندارید.", "forbidden"), 404: ("پیدا نشد.", "not_found"),
               405: ("این روش درخواست پذیرفته نیست.", "method_not_allowed"),
               429: ("درخواست‌ها بیش از اندازه است؛ کمی بعد دوباره بکوشید.", "rate_limited")}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    detail, code = STATUS_TEXT.get(exc.status_code, ("درخواست انجام نشد.", "invalid"))
    return _shape(request, exc.status_code, detail, code)


CONTAINERS = {"body", "query", "path", "header", "cookie", "payload", "filters", "paging", "form"}


def persian_message(error: dict) -> str:
    """A Persian sentence for one pydantic error (its `type` and `ctx`)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "این بخش را پر کنید."
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return "یک عدد درست بنویسید."
    if kind in ("greater_than_equal", "greater_than"):
        return f"عدد باید دست‌کم {to_persian_digits(ctx.get('ge', ctx.get('gt', '')))} باشد."
    if kind in ("less_than_equal", "less_than"):
        return f"عدد باید حداکثر {to_persian_digits(ctx.get('le', ctx.get('lt', '')))} باشد."
    if kind == "string_too_long":
        return f"این متن حداکثر {to_persian_digits(ctx.get('max_length', ''))} نویسه می‌تواند باشد."
    if kind in ("literal_error", "enum"):
        return f"یکی از این مقدارها را بفرستید: {ctx.get('expected', '')}"
    if kind in ("json_invalid", "json_type"):
        return "بدنه درخواست JSON درست نیست."
    if kind in ("string_type", "bool_type", "bool_parsing", "list_type", "dict_type", "model_type",
                "model_attributes_type", "is_instance_of"):
        return "نوع این بخش نادرست است."
    if kind == "string_unicode":
        return "این متن نویسه‌های نادرست دارد."
    return "مقدار این بخش نادرست است."


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        names = [str(part) for part in error.get("loc", ()) if str(part) not in CONTAINERS]
        errors.append({"field": ".".join(names), "message": persian_message(error)})
    detail = errors[0]["message"] if len(errors) == 1 else "چند بخش درخواست نادرست است؛ پیام هر بخش را ببینید."
    return _shape(request, 400, detail, "invalid", errors)
