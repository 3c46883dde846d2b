"""Who may see and change consultation matters. Views, the admin and the API test these."""

import rules
from django.db.models import Q, QuerySet

from accounts.rules import (
    admin_rules,
    internal_filter,
    is_department_member,
    is_general_office,
    is_system_administrator,
    managed_filter,
    member_department_id,
    owns_department,
    reads_every_department,
)

from .models import Matter


@rules.predicate
def is_published(user, matter) -> bool:
    return matter is not None and matter.is_published


@rules.predicate
def is_co_organiser(user, matter) -> bool:
    if matter is None or not getattr(user, "department_id", None):
        return False
    return matter.co_departments.filter(pk=user.department_id).exists()


is_lead_department_member = is_department_member & owns_department

# Internal: everything about the matter, including unpublished steps and documents.
can_view_internal = (
    is_general_office
    | is_system_administrator
    | is_lead_department_member
    | (is_department_member & is_co_organiser)
)
can_view_matter = is_published | can_view_internal
can_change_matter = is_lead_department_member

rules.add_perm("matters.view_matter", can_view_matter)
rules.add_perm("matters.view_matter_internal", can_view_internal)
rules.add_perm("matters.change_matter", can_change_matter)
rules.add_perm("matters.add_matter", is_department_member)
# Who may open the staff matter pages (their own department's list, or all for the office).
rules.add_perm(
    "matters.use_staff_pages", is_department_member | is_general_office | is_system_administrator
)
rules.add_perm("matters.view_ledger", is_general_office | is_system_administrator)

# The admin: the office and administrators read; publishing and withdrawing a matter is
# the office's (an administrator runs the system, not the consultation work).
admin_rules.add_rule("matters.matter.view", reads_every_department)
admin_rules.add_rule("matters.matter.publish", is_general_office)
admin_rules.add_rule("matters.ledgerentry.view", reads_every_department)
admin_rules.add_rule("matters.policyarea.view", reads_every_department)


# ------------------------------------------------------------------ the same, as querysets
# Lists, search, the API and the admin filter with these; they are built from the same
# predicates as the object rules above, so a list never shows what the object rule refuses.


def _co_organised_by(department_id: int) -> Q:
    # A subquery rather than a join: a matter with several co-organisers stays one row.
    through = Matter.co_departments.through.objects.filter(department_id=department_id)
    return Q(pk__in=through.values("matter_id"))


def internal_matters_filter(user) -> Q:
    """``can_view_internal`` as a filter: every matter for the office and administrators,
    the lead and co-organised matters of a member's department, none for anyone else."""
    lead = internal_filter(user)
    department_id = member_department_id(user)
    return lead if department_id is None else lead | _co_organised_by(department_id)


def internal_matters(user) -> QuerySet[Matter]:
    return Matter.objects.filter(internal_matters_filter(user))


def visible_matters(user) -> QuerySet[Matter]:
    """``can_view_matter`` as a queryset: the published matters and the internal ones."""
    return Matter.objects.filter(Q(is_published=True) | internal_matters_filter(user))


def changeable_matters(user) -> QuerySet[Matter]:
    """``can_change_matter`` as a queryset: the lead department's members."""
    return Matter.objects.filter(managed_filter(user))
