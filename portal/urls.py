from django.urls import path

from . import site_views

app_name = "portal"

urlpatterns = [
    path("sitemap/", site_views.sitemap_page, name="sitemap_page"),
    path("sitemap.xml", site_views.sitemap_xml, name="sitemap"),
    path("sitemap-<slug:section>.xml", site_views.sitemap_section, name="sitemap_section"),
    path("robots.txt", site_views.robots_txt, name="robots"),
    path("privacy/", site_views.privacy, name="privacy"),
    path("help/", site_views.help_page, name="help"),
    path("accessibility/", site_views.accessibility, name="accessibility"),
]
