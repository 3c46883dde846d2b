"""Reminders of suggestions and proposals (建议提案): sign-for, contact, due, overdue,
ratings not given and second rounds, each at its edges and each once."""

import datetime

import pytest
from django.conf import settings

from occasions.due.proposals import staff_link
from proposals import services
from proposals.models import Proposal
from reminders.models import Reminder
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_participant,
    make_proposal,
)

from .conftest import at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


@pytest.fixture
def office():
    return ReviewerFactory(username="office", email="office@example.gov.cn")


@pytest.fixture
def lead():
    return DepartmentFactory(name="青岛市民政局", code="mzj")


@pytest.fixture
def staff(lead):
    return StaffFactory(department=lead, username="liming", email="liming@example.gov.cn")


@pytest.fixture
def leader(lead):
    return LeaderFactory(department=lead, username="wanghua", email="wanghua@example.gov.cn")


@pytest.fixture
def assigned(office, lead, staff, leader):
    """Assigned on Monday 2 March 2026: sign for or return by Wednesday 11 March (seven
    working days), reply by 2 June."""
    proposal = make_proposal(by=office)
    services.proposal_assign(proposal, by=office, department=lead, now=at(2026, 3, 2, 10))
    proposal.refresh_from_db()
    assert proposal.sign_for_deadline == datetime.date(2026, 3, 11)
    assert proposal.due_date == datetime.date(2026, 6, 2)
    return proposal


@pytest.fixture
def handling(assigned, staff):
    services.proposal_sign_for(assigned, by=staff, now=at(2026, 3, 3, 10))
    assigned.refresh_from_db()
    return assigned


def occasions(kind):
    return sorted(set(Reminder.objects.filter(kind=kind).values_list("occasion", flat=True)))


def recipients(kind, occasion=None):
    rows = Reminder.objects.filter(kind=kind)
    if occasion:
        rows = rows.filter(occasion=occasion)
    return sorted(rows.values_list("recipient", flat=True))


def contact(proposal, staff, on):
    services.contact_record(
        proposal,
        by=staff,
        contacted_on=on,
        method="phone",
        note="电话联系提出人，介绍办理思路。",
        now=at(on.year, on.month, on.day, 15),
    )


def reply(proposal, staff, leader, now, *, reply_class="B"):
    draft = services.reply_save(
        proposal,
        by=staff,
        document_number="青民建字〔2026〕12号",
        body="经研究，已将增设社区养老服务站点列入年度计划。",
        reply_class=reply_class,
        contact_person="李明",
        contact_phone="0532-85911234",
        now=now,
    )
    services.reply_sign_off(draft, by=leader, now=now)
    return services.reply_send(draft, by=staff, now=now)


# ------------------------------------------------------------------------------ sign-for


def test_sign_for_two_working_days_before_and_on_the_last_day(run_scan, assigned):
    key = assigned.assigned_at.astimezone(at(2026, 1, 1).tzinfo).strftime("%Y%m%d%H%M%S")
    run_scan(at(2026, 3, 6))  # Friday: three working days left (9, 10, 11 March)
    assert occasions(Kind.PROPOSAL_SIGN_FOR) == []
    run_scan(at(2026, 3, 9))  # Monday: two working days left
    assert occasions(Kind.PROPOSAL_SIGN_FOR) == [f"sign-for-{key}-2wd"]
    run_scan(at(2026, 3, 10))
    assert occasions(Kind.PROPOSAL_SIGN_FOR) == [f"sign-for-{key}-2wd"]
    run_scan(at(2026, 3, 11))
    assert occasions(Kind.PROPOSAL_SIGN_FOR) == [f"sign-for-{key}-0wd", f"sign-for-{key}-2wd"]
    run_scan(at(2026, 3, 12))
    assert Reminder.objects.filter(kind=Kind.PROPOSAL_SIGN_FOR).count() == 4


def test_sign_for_goes_to_the_lead_departments_staff_and_leaders(run_scan, assigned, mailoutbox):
    StaffFactory(username="other", email="other@example.gov.cn")  # another department
    run_scan(at(2026, 3, 9))
    assert recipients(Kind.PROPOSAL_SIGN_FOR) == ["liming@example.gov.cn", "wanghua@example.gov.cn"]
    message = mailoutbox[0]
    assert assigned.reference in message.subject
    assert "2026年3月11日" in message.body
    assert settings.PORTAL_BASE_URL.rstrip("/") + f"/staff/proposals/{assigned.pk}/" in message.body


def test_signed_or_returned_items_get_no_sign_for_reminder(run_scan, assigned, staff, office):
    other = make_proposal(by=office)
    services.proposal_assign(
        other, by=office, department=assigned.lead_department, now=at(2026, 3, 2, 10)
    )
    services.proposal_sign_for(assigned, by=staff, now=at(2026, 3, 5))
    services.proposal_return(other, by=staff, reason="不属于本单位职责", now=at(2026, 3, 5))
    run_scan(at(2026, 3, 9))
    run_scan(at(2026, 3, 11))
    assert occasions(Kind.PROPOSAL_SIGN_FOR) == []


def test_a_reassignment_is_reminded_again(run_scan, assigned, staff, office, lead):
    run_scan(at(2026, 3, 9))
    services.proposal_return(assigned, by=staff, reason="涉及多部门职责", now=at(2026, 3, 10))
    services.proposal_assign(assigned, by=office, department=lead, now=at(2026, 3, 16, 10))
    run_scan(at(2026, 3, 23))  # the new window ends on 25 March
    assert len(occasions(Kind.PROPOSAL_SIGN_FOR)) == 2


# ------------------------------------------------------------------------------- contact


def test_contact_thirty_days_before_the_due_date_once(run_scan, handling, mailoutbox):
    run_scan(at(2026, 5, 2))  # 31 days before 2 June
    assert occasions(Kind.PROPOSAL_CONTACT) == []
    run_scan(at(2026, 5, 3))
    assert occasions(Kind.PROPOSAL_CONTACT) == ["contact-r1-20260602"]
    run_scan(at(2026, 5, 4))
    # To the staff (经办人), not the leader.
    assert recipients(Kind.PROPOSAL_CONTACT) == ["liming@example.gov.cn"]
    (message,) = [m for m in mailoutbox if "沟通联系" in m.subject]
    assert "还有 30 天" in message.body


def test_a_recorded_contact_stops_the_contact_reminder(run_scan, handling, staff):
    contact(handling, staff, datetime.date(2026, 4, 20))
    run_scan(at(2026, 5, 3))
    assert occasions(Kind.PROPOSAL_CONTACT) == []


# ----------------------------------------------------------------------------------- due


def test_due_in_fifteen_seven_and_three_days(run_scan, handling):
    run_scan(at(2026, 5, 17))  # 16 days left
    assert occasions(Kind.PROPOSAL_DUE) == []
    run_scan(at(2026, 5, 18))
    assert occasions(Kind.PROPOSAL_DUE) == ["due-r1-20260602-15d"]
    run_scan(at(2026, 5, 25))  # 8 days left: still the 15-day step
    assert occasions(Kind.PROPOSAL_DUE) == ["due-r1-20260602-15d"]
    run_scan(at(2026, 5, 26))
    run_scan(at(2026, 5, 30))
    run_scan(at(2026, 6, 2))  # the day itself: the 3-day step is already recorded
    assert occasions(Kind.PROPOSAL_DUE) == [
        "due-r1-20260602-15d",
        "due-r1-20260602-3d",
        "due-r1-20260602-7d",
    ]
    assert Reminder.objects.filter(kind=Kind.PROPOSAL_DUE).count() == 3


def test_a_missed_scan_still_records_the_step_in_effect(run_scan, handling):
    run_scan(at(2026, 5, 28))  # 5 days left, no scan since 17 May
    assert occasions(Kind.PROPOSAL_DUE) == ["due-r1-20260602-7d"]


# ------------------------------------------------------------------------------- overdue


def test_overdue_from_the_day_after_once_an_iso_week(run_scan, handling, mailoutbox):
    run_scan(at(2026, 6, 2, 23, 59))
    assert occasions(Kind.PROPOSAL_OVERDUE) == []
    run_scan(at(2026, 6, 3))  # Wednesday of week 23
    assert occasions(Kind.PROPOSAL_OVERDUE) == ["overdue-r1-2026-W23"]
    run_scan(at(2026, 6, 7, 23))  # Sunday, same week
    assert occasions(Kind.PROPOSAL_OVERDUE) == ["overdue-r1-2026-W23"]
    run_scan(at(2026, 6, 8))  # Monday of week 24
    assert occasions(Kind.PROPOSAL_OVERDUE) == ["overdue-r1-2026-W23", "overdue-r1-2026-W24"]
    # Leaders are told too.
    assert recipients(Kind.PROPOSAL_OVERDUE, "overdue-r1-2026-W24") == [
        "liming@example.gov.cn",
        "wanghua@example.gov.cn",
    ]
    (message, *_rest) = [m for m in mailoutbox if "超过答复期限" in m.subject]
    assert "已超过 1 天" in message.body


def test_a_replied_item_gets_no_due_or_overdue_reminder(run_scan, handling, staff, leader):
    contact(handling, staff, datetime.date(2026, 4, 20))
    reply(handling, staff, leader, at(2026, 5, 10))
    for day in (datetime.date(2026, 5, 18), datetime.date(2026, 5, 30), datetime.date(2026, 6, 9)):
        run_scan(at(day.year, day.month, day.day))
    assert occasions(Kind.PROPOSAL_DUE) == []
    assert occasions(Kind.PROPOSAL_OVERDUE) == []
    assert occasions(Kind.PROPOSAL_CONTACT) == []


def test_an_approved_extension_starts_the_due_reminders_again(run_scan, handling, staff, office):
    run_scan(at(2026, 5, 18))
    extension = services.extension_request(
        handling, by=staff, requested_due_date=datetime.date(2026, 7, 15), reason="需实地调研"
    )
    services.extension_decide(extension, by=office, approve=True, now=at(2026, 5, 20))
    run_scan(at(2026, 6, 3))
    assert occasions(Kind.PROPOSAL_OVERDUE) == []
    run_scan(at(2026, 6, 30))
    assert occasions(Kind.PROPOSAL_DUE) == ["due-r1-20260602-15d", "due-r1-20260715-15d"]


# -------------------------------------------------------------------------- second round


@pytest.fixture
def second_round(handling, staff, leader, office):
    contact(handling, staff, datetime.date(2026, 4, 20))
    sent = reply(handling, staff, leader, at(2026, 5, 10))
    rating = sent.ratings.get()
    services.rating_record_paper(rating, by=office, result="dissatisfied", now=at(2026, 5, 15))
    handling.refresh_from_db()
    assert handling.status == Proposal.Status.SECOND_ROUND
    assert handling.due_date == datetime.date(2026, 6, 15)
    return handling


def test_second_round_is_announced_once_and_restarts_the_due_reminders(run_scan, second_round):
    run_scan(at(2026, 5, 15, 12))
    run_scan(at(2026, 5, 16))
    assert occasions(Kind.PROPOSAL_SECOND_ROUND) == ["round-2"]
    assert recipients(Kind.PROPOSAL_SECOND_ROUND) == [
        "liming@example.gov.cn",
        "wanghua@example.gov.cn",
    ]
    # Contact again in the new round: 30 days before 15 June is already in effect.
    assert occasions(Kind.PROPOSAL_CONTACT) == ["contact-r2-20260615"]
    run_scan(at(2026, 5, 31))
    assert occasions(Kind.PROPOSAL_DUE) == ["due-r2-20260615-15d"]
    run_scan(at(2026, 6, 16))
    assert occasions(Kind.PROPOSAL_OVERDUE) == ["overdue-r2-2026-W25"]


def test_a_second_reply_ends_the_second_rounds_reminders(run_scan, second_round, staff, leader):
    contact(second_round, staff, datetime.date(2026, 5, 20))
    reply(second_round, staff, leader, at(2026, 5, 25), reply_class="A")
    run_scan(at(2026, 6, 1))
    run_scan(at(2026, 6, 16))
    assert occasions(Kind.PROPOSAL_DUE) == []
    assert occasions(Kind.PROPOSAL_OVERDUE) == []
    assert occasions(Kind.PROPOSAL_SECOND_ROUND) == []


# -------------------------------------------------------------------------------- rating


def test_rating_reminder_fifteen_days_after_the_reply_to_the_author(
    run_scan, handling, staff, leader, mailoutbox
):
    contact(handling, staff, datetime.date(2026, 4, 20))
    reply(handling, staff, leader, at(2026, 5, 10, 10))
    run_scan(at(2026, 5, 25, 9, 59))
    assert occasions(Kind.PROPOSAL_RATING) == []
    run_scan(at(2026, 5, 25, 10, 1))
    run_scan(at(2026, 5, 26))
    lead_author = handling.authors.get().participant
    assert recipients(Kind.PROPOSAL_RATING) == [lead_author.email]
    (message,) = [m for m in mailoutbox if "满意度测评" in m.subject and m.to == [lead_author.email]
                  and "请对" in m.subject]  # fmt: skip
    assert "不能再次发送" in message.body
    assert "纸质测评表" in message.body


def test_an_author_without_an_address_is_followed_up_by_the_office(
    run_scan, office, lead, staff, leader, mailoutbox
):
    deputy = make_participant(name="王建国", category="npc_deputy", email="", phone="13900000001")
    proposal = make_proposal(by=office, authors=[deputy])
    services.proposal_assign(proposal, by=office, department=lead, now=at(2026, 3, 2, 10))
    services.proposal_sign_for(proposal, by=staff, now=at(2026, 3, 3))
    contact(proposal, staff, datetime.date(2026, 3, 20))
    reply(proposal, staff, leader, at(2026, 4, 1))
    run_scan(at(2026, 4, 16, 12))
    run_scan(at(2026, 4, 20))
    assert recipients(Kind.PROPOSAL_RATING) == ["office@example.gov.cn"]
    (message,) = [
        m for m in mailoutbox if m.to == ["office@example.gov.cn"] and "未测评" in m.subject
    ]
    assert "王建国" in message.body
    assert "纸质测评表" in message.body
    assert staff_link(proposal) in message.body


def test_a_given_rating_is_not_reminded(run_scan, handling, staff, leader, office):
    contact(handling, staff, datetime.date(2026, 4, 20))
    sent = reply(handling, staff, leader, at(2026, 5, 10))
    services.rating_record_paper(
        sent.ratings.get(), by=office, result="satisfied", now=at(2026, 5, 12)
    )
    run_scan(at(2026, 5, 26))
    assert occasions(Kind.PROPOSAL_RATING) == []


def test_every_proposal_reminder_goes_out_once_on_two_scans(run_scan, second_round, mailoutbox):
    run_scan(at(2026, 6, 16))
    count = len(mailoutbox)
    assert count > 0
    run_scan(at(2026, 6, 16, 15))
    assert len(mailoutbox) == count


# ------------------------------------------------------------------------ office digest


def test_the_office_digest_counts_items_waiting_for_the_office(
    run_scan, handling, office, lead, staff, mailoutbox
):
    services.extension_request(
        handling, by=staff, requested_due_date=datetime.date(2026, 7, 15), reason="需实地调研"
    )
    returned = make_proposal(by=office)
    services.proposal_assign(returned, by=office, department=lead, now=at(2026, 3, 2, 10))
    services.proposal_return(returned, by=staff, reason="不属于本单位职责", now=at(2026, 3, 4))
    run_scan(at(2026, 3, 5))
    digest = Reminder.objects.get(kind=Kind.OFFICE_DIGEST)
    assert digest.recipient == "office@example.gov.cn"
    assert "1件待重新交办，1件延期待审批" in digest.subject
    (message,) = [m for m in mailoutbox if m.subject == digest.subject]
    assert "承办单位退回、待重新交办：1件" in message.body
    assert "延期申请待审批：1件" in message.body
    assert settings.PORTAL_BASE_URL.rstrip("/") + "/staff/proposals/office/" in message.body


def test_no_digest_when_nothing_waits_for_the_office(run_scan, handling):
    run_scan(at(2026, 3, 5))
    assert not Reminder.objects.filter(kind=Kind.OFFICE_DIGEST).exists()


def test_the_last_day_of_the_sign_for_window_says_so(run_scan, assigned, mailoutbox):
    run_scan(at(2026, 3, 11))
    (message, *_rest) = [m for m in mailoutbox if "最后一天" in m.subject]
    assert "今天是最后一天。" in message.body
