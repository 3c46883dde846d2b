"""Comment periods, opinions and feedback (part of the ``participation`` namespace)."""

from django.urls import path

from .views import comments, feedback

urlpatterns = [
    path("consultations/open/", comments.open_comment_periods, name="open_comment_periods"),
    path("consultations/<int:pk>/", comments.period_detail, name="comment_period"),
    path("consultations/<int:pk>/thanks/", comments.comment_thanks, name="comment_thanks"),
    path("consultations/<int:pk>/feedback.pdf", feedback.feedback_pdf, name="feedback_pdf"),
    path("staff/consultations/", comments.staff_period_list, name="staff_periods"),
    path(
        "staff/consultations/adoption-rates/",
        feedback.adoption_rate_list,
        name="adoption_rates",
    ),
    path("staff/matters/<int:pk>/consultations/new/", comments.period_open, name="period_open"),
    path("staff/consultations/<int:pk>/", comments.staff_period, name="staff_period"),
    path(
        "staff/consultations/<int:pk>/opinions/new/",
        comments.opinion_record,
        name="opinion_record",
    ),
    path(
        "staff/consultations/<int:pk>/moderate/",
        comments.opinions_moderate,
        name="opinions_moderate",
    ),
    path(
        "staff/consultations/<int:pk>/dispose/", comments.opinions_dispose, name="opinions_dispose"
    ),
    path("staff/consultations/<int:pk>/feedback/", feedback.feedback_edit, name="feedback_edit"),
]
