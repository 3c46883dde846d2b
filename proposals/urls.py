from django.urls import path

from .views import rating

app_name = "proposals"

urlpatterns = [
    path("proposals/rating/<str:token>/", rating.rating, name="rating"),
]
