"""Request limits: anonymous clients by address, token clients by account.

Rates come from settings at request time (so deployments and tests can change them).
Requests are counted in fixed windows (a minute for ``120/min``) with one atomic cache
operation, ``core.counters.count_in_window``: one round trip to Redis, where
DRF's own throttles read the client's list of request times and write it back (two round
trips, and concurrent requests in several workers overwrite each other's entries, so a
burst was under-counted). A cache outage lets requests through rather than failing them:
the limit protects the portal, it must not become the thing that takes it down.
"""

import logging
import time

from django.conf import settings
from rest_framework import throttling

from core.counters import count_in_window

logger = logging.getLogger(__name__)


class WindowThrottleMixin:
    """A DRF rate throttle (its rate syntax, cache keys and ``Retry-After``) that counts in
    fixed windows. A refused request is counted too, which changes nothing: the window
    ends when it ends. After a rate is lowered, the requests already counted are held to
    the new rate until the window ends."""

    setting_name = ""
    timer = time.time  # as DRF's throttles read the clock

    def get_rate(self):
        return getattr(settings, self.setting_name)

    def allow_request(self, request, view):
        self.retry_after = None
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.retry_after = (window + 1) * self.duration - now
        try:
            count = count_in_window(f"{key}:{window}", self.duration)
        except Exception:  # the cache backend's connection errors have no common base
            logger.warning("API throttle cache unavailable; request let through", exc_info=True)
            return True
        return count <= self.num_requests

    def wait(self):
        return self.retry_after


class AnonymousThrottle(WindowThrottleMixin, throttling.AnonRateThrottle):
    setting_name = "PORTAL_API_ANON_RATE"


class TokenThrottle(WindowThrottleMixin, throttling.UserRateThrottle):
    setting_name = "PORTAL_API_USER_RATE"

    def get_cache_key(self, request, view):
        # DRF's user throttle also counts anonymous callers by address, which would hold
        # them to this rate too whenever it is the lower one.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
