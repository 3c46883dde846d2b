"""Per-address limits on the public forms (opinions, hearing registrations), in the cache.

Only a salted hash of the client address is ever stored (in the cache key and in
``Opinion.client_hash``): the address itself is personal data the portal does not keep.
The address is the one the portal's own proxies vouch for (``core.network``), so a
client cannot dodge a limit by inventing an ``X-Forwarded-For`` header.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings

from core.counters import count_in_window
from core.network import client_ip

logger = logging.getLogger(__name__)


def address_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def client_hash(request) -> str:
    return address_hash(client_ip(request))


def rate_key(scope: str, client: str, slot: int) -> str:
    return f"{scope}-rate:{client}:{slot}"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int

    @property
    def retry_minutes(self) -> int:
        return max((self.retry_after + 59) // 60, 1)


def rate_hit(request, *, scope: str, limit: int, window: int, now: float | None = None) -> Verdict:
    """Count one submission of ``scope`` from the request's address in a fixed window."""
    window = max(int(window), 1)
    now = time.time() if now is None else now
    slot = int(now // window)
    key = rate_key(scope, client_hash(request), slot)
    retry_after = max(int((slot + 1) * window - now), 1)
    try:
        count = count_in_window(key, window)
    except Exception:
        # The cache (Redis) is down: a citizen's submission matters more than the limit.
        # The honeypot and CSRF still hold; the limit is back when the cache is.
        logger.warning("%s rate limit skipped: cache unavailable", scope, exc_info=True)
        return Verdict(allowed=True, retry_after=retry_after)
    return Verdict(allowed=count <= int(limit), retry_after=retry_after)


def opinion_rate_hit(request, *, now: float | None = None) -> Verdict:
    return rate_hit(
        request,
        scope="opinion",
        limit=settings.PORTAL_OPINION_RATE,
        window=settings.PORTAL_OPINION_RATE_WINDOW,
        now=now,
    )


def registration_rate_hit(request, *, now: float | None = None) -> Verdict:
    return rate_hit(
        request,
        scope="registration",
        limit=settings.PORTAL_REGISTRATION_RATE,
        window=settings.PORTAL_REGISTRATION_RATE_WINDOW,
        now=now,
    )
