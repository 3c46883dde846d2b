from django.urls import path

from .views import activities

urlpatterns = [
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path(
        "activities/<int:pk>/calendar.ics",
        activities.activity_calendar,
        name="activity_calendar",
    ),
    path(
        "staff/matters/<int:matter_pk>/activities/",
        activities.activity_staff_list,
        name="activity_staff_list",
    ),
    path(
        "staff/matters/<int:matter_pk>/activities/new/",
        activities.activity_create,
        name="activity_create",
    ),
    path(
        "staff/activities/<int:pk>/",
        activities.activity_detail_staff,
        name="activity_staff_detail",
    ),
    path("staff/activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path(
        "staff/activities/<int:pk>/publish-notice/",
        activities.activity_publish_notice,
        name="activity_publish_notice",
    ),
    path(
        "staff/activities/<int:pk>/held/", activities.activity_mark_held, name="activity_mark_held"
    ),
    path(
        "staff/activities/<int:pk>/minutes/", activities.activity_minutes, name="activity_minutes"
    ),
]
