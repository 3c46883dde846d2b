"""The security administrator's work (安全管理员, 等保 三员分立): the sign-in policy in force,
accounts locked out after failed sign-ins, API tokens, lost authenticators and sessions.

No business data: the page lists accounts (name, department, roles, and their sign-in
state), never a matter, an opinion or a person's contact. Each action is a row of the
security audit trail; an administrator acts on other accounts, never on their own (their
own token, authenticator and sessions are on their own pages).
"""

from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from audit.models import Kind
from audit.services import record_in_trail_language

from . import two_factor
from .models import User, UserSession
from .services import AccountError, api_token_revoke


@dataclass(frozen=True)
class PolicyLine:
    label: str
    value: str
    setting: str
    set_here: bool = False  # by the security administrator, over the setting


def policy() -> list[PolicyLine]:
    """The sign-in policy in force: the security administrator's values over the
    deployment's settings, and what only the deployment sets."""
    from . import policy as rules

    found = rules.overrides()
    lines = [
        PolicyLine(
            str(rule.label),
            f"{rules.value(name)}{rule.unit}",
            rule.setting,
            name in found,
        )
        for name, rule in rules.RULES.items()
    ]
    cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    lines += [
        PolicyLine(
            _("登录失败锁定"),
            _("同一账号在同一地址连续失败%(n)d次，锁定%(m)d分钟")
            % {"n": settings.AXES_FAILURE_LIMIT, "m": cooloff},
            "PORTAL_LOGIN_FAILURE_LIMIT, PORTAL_LOGIN_LOCKOUT_MINUTES",
        ),
        PolicyLine(
            _("双因素认证"),
            _("管理后台用户、三员和超级用户必须启用")
            if settings.PORTAL_TWO_FACTOR_REQUIRED
            else _("均可自愿启用（未强制）"),
            "PORTAL_TWO_FACTOR_REQUIRED",
        ),
    ]
    return lines


def _locked_usernames():
    """Usernames with a lockout in force (failures at the limit, within the cool-off)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).values("username")


def accounts(*, query: str = "", locked_only: bool = False) -> models.QuerySet:
    """Every account with its sign-in state: locked out, authenticator, API token, live
    sessions; searched by username or name."""
    rows = (
        User.objects.select_related("department")
        .prefetch_related("groups")
        .annotate(
            locked=Exists(_locked_usernames().filter(username=OuterRef("username"))),
            has_authenticator=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            has_token=Exists(Token.objects.filter(user=OuterRef("pk"))),
            session_count=Count("sign_ins", distinct=True),
        )
        .order_by("username")
    )
    if query:
        rows = rows.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if locked_only:
        rows = rows.filter(locked=True)
    return rows


class SecurityActionError(AccountError):
    pass


ACTIONS = ("unlock", "revoke_token", "reset_two_factor", "end_sessions")


def act(*, request, user: User, action: str) -> str:
    """Carry out one of ``ACTIONS`` on the account; returns the message to show."""
    if user.pk == request.user.pk:
        raise SecurityActionError(_("不能对自己的账号执行此操作，请在个人页面办理。"))
    if action == "unlock":
        return _unlock(request=request, user=user)
    if action == "revoke_token":
        if not api_token_revoke(user=user):
            return _("账号“%(name)s”没有接口令牌。") % {"name": user.username}
        return _("已作废账号“%(name)s”的接口令牌。") % {"name": user.username}
    if action == "reset_two_factor":
        if not two_factor.reset(user=user, by=request.user, request=request):
            return _("账号“%(name)s”未启用双因素认证。") % {"name": user.username}
        return _("已重置账号“%(name)s”的双因素认证，其登录会话已结束。") % {"name": user.username}
    if action == "end_sessions":
        count = end_sessions(request=request, user=user)
        return _("已结束账号“%(name)s”的%(count)d个登录会话。") % {
            "name": user.username,
            "count": count,
        }
    raise SecurityActionError(_("无法识别的操作。"))


def _unlock(*, request, user: User) -> str:
    if not AccessAttempt.objects.filter(username=user.username).exists():
        return _("账号“%(name)s”没有登录失败记录，无需解除锁定。") % {"name": user.username}
    cleared = axes_reset(username=user.username)
    record_in_trail_language(
        Kind.ACCOUNT_UNLOCKED,
        gettext_lazy("解除账号“%(name)s”的登录锁定"),
        params={"name": user.username},
        request=request,
        target=user,
        detail={"attempts_cleared": cleared},
    )
    return _("已解除账号“%(name)s”的登录锁定。") % {"name": user.username}


@transaction.atomic
def end_sessions(*, request, user: User) -> int:
    """Sign the account out everywhere (its session hash changes), without touching its
    roles or token."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.access_epoch += 1
    locked.save(update_fields=["access_epoch"])
    rows = list(UserSession.objects.filter(user=user))
    UserSession.objects.filter(user=user).delete()
    record_in_trail_language(
        Kind.LOGOUT,
        gettext_lazy("安全管理员结束了账号“%(name)s”的全部登录会话"),
        params={"name": user.username},
        request=request,
        target=user,
        detail={"reason": "ended_by_security", "addresses": [row.address for row in rows]},
    )
    return len(rows)
