"""Writes to users and departments."""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import events
from .models import Department, User
from .roles import ADMIN_SITE_ROLES, ADMINISTRATOR_ROLES, DEPARTMENT_ROLES, Role
from .rules import can_use_workbench

# Token changes are not matter events, so they go to the log rather than the ledger.
token_log = logging.getLogger("accounts.tokens")


class AccountError(ValueError):
    """A user or department change that the portal's rules refuse."""


def validate_role_assignment(*, roles: Iterable[Role], department: Department | None) -> None:
    """Raise ``AccountError`` with a Chinese message when the roles do not fit the department."""
    roles = set(roles)
    if roles & set(DEPARTMENT_ROLES) and department is None:
        raise AccountError(_("部门经办人和部门负责人必须指定所属部门。"))
    held = [role for role in ADMINISTRATOR_ROLES if role in roles]
    if held and len(roles) > 1:
        raise AccountError(
            _("系统管理员、安全管理员和审计管理员三员分立，%(role)s不能兼任其他角色。")
            % {"role": held[0].label}
        )
    if Role.GENERAL_OFFICE_REVIEWER in roles and (
        department is None or department.kind != Department.Kind.GENERAL_OFFICE
    ):
        raise AccountError(_("办公厅审核人必须属于市政府办公厅。"))


def _has_access(user: User) -> bool:
    """Whether the account may still work on anything (fresh from the database)."""
    user.__dict__.pop("role_names", None)
    return bool(can_use_workbench(user))


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role], by: User | None = None) -> User:
    """Give the user exactly these roles; admin-site access (is_staff) follows the roles.

    Withdrawing the last role that let the account work ends its sessions and revokes
    its API token at once (``user_revoke_access``)."""
    roles = set(roles)
    validate_role_assignment(roles=roles, department=user.department)
    if by is not None and by.pk == user.pk and not by.is_superuser and roles != set(user.roles):
        # No administrator widens (or narrows) their own powers: another account does it.
        raise AccountError(_("不能修改自己的角色，请由其他管理员办理。"))
    had_access = _has_access(user)
    groups = Group.objects.filter(name__in=[role.value for role in roles])
    user.groups.set(groups)
    is_staff = user.is_superuser or bool(roles & set(ADMIN_SITE_ROLES))
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    if had_access and not _has_access(user):
        user_revoke_access(user=user, by=by, reason=_("角色已撤销"))
    user.__dict__.pop("role_names", None)
    return user


@transaction.atomic
def user_revoke_access(*, user: User, by: User | None, reason: str) -> int:
    """End every session of the account and delete its API token; a ledger row records it.
    Returns how many tokens were revoked."""
    locked = _lock_user(user)
    locked.access_epoch += 1
    locked.save(update_fields=["access_epoch"])
    user.access_epoch = locked.access_epoch
    revoked, _count = Token.objects.filter(user=locked).delete()
    token_log.info(
        "access revoked for user %s (id %s): %d token(s), all sessions",
        user.username,
        user.pk,
        revoked,
    )
    events.access_revoked(user, by=by, reason=reason, tokens=revoked)
    return revoked


@transaction.atomic
def department_set_active(*, department: Department, active: bool, by: User | None) -> Department:
    """Open or close a department. Closing it ends the access of every account in it at
    once: sessions, API tokens (the rules refuse its members' data from that moment on)."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    if department.is_active == active:
        return department
    department.is_active = active
    department.save(update_fields=["is_active", "updated_at"])
    members = list(User.objects.filter(department=department).order_by("pk"))
    if not active:
        for member in members:
            user_revoke_access(user=member, by=by, reason=_("所属部门已停用"))
    events.department_active_changed(department, by=by, members=0 if active else len(members))
    return department


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    department: Department | None,
    roles: Iterable[Role],
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
) -> User:
    roles = set(roles)
    validate_role_assignment(roles=roles, department=department)
    user = User.objects.create_user(
        username=username,
        password=password,
        full_name=full_name,
        department=department,
        email=email,
        phone=phone,
        is_superuser=is_superuser,
    )
    return user_set_roles(user=user, roles=roles)


# ----------------------------------------------------------------------------- API tokens
# The user row is locked first, so two clicks on "rotate" run one after the other instead
# of colliding on the one-token-per-user constraint. The key itself is never logged.


def _lock_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def api_token_create(*, user: User) -> Token:
    user = _lock_user(user)
    if Token.objects.filter(user=user).exists():
        raise AccountError(_("您已有接口令牌。如需新的令牌，请更换令牌。"))
    token = Token.objects.create(user=user)
    token_log.info("API token created for user %s (id %s)", user.username, user.pk)
    return token


@transaction.atomic
def api_token_rotate(*, user: User) -> Token:
    """Replace the user's token (or make a first one); the old key stops working at once."""
    user = _lock_user(user)
    replaced, _count = Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    token_log.info(
        "API token %s for user %s (id %s)",
        "rotated" if replaced else "created",
        user.username,
        user.pk,
    )
    return token


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Delete the user's token; False when there was none."""
    user = _lock_user(user)
    deleted, _count = Token.objects.filter(user=user).delete()
    if deleted:
        token_log.info("API token revoked for user %s (id %s)", user.username, user.pk)
    return bool(deleted)
