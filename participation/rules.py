"""Who may run participation: the lead department of the matter, and the general office to
read. Objects here (activities, comment periods, opinions, invitations) all expose
``department_id`` (their matter's lead department), so ``owns_department`` applies."""

import rules

from accounts.rules import (
    is_department_member,
    is_general_office,
    is_system_administrator,
    owns_department,
)

manages = is_department_member & owns_department
reads_all = is_general_office | is_system_administrator

# Run an activity, an invitation round, a comment period or its opinions.
rules.add_perm("participation.manage", manages)
# Read staff-only data about it (contact details, replies, the whole opinion register).
rules.add_perm("participation.view_internal", manages | reads_all)
# The participant registry: every department invites from it; the office reads it.
rules.add_perm("participation.use_registry", is_department_member | reads_all)
# Adoption rates of every department by year.
rules.add_perm("participation.view_adoption_rates", reads_all)
