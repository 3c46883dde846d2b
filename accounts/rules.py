"""Permission predicates shared by every app: views, the API and the admin test these.

Predicates read roles from ``User.role_names``, which is fetched once per user object,
so checking several rules on one request costs one query.
"""

import rules
from django.db.models import Q

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


@rules.predicate
def is_audit_administrator(user) -> bool:
    return _has_role(user, Role.AUDIT_ADMINISTRATOR)


@rules.predicate
def is_security_administrator(user) -> bool:
    return _has_role(user, Role.SECURITY_ADMINISTRATOR)


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


reads_every_department = is_general_office | is_system_administrator


def member_department_id(user) -> int | None:
    """The department whose internal data the user works on, or None.

    Set only while the account is active, holds a department role and its department is
    active: the same test as ``is_department_member``. Every queryset filter of the apps'
    ``rules.py`` is built from it (and from ``reads_every_department``), so a page, a list,
    the API and the admin all lose a department's data the moment a role is withdrawn, the
    department is closed or the account is deactivated, however that happened."""
    return user.department_id if is_department_member(user) else None


# Explicit conditions, never an empty ``Q()``: OR-ing an empty Q with another drops it, so
# "everything | published" would silently become "published".
EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])


def internal_filter(user, field: str = "department_id") -> Q:
    """What the user may read of data kept per department, as a filter on ``field`` (the
    lead department's id): everything for the office and administrators, the
    member's own department, nothing for anyone else."""
    if reads_every_department(user):
        return EVERYTHING
    department_id = member_department_id(user)
    return NOTHING if department_id is None else Q(**{field: department_id})


def managed_filter(user, field: str = "department_id") -> Q:
    """What the user may change: the member's own department's rows (``owns_department``
    with ``is_department_member``); the office and administrators only read."""
    department_id = member_department_id(user)
    return NOTHING if department_id is None else Q(**{field: department_id})


can_access_admin = is_general_office | is_system_administrator
can_use_workbench = is_department_member | is_general_office | is_system_administrator

rules.add_perm("accounts.access_admin", can_access_admin)

# The admin's pages and actions (``accounts.admin_access``): "<app>.<model>.<verb>".
admin_rules = rules.RuleSet()
admin_rules.add_rule("accounts.department.view", reads_every_department)
admin_rules.add_rule("accounts.department.add", is_system_administrator)
admin_rules.add_rule("accounts.department.change", is_system_administrator)
admin_rules.add_rule("accounts.user.view", reads_every_department)
admin_rules.add_rule("accounts.user.add", is_system_administrator)
admin_rules.add_rule("accounts.user.change", is_system_administrator)
admin_rules.add_rule("auth.group.view", is_system_administrator)
# The security administrator's pages (accounts/security_views.py): unlocking accounts,
# revoking API tokens, resetting lost authenticators, ending sessions; no business data.
rules.add_perm("accounts.manage_security", is_security_administrator)
rules.add_perm("accounts.access_workbench", can_use_workbench)

# The security audit trail (audit/): its own administrator reads and exports it; the
# system administrator and the office do not (等保 三员分立).
rules.add_perm("audit.view_trail", is_audit_administrator)
