"""A city at ten times real size, for performance work (``manage.py seed_scale``).

Rows are generated with one ``random.Random(seed)`` so a run is reproducible, in chunks so
memory stays bounded, and written with PostgreSQL ``COPY`` (``bulk_create`` elsewhere).
Ids are allocated here, so later tables can point at earlier ones without reading them back.

Scale rows are marked so they can be found and replaced: matter references start with
``S-``, department codes with ``scale-``, usernames with ``scale_`` and participants'
e-mail addresses end with ``@scale.example.cn``, suggestions' and proposals' numbers start
with ``S-``. No ledger rows are written for them.
"""

import time
from collections.abc import Callable

from django.db import transaction

from accounts.models import Department, User
from annual_plans.models import AnnualPlan, PlanItem
from matters.models import Matter, StageChange
from participation.models import Activity, CommentPeriod, Invitation, Opinion, Participant

from .generator import Generator, Report
from .proposals import PROPOSAL_TABLES
from .rows import (
    analyze,
    scale_data_delete,
    scale_data_present,
)
from .surveys import SURVEY_TABLES
from .text import (
    CHANNEL_WEIGHTS,
    DEPARTMENT_PREFIX,
    DISPOSITION_WEIGHTS,
    INVITATIONS_PER_ACTIVITY,
    OPINION_BODIES,
    OPINION_CLOSINGS,
    OPINION_OPENINGS,
    PLACES,
    REFERENCE_PREFIX,
    RESPONSES,
    TOP_SHARE,
    TOPICS,
    USERNAME_PREFIX,
    sizes,
)

TABLES = [
    Department, User, Matter, StageChange, AnnualPlan, PlanItem, CommentPeriod, Opinion,
    Participant, Activity, Invitation, *PROPOSAL_TABLES, *SURVEY_TABLES,
]  # fmt: skip


LINK_TABLES = [Matter.policy_areas.through]


def seed_scale(*, scale: float, seed: int, log: Callable[[str], None] = print) -> Report:
    """Write a city at ``scale`` (1.0 = ten times real size) in one transaction."""
    with transaction.atomic():
        report = Generator(scale=scale, seed=seed, log=log).run()
    started = time.monotonic()
    analyze([*TABLES, *LINK_TABLES])
    report.rows.append(("VACUUM ANALYZE", 0, time.monotonic() - started))
    return report


__all__ = [
    "CHANNEL_WEIGHTS",
    "DEPARTMENT_PREFIX",
    "DISPOSITION_WEIGHTS",
    "INVITATIONS_PER_ACTIVITY",
    "LINK_TABLES",
    "OPINION_BODIES",
    "OPINION_CLOSINGS",
    "OPINION_OPENINGS",
    "PLACES",
    "REFERENCE_PREFIX",
    "RESPONSES",
    "TABLES",
    "TOPICS",
    "TOP_SHARE",
    "USERNAME_PREFIX",
    "Generator",
    "Report",
    "analyze",
    "scale_data_delete",
    "scale_data_present",
    "seed_scale",
    "sizes",
]
