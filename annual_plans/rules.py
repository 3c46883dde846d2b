"""Who may see, edit, sign off, file and review annual plan catalogs."""

import rules
from django.db.models import Q, QuerySet

from accounts.rules import (
    admin_rules,
    internal_filter,
    is_department_leader,
    is_department_member,
    is_general_office,
    is_system_administrator,
    managed_filter,
    owns_department,
    reads_every_department,
)

from .models import AnnualPlan


@rules.predicate
def is_public_plan(user, plan) -> bool:
    return plan is not None and plan.is_public


@rules.predicate
def is_plan_in_force(user, plan) -> bool:
    return plan is not None and plan.can_request_amendment()


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
# Start or link the matters that carry out the items of a catalog in force.
rules.add_perm("annual_plans.carry_out_plan", is_own_department & is_plan_in_force)
rules.add_perm("annual_plans.review_plan", is_general_office)
# The filing form PDF: the department for its own, the office for any, the public once published.
rules.add_perm("annual_plans.download_filing_form", can_view_plan)

# The admin: the office and administrators read every filing; accepting, returning,
# publishing and deciding amendments is the office's; both may move a year's deadline.
admin_rules.add_rule("annual_plans.annualplan.view", reads_every_department)
admin_rules.add_rule("annual_plans.annualplan.review", is_general_office)
admin_rules.add_rule("annual_plans.amendment.view", reads_every_department)
admin_rules.add_rule("annual_plans.amendment.review", is_general_office)
admin_rules.add_rule("annual_plans.filingdeadline.view", reads_every_department)
admin_rules.add_rule("annual_plans.filingdeadline.add", reads_every_department)
admin_rules.add_rule("annual_plans.filingdeadline.change", reads_every_department)


# ------------------------------------------------------------------ the same, as querysets


def visible_plans(user) -> QuerySet[AnnualPlan]:
    """``can_view_plan`` as a queryset: published catalogs, the member's own department's
    in any state, every one for the office and administrators."""
    return AnnualPlan.objects.filter(Q(status=AnnualPlan.Status.PUBLISHED) | internal_filter(user))


def own_plans(user) -> QuerySet[AnnualPlan]:
    """The catalogs of the member's own department (``is_own_department``)."""
    return AnnualPlan.objects.filter(managed_filter(user))
