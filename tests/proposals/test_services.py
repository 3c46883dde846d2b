"""The rules of 建议提案办理 at their edges: the working-day window, due dates, extensions,
replies, the single-purpose rating link, second rounds, and the ledger row of each change."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import Department
from core.exceptions import TransitionError
from core.workdays import UnknownCalendarYear, add_months, add_workdays, clear_cache
from matters.models import LedgerEntry
from proposals import services
from proposals.models import Assignment, Extension, Proposal, Rating, Reply
from proposals.selectors import timeline
from reminders.models import Reminder
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_participant,
    make_proposal,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def office():
    return ReviewerFactory()


@pytest.fixture
def lead():
    return DepartmentFactory(name="青岛市民政局", code="mzj")


@pytest.fixture
def staff(lead):
    return StaffFactory(department=lead)


@pytest.fixture
def leader(lead):
    return LeaderFactory(department=lead)


_capture = None


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """The outbox sends after commit: run those callbacks where a test sends a reply."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def send(reply, by, now):
    with _capture(execute=True):
        return services.reply_send(reply, by=by, now=now)


def actions(proposal):
    return list(timeline(proposal).values_list("action", flat=True))


def assign(proposal, office, lead, *, now, co=(), **kwargs):
    return services.proposal_assign(
        proposal, by=office, department=lead, co_departments=co, now=now, **kwargs
    )


# ------------------------------------------------------------------------ working days


def test_seven_working_days_skip_the_national_day_holiday_and_count_the_adjusted_saturday():
    # Assigned Monday 28 September 2026: 29, 30 September, then 1-7 October are holidays,
    # 8, 9 October, Saturday 10 October is an adjusted working day, 12, 13 October.
    assert add_workdays(datetime.date(2026, 9, 28), 7) == datetime.date(2026, 10, 13)


def test_an_ordinary_week_ends_the_window_on_the_tuesday_after_next():
    assert add_workdays(datetime.date(2026, 11, 6), 7) == datetime.date(2026, 11, 17)


def test_a_day_in_a_year_the_calendar_does_not_know_is_an_error_not_a_guess():
    with pytest.raises(UnknownCalendarYear) as error:
        add_workdays(datetime.date(2026, 12, 28), 7)
    assert "2027" in str(error.value)


def test_a_configured_year_is_used_where_the_package_has_none():
    calendar = {"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-02"]}}
    with override_settings(PORTAL_WORKDAY_CALENDAR=calendar):
        clear_cache()
        try:
            # 29, 30, 31 December; 1 January a holiday; Saturday 2 January worked; 4, 5, 6.
            assert add_workdays(datetime.date(2026, 12, 28), 7) == datetime.date(2027, 1, 6)
        finally:
            clear_cache()


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 5, 31), 3) == datetime.date(2026, 8, 31)


# ------------------------------------------------------------------------------ intake


def test_register_refuses_an_author_of_the_wrong_category(office):
    member = make_participant(name="政协委员甲", category="cppcc_member")
    with pytest.raises(TransitionError, match="不能作为人大代表建议的提出人"):
        make_proposal(by=office, kind="suggestion", authors=[member])


def test_register_refuses_a_second_item_with_the_same_number(office):
    make_proposal(by=office, number="0123")
    with pytest.raises(TransitionError, match="已有编号为0123"):
        make_proposal(by=office, number="0123")
    # The same number of the other kind is another list.
    assert make_proposal(by=office, number="0123", kind="proposal").number == "0123"


def test_register_writes_the_ledger_with_the_authors(office):
    proposal = make_proposal(by=office, co_signers=2)
    entry = LedgerEntry.objects.get(action="proposal_registered", object_id=proposal.pk)
    assert len(entry.after["authors"]) == 3
    assert "（领衔）" in entry.after["authors"][0]
    assert proposal.authors.filter(role="lead").count() == 1


# -------------------------------------------------------------------- assign / sign for


def test_assignment_sets_the_window_the_default_due_date_and_the_co_departments(office, lead):
    co = DepartmentFactory(name="青岛市财政局", code="czj")
    proposal = make_proposal(by=office)
    assignment = assign(proposal, office, lead, now=at(2026, 9, 28), co=[(co, "joint")])
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED
    assert assignment.sign_for_deadline == datetime.date(2026, 10, 13)
    assert proposal.due_date == datetime.date(2026, 12, 28)  # three months
    co_row = proposal.co_departments.get()
    assert co_row.role == "joint"
    assert co_row.opinion_due == datetime.date(2026, 12, 8)  # 20 days before
    assert co_row.opinion_due < proposal.due_date


@override_settings(PORTAL_PROPOSAL_RECESS_DUE_MONTHS=2)
def test_recess_items_have_their_own_default_due_date(office, lead):
    proposal = make_proposal(by=office, source="recess")
    assign(proposal, office, lead, now=at(2026, 6, 1))
    proposal.refresh_from_db()
    assert proposal.due_date == datetime.date(2026, 8, 1)


def test_the_general_office_cannot_be_the_lead_department(office):
    proposal = make_proposal(by=office)
    with pytest.raises(TransitionError, match="不能承办"):
        assign(proposal, office, office.department, now=at(2026, 6, 1))


def test_the_lead_department_cannot_also_be_a_co_department(office, lead):
    proposal = make_proposal(by=office)
    with pytest.raises(TransitionError, match="不能同时是协办单位"):
        assign(proposal, office, lead, now=at(2026, 6, 1), co=[(lead, "assisting")])


def test_a_city_leader_leads_only_a_key_item(office, lead):
    proposal = make_proposal(by=office)
    with pytest.raises(TransitionError, match="重点"):
        assign(proposal, office, lead, now=at(2026, 6, 1), leading_leader="王市长")
    assign(proposal, office, lead, now=at(2026, 6, 1), leading_leader="王市长", is_key=True)
    proposal.refresh_from_db()
    assert proposal.leading_leader == "王市长" and proposal.is_key


def test_return_on_the_last_day_of_the_window_across_the_holiday(office, lead, staff):
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 9, 28))
    services.proposal_return(
        proposal, by=staff, reason="不属于本单位职责", now=at(2026, 10, 13, 23, 59)
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    assert proposal.lead_department is None
    assignment = proposal.assignments.get()
    assert assignment.outcome == Assignment.Outcome.RETURNED
    assert assignment.return_reason == "不属于本单位职责"


def test_return_the_day_after_the_window_is_refused(office, lead, staff):
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 9, 28))
    with pytest.raises(TransitionError, match="已超过退回期限"):
        services.proposal_return(
            proposal, by=staff, reason="不属于本单位职责", now=at(2026, 10, 14, 0, 1)
        )


def test_a_return_needs_a_reason(office, lead, staff):
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 6, 1))
    with pytest.raises(TransitionError, match="退回理由"):
        services.proposal_return(proposal, by=staff, reason="  ", now=at(2026, 6, 2))


def test_returned_items_are_assigned_again_and_the_history_is_kept(office, lead, staff):
    other = DepartmentFactory(name="青岛市卫生健康委员会", code="wjw")
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 6, 1))
    services.proposal_return(proposal, by=staff, reason="属卫生健康部门职责", now=at(2026, 6, 2))
    assign(proposal, office, other, now=at(2026, 6, 3))
    proposal.refresh_from_db()
    assert proposal.lead_department == other
    assert [a.outcome for a in proposal.assignments.order_by("pk")] == ["returned", "pending"]
    assert actions(proposal) == [
        "proposal_registered",
        "proposal_assigned",
        "proposal_returned",
        "proposal_assigned",
    ]


def test_signing_for_late_is_allowed_and_marked_late(office, lead, staff):
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 9, 28))
    services.proposal_sign_for(proposal, by=staff, now=at(2026, 10, 14))
    assignment = proposal.assignments.get()
    assert assignment.outcome == "signed" and assignment.on_time is False
    services_proposal = Proposal.objects.get(pk=proposal.pk)
    assert services_proposal.status == Proposal.Status.HANDLING


def test_signing_for_on_the_deadline_is_on_time(office, lead, staff):
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 9, 28))
    services.proposal_sign_for(proposal, by=staff, now=at(2026, 10, 13, 18))
    assert proposal.assignments.get().on_time is True


def test_an_item_cannot_be_signed_for_twice(office, lead, staff):
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 6, 1))
    services.proposal_sign_for(proposal, by=staff, now=at(2026, 6, 2))
    with pytest.raises(TransitionError, match="不在待签收状态"):
        services.proposal_sign_for(proposal, by=staff, now=at(2026, 6, 2))


# ----------------------------------------------------------------------- handling


def handling(office, lead, staff, *, co=(), authors=1, now=None):
    now = now or at(2026, 6, 1)
    proposal = make_proposal(by=office, co_signers=authors - 1)
    assign(proposal, office, lead, now=now, co=co)
    services.proposal_sign_for(proposal, by=staff, now=now + datetime.timedelta(days=1))
    proposal.refresh_from_db()
    return proposal


def draft(proposal, staff, **overrides):
    values = {
        "document_number": "青民建字〔2026〕12号",
        "body": "经研究，已将增设社区养老服务站点列入年度计划。",
        "reply_class": "B",
        "contact_person": "李明",
        "contact_phone": "0532-85911234",
        "copy_to": "市人大常委会代表工作委员会，市政府办公厅",
        "now": at(2026, 7, 1),
    }
    values.update(overrides)
    return services.reply_save(proposal, by=staff, **values)


def test_contact_dates_cannot_be_in_the_future_or_before_assignment(office, lead, staff):
    proposal = handling(office, lead, staff)
    with pytest.raises(TransitionError, match="不能晚于今天"):
        services.contact_record(
            proposal,
            by=staff,
            contacted_on=datetime.date(2026, 6, 10),
            method="phone",
            note="电话沟通",
            now=at(2026, 6, 9),
        )
    with pytest.raises(TransitionError, match="不能早于交办日期"):
        services.contact_record(
            proposal,
            by=staff,
            contacted_on=datetime.date(2026, 5, 31),
            method="phone",
            note="电话沟通",
            now=at(2026, 6, 9),
        )


def test_extension_moves_the_due_date_only_when_the_office_approves(office, lead, staff):
    proposal = handling(office, lead, staff)
    assert proposal.due_date == datetime.date(2026, 9, 1)
    with pytest.raises(TransitionError, match="必须晚于现在的答复期限"):
        services.extension_request(
            proposal, by=staff, requested_due_date=datetime.date(2026, 9, 1), reason="需调研"
        )
    extension = services.extension_request(
        proposal, by=staff, requested_due_date=datetime.date(2026, 10, 15), reason="需实地调研"
    )
    with pytest.raises(TransitionError, match="已有一份延期申请"):
        services.extension_request(
            proposal, by=staff, requested_due_date=datetime.date(2026, 10, 20), reason="再延"
        )
    proposal.refresh_from_db()
    assert proposal.due_date == datetime.date(2026, 9, 1)
    with pytest.raises(TransitionError, match="请填写理由"):
        services.extension_decide(extension, by=office, approve=False)
    services.extension_decide(extension, by=office, approve=True)
    proposal.refresh_from_db()
    assert proposal.due_date == datetime.date(2026, 10, 15)
    assert Extension.objects.get().status == "approved"
    assert actions(proposal)[-2:] == ["proposal_extension_requested", "proposal_extension_approved"]


def test_a_refused_extension_leaves_the_due_date(office, lead, staff):
    proposal = handling(office, lead, staff)
    extension = services.extension_request(
        proposal, by=staff, requested_due_date=datetime.date(2026, 10, 15), reason="需调研"
    )
    services.extension_decide(extension, by=office, approve=False, note="理由不充分")
    proposal.refresh_from_db()
    assert proposal.due_date == datetime.date(2026, 9, 1)
    assert actions(proposal)[-1] == "proposal_extension_refused"


def test_a_reply_cannot_go_without_contact_sign_off_and_countersignature(
    office, lead, staff, leader
):
    co = DepartmentFactory(name="青岛市财政局", code="czj")
    co_leader = LeaderFactory(department=co)
    proposal = handling(office, lead, staff, co=[(co, "assisting")])
    reply = draft(proposal, staff)
    with pytest.raises(TransitionError) as error:
        services.reply_send(reply, by=staff, now=at(2026, 7, 2))
    message = str(error.value)
    assert "沟通联系" in message and "审签" in message and "青岛市财政局尚未会签" in message
    services.contact_record(
        proposal,
        by=staff,
        contacted_on=datetime.date(2026, 6, 20),
        method="in_person",
        note="当面听取代表意见",
        now=at(2026, 6, 20),
    )
    services.reply_sign_off(reply, by=leader)
    services.reply_countersign(reply, by=co_leader, department=co)
    # Changing the words takes back the sign-off and the countersignature.
    reply = draft(proposal, staff, body="经研究，已将增设站点列入2027年计划。")
    assert reply.status == Reply.Status.DRAFT and reply.countersignatures == {}
    services.reply_sign_off(reply, by=leader)
    services.reply_countersign(reply, by=co_leader, department=co)
    services.reply_send(reply, by=staff, now=at(2026, 7, 2))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED
    assert proposal.reply_class == "B"
    reply.refresh_from_db()
    assert reply.on_time is True
    assert reply.delivered_to_office_at is not None


def sent(office, lead, staff, leader, *, authors=1, now=None, reply_class="A"):
    now = now or at(2026, 7, 2)
    proposal = handling(office, lead, staff, authors=authors)
    services.contact_record(
        proposal,
        by=staff,
        contacted_on=datetime.date(2026, 6, 20),
        method="phone",
        note="电话沟通",
        now=at(2026, 6, 20),
    )
    reply = draft(proposal, staff, reply_class=reply_class)
    services.reply_sign_off(reply, by=leader)
    send(reply, staff, now)
    proposal.refresh_from_db()
    reply.refresh_from_db()
    return proposal, reply


def test_a_reply_after_the_due_date_is_late(office, lead, staff, leader):
    _proposal, reply = sent(office, lead, staff, leader, now=at(2026, 9, 2))
    assert reply.on_time is False
    assert "超过答复期限" in LedgerEntry.objects.filter(action="proposal_reply_sent").get().summary


def test_sending_records_one_rating_link_per_author_in_the_outbox(office, lead, staff, leader):
    _proposal, reply = sent(office, lead, staff, leader, authors=3)
    assert reply.ratings.count() == 3
    rows = Reminder.objects.filter(kind=Reminder.Kind.PROPOSAL_REPLY)
    assert rows.count() == 3
    # Sent after commit; the personal link was in the e-mail and is kept nowhere now.
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    for row in rows:
        assert row.secret == "" and "/proposals/rating/" not in row.body_text
    assert len(mail.outbox) == 3
    assert all("/proposals/rating/" in message.body for message in mail.outbox)


def token_of(rating: Rating) -> str:
    """The rating's token, recovered from the e-mail that carried it."""
    for message in mail.outbox:
        if rating.author.participant.email in message.to:
            for line in message.body.splitlines():
                if "/proposals/rating/" in line:
                    return line.strip().rstrip("/").rsplit("/", 1)[1]
    raise AssertionError("no link")


def test_rating_through_the_link_closes_a_satisfied_item(office, lead, staff, leader):
    proposal, reply = sent(office, lead, staff, leader)
    rating = reply.ratings.get()
    services.rating_submit(token_of(rating), result="satisfied", now=at(2026, 7, 5))
    proposal.refresh_from_db()
    assert proposal.satisfaction == "satisfied"
    assert proposal.status == Proposal.Status.CLOSED
    assert actions(proposal)[-2:] == ["proposal_rated", "proposal_closed"]


def test_a_used_link_is_refused(office, lead, staff, leader):
    _proposal, reply = sent(office, lead, staff, leader)
    token = token_of(reply.ratings.get())
    services.rating_submit(token, result="basically_satisfied", now=at(2026, 7, 5))
    with pytest.raises(services.RatingGiven):
        services.rating_submit(token, result="dissatisfied", now=at(2026, 7, 6))
    assert Rating.objects.get().result == "basically_satisfied"


def test_an_expired_link_is_closed(office, lead, staff, leader):
    _proposal, reply = sent(office, lead, staff, leader, now=at(2026, 7, 2))
    token = token_of(reply.ratings.get())
    with pytest.raises(services.RatingClosed):
        services.rating_submit(token, result="satisfied", now=at(2026, 8, 1, 10, 0))
    assert services.rating_submit(token, result="satisfied", now=at(2026, 8, 1, 9, 59))


def test_a_wrong_link_finds_nothing(office, lead, staff, leader):
    sent(office, lead, staff, leader)
    with pytest.raises(Rating.DoesNotExist):
        services.rating_submit("not-a-token", result="satisfied")


def test_dissatisfied_opens_one_second_round_and_keeps_the_first_beside_it(
    office, lead, staff, leader
):
    proposal, reply = sent(office, lead, staff, leader, reply_class="C")
    services.rating_submit(
        token_of(reply.ratings.get()),
        result="dissatisfied",
        comment="答复未解决问题",
        now=at(2026, 7, 10),
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SECOND_ROUND
    assert proposal.round == 2
    assert proposal.due_date == datetime.date(2026, 8, 10)  # one month
    # The second round needs its own contact before its reply.
    second = draft(
        proposal,
        staff,
        reply_class="B",
        document_number="青民建字〔2026〕30号",
        now=at(2026, 7, 20),
    )
    services.reply_sign_off(second, by=leader)
    with pytest.raises(TransitionError, match="沟通联系"):
        services.reply_send(second, by=staff, now=at(2026, 7, 21))
    services.contact_record(
        proposal,
        by=staff,
        contacted_on=datetime.date(2026, 7, 15),
        method="inspection",
        note="陪同代表实地视察",
        now=at(2026, 7, 15),
    )
    mail.outbox.clear()
    send(second, staff, at(2026, 7, 21))
    proposal.refresh_from_db()
    assert proposal.reply_class == "B"
    assert [r.round for r in proposal.replies.order_by("round")] == [1, 2]
    # Dissatisfied again: the one second round has been had; the office decides.
    services.rating_submit(
        token_of(second.ratings.get()), result="dissatisfied", now=at(2026, 7, 25)
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED and proposal.round == 2
    assert proposal.satisfaction == "dissatisfied"
    services.further_round_allow(
        proposal, by=office, reason="市领导批示再次办理", now=at(2026, 7, 28)
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SECOND_ROUND and proposal.round == 3
    assert "proposal_further_round" in actions(proposal)


def test_a_satisfied_author_may_still_ask_for_a_second_round(office, lead, staff, leader):
    proposal, reply = sent(office, lead, staff, leader)
    services.rating_submit(
        token_of(reply.ratings.get()),
        result="basically_satisfied",
        wants_second_round=True,
        now=at(2026, 7, 5),
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SECOND_ROUND


def test_only_the_lead_authors_rating_decides(office, lead, staff, leader):
    proposal, reply = sent(office, lead, staff, leader, authors=2)
    co_rating = reply.ratings.get(author__role="co_signer")
    services.rating_submit(token_of(co_rating), result="dissatisfied", now=at(2026, 7, 5))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED and proposal.satisfaction == ""


def test_the_office_records_a_paper_rating_and_the_link_then_refuses(office, lead, staff, leader):
    _proposal, reply = sent(office, lead, staff, leader)
    rating = reply.ratings.get()
    token = token_of(rating)
    services.rating_record_paper(rating, by=office, result="satisfied", now=at(2026, 7, 5))
    with pytest.raises(services.RatingGiven):
        services.rating_submit(token, result="dissatisfied", now=at(2026, 7, 6))
    assert "纸质测评表" in LedgerEntry.objects.filter(action="proposal_rated").get().summary


def test_three_way_delivery_is_recorded_once_each(office, lead, staff, leader):
    _proposal, reply = sent(office, lead, staff, leader)
    reply.refresh_from_db()
    # The office has it in the portal; the author's e-mail has gone (eager outbox).
    assert reply.delivered_to_office_at and reply.delivered_to_authors_at
    assert not reply.is_delivered_three_ways
    services.reply_record_delivery(reply, by=office, to="body")
    reply.refresh_from_db()
    assert reply.is_delivered_three_ways
    with pytest.raises(TransitionError, match="已记录送达"):
        services.reply_record_delivery(reply, by=office, to="body")


def test_evaluation_only_after_a_reply_and_feeds_the_item(office, lead, staff, leader):
    pending = handling(office, lead, staff)
    with pytest.raises(TransitionError, match="只有已答复"):
        services.evaluation_record(
            pending,
            by=office,
            verdict="continue",
            panel="青岛市社会科学院",
            evaluated_on=datetime.date(2026, 7, 1),
            now=at(2026, 7, 2),
        )
    proposal, _reply = sent(office, lead, staff, leader)
    services.evaluation_record(
        proposal,
        by=office,
        verdict="completed",
        panel="青岛市社会科学院",
        evaluated_on=datetime.date(2026, 11, 20),
        now=at(2026, 11, 21),
    )
    proposal.refresh_from_db()
    assert proposal.verdict == "completed"
    assert actions(proposal)[-1] == "proposal_evaluated"


def test_every_state_change_wrote_its_ledger_row(office, lead, staff, leader):
    co = DepartmentFactory(name="青岛市财政局", code="czj")
    co_staff = StaffFactory(department=co)
    co_leader = LeaderFactory(department=co)
    proposal = make_proposal(by=office)
    assign(proposal, office, lead, now=at(2026, 6, 1), co=[(co, "assisting")])
    services.proposal_sign_for(proposal, by=staff, now=at(2026, 6, 2))
    services.co_opinion_submit(
        proposal.co_departments.get(), by=co_staff, opinion="财政予以支持", now=at(2026, 6, 10)
    )
    services.contact_record(
        proposal,
        by=staff,
        contacted_on=datetime.date(2026, 6, 11),
        method="meeting",
        note="座谈",
        now=at(2026, 6, 11),
    )
    extension = services.extension_request(
        proposal, by=staff, requested_due_date=datetime.date(2026, 9, 30), reason="需要调研"
    )
    services.extension_decide(extension, by=office, approve=True)
    reply = draft(proposal, staff)
    services.reply_sign_off(reply, by=leader)
    services.reply_countersign(reply, by=co_leader, department=co)
    services.reply_send(reply, by=staff, now=at(2026, 7, 2))
    services.reply_record_delivery(reply, by=office, to="body")
    assert actions(proposal) == [
        "proposal_registered",
        "proposal_assigned",
        "proposal_signed_for",
        "proposal_co_opinion",
        "proposal_contact_recorded",
        "proposal_extension_requested",
        "proposal_extension_approved",
        "proposal_reply_drafted",
        "proposal_reply_signed_off",
        "proposal_reply_countersigned",
        "proposal_reply_sent",
        "proposal_reply_delivered",
    ]
    assert Department.objects.filter(pk=lead.pk).exists()


def test_the_ledger_filter_by_year_finds_every_row_of_the_items_year(office, lead, staff, leader):
    from matters.selectors import ledger_entries

    proposal, _reply = sent(office, lead, staff, leader)
    rows = set(ledger_entries(year=2026).values_list("pk", flat=True))
    assert set(timeline(proposal).values_list("pk", flat=True)) <= rows
    assert not ledger_entries(year=2025).filter(object_type="reply").exists()


def test_the_years_to_load_are_this_year_and_from_november_the_next():
    from core.workdays import is_known_year, years_to_load

    assert is_known_year(2026) and not is_known_year(2027)
    assert years_to_load(datetime.date(2026, 10, 31)) == []
    assert years_to_load(datetime.date(2026, 11, 1)) == [2027]
    assert years_to_load(datetime.date(2027, 3, 1)) == [2027]
    calendar = {"2027": {"holidays": ["2027-01-01"], "workdays": []}}
    with override_settings(PORTAL_WORKDAY_CALENDAR=calendar):
        clear_cache()
        try:
            assert years_to_load(datetime.date(2026, 11, 1)) == []
        finally:
            clear_cache()


def test_the_workbench_tells_the_office_and_administrators_which_schedule_to_load(client, office):
    from unittest import mock

    from tests.factories import AdministratorFactory

    november = datetime.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI)
    warning = "尚未载入2027年的法定节假日安排"
    with mock.patch("django.utils.timezone.now", return_value=november):
        for user in (office, AdministratorFactory()):
            client.force_login(user)
            assert warning in client.get("/workbench/").content.decode()
        client.force_login(StaffFactory())
        assert warning not in client.get("/workbench/").content.decode()
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime.datetime(2026, 10, 20, tzinfo=SHANGHAI)
    ):
        client.force_login(office)
        assert warning not in client.get("/workbench/").content.decode()


def test_only_what_the_public_reads_retires_the_cached_pages(office, lead, staff):
    from core.content_cache import generation

    proposal = handling(office, lead, staff)
    before = generation()
    services.contact_record(
        proposal,
        by=staff,
        contacted_on=datetime.date(2026, 6, 20),
        method="phone",
        note="电话沟通",
        now=at(2026, 6, 20),
    )
    services.extension_request(
        proposal, by=staff, requested_due_date=datetime.date(2026, 10, 1), reason="需调研"
    )
    assert generation() == before
    draft(proposal, staff)
    assert generation() > before
