"""Views for the page cache tests: marked public, and counting how often they run."""

from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from core.content_cache import public_page

CALLS: list[str] = []


@public_page
def echo(request):
    CALLS.append(request.get_full_path())
    return HttpResponse(request.get_full_path())


@public_page
def with_form(request):
    CALLS.append(request.get_full_path())
    return HttpResponse(Template("{% csrf_token %}").render(RequestContext(request)))


def unmarked(request):
    CALLS.append(request.get_full_path())
    return HttpResponse("not marked public")


urlpatterns = [
    path("list/", echo),
    path("form/", with_form),
    path("unmarked/", unmarked),
]
