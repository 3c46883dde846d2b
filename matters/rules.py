"""Who may see and change consultation matters. Views, the admin and the API test these."""

import rules

from accounts.rules import (
    is_department_member,
    is_general_office,
    is_system_administrator,
    owns_department,
)


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
