"""The staff's expert argumentation pages."""

from django.urls import path

from . import views, views_pdf

app_name = "solicitations"

urlpatterns = [
    path("staff/argumentations/new/", views.argumentation_create, name="argumentation_create"),
    path(
        "staff/argumentations/<int:pk>/",
        views.argumentation_detail,
        name="argumentation_detail",
    ),
    path("staff/argumentations/<int:pk>/experts/add/", views.expert_add, name="expert_add"),
    path(
        "staff/argumentations/<int:pk>/experts/<int:expert_pk>/declaration/",
        views.expert_declare,
        name="expert_declare",
    ),
    path(
        "staff/argumentations/<int:pk>/experts/<int:expert_pk>/opinion/",
        views.opinion_enter,
        name="opinion_enter",
    ),
    path(
        "staff/argumentations/<int:pk>/complete/",
        views.argumentation_complete,
        name="argumentation_complete",
    ),
    path(
        "staff/argumentations/<int:pk>/pdf/",
        views_pdf.argumentation_pdf,
        name="argumentation_pdf",
    ),
]
