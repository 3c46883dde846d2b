"""Per-address limit on public opinion submissions, kept in the Django cache.

Only a salted hash of the client address is ever stored (in the cache key and in
``Opinion.client_hash``): the address itself is personal data the portal does not keep.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_hash(request) -> str:
    address = request.META.get("REMOTE_ADDR", "") or ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


def opinion_rate_hit(request, *, now: float | None = None) -> Verdict:
    """Count one submission from the request's address in the current fixed window."""
    window = max(int(settings.PORTAL_OPINION_RATE_WINDOW), 1)
    limit = int(settings.PORTAL_OPINION_RATE)
    now = time.time() if now is None else now
    slot = int(now // window)
    key = f"opinion-rate:{client_hash(request)}:{slot}"
    retry_after = max(int((slot + 1) * window - now), 1)
    try:
        # add() is a no-op when the key exists, so concurrent first hits do not reset it.
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:
        # The cache (Redis) is down: a citizen's opinion matters more than the limit.
        # The honeypot and CSRF still hold; the limit is back when the cache is.
        logger.warning("Opinion rate limit skipped: cache unavailable", exc_info=True)
        return Verdict(allowed=True, retry_after=retry_after)
    return Verdict(allowed=count <= limit, retry_after=retry_after)
