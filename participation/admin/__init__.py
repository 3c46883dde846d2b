"""Participation in the admin, one module per area."""

from . import activities, comments, invitations, participants

__all__ = ["activities", "comments", "invitations", "participants"]
