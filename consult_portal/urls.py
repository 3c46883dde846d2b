from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import views
from supervision import views as dashboard_views
from supervision import views_reports as reports

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/", views.workbench, name="workbench"),
    path("staff/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("staff/dashboard/export.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
    path(
        "staff/dashboard/proposals/",
        dashboard_views.dashboard_proposals,
        name="dashboard_proposals",
    ),
    path("staff/dashboard/reports/", reports.report_list, name="report_list"),
    path("staff/dashboard/reports/new/", reports.report_request, name="report_request"),
    path("staff/dashboard/reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path(
        "staff/dashboard/reports/<int:pk>/report.pdf",
        reports.report_download,
        name="report_download",
    ),
    path(
        "staff/dashboard/execution/",
        dashboard_views.execution_items,
        name="execution_items",
    ),
    path("accounts/", include("accounts.urls")),
    path("", include("matters.urls")),
    path("", include("annual_plans.urls")),
    path("", include("participation.urls")),
    path("", include("proposals.urls")),
    path("", include("surveys.urls")),
    path("", include("solicitations.urls")),
    path("", include("calls.urls")),
    path("", include("oversight.urls")),
    path("", include("audit.urls")),
    path("", include("reminders.urls")),
    path("", include("search.urls")),
    path("api/", include("api.urls")),
    # The site map, robots.txt and the pages about the site (privacy, help, accessibility).
    path("", include("portal.urls")),
    path("", include("api.urls_public")),
    # Without CSRF: the worst a forged request can do is switch a visitor's language, and
    # a token in the footer of every page would keep every public page out of the cache.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Browsers ask for it on pages that name no icon (the admin, files).
    path("favicon.ico", views.favicon, name="favicon"),
]

# No route serves MEDIA_ROOT, not even under DEBUG: every uploaded file is served by a view
# that checks who may read it (matters:document_download).
