"""Binds each request for the audit's signal receivers, and records every refusal (403):
a page or API call the account may not use, a form without its CSRF token; and every
request of a superuser, which exists for break-glass use only.

One address refused over and over (a script, a flood of forms without their CSRF token)
would fill the trail and hold its lock: past ``PORTAL_AUDIT_REFUSALS_PER_MINUTE`` refusals
of one address in a minute, one row says so and the rest of that minute are counted, not
written."""

import time

from django.conf import settings
from django.utils.translation import gettext as _

from core.counters import count_in_window
from core.network import client_ip

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
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_superuser:
                _break_glass(request, response)
            return response
        finally:
            context.unbind(token)


@in_trail_language
def _break_glass(request, response) -> None:
    """A superuser exists for break-glass use only: every request it makes is a row."""
    match = getattr(request, "resolver_match", None)
    record(
        Kind.SUPERUSER_REQUEST,
        request=request,
        summary=_("超级用户访问：%(method)s %(path)s（%(status)d）")
        % {"method": request.method, "path": request.path[:300], "status": response.status_code},
        detail={"status": response.status_code, **({"view": match.view_name} if match else {})},
    )


def refusal_key(address: str, minute: int) -> str:
    return f"audit-refusals:{address}:{minute}"


@in_trail_language
def _refused(request) -> None:
    limit = settings.PORTAL_AUDIT_REFUSALS_PER_MINUTE
    if limit:
        key = refusal_key(client_ip(request), int(time.time() // 60))
        try:
            count = count_in_window(key, 60)
        except Exception:  # the cache is down: every refusal is written
            count = 0
        if count > limit:
            if count == limit + 1:
                record(
                    Kind.PERMISSION_DENIED,
                    outcome=Outcome.FAILURE,
                    request=request,
                    summary=_(
                        "同一地址一分钟内被拒绝访问超过%(limit)d次，本分钟内其余的拒绝不再逐条记录"
                    )
                    % {"limit": limit},
                    detail={"flood": True, "limit": limit},
                )
            return
    match = getattr(request, "resolver_match", None)
    record(
        Kind.PERMISSION_DENIED,
        outcome=Outcome.FAILURE,
        request=request,
        summary=_("拒绝访问：%(method)s %(path)s")
        % {"method": request.method, "path": request.path[:300]},
        detail={"view": match.view_name} if match else {},
    )
