"""Answers under /api/v1/ that Django or django-ninja make before an endpoint runs (a method the path does not
take: 405; the bare /api/v1/: 404) in the API's one error shape, so a client never has to read an HTML page."""

from django.http import HttpRequest, HttpResponse, JsonResponse

PREFIX = "/api/v1/"
SHAPES = {404: ("پیدا نشد.", "not_found"), 405: ("این روش درخواست برای این نشانی پذیرفته نیست.", "method_not_allowed")}


class ApiErrorShapeMiddleware:
    """Rewrite a non-JSON 404 or 405 under PREFIX into {"detail", "code", "errors"} (the Allow header is kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.path.startswith(PREFIX) and response.status_code in SHAPES
                and not response.get("Content-Type", "").startswith("application/json")):
            detail, code = SHAPES[response.status_code]
            shaped = JsonResponse({"detail": detail, "code": code, "errors": []}, status=response.status_code)
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
