"""Participation's URLs, gathered from each area's module."""

from . import urls_activities, urls_comments, urls_invitations, urls_participants

app_name = "participation"

urlpatterns = [
    *urls_participants.urlpatterns,
    *urls_activities.urlpatterns,
    *urls_invitations.urlpatterns,
    *urls_comments.urlpatterns,
]
