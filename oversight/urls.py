from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("staff/oversight/", views.order_list, name="list"),
    path("staff/oversight/new/", views.order_create, name="create"),
    path("staff/oversight/<int:pk>/", views.order_detail, name="detail"),
    path("staff/oversight/<int:pk>/answer/", views.answer_edit, name="answer"),
    path("staff/oversight/<int:pk>/answer/sign/", views.answer_sign, name="sign"),
    path("staff/oversight/<int:pk>/decide/", views.order_decide, name="decide"),
    path("staff/oversight/<int:pk>/urge/", views.order_urge, name="urge"),
    path("staff/oversight/<int:pk>/withdraw/", views.order_withdraw, name="withdraw"),
]
