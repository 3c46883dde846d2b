"""The account holder's own pages: the API token (create, rotate or revoke it) and the
signed-in sessions (see and end them).

The full key is shown once, in the response to the request that made it, and is never
put in a message or the session; afterwards the page shows only its first characters.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import selectors, services

KEY_PREFIX_LENGTH = 6


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_token(request):
    user = request.user
    if not user.has_perm("accounts.access_workbench"):
        raise PermissionDenied
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            if services.api_token_revoke(user=user):
                messages.success(request, _("接口令牌已撤销，使用它的请求将被拒绝。"))
            else:
                messages.info(request, _("您没有接口令牌。"))
            return redirect("accounts:api_token")
        if action == "create":
            try:
                new_key = services.api_token_create(user=user).key
            except services.AccountError as error:
                messages.error(request, str(error))
                return redirect("accounts:api_token")
        elif action == "rotate":
            new_key = services.api_token_rotate(user=user).key
        else:
            messages.error(request, _("无法识别的操作。"))
            return redirect("accounts:api_token")
    token = selectors.api_token_for(user=user)
    return render(
        request,
        "accounts/api_token.html",
        {
            "token": token,
            "key_prefix": token.key[:KEY_PREFIX_LENGTH] if token else "",
            "new_key": new_key,
        },
    )


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a login while the username is locked out from this address.

    The page says for how long, in minutes, and the 429 carries ``Retry-After``; the form
    is not shown again, so nothing invites another try before then.
    """
    minutes = max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1)
    locked = render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    locked["Retry-After"] = str(minutes * 60)
    return locked


class PortalLogoutView(LogoutView):
    """Signing out ends the portal session and, for a session that came from the unified
    identity platform, the platform's too (its end-session page brings the browser back)."""

    def post(self, request, *args, **kwargs):
        from .oidc import provider_logout_url

        provider = provider_logout_url(request)
        answer = super().post(request, *args, **kwargs)
        if not provider:
            return answer
        # A page, not a redirect: the page the form was on allows forms to go to the portal
        # only (CSP form-action), which would stop a redirect to the platform.
        return render(request, "accounts/oidc_logout.html", {"provider_url": provider})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sessions(request):
    """The account's signed-in sessions (where, when, which browser), and ending any of the
    others, or all of them at once."""
    from .signin_policy import live_sessions, sessions_end

    current = request.session.session_key
    if request.method == "POST":
        if request.POST.get("all") == "others":
            pks = [row.pk for row in live_sessions(request.user)]
        else:
            pks = [int(value) for value in request.POST.getlist("session") if value.isdigit()]
        ended = sessions_end(request, pks=pks)
        if ended:
            messages.success(request, _("已结束%(count)d个登录会话。") % {"count": ended})
        if request.user.sign_ins.filter(pk__in=pks, session_key=current).exists():
            messages.info(request, _("当前会话不能在此结束，请使用“退出”。"))
        elif not ended:
            messages.info(request, _("没有需要结束的登录会话。"))
        return redirect("accounts:sessions")
    rows = list(live_sessions(request.user))
    return render(
        request,
        "accounts/sessions.html",
        {"rows": rows, "current": current, "others": sum(r.session_key != current for r in rows)},
    )
