"""Who may see, edit, sign off, file and review annual plan catalogs."""

import rules

from accounts.rules import (
    is_department_leader,
    is_department_member,
    is_general_office,
    is_system_administrator,
    owns_department,
)


@rules.predicate
def is_public_plan(user, plan) -> bool:
    return plan is not None and plan.is_public


@rules.predicate
def is_editable_plan(user, plan) -> bool:
    return plan is not None and plan.is_editable


is_own_department = is_department_member & owns_department

can_view_plan = is_public_plan | is_general_office | is_system_administrator | is_own_department
can_edit_plan = is_own_department & is_editable_plan

rules.add_perm("annual_plans.view_annualplan", can_view_plan)
rules.add_perm("annual_plans.edit_plan", can_edit_plan)
rules.add_perm(
    "annual_plans.sign_off_plan", is_department_leader & owns_department & is_editable_plan
)
rules.add_perm("annual_plans.submit_plan", is_own_department)
rules.add_perm("annual_plans.request_amendment", is_own_department)
rules.add_perm("annual_plans.start_plan", is_department_member)
rules.add_perm("annual_plans.review_plan", is_general_office)
# The filing form PDF: the department for its own, the office for any, the public once published.
rules.add_perm("annual_plans.download_filing_form", can_view_plan)
