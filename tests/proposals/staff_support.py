"""What the staff-page tests of 建议提案 share: a fixed clock in 2026 (the working-day
calendar knows no later year, and the sign-for window depends on today), two departments
with their staff and leaders, the office, and items brought to each state through the
services."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock
from zoneinfo import ZoneInfo

from proposals import services
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_participant,
    make_proposal,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday; the sign-for window of an item assigned today ends on 22 June (the Dragon
# Boat Festival holiday falls on 19 June).
TODAY = datetime.datetime(2026, 6, 10, 10, 0, tzinfo=SHANGHAI)
AUTHOR_PHONE = "13612345678"
AUTHOR_EMAIL = "lead.deputy@example.cn"


def at(month, day, hour=10):
    return datetime.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


@contextmanager
def clock(now: datetime.datetime = TODAY):
    """Every ``timezone.now()`` (services, forms, views) answers ``now``."""
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield


@dataclass
class People:
    lead: object  # the lead department
    co: object  # a co-department
    other: object  # a department with nothing to do with the items
    staff: object
    leader: object
    co_staff: object
    co_leader: object
    other_staff: object
    office: object
    administrator: object
    deputy: object
    co_signer: object


def people() -> People:
    lead = DepartmentFactory(name="青岛市民政局", short_name="市民政局", code="mzj")
    co = DepartmentFactory(name="青岛市财政局", short_name="市财政局", code="czj")
    other = DepartmentFactory(name="青岛市教育局", short_name="市教育局", code="jyj")
    office = ReviewerFactory()
    return People(
        lead=lead,
        co=co,
        other=other,
        staff=StaffFactory(department=lead),
        leader=LeaderFactory(department=lead),
        co_staff=StaffFactory(department=co),
        co_leader=LeaderFactory(department=co),
        other_staff=StaffFactory(department=other),
        office=office,
        administrator=AdministratorFactory(),
        deputy=make_participant(
            by=office,
            name="王建国",
            category="npc_deputy",
            affiliation="青岛市人大代表",
            phone=AUTHOR_PHONE,
            email=AUTHOR_EMAIL,
        ),
        co_signer=make_participant(
            by=office,
            name="李秀英",
            category="npc_deputy",
            affiliation="青岛市人大代表",
            phone="13698765432",
            email="co.signer@example.cn",
        ),
    )


def registered(p: People, **fields):
    return make_proposal(by=p.office, authors=[p.deputy, p.co_signer], **fields)


def assigned(p: People, *, now=TODAY, co_role="joint", **fields):
    proposal = registered(p, **fields)
    services.proposal_assign(
        proposal,
        by=p.office,
        department=p.lead,
        co_departments=[(p.co, co_role)] if co_role else [],
        now=now,
    )
    proposal.refresh_from_db()
    return proposal


def handling(p: People, *, contacted=True, **fields):
    proposal = assigned(p, now=at(6, 1), **fields)
    services.proposal_sign_for(proposal, by=p.staff, now=at(6, 2))
    if contacted:
        services.contact_record(
            proposal,
            by=p.staff,
            contacted_on=datetime.date(2026, 6, 3),
            method="phone",
            note="电话沟通，代表同意办理思路。",
            now=at(6, 3),
        )
    proposal.refresh_from_db()
    return proposal


def draft(p: People, proposal, *, now=None):
    return services.reply_save(
        proposal,
        by=p.staff,
        document_number="青民建字〔2026〕12号",
        body="您提出的建议收悉，现答复如下。\n一、已出台补贴办法。",
        reply_class="B",
        contact_person="刘洋",
        contact_phone="0532-85911234",
        copy_to="市人大常委会代表工作委员会，市政府办公厅",
        now=now or at(6, 5),
    )


def replied(p: People, **fields):
    """Handled, signed off, countersigned and sent (the letter and the rating links out)."""
    proposal = handling(p, **fields)
    reply = draft(p, proposal)
    services.reply_sign_off(reply, by=p.leader, now=at(6, 6))
    if proposal.co_departments.exists():
        services.reply_countersign(reply, by=p.co_leader, department=p.co, now=at(6, 7))
    services.reply_send(reply, by=p.staff, now=at(6, 8))
    proposal.refresh_from_db()
    reply.refresh_from_db()
    return proposal, reply
