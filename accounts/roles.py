"""The portal's roles. Each role is a Django group created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name, shown in the admin as it is.
    DEPARTMENT_STAFF = "部门经办人", _("部门经办人")
    DEPARTMENT_LEADER = "部门负责人", _("部门负责人")
    GENERAL_OFFICE_REVIEWER = "办公厅审核人", _("办公厅审核人")
    SYSTEM_ADMINISTRATOR = "系统管理员", _("系统管理员")
    # Reads and exports the security audit trail, and nothing else (等保 三员: 审计管理员).
    AUDIT_ADMINISTRATOR = "审计管理员", _("审计管理员")


DEPARTMENT_ROLES = (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER)
ADMIN_SITE_ROLES = (Role.GENERAL_OFFICE_REVIEWER, Role.SYSTEM_ADMINISTRATOR)
