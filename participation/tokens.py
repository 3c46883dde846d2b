"""Personal reply links of invitations.

A token is 32 random bytes (``secrets.token_urlsafe``) handed out once, in the e-mail;
the database keeps only its SHA-256, so a copy of the database holds no working link.
A link finds its invitation by that hash alone: no id travels with it, so one token can
never reach another invitation.
"""

import hashlib
import secrets

from django.conf import settings
from django.urls import reverse


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def invitation_url(token: str) -> str:
    """The personal link: ``{PORTAL_BASE_URL}/invitations/<token>/``."""
    return absolute_url(reverse("participation:invitation_reply", args=[token]))
