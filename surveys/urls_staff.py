"""The staff's survey pages: build, publish, the panel, the responses."""

from django.urls import path

from .views import staff

urlpatterns = [
    path("staff/surveys/", staff.survey_list, name="staff_list"),
    path("staff/surveys/new/", staff.survey_create, name="staff_create"),
    path("staff/surveys/<int:pk>/", staff.survey_detail, name="staff_detail"),
    path("staff/surveys/<int:pk>/settings/", staff.survey_settings, name="staff_settings"),
    path("staff/surveys/<int:pk>/pages/new/", staff.section_add, name="section_add"),
    path(
        "staff/surveys/<int:pk>/pages/<int:section_pk>/edit/",
        staff.section_edit,
        name="section_edit",
    ),
    path(
        "staff/surveys/<int:pk>/pages/<int:section_pk>/delete/",
        staff.section_delete,
        name="section_delete",
    ),
    path("staff/surveys/<int:pk>/questions/new/", staff.question_add, name="question_add"),
    path(
        "staff/surveys/<int:pk>/questions/<int:question_pk>/edit/",
        staff.question_edit,
        name="question_edit",
    ),
    path(
        "staff/surveys/<int:pk>/questions/<int:question_pk>/delete/",
        staff.question_delete,
        name="question_delete",
    ),
    path(
        "staff/surveys/<int:pk>/questions/<int:question_pk>/move/",
        staff.question_move,
        name="question_move",
    ),
    path("staff/surveys/<int:pk>/publish/", staff.survey_publish, name="publish"),
    path("staff/surveys/<int:pk>/cancel/", staff.survey_cancel, name="cancel"),
    path("staff/surveys/<int:pk>/panel/", staff.panel, name="panel"),
    path("staff/surveys/<int:pk>/responses/", staff.responses, name="staff_responses"),
    path(
        "staff/surveys/<int:pk>/responses/<int:number>/void/",
        staff.response_void,
        name="response_void",
    ),
]
