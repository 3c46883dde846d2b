from django.urls import path

from .views import public, rating

app_name = "proposals"

urlpatterns = [
    path("proposals/", public.proposal_list, name="public_list"),
    path("proposals/<int:pk>/", public.proposal_detail, name="public_detail"),
    # PLACEHOLDER: the staff helper's reply PDF view replaces this line at the merge
    # (same name and kwarg); until then it answers 404.
    path("proposals/replies/<int:pk>/pdf/", public.reply_pdf_placeholder, name="reply_pdf"),
    path("proposals/rating/<str:token>/", rating.rating, name="rating"),
]
