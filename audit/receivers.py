"""What the audit hears without being called: sign-in and sign-out, failed attempts and
lockouts, changes to an account (password, active, department, superuser), its roles,
API tokens, and the admin's own log of actions. Connected in ``AuditConfig.ready``."""

import functools

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .context import current_request, is_muted
from .models import Kind, Outcome
from .services import in_trail_language, record


def heard(receiver):
    """A receiver that writes in the trail's language and keeps quiet while muted."""
    written = in_trail_language(receiver)

    @functools.wraps(receiver)
    def wrapped(*args, **kwargs):
        if is_muted():
            return None
        return written(*args, **kwargs)

    return wrapped


WATCHED_ACCOUNT_FIELDS = (
    "is_active",
    "is_superuser",
    "is_staff",
    "department_id",
    "username",
    "oidc_subject",
    "password_sign_in",
)


@heard
def logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, request=request, user=user, summary=_("登录成功"))


@heard
def logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "signin_policy_reason", "")
    summaries = {
        "idle": _("长时间未操作，自动退出登录"),
        "lifetime": _("登录时间已满，自动退出登录"),
    }
    record(
        Kind.LOGOUT,
        request=request,
        user=user,
        summary=summaries.get(reason, _("退出登录")),
        detail={"reason": reason} if reason else {},
    )


@heard
def login_failed(sender, credentials, request=None, **kwargs):
    if "nonce" in credentials:
        return  # a unified-identity callback: accounts.oidc records its own, with the subject
    # Only the name typed: never the password (Django already masks it in credentials).
    username = str(credentials.get("username", ""))[:150]
    record(
        Kind.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        request=request or current_request(),
        user=None,
        username=username,
        summary=_("登录失败：用户名“%(username)s”") % {"username": username},
    )


@heard
def locked_out(sender, request, username, ip_address, **kwargs):
    record(
        Kind.LOCKED_OUT,
        outcome=Outcome.FAILURE,
        request=request,
        user=None,
        username=username or "",
        summary=_("连续登录失败，用户名“%(username)s”自该地址暂时锁定")
        % {"username": username or ""},
    )


def _actor():
    request = current_request()
    return request, getattr(request, "user", None) if request is not None else None


def account_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember what an account was, to say after the save what changed."""
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    names = ("password", *WATCHED_ACCOUNT_FIELDS)
    if update_fields is not None and not set(update_fields) & {
        "password",
        "is_active",
        "is_superuser",
        "is_staff",
        "department",
        "department_id",
        "username",
    }:
        instance._audit_before = None  # e.g. last_login on each sign-in
        return
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*names).first()


@heard
def account_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    request, actor = _actor()
    if created:
        record(
            Kind.ACCOUNT_CHANGED,
            request=request,
            user=actor,
            target=instance,
            summary=_("新建账号“%(username)s”") % {"username": instance.get_username()},
            detail={"department_id": instance.department_id, "is_superuser": instance.is_superuser},
        )
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if not before:
        return
    if before["password"] != instance.password:
        record(
            Kind.PASSWORD_CHANGED,
            request=request,
            user=actor,
            target=instance,
            summary=_("账号“%(username)s”的密码已修改") % {"username": instance.get_username()},
            detail={"by_self": bool(actor is not None and actor.pk == instance.pk)},
        )
    changed = {
        name: [before[name], getattr(instance, name)]
        for name in WATCHED_ACCOUNT_FIELDS
        if before[name] != getattr(instance, name)
    }
    if changed:
        record(
            Kind.ACCOUNT_CHANGED,
            request=request,
            user=actor,
            target=instance,
            summary=_("账号“%(username)s”变更：%(fields)s")
            % {"username": instance.get_username(), "fields": "、".join(changed)},
            detail=changed,
        )


@heard
def roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A user's groups (the portal's roles) changed, from either side of the relation."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    User = get_user_model()
    if reverse:  # group.user_set changed: one row per user
        users = User.objects.filter(pk__in=pk_set or ())
        groups = [instance.name]
    else:
        users = [instance]
        if action == "pre_clear":
            groups = list(instance.groups.values_list("name", flat=True))
        else:
            groups = list(model.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    if not groups:
        return
    request, actor = _actor()
    verb = "added" if action == "post_add" else "removed"
    for user in users:
        record(
            Kind.ROLES_CHANGED,
            request=request,
            user=actor,
            target=user,
            summary=(
                _("账号“%(username)s”增加角色：%(roles)s")
                if verb == "added"
                else _("账号“%(username)s”去除角色：%(roles)s")
            )
            % {"username": user.get_username(), "roles": "、".join(sorted(groups))},
            detail={verb: sorted(groups)},
        )


@heard
def token_saved(sender, instance, created, **kwargs):
    if not created:
        return
    request, actor = _actor()
    record(
        Kind.TOKEN_ISSUED,
        request=request,
        user=actor,
        target=instance.user,
        summary=_("为账号“%(username)s”签发接口令牌") % {"username": instance.user.get_username()},
        detail={"token": instance.key[:6] + "…"},
    )


@heard
def token_deleted(sender, instance, **kwargs):
    request, actor = _actor()
    record(
        Kind.TOKEN_REVOKED,
        request=request,
        user=actor,
        target_type="accounts.user",
        target_id=str(instance.user_id),
        summary=_("作废账号编号%(id)s的接口令牌") % {"id": instance.user_id},
        detail={"token": instance.key[:6] + "…"},
    )


@heard
def admin_logged(sender, instance, created, **kwargs):
    if not created:
        return
    request, _user = _actor()
    record(
        Kind.ADMIN_ACTION,
        request=request,
        user=instance.user,
        target_type=(
            f"{instance.content_type.app_label}.{instance.content_type.model}"
            if instance.content_type_id
            else ""
        ),
        target_id=instance.object_id or "",
        summary=_("管理后台%(action)s：%(object)s")
        % {
            "action": {1: _("新增"), 2: _("修改"), 3: _("删除")}.get(instance.action_flag, ""),
            "object": instance.object_repr[:200],
        },
        detail={"message": instance.get_change_message()[:500]},
    )
