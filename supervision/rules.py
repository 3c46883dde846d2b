"""Who may read the supervision dashboard."""

import rules

from accounts.rules import is_department_member, is_general_office, is_system_administrator

# The supervision dashboard (督查统计): every department's figures, for the general office.
rules.add_perm("supervision.view_dashboard", is_general_office | is_system_administrator)
# Catalogs carried out (目录执行情况): the office city-wide; a department's members their own.
rules.add_perm(
    "supervision.view_execution",
    is_general_office | is_system_administrator | is_department_member,
)
