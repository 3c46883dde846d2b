"""Unified identity (统一身份认证): staff sign in through the province's identity platform
with OpenID Connect (authorization code with PKCE, through mozilla-django-oidc).

- **Binding, not creating.** The platform's subject (``sub``) signs in the portal account
  an administrator bound it to (``User.oidc_subject``); no account is ever made or bound
  by signing in, and roles stay in the portal. An unbound subject is refused with a page
  that says so, and a row of the security audit.
- **Local passwords** can be switched off per account (``User.password_sign_in``).
- **Signing out** ends the portal session and, where the platform offers it (its
  ``end_session_endpoint``), the platform's too.
- **Off** unless ``OIDC_RP_CLIENT_ID`` is set (``PORTAL_OIDC_ENABLED``): the pages answer
  404 and the backend stands aside.

The second factor and the rest of the sign-in policy apply as after a password.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

REFUSAL = "accounts.oidc.refusal"
logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def _record_failure(request, summary, *, subject: str = "", reason: str) -> None:
    from audit.models import Kind, Outcome
    from audit.services import record_in_trail_language

    record_in_trail_language(
        Kind.LOGIN_FAILED,
        summary,
        params={"subject": subject},
        outcome=Outcome.FAILURE,
        request=request,
        username=subject[:150],
        detail={"method": "oidc", "reason": reason},
    )


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Finds the account bound to the platform's subject; never creates one."""

    def __init__(self, *args, **kwargs):
        self.enabled = enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled or "nonce" not in kwargs:  # a password sign-in: not ours
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        subject = str(claims.get("sub", ""))
        users = get_user_model().objects.filter(oidc_subject=subject, is_active=True)
        if not users:
            self.request.session[REFUSAL] = "unbound"
            _record_failure(
                self.request,
                gettext_lazy("统一身份认证账号（%(subject)s）未绑定本平台账号，登录被拒绝"),
                subject=subject,
                reason="unbound",
            )
        return users

    def create_user(self, claims):  # OIDC_CREATE_USER is off; this is the belt to it
        raise SuspiciousOperation("accounts are never created by signing in")

    def update_user(self, user, claims):
        return user  # the portal's own data stays the portal's


def start(request):
    """To the identity platform's sign-in page."""
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request):
    """Back from the platform: signed in, or refused with a page that says why."""
    if not enabled():
        raise Http404
    try:
        return OIDCAuthenticationCallbackView.as_view()(request)
    except SuspiciousOperation as error:
        logger.warning("unified identity callback refused: %s", error)
        _record_failure(
            request,
            gettext_lazy("统一身份认证回调无效（状态参数不符，可能被篡改或已过期）"),
            reason="state",
        )
        return render(request, "accounts/oidc_refused.html", {"reason": "state"}, status=400)


def refused(request):
    """Where a failed sign-in through the platform ends."""
    reason = request.session.pop(REFUSAL, "failed")
    return render(request, "accounts/oidc_refused.html", {"reason": reason})


def provider_logout_url(request) -> str | None:
    """The platform's end-session address for this session (RP-initiated logout), or None
    when the session did not come from the platform or the platform has none."""
    id_token = request.session.get("oidc_id_token")
    endpoint = getattr(settings, "OIDC_OP_END_SESSION_ENDPOINT", "")
    if not (enabled() and id_token and endpoint):
        return None
    back = request.build_absolute_uri("/")
    return f"{endpoint}?{urlencode({'id_token_hint': id_token, 'post_logout_redirect_uri': back})}"
