"""Who may see and do what with expert argumentation (see docs/ACCESS.md).

An argumentation belongs to its matter's department: that department's members organise
it, choose the experts, type in the declarations and the signed opinions and complete it;
the general office (and anyone else who reads every department) reads it.
"""

import rules
from django.db.models import QuerySet

from accounts.rules import (
    internal_filter,
    is_department_member,
    managed_filter,
    owns_department,
    reads_every_department,
)

from .models import Argumentation

# An Argumentation's ``department_id`` is its matter's; so is a Matter's own.
manages_argumentation = is_department_member & owns_department
can_view_argumentation = reads_every_department | manages_argumentation

rules.add_perm("solicitations.view_argumentation", can_view_argumentation)
# Choose experts, record declarations and opinions, complete: the state each needs is the
# service's to check (and say).
rules.add_perm("solicitations.manage_argumentation", manages_argumentation)
# On a matter: a member of the matter's own department.
rules.add_perm("solicitations.create_argumentation", manages_argumentation)


def visible_argumentations(user) -> QuerySet[Argumentation]:
    """``solicitations.view_argumentation`` as a queryset."""
    return Argumentation.objects.filter(internal_filter(user, "matter__department_id"))


def managed_argumentations(user) -> QuerySet[Argumentation]:
    """``solicitations.manage_argumentation`` as a queryset."""
    return Argumentation.objects.filter(managed_filter(user, "matter__department_id"))
