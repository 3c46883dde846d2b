from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import dashboard_views, views

handler404 = "consult_portal.views.page_not_found"
handler500 = "consult_portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/", views.workbench, name="workbench"),
    path("staff/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("staff/dashboard/export.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
    path("accounts/", include("accounts.urls")),
    path("", include("matters.urls")),
    path("", include("annual_plans.urls")),
    path("", include("participation.urls")),
    path("", include("reminders.urls")),
    path("", include("search.urls")),
    path("api/", include("api.urls")),
    path("", include("api.urls_public")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
