"""Who may see and do what with suggestions and proposals (see docs/ACCESS.md).

The general office registers, assigns, decides extensions, enters paper ratings and
evaluations and reads everything. The lead department signs for or returns, contacts the
authors, drafts the reply (its leader signs it off) and sends it. A co-department reads the
item, gives its opinion and countersigns (its leader). The public reads items that may be
made public once they have been assigned, and their replies, never an author's contact
details. An author rates through a personal link only.
"""

import rules
from django.db.models import Q, QuerySet

from accounts.rules import (
    admin_rules,
    is_department_leader,
    is_department_member,
    is_general_office,
    is_system_administrator,
    member_department_id,
    owns_department,
    reads_every_department,
)

from .models import CoDepartment, Proposal

PUBLIC_STATUSES = (
    Proposal.Status.ASSIGNED,
    Proposal.Status.RETURNED,
    Proposal.Status.HANDLING,
    Proposal.Status.REPLIED,
    Proposal.Status.SECOND_ROUND,
    Proposal.Status.CLOSED,
)


@rules.predicate
def is_public_proposal(user, proposal) -> bool:
    return proposal is not None and proposal.is_public and proposal.status in PUBLIC_STATUSES


@rules.predicate
def is_co_department(user, proposal) -> bool:
    department_id = member_department_id(user)
    if proposal is None or department_id is None:
        return False
    return proposal.co_departments.filter(department_id=department_id).exists()


@rules.predicate
def awaits_sign_for(user, proposal) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.ASSIGNED


@rules.predicate
def in_handling(user, proposal) -> bool:
    return proposal is not None and proposal.status in (
        Proposal.Status.HANDLING,
        Proposal.Status.SECOND_ROUND,
    )


is_lead_department = is_department_member & owns_department
is_co_member = is_department_member & is_co_department
can_view = reads_every_department | is_lead_department | is_co_member

rules.add_perm("proposals.view_proposal", can_view)
rules.add_perm("proposals.view_public_proposal", is_public_proposal)
rules.add_perm("proposals.list_proposals", is_department_member | reads_every_department)
rules.add_perm("proposals.sign_for_proposal", is_lead_department & awaits_sign_for)
rules.add_perm("proposals.handle_proposal", is_lead_department & in_handling)
rules.add_perm("proposals.sign_off_reply", is_department_leader & owns_department & in_handling)
rules.add_perm("proposals.give_co_opinion", is_co_member)
rules.add_perm("proposals.countersign_reply", is_department_leader & is_co_department)
rules.add_perm("proposals.download_reply", can_view | is_public_proposal)
# The office's work: intake, assignment, extensions, paper ratings, delivery to the
# transferring body, evaluation, further rounds, closing, the figures and their export.
rules.add_perm("proposals.manage_proposals", is_general_office)
rules.add_perm("proposals.view_figures", is_general_office | is_system_administrator)

admin_rules.add_rule("proposals.proposal.view", reads_every_department)


# ------------------------------------------------------------------ the same, as querysets


def visible_proposals(user) -> QuerySet[Proposal]:
    """``can_view`` as a queryset: everything for the office and administrators; the items a
    department leads or co-handles for its members; nothing for anyone else."""
    if reads_every_department(user):
        return Proposal.objects.all()
    department_id = member_department_id(user)
    if department_id is None:
        return Proposal.objects.none()
    return Proposal.objects.filter(
        Q(lead_department_id=department_id)
        | Q(pk__in=CoDepartment.objects.filter(department_id=department_id).values("proposal_id"))
    )


def public_proposals() -> QuerySet[Proposal]:
    """``is_public_proposal`` as a queryset: what the public pages, search and the API show."""
    return Proposal.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)
