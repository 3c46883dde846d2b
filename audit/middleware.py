"""Binds each request for the audit's signal receivers, and records every refusal (403):
a page or API call the account may not use, a form without its CSRF token."""

from django.utils.translation import gettext as _

from . import context
from .models import Kind, Outcome
from .services import in_trail_language, record


class SecurityAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.bind(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                _refused(request)
            return response
        finally:
            context.unbind(token)


@in_trail_language
def _refused(request) -> None:
    match = getattr(request, "resolver_match", None)
    record(
        Kind.PERMISSION_DENIED,
        outcome=Outcome.FAILURE,
        request=request,
        summary=_("拒绝访问：%(method)s %(path)s")
        % {"method": request.method, "path": request.path[:300]},
        detail={"view": match.view_name} if match else {},
    )
