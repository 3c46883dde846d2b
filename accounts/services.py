"""Writes to users and departments."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Department, User
from .roles import ADMIN_SITE_ROLES, DEPARTMENT_ROLES, Role


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
