"""Pages outside /api/ that belong to the open-data contract: the Atom feed and the
open-data archive downloads."""

from django.urls import path

from . import views_public
from .feeds import PublishedFeed

app_name = "opendata"

urlpatterns = [
    path("feeds/published.atom", PublishedFeed(), name="feed"),
    path("open-data/", views_public.open_data, name="index"),
    # Before the archive route, whose name check would refuse "latest.zip".
    path("open-data/latest.zip", views_public.latest, name="latest"),
    path("open-data/<str:filename>", views_public.download, name="download"),
]
