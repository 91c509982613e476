"""Every refused request (HTTP 403) goes into the append-only refusal log (issue 13, point 5)."""

import logging

from django.db import DatabaseError

from ravabet.lib.ratelimit import client_ip

from .models import Refusal

logger = logging.getLogger("ravabet.security")


class RefusalLogMiddleware:
    """Writes one Refusal row for each 403 response, whoever raised it (views, CSRF, access checks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            reason = getattr(response, "reason_phrase", "") or ""
            try:
                Refusal.objects.create(
                    actor=user if user is not None and user.is_authenticated else None,
                    method=request.method[:10], path=request.get_full_path()[:500], reason=reason[:300],
                    ip_address=client_ip(request))
            except DatabaseError:  # a refusal inside a broken transaction must still answer 403
                logger.warning("refused %s %s (not logged)", request.method, request.path)
        return response
