"""Caching what the public reads, invalidated the moment anything it shows changes.

One number, the *content generation*, lives in the cache. Every cached list total,
public page and shared fragment is stored with the generation read before it was
computed, and served only while that is still the current one (the generation and the
entry are read together, in one round trip); so bumping the number retires every entry at once: no
list of keys to find, nothing stale served after a change.

The generation is bumped whenever a row of a content app (matters, annual plans,
participation, departments) is saved or deleted, or its many-to-many links change,
through model signals, and again when the transaction commits, so a page computed from
the old rows while the change was still uncommitted is not kept either. Writes that
bypass signals (``QuerySet.update``, ``bulk_create``, ``bulk_update``) call
:func:`content_changed` themselves. This is cache plumbing, not business logic: the
services stay the only writers, and the signals only drop cached copies.

Entries also expire after ``PORTAL_PAGE_CACHE_SECONDS`` (60 s by default), which bounds
how late a change that no one made shows: a comment period that opens at its start time.

The cache failing never fails a request: reads and writes of it that raise are treated
as a miss, and the page is computed as if there were no cache.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import cached_property
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:content-generation"
# Cookies that do not change what an anonymous visitor is shown: the language is part of
# the key, and a CSRF cookie alone carries nothing the page shows.
PAGE_NEUTRAL_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def generation() -> int | None:
    """The current generation, or None when the cache cannot be reached."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            _start()
            value = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("content cache unreachable", exc_info=True)
        return None
    return value


def _start() -> None:
    """A first generation above any earlier one: the clock in milliseconds. Were the key
    evicted while pages cached under it lived on, starting again from 1 would reach
    their old keys; bumps never outrun the clock by that much. ``add()``, not ``set()``:
    two processes starting at once agree on one value."""
    cache.add(GENERATION_KEY, time.time_ns() // 1_000_000, timeout=None)


def bump_generation() -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # the key was evicted or the cache cleared
            _start()
            cache.incr(GENERATION_KEY)
    except Exception:
        logger.warning("content cache unreachable; generation not bumped", exc_info=True)


def content_changed() -> None:
    """Drop every cached public page and count: now, and once more on commit."""
    bump_generation()
    transaction.on_commit(bump_generation)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def cache_set(key: str | None, value) -> None:
    if key is None:
        return
    try:
        cache.set(key, value, timeout=settings.PORTAL_PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("content cache unreachable", exc_info=True)


def _rows_signature(queryset) -> tuple[str, ...]:
    """What decides which rows a queryset has, and so its count: its table, joins,
    WHERE clause with parameters, DISTINCT and GROUP BY. Not its annotations or
    ordering, which a count drops: a list annotated with the current time (is a comment
    period open *now*) still counts the same rows as a moment ago."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    try:
        where, params = compiler.compile(query.where)
    except FullResultSet:  # no condition: every row
        where, params = "", ()
    except EmptyResultSet:  # a condition no row meets (pk__in=[])
        where, params = "FALSE", ()
    joins = [
        f"{alias}={getattr(join, 'table_name', '')}:{getattr(join, 'join_type', '')}"
        for alias, join in query.alias_map.items()
        if query.alias_refcount.get(alias)
    ]
    shape = (query.distinct, query.distinct_fields, query.group_by, query.combinator,
             query.low_mark, query.high_mark)  # fmt: skip
    return (query.model._meta.label, ",".join(joins), where, repr(params), repr(shape))


def kept(key: str, compute):
    """``compute()``, kept in the cache under ``key`` and the content generation: the
    generation and the value are read in one round trip (``_lookup``), and ``compute`` is
    only called on a miss. For what is costly to compute and changes only when content
    does. ``compute`` must not return ``None`` (that reads as a miss)."""
    current, value = _lookup(key)
    if value is None:
        value = compute()
        if current is not None:
            cache_set(key, (current, value))
    return value


def cached_count(queryset) -> int:
    """``queryset.count()``, cached under the content generation by the rows it selects."""
    key = f"portal:count:{_digest(queryset.db, *_rows_signature(queryset))}"
    return kept(key, queryset.count)


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached under the content generation: counting 70,000
    published matters takes longer than fetching and showing a page of them."""

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list)


def _on_change(sender, raw=False, **kwargs) -> None:
    # A raw save is a fixture or archive load, which bumps once when it is done.
    if not raw:
        content_changed()


def watch(*models) -> None:
    """Drop cached content whenever a row of one of ``models`` changes. Each content
    app calls this from its ``ready()`` for its own models (matters also for
    departments), so the arrows between apps still point down."""
    for model in models:
        uid = f"content-cache-{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_change, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
            )


# ------------------------------------------------------------------------ public pages
# The views mark their pages public (``public_page``); the project's
# ``PublicPageCacheMiddleware``, high in the middleware stack, stores a marked page once
# every middleware below it has finished it, and serves it to the next anonymous visitor
# before sessions, authentication or templates are touched.

PAGE_MARK = "portal_public_page"


def public_page(view):
    """Marks ``view``'s page as the same for every anonymous visitor, so that the page
    cache may keep it until anything changes. Staff, visitors with a session and pages
    that render a form (a CSRF token) are never served from or stored in the cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        setattr(request, PAGE_MARK, True)
        return view(request, *args, **kwargs)

    # On the function too (decorators applied above it copy it along with __dict__), so
    # the middleware can skip the cache for every other address without asking it.
    setattr(wrapper, PAGE_MARK, True)
    return wrapper


def is_public_view(function) -> bool:
    return getattr(function, PAGE_MARK, False)


def page_cacheable_request(request) -> bool:
    """A GET by a visitor with no session and no pending messages: every such visitor is
    served the same page for the same address and language."""
    if not settings.PORTAL_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    return not any(name not in PAGE_NEUTRAL_COOKIES for name in request.COOKIES)


def _page_key(request, language: str) -> str:
    return f"portal:page:{_digest(language, request.get_full_path())}"


def page_lookup(request, language: str):
    """(generation, cached response or None) in one round trip to the cache; the
    generation is None when the cache cannot be reached."""
    return _lookup(_page_key(request, language))


def _lookup(key: str):
    """(current generation, the value kept under ``key`` if it was kept under that
    generation, else None), in one round trip to the cache."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY)
        if current is None:
            current = generation()
    except Exception:
        logger.warning("content cache unreachable", exc_info=True)
        return None, None
    entry = found.get(key)
    if current is not None and entry is not None and entry[0] == current:
        return current, entry[1]
    return current, None


def page_store(request, response, *, generation_read: int | None, language: str) -> None:
    """Keep a finished public page under the generation read before it was computed: a
    change while it was being computed makes it stale at once."""
    if generation_read is None or not getattr(request, PAGE_MARK, False):
        return
    if not (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        # The page rendered a form: its CSRF token belongs to this visitor alone.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "no-store" not in response.get("Cache-Control", "")
    ):
        return
    cache_set(_page_key(request, language), (generation_read, response))


# ---------------------------------------------------------------------- shared fragments
# What a public page shows below its header is the same for every visitor, signed in or
# not; only the header (the account links) and the footer differ. The page cache above
# keeps whole pages for anonymous visitors only; a fragment kept here serves the shared
# part to everyone else too, and to anonymous visitors when the page cache is off. Same
# generation, same expiry: it is dropped the moment anything it shows changes.

FORM_TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 - a form field's name


def fragment(name: str, request, render) -> str:
    """The HTML ``render()`` returns for ``name`` at this address and language, kept
    under the content generation. ``render`` is only called on a miss, so everything the
    fragment shows must be computed inside it (lazily), not before."""
    if not settings.PORTAL_FRAGMENT_CACHE:
        return render()
    key = f"portal:fragment:{_digest(name, get_language() or '', request.get_full_path())}"
    current, html = _lookup(key)
    if html is None:
        html = render()
        # A form with a CSRF token belongs to one visitor: never share it.
        if current is not None and FORM_TOKEN_FIELD not in html:
            cache_set(key, (current, html))
    return html
