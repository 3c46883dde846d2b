"""The portal's roles. Each role is a Django group created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name, shown in the admin as it is.
    DEPARTMENT_STAFF = "部门经办人", _("部门经办人")
    DEPARTMENT_LEADER = "部门负责人", _("部门负责人")
    GENERAL_OFFICE_REVIEWER = "办公厅审核人", _("办公厅审核人")
    # The three administrators (等保 三员分立), each held alone: accounts, departments and
    # configuration; ...
    SYSTEM_ADMINISTRATOR = "系统管理员", _("系统管理员")
    # ... the security policy's own work: locked-out accounts, API tokens, lost
    # authenticators, sessions (no business data); ...
    SECURITY_ADMINISTRATOR = "安全管理员", _("安全管理员")
    # ... reading and exporting the security audit trail, and nothing else.
    AUDIT_ADMINISTRATOR = "审计管理员", _("审计管理员")


DEPARTMENT_ROLES = (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER)
ADMINISTRATOR_ROLES = (
    Role.SYSTEM_ADMINISTRATOR,
    Role.SECURITY_ADMINISTRATOR,
    Role.AUDIT_ADMINISTRATOR,
)
ADMIN_SITE_ROLES = (Role.GENERAL_OFFICE_REVIEWER, Role.SYSTEM_ADMINISTRATOR)
