"""URLs of invitations (staff and personal reply links) and hearing registrations."""

from django.urls import path

from .views import invitations, registrations

urlpatterns = [
    path("invitations/<str:token>/", invitations.invitation_reply, name="invitation_reply"),
    path(
        "staff/activities/<int:pk>/invitations/",
        invitations.invitation_list,
        name="invitation_list",
    ),
    path(
        "staff/activities/<int:pk>/invitations/attendance/",
        invitations.invitation_attendance,
        name="invitation_attendance",
    ),
    path(
        "staff/invitations/<int:pk>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "activities/<int:pk>/register/",
        registrations.registration_create,
        name="registration_create",
    ),
    path(
        "staff/activities/<int:pk>/registrations/",
        registrations.registration_list,
        name="registration_list",
    ),
]
