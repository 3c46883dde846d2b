"""Permission predicates shared by every app: views, the API and the admin test these.

Predicates read roles from ``User.role_names``, which is fetched once per user object,
so checking several rules on one request costs one query.
"""

import rules

from .roles import Role


def _has_role(user, role: Role) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and role.value in user.role_names
    )


@rules.predicate
def is_system_administrator(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _has_role(user, Role.SYSTEM_ADMINISTRATOR)


@rules.predicate
def is_general_office(user) -> bool:
    return _has_role(user, Role.GENERAL_OFFICE_REVIEWER)


def _in_active_department(user) -> bool:
    department = getattr(user, "department", None)
    return department is not None and department.is_active


@rules.predicate
def is_department_staff(user) -> bool:
    return _has_role(user, Role.DEPARTMENT_STAFF) and _in_active_department(user)


@rules.predicate
def is_department_leader(user) -> bool:
    return _has_role(user, Role.DEPARTMENT_LEADER) and _in_active_department(user)


is_department_member = is_department_staff | is_department_leader


@rules.predicate
def owns_department(user, obj) -> bool:
    """The object (anything with a ``department_id``) belongs to the user's department."""
    if obj is None or user is None or not user.is_authenticated:
        return False
    department_id = getattr(obj, "department_id", None)
    return department_id is not None and department_id == user.department_id


can_access_admin = is_general_office | is_system_administrator
can_use_workbench = is_department_member | is_general_office | is_system_administrator

rules.add_perm("accounts.access_admin", can_access_admin)
rules.add_perm("accounts.access_workbench", can_use_workbench)
