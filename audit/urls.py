from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("security-audit/", views.trail_list, name="list"),
    path("security-audit/export.csv", views.trail_export, name="export"),
]
