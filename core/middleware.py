import contextlib
import functools

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_supported_language_variant

from core.content_cache import (
    is_public_view,
    page_cacheable_request,
    page_lookup,
    page_store,
)


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` (settings.PORTAL_PERMISSIONS_POLICY) on every response.

    Neither Django 5.2 nor django-csp sets this header; django-permissions-policy does,
    but the header is one fixed line, not worth a dependency. First in the stack, so the
    health check, the "database unavailable" page, static files and pages answered from
    the public page cache carry it too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PORTAL_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.setdefault("Permissions-Policy", self.header)
        return response


class HealthCheckMiddleware:
    """Answers ``/healthz/`` before host validation and HTTPS redirects.

    Load balancers and container health checks call it by IP over plain HTTP, which
    ALLOWED_HOSTS and SECURE_SSL_REDIRECT would otherwise turn away. 200 when the
    database answers; an unreachable database raises and the caller sees a failure.
    """

    path = "/healthz/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != self.path:
            return self.get_response(request)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        response = HttpResponse("ok", content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response


def chosen_language(request) -> str:
    """Chinese unless the visitor chose another language with the footer switch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        with contextlib.suppress(LookupError):
            return get_supported_language_variant(chosen)
    return settings.LANGUAGE_CODE


class PublicPageCacheMiddleware:
    """Serves public pages to anonymous visitors from the cache (core/content_cache.py).

    It sits just below the security and static-file middleware: a page is stored once
    every middleware below has finished it (language, headers), and a hit is answered
    before sessions, authentication, CSRF or templates are touched, so a cached page
    costs about what a "hello" view costs. Anything that changes what the public sees
    drops every stored page at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (page_cacheable_request(request) and self.public_view(request)):
            return self.get_response(request)
        language = chosen_language(request)
        generation_read, cached = page_lookup(request, language)
        if cached is not None:
            return cached
        response = self.get_response(request)
        page_store(request, response, generation_read=generation_read, language=language)
        return response

    @staticmethod
    def public_view(request) -> bool:
        """The address resolves to a view marked ``@public_page``: resolving costs less
        than a round trip to the cache, which the API and every other page are spared.
        The answer is kept per URLconf and path (``_resolves_to_public_view``)."""
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        return _resolves_to_public_view(urlconf, request.path_info)


class PrivateResponseMiddleware:
    """``Cache-Control: private, no-store`` on every answer that depends on who asks.

    A page shown to a signed-in user (staff pages, the admin, a department's unpublished
    document, a public page with the user's own links), an answer read from a visitor's
    session, and an API answer to a token client must not be kept by the browser or a
    proxy: on a shared office computer the back button would show them after logout.

    It sits just below the page cache: the cache never stores what it marks (a page
    marked ``no-store`` is not kept), and the pages the cache keeps and serves, the same
    for every anonymous visitor, keep their headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.private(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def private(request) -> bool:
        if "HTTP_AUTHORIZATION" in request.META:  # an API client with a token
            return True
        # The API authenticates tokens itself and puts the user on the request too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        session = getattr(request, "session", None)
        return session is not None and session.accessed and not session.is_empty()


@functools.lru_cache(maxsize=4096)
def _resolves_to_public_view(urlconf: str, path: str) -> bool:
    """Whether ``path`` resolves to a ``@public_page`` view. Django resolves every request
    again to call its view, and this first one, for the page cache, is not free for an API
    address (its router's patterns come late). URLconfs do not change while a process
    runs; the number of paths kept is bounded, however many a crawler invents."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return is_public_view(match.func)


class ChineseFirstLocaleMiddleware:
    """Chinese unless the visitor chose another language with the footer switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show
    an English portal to anyone whose browser happens to be set to English; a Chinese
    government portal speaks Chinese first and offers English on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
