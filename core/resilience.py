"""Keeping the portal answering when a service behind it is down.

* :class:`FailOpenRedisCache`: with Redis unreachable every cache call behaves as a miss
  (reads return their default, writes do nothing), so pages, the API throttles and the
  opinion rate limit carry on without it; the cache is back as soon as Redis is.
* :class:`DatabaseUnavailableMiddleware`: with the database unreachable a request gets a
  short "try again later" page (503, ``Retry-After``) instead of a server error; the next
  request connects afresh (``CONN_HEALTH_CHECKS``), so no restart is needed afterwards.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.json_errors import error_body, is_api_request
from core.middleware import chosen_language

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and building one (it fills
    a table of some 170 reply callbacks) took longer than the round trip to Redis itself:
    a fifth of a cached page's time. A ``redis.Redis`` holds no connection of
    its own, it borrows one from the pool per command, so sharing it is safe.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class CountingRedisCache(RedisCache):
    """Django's Redis cache with ``count_hit``: the fixed-window counter of the rate limits
    (``core.counters.count_in_window``) in one round trip, where ``add`` and
    ``incr`` take three (``incr`` asks whether the key exists first)."""

    def count_hit(self, key, timeout, version=None) -> int:
        """Adds one to the counter ``key`` and returns it; a new counter starts at 0 and
        expires ``timeout`` seconds later. Both in one transaction (MULTI/EXEC), so the
        counter cannot expire between them and be left without an expiry."""
        key = self.make_and_validate_key(key, version=version)
        pipeline = self._cache.get_client(key, write=True).pipeline()
        pipeline.set(key, 0, ex=self.get_backend_timeout(timeout), nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]


class FailOpenRedisCache(CountingRedisCache):
    """Django's Redis cache that treats an unreachable Redis as an empty cache.

    A failed call is logged and answered as a miss. For ``RETRY_AFTER`` seconds after a
    failure the process does not try Redis again: with a server that does not answer at
    all, each attempt would otherwise hold the request for the whole connect timeout, and
    a page makes several. ``incr`` raises ValueError, as for a missing key: every caller
    already treats that as "start the counter", which then does nothing. ``count_hit``
    raises ValueError too: the rate limits then let the request through.
    """

    RETRY_AFTER = 5.0  # seconds

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0
        self._failed = False
        self._lock = threading.Lock()

    def _call(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except REDIS_DOWN as exc:
            with self._lock:
                first = time.monotonic() >= self._down_until
                self._down_until = time.monotonic() + self.RETRY_AFTER
                self._failed = True
            if first:
                logger.warning("cache unreachable, serving without it: %s", exc)
            return fallback
        if self._failed:
            return self._recovered(fallback)
        return result

    def _recovered(self, fallback):
        """Redis answers again. Changes made while it was down could not drop the pages
        cached before (their generation bump failed), and Redis may have kept them: bump
        once now, and answer this call as a miss, as its answer may be such a page."""
        with self._lock:
            if not self._failed:
                return fallback
            self._failed = False
        logger.warning("cache reachable again: cached content dropped")
        from core.content_cache import bump_generation

        bump_generation()
        return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, key, delta, version=version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return value

    def count_hit(self, key, timeout, version=None) -> int:
        missing = object()
        value = self._call("count_hit", missing, key, timeout, version=version)
        if value is missing:
            raise ValueError(f"Counter '{key}' not counted (the cache is unreachable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._call("set_many", list(data), data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)


# ------------------------------------------------------------------ database unreachable

RETRY_AFTER_SECONDS = 30
# SQLSTATEs that mean "no usable connection" rather than a fault in a query: class 08
# (connection exception), shutdowns and "cannot connect now", too many connections.
UNREACHABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})


def database_unreachable(exception: BaseException) -> bool:
    """Whether ``exception`` says the database cannot be reached, not that a query failed.

    psycopg reports a refused or broken connection with no SQLSTATE; a deadlock or a
    statement timeout carries one, and stays a server error that someone must look at.
    """
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    if cause is None or not hasattr(cause, "pgcode"):
        return True  # another backend (SQLite in development): no way to tell, say so
    state = cause.pgcode
    return state is None or state.startswith("08") or state in UNREACHABLE_STATES


def service_unavailable(request) -> HttpResponse:
    """The 503 answer, made without the database: no context processors, no session."""
    with translation.override(chosen_language(request)):
        if is_api_request(request):
            response = JsonResponse(
                error_body(503, code="service_unavailable", message=_unavailable_message()),
                status=503,
            )
        else:
            response = HttpResponse(
                loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS}),
                status=503,
            )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _unavailable_message() -> str:
    return translation.gettext("服务暂时不可用，请稍后再试。")


class DatabaseUnavailableMiddleware:
    """Answers 503 "try again later" when a view finds the database unreachable.

    It handles what views, templates and the API raise (``process_exception``); the
    health check above it keeps failing loudly, for the load balancer. Nothing is kept
    between requests: Django drops a broken connection and the next request connects
    again, so the portal recovers by itself when the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        logger.error("database unreachable, answered 503: %s", exception)
        return service_unavailable(request)
