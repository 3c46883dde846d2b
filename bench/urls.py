"""The portal's URLs plus a trivial view, for ``consult_portal.settings.bench_server`` only."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    """The load run's baseline: the whole middleware stack, no template, no query."""
    return HttpResponse("hello")


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("", include("consult_portal.urls")),
]
