from django.urls import path

from . import views_public, views_staff

app_name = "calls"

urlpatterns = [
    path("calls/", views_public.call_list, name="list"),
    path("calls/<int:pk>/", views_public.call_detail, name="detail"),
    path("calls/<int:pk>/thanks/", views_public.call_thanks, name="thanks"),
    path("calls/link/<str:token>/", views_public.call_by_link, name="link"),
    path("staff/calls/", views_staff.staff_list, name="staff_list"),
    path("staff/calls/new/", views_staff.call_create, name="create"),
    path("staff/calls/<int:pk>/", views_staff.staff_detail, name="staff_detail"),
    path("staff/calls/<int:pk>/edit/", views_staff.call_edit, name="edit"),
    path("staff/calls/<int:pk>/publish/", views_staff.call_publish, name="publish"),
    path("staff/calls/<int:pk>/paper/", views_staff.paper_entry, name="paper_entry"),
    path("staff/calls/<int:pk>/invitees/", views_staff.invitees, name="invitees"),
    path("staff/calls/<int:pk>/results/", views_staff.results_publish, name="results"),
    path("staff/calls/submissions/<int:pk>/", views_staff.submission_screen, name="screen"),
    path(
        "staff/calls/submissions/<int:pk>/files/<int:file_pk>/",
        views_staff.submission_file,
        name="submission_file",
    ),
]
