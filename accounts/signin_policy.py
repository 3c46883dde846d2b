"""The sign-in policy (身份鉴别, GB/T 22239-2019 level 3) for every signed-in session:

- it ends after ``PORTAL_SESSION_IDLE_MINUTES`` without a request, and
  ``PORTAL_SESSION_MAX_HOURS`` after the sign-in whatever happens (0 switches either off);
- an account with a second factor is confirmed to the code page until a code is accepted,
  and one that must have a second factor but has none, to the enrolment page
  (``accounts.two_factor``);
- an account that must change its password (created, or its password set, by an
  administrator; or the password is older than ``PORTAL_PASSWORD_MAX_AGE_DAYS``) is sent
  to the password page before anything else.

The clock is ``now()`` here, so tests can move it.
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.network import client_ip

from . import policy, two_factor
from .models import UserSession

SIGNED_IN_AT = "signin_policy.signed_in_at"
LAST_SEEN = "signin_policy.last_seen"
# The last-seen time is written at most this often (a session write per request would be
# a database write per page).
TOUCH_SECONDS = 60
# What an account that must change its password may still reach.
ALLOWED_URL_NAMES = {
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:logout",
    "set_language",
}
# What a session may reach before its second factor is given, or set up.
TWO_FACTOR_VERIFY_URL_NAMES = {
    "accounts:two_factor_verify",
    "accounts:logout",
    "admin:logout",
    "set_language",
}
TWO_FACTOR_SETUP_URL_NAMES = {
    "accounts:two_factor_setup",
    "accounts:logout",
    "admin:logout",
    "set_language",
}


def now() -> datetime.datetime:
    return timezone.now()


def session_started(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: the session's clocks start, and it is listed to its holder."""
    moment = now()
    request.session[SIGNED_IN_AT] = moment.timestamp()
    request.session[LAST_SEEN] = moment.timestamp()
    two_factor.remember_enrolment(request.session, user)
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "started_at": moment,
            "last_seen_at": moment,
            "address": client_ip(request)[:45],
            "user_agent": request.headers.get("user-agent", "")[:200],
        },
    )


def session_ended(sender, request, user, **kwargs) -> None:
    """``user_logged_out``: the session is no longer listed."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def live_sessions(user):
    """The account's sessions that have not run past either limit, the latest first; rows
    of sessions that have are removed on the way."""
    moment = now()
    stale = UserSession.objects.filter(user=user)
    limits = []
    if policy.value("session_idle_minutes"):
        limits.append(
            models.Q(
                last_seen_at__lt=moment
                - datetime.timedelta(minutes=policy.value("session_idle_minutes"))
            )
        )
    if policy.value("session_max_hours"):
        limits.append(
            models.Q(
                started_at__lt=moment - datetime.timedelta(hours=policy.value("session_max_hours"))
            )
        )
    if limits:
        query = limits[0]
        for limit in limits[1:]:
            query |= limit
        stale.filter(query).delete()
    return UserSession.objects.filter(user=user).order_by("-last_seen_at")


def sessions_end(request, *, pks) -> int:
    """End the named sessions of the signed-in account other than the current one (rows
    named by id: a session key is a secret and never goes into a page), and record it in
    the security audit. Returns how many were ended."""
    from audit.models import Kind
    from audit.services import record_in_trail_language

    current = request.session.session_key
    rows = list(
        UserSession.objects.filter(user=request.user, pk__in=list(pks)).exclude(session_key=current)
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for row in rows:
        store(session_key=row.session_key).delete()
        row.delete()
    if rows:
        record_in_trail_language(
            Kind.LOGOUT,
            gettext_lazy("在其他会话中结束了%(count)d个登录会话"),
            params={"count": len(rows)},
            request=request,
            target=request.user,
            detail={"reason": "ended_elsewhere", "addresses": [row.address for row in rows]},
        )
    return len(rows)


def must_change_password(user) -> bool:
    if not user.has_usable_password():
        return False
    if user.must_change_password:
        return True
    days = policy.value("password_max_age_days")
    changed = user.password_changed_at
    return bool(days and changed and now() - changed > datetime.timedelta(days=days))


class SignInPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            answer = self._enforce(request, user)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _enforce(self, request, user):
        session = request.session
        moment = now().timestamp()
        started = session.get(SIGNED_IN_AT)
        seen = session.get(LAST_SEEN)
        if started is None or seen is None:  # a session from before the policy
            session[SIGNED_IN_AT] = session[LAST_SEEN] = started = seen = moment
        # Read once a request (this runs on every signed-in request).
        limits = policy.values("session_idle_minutes", "session_max_hours")
        idle_minutes, max_hours = limits["session_idle_minutes"], limits["session_max_hours"]
        if idle_minutes and moment - seen > idle_minutes * 60:
            return self._end(
                request,
                "idle",
                _("您已超过%(minutes)d分钟未操作，为保护账号安全已自动退出，请重新登录。")
                % {"minutes": idle_minutes},
            )
        if max_hours and moment - started > max_hours * 3600:
            return self._end(
                request,
                "lifetime",
                _("登录已满%(hours)d小时，为保护账号安全已自动退出，请重新登录。")
                % {"hours": max_hours},
            )
        if moment - seen >= TOUCH_SECONDS:
            session[LAST_SEEN] = moment
            UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=now())
        if two_factor.ENROLLED not in session:  # a session from before two-factor sign-in
            session[two_factor.ENROLLED] = two_factor.has_device(user)
        if two_factor.is_pending(request) and not self._allowed(
            request, TWO_FACTOR_VERIFY_URL_NAMES, api=False
        ):
            return self._to(request, "accounts:two_factor_verify")
        if two_factor.must_enrol(request) and not self._allowed(
            request, TWO_FACTOR_SETUP_URL_NAMES, api=False
        ):
            messages.warning(request, _("您的账号须启用双因素认证，请先绑定身份验证器。"))
            return self._to(request, "accounts:two_factor_setup")
        if must_change_password(user) and not self._allowed(request, ALLOWED_URL_NAMES):
            messages.warning(request, _("请先修改密码，然后才能继续使用。"))
            return redirect("accounts:password_change")
        return None

    @staticmethod
    def _allowed(request, names, *, api=True) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        if request.path.startswith("/api/"):
            return api
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 page shows nothing
        return match.view_name in names

    @staticmethod
    def _to(request, name: str):
        """To the named step, coming back afterwards to the page asked for (a GET)."""
        back = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        url = reverse(name)
        return redirect(f"{url}?{urlencode({'next': back})}" if back else url)

    @staticmethod
    def _end(request, reason: str, message: str):
        request.signin_policy_reason = reason  # the audit's sign-out row says why
        back = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        logout(request)
        messages.info(request, message)
        login = reverse("accounts:login")
        return redirect(f"{login}?{urlencode({'next': back})}" if back else login)
