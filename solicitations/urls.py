"""The staff's expert argumentation and written solicitation pages, and the personal
answer link of a letter."""

from django.urls import path

from . import views, views_letters, views_pdf

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
    path("staff/solicitations/new/", views_letters.solicitation_create, name="solicitation_create"),
    path(
        "staff/solicitations/<int:pk>/",
        views_letters.solicitation_detail,
        name="solicitation_detail",
    ),
    path(
        "staff/solicitations/<int:pk>/edit/",
        views_letters.solicitation_edit,
        name="solicitation_edit",
    ),
    path(
        "staff/solicitations/<int:pk>/addressees/add/",
        views_letters.addressees_add,
        name="addressees_add",
    ),
    path(
        "staff/solicitations/<int:pk>/addressees/<int:addressee_pk>/remove/",
        views_letters.addressee_remove,
        name="addressee_remove",
    ),
    path(
        "staff/solicitations/<int:pk>/send/",
        views_letters.solicitation_send,
        name="solicitation_send",
    ),
    path(
        "staff/solicitations/<int:pk>/addressees/<int:addressee_pk>/answer/",
        views_letters.answer,
        name="answer",
    ),
    path(
        "staff/solicitations/<int:pk>/addressees/<int:addressee_pk>/sign/",
        views_letters.answer_sign,
        name="answer_sign",
    ),
    path(
        "staff/solicitations/<int:pk>/addressees/<int:addressee_pk>/paper/",
        views_letters.paper_answer,
        name="paper_answer",
    ),
    path("staff/solicitations/<int:pk>/pdf/", views_letters.letter_pdf, name="letter_pdf"),
    path("solicitations/answer/<str:token>/", views_letters.link_answer, name="link_answer"),
]
