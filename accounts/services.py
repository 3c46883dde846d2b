"""Writes to users and departments."""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import Department, User
from .roles import ADMIN_SITE_ROLES, DEPARTMENT_ROLES, Role

# Token changes are not matter events, so they go to the log rather than the ledger.
token_log = logging.getLogger("accounts.tokens")


class AccountError(ValueError):
    """A user or department change that the portal's rules refuse."""


def validate_role_assignment(*, roles: Iterable[Role], department: Department | None) -> None:
    """Raise ``AccountError`` with a Chinese message when the roles do not fit the department."""
    roles = set(roles)
    if roles & set(DEPARTMENT_ROLES) and department is None:
        raise AccountError(_("部门经办人和部门负责人必须指定所属部门。"))
    if Role.GENERAL_OFFICE_REVIEWER in roles and (
        department is None or department.kind != Department.Kind.GENERAL_OFFICE
    ):
        raise AccountError(_("办公厅审核人必须属于市政府办公厅。"))


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role]) -> User:
    """Give the user exactly these roles; admin-site access (is_staff) follows the roles."""
    roles = set(roles)
    validate_role_assignment(roles=roles, department=user.department)
    groups = Group.objects.filter(name__in=[role.value for role in roles])
    user.groups.set(groups)
    is_staff = user.is_superuser or bool(roles & set(ADMIN_SITE_ROLES))
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_names", None)
    return user


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
