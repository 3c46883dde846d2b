from django.db import connection
from django.http import HttpResponse


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
