from django.urls import path

from .views import participants

urlpatterns = [
    path("staff/participants/", participants.participant_list, name="participant_list"),
    path("staff/participants/new/", participants.participant_create, name="participant_create"),
    path("staff/participants/import/", participants.participant_import, name="participant_import"),
    path(
        "staff/participants/<int:pk>/edit/", participants.participant_edit, name="participant_edit"
    ),
]
