"""Fixed-window counters in the cache, for limits per client address (the public forms'
rate limits, the security audit's bound on refusal rows)."""

from django.core.cache import cache


def count_in_window(key: str, window: int) -> int:
    """Counts one hit on the fixed-window counter ``key``, which lives ``window`` seconds
    from its first hit, and returns the count. Atomic, so concurrent hits from several
    workers are all counted. On Redis one round trip (``CountingRedisCache.count_hit``);
    on other caches ``add`` (a no-op when the key exists, so concurrent first hits do not
    reset it) and ``incr``. Raises when the cache cannot be reached."""
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:
        return count_hit(key, window)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1
