"""The client's address, as the portal's own proxies report it.

Behind ``PORTAL_NUM_PROXIES`` trusted proxies the client is the address that the
outermost of them appended to ``X-Forwarded-For``: anything further left was written by
the client and proves nothing. With no proxies, ``REMOTE_ADDR`` is the only truth. The
login lockout (django-axes), the public forms' rate limits and the API throttles (DRF's
``NUM_PROXIES``, set from the same setting) all tell clients apart this way.
"""

from django.conf import settings


def trusted_proxies() -> int:
    return max(int(getattr(settings, "PORTAL_NUM_PROXIES", 0)), 0)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = trusted_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
