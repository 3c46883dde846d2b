"""Token authentication whose failures count against the caller's address.

DRF authenticates before it throttles, and a wrong token ends the request there with a
401: a client guessing tokens was never counted. Each failure is counted here as one of
the address's anonymous requests (the same counter, key and window as
``AnonymousThrottle``, so ``PORTAL_NUM_PROXIES`` decides the address alike); past the
anonymous rate the answer is a 429 with ``Retry-After`` instead of a 401. A valid token
is never counted here, so a client with one is not held back by others' failures.
"""

from rest_framework import exceptions

from accounts.authentication import PortalTokenAuthentication as TokenAuthentication

from .throttling import AnonymousThrottle


class FailedTokenThrottle(AnonymousThrottle):
    def get_cache_key(self, request, view):
        # AnonRateThrottle asks request.user first, which would authenticate again.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PortalTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle = FailedTokenThrottle()
            if not throttle.allow_request(request, None):
                raise exceptions.Throttled(wait=throttle.wait()) from None
            raise
