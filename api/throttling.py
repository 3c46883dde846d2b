"""Request limits: anonymous clients by address, token clients by account.

Rates come from settings at request time (so deployments and tests can change them),
and a cache outage lets requests through rather than failing them: the limit protects
the portal, it must not become the thing that takes it down.
"""

import logging

from django.conf import settings
from rest_framework import throttling

logger = logging.getLogger(__name__)


class FailOpenMixin:
    setting_name = ""

    def get_rate(self):
        return getattr(settings, self.setting_name)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's connection errors have no common base
            logger.warning("API throttle cache unavailable; request let through", exc_info=True)
            return True

    def wait(self):
        wait = super().wait()
        if wait is None and 0 < self.num_requests <= len(self.history):
            # More requests on record than the rate allows (it was lowered since): DRF
            # gives no wait, so the 429 would lack Retry-After. Wait until enough of
            # them leave the window.
            wait = self.duration - (self.now - self.history[self.num_requests - 1])
        return wait


class AnonymousThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    setting_name = "PORTAL_API_ANON_RATE"


class TokenThrottle(FailOpenMixin, throttling.UserRateThrottle):
    setting_name = "PORTAL_API_USER_RATE"

    def get_cache_key(self, request, view):
        # DRF's user throttle also counts anonymous callers by address, which would hold
        # them to this rate too whenever it is the lower one.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
