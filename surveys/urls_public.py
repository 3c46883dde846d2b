"""The public's survey pages and the staff's entry of paper and phone answers."""

from django.urls import path

from .views import offline, public

urlpatterns = [
    path("surveys/", public.public_list, name="public_list"),
    path("surveys/<int:pk>/", public.public_detail, name="public_detail"),
    path("surveys/<int:pk>/thanks/", public.thanks, name="thanks"),
    path("surveys/answer/<str:token>/", public.panel_answer, name="panel_answer"),
    path("surveys/resume/<str:token>/", public.resume, name="resume"),
    path(
        "staff/surveys/<int:pk>/responses/enter/", offline.enter_responses, name="enter_responses"
    ),
]
