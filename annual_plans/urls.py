from django.urls import path

from .views import items, public, staff

app_name = "annual_plans"

urlpatterns = [
    path("catalogs/", public.catalog_index, name="public_list"),
    path("catalogs/<int:year>/", public.catalog_year, name="public_year"),
    path("catalogs/<int:year>/catalog.pdf", public.consolidated_pdf, name="consolidated_pdf"),
    path("catalogs/<int:year>/<slug:which>/", public.consolidated, name="consolidated"),
    path("catalogs/plans/<int:pk>/", public.plan_public_detail, name="public_detail"),
    path("catalogs/plans/<int:pk>/filing-form.pdf", public.filing_form_pdf, name="filing_form"),
    path("staff/plans/", staff.plan_list, name="staff_list"),
    path("staff/plans/start/", staff.plan_start, name="start"),
    path("staff/plans/<int:pk>/", staff.plan_detail, name="staff_detail"),
    path("staff/plans/<int:pk>/edit/", staff.plan_edit, name="edit"),
    path("staff/plans/<int:pk>/sign-off/", staff.plan_sign_off, name="sign_off"),
    path("staff/plans/<int:pk>/submit/", staff.plan_submit, name="submit"),
    path("staff/plans/<int:pk>/amend/", staff.amendment_start, name="amendment_start"),
    path(
        "staff/plans/<int:pk>/items/<int:item_pk>/start-matter/",
        items.item_start_matter,
        name="item_start_matter",
    ),
    path(
        "staff/plans/<int:pk>/items/<int:item_pk>/link-matter/",
        items.item_link_matter,
        name="item_link_matter",
    ),
    path("staff/amendments/<int:pk>/", staff.amendment_edit, name="amendment_edit"),
]
