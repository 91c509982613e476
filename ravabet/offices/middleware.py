from django.utils.functional import SimpleLazyObject

from .access import Access

SESSION_UNIT_KEY = "ravabet_unit"


class UnitScopeMiddleware:
    """Put the user's Access (roles per unit, current unit) on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def build():
            access = Access(request.user, request.session.get(SESSION_UNIT_KEY))
            request.user._ravabet_access = access
            return access

        request.access = SimpleLazyObject(build)
        return self.get_response(request)
