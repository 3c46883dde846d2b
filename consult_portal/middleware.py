import contextlib

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant


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


class ChineseFirstLocaleMiddleware:
    """Chinese unless the visitor chose another language with the footer switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show
    an English portal to anyone whose browser happens to be set to English; a Chinese
    government portal speaks Chinese first and offers English on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen:
            with contextlib.suppress(LookupError):
                language = get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
