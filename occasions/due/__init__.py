"""When a reminder is due, declared in one place.

Each occasion is a function of a ``Snapshot`` (everything a scan reads, loaded through the
apps' selectors in a small, constant number of queries) that yields ``Due`` reminders. An
occasion string names the step (``deadline-30d``, ``day-of``, ``overdue-2026-W15``,
``digest-2026-04-02``), so the outbox's unique key lets each step go out once per
recipient however often the scan runs.

Steps are "the step in effect": if the scan did not run on the day a step began (a worker
was down), the next scan still records that step, not nothing.
"""

from collections.abc import Callable, Iterable

from .base import Due
from .digest import office_digest
from .matters import stage_overdue
from .oversight import oversight_due
from .participation import activity_upcoming, feedback_due, invitation_reply, period_closing
from .plans import plan_deadline, plan_overdue, plan_returned
from .proposals import (
    proposal_contact,
    proposal_due,
    proposal_overdue,
    proposal_rating,
    proposal_second_round,
    proposal_sign_for,
)
from .snapshot import Snapshot
from .solicitations import solicitation_deadline
from .surveys import survey_closed, survey_closing

__all__ = ["OCCASIONS", "Due", "Snapshot"]

OCCASIONS: tuple[Callable[[Snapshot], Iterable[Due]], ...] = (
    plan_deadline,
    plan_overdue,
    plan_returned,
    office_digest,
    period_closing,
    feedback_due,
    activity_upcoming,
    invitation_reply,
    stage_overdue,
    proposal_sign_for,
    proposal_second_round,
    proposal_contact,
    proposal_due,
    proposal_overdue,
    proposal_rating,
    survey_closing,
    survey_closed,
    solicitation_deadline,
    oversight_due,
)
