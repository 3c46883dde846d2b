"""The results of a survey: the staff's page, its text answers, exports and PDF; the public
page and PDF once the survey's results are public."""

from django.urls import path

from .views import results

urlpatterns = [
    path("staff/surveys/<int:pk>/results/", results.staff_results, name="staff_results"),
    path(
        "staff/surveys/<int:pk>/results/text/<int:question_pk>/",
        results.text_answer_list,
        name="text_answers",
    ),
    path("staff/surveys/<int:pk>/responses.xlsx", results.responses_xlsx, name="responses_xlsx"),
    path("staff/surveys/<int:pk>/results.xlsx", results.results_xlsx, name="results_xlsx"),
    path("staff/surveys/<int:pk>/results.pdf", results.staff_results_pdf, name="results_pdf"),
    path("surveys/<int:pk>/results/", results.public_results, name="public_results"),
    path("surveys/<int:pk>/results.pdf", results.public_results_pdf, name="public_results_pdf"),
]
