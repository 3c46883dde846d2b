from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [path("staff/reminders/", views.my_reminders, name="mine")]
