"""Who may see and do what with expert argumentation and written solicitation (see
docs/ACCESS.md).

An argumentation or a letter of solicitation belongs to its matter's department: that
department's members organise it, choose the experts or addressees, type in what arrived
on paper and complete it; the general office (and anyone else who reads every department)
reads it. A department or district government addressed by a letter sees that letter and
answers it: its staff and leaders draft the answer, only its leader signs it.
"""

import rules
from django.db.models import Q, QuerySet

from accounts.rules import (
    internal_filter,
    is_department_leader,
    is_department_member,
    managed_filter,
    member_department_id,
    owns_department,
    reads_every_department,
)

from .models import Addressee, Argumentation, Solicitation

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


# Letters of solicitation. A Solicitation's ``department_id`` is its matter's.
manages_solicitation = is_department_member & owns_department


@rules.predicate
def is_addressed_body(user, obj) -> bool:
    """The user is a member of the department this addressee (or one of this letter's
    addressees) is."""
    department_id = member_department_id(user)
    if obj is None or department_id is None:
        return False
    if isinstance(obj, Addressee):
        return (
            obj.department_id == department_id
            and obj.solicitation.status != Solicitation.Status.DRAFT
        )
    if isinstance(obj, Solicitation) and obj.status != Solicitation.Status.DRAFT:
        return obj.addressees.filter(department_id=department_id).exists()
    return False


rules.add_perm(
    "solicitations.view_solicitation",
    reads_every_department | manages_solicitation | is_addressed_body,
)
rules.add_perm("solicitations.manage_solicitation", manages_solicitation)
# On a matter: a member of the matter's own department.
rules.add_perm("solicitations.create_solicitation", manages_solicitation)
# On an addressee: its body's members draft the answer, its leader signs it.
rules.add_perm("solicitations.prepare_answer", is_addressed_body)
rules.add_perm("solicitations.sign_answer", is_addressed_body & is_department_leader)


def visible_solicitations(user) -> QuerySet[Solicitation]:
    """``solicitations.view_solicitation`` as a queryset: the department's own letters and
    the sent letters addressed to it."""
    own = internal_filter(user, "matter__department_id")
    department_id = member_department_id(user)
    if department_id is None or reads_every_department(user):
        return Solicitation.objects.filter(own)
    addressed = ~Q(status=Solicitation.Status.DRAFT) & Q(
        pk__in=Addressee.objects.filter(department_id=department_id).values("solicitation_id")
    )
    return Solicitation.objects.filter(own | addressed)


def letters_to_answer(user) -> QuerySet[Addressee]:
    """The user's body's places on sent letters (its answers to give or given)."""
    department_id = member_department_id(user)
    if department_id is None:
        return Addressee.objects.none()
    return Addressee.objects.filter(department_id=department_id).exclude(
        solicitation__status=Solicitation.Status.DRAFT
    )


def letters_awaiting_answer(user) -> QuerySet[Addressee]:
    """The user's body's places on letters still waiting for its answer, soonest due
    first (the workbench)."""
    return (
        letters_to_answer(user)
        .filter(status=Addressee.Status.OUTSTANDING, solicitation__status=Solicitation.Status.SENT)
        .select_related("solicitation__matter__department")
        .order_by("solicitation__deadline", "pk")
    )
