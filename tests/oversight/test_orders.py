"""Supervision orders (督办): issuing about each kind of object, the department's report
drafted by its staff and signed by its leader, the office accepting or returning it, urging
and withdrawing, every step in the ledger and by e-mail, and the reminders before and after
the due day, each once."""

import datetime

import pytest
from django.urls import reverse

from annual_plans.deadlines import SHANGHAI
from core.exceptions import TransitionError
from matters.models import LedgerEntry
from matters.selectors import ledger_entries
from occasions.services import scan
from oversight import services
from oversight.models import Answer, Order, Urging
from oversight.selectors import oversight_block
from reminders.models import Reminder
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_period,
    make_plan,
    make_proposal,
)

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


def at(day: int, hour: int = 10, month: int = 12, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


ISSUED = at(7)
DUE = datetime.date(2026, 12, 20)


@pytest.fixture
def office():
    return ReviewerFactory(username="bgt_wangli", full_name="王立", email="wangli@example.cn")


@pytest.fixture
def department():
    return DepartmentFactory(name="青岛市交通运输局", short_name="市交通运输局", code="jtj")


@pytest.fixture
def staff(department):
    return StaffFactory(department=department, username="jtj_hanxue", email="hanxue@example.cn")


@pytest.fixture
def leader(department):
    return LeaderFactory(department=department, username="jtj_luozhi", email="luozhi@example.cn")


@pytest.fixture
def matter(staff):
    return make_matter(by=staff, title="关于优化公交线网的协商事项")


def issue(office, matter, *, now=ISSUED, due=DUE, **kwargs) -> Order:
    target = services.target_of("matter", matter.pk)
    return services.order_issue(
        target=target,
        requirement="请于办理时限前启动公开征求意见，并报送进展。",
        due_date=due,
        by=office,
        now=now,
        **kwargs,
    )


def rows(order) -> list[str]:
    return list(
        LedgerEntry.objects.filter(object_type="order", object_id=order.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def emails(kind, **filters) -> list[str]:
    return sorted(Reminder.objects.filter(kind=kind, **filters).values_list("recipient", flat=True))


class TestIssue:
    def test_an_order_names_its_department_number_and_tells_its_members(
        self, office, matter, staff, leader
    ):
        StaffFactory(username="elsewhere")  # another department: not told
        first = issue(office, matter)
        assert first.reference == "督办〔2026〕1号"
        assert first.department_id == staff.department_id
        assert first.title == "关于督促推进“关于优化公交线网的协商事项”的通知"
        assert first.status == Order.Status.ISSUED and first.round == 1
        assert emails(Kind.OVERSIGHT_ORDER) == ["hanxue@example.cn", "luozhi@example.cn"]
        mail = Reminder.objects.filter(kind=Kind.OVERSIGHT_ORDER).first()
        assert "2026年12月20日24时前" in mail.body_text
        assert reverse("oversight:detail", args=[first.pk]) in mail.body_text
        assert rows(first) == ["order_issued"]
        # The next order of the year takes the next number.
        other = make_matter(by=staff, title="关于出租车运价调整的协商事项")
        second = issue(office, other, title="关于出租车运价调整的督办通知")
        assert second.reference == "督办〔2026〕2号"
        assert second.title == "关于出租车运价调整的督办通知"

    def test_one_live_order_per_object(self, office, matter):
        first = issue(office, matter)
        with pytest.raises(TransitionError, match="督办〔2026〕1号"):
            issue(office, matter)
        services.order_withdraw(order=first, reason="误发。", by=office, now=at(8))
        assert issue(office, matter).reference == "督办〔2026〕2号"

    def test_the_due_date_and_requirement_are_checked(self, office, matter):
        with pytest.raises(TransitionError, match="不能早于今天"):
            issue(office, matter, due=datetime.date(2026, 12, 6))
        with pytest.raises(TransitionError, match="督办事项及要求"):
            services.order_issue(
                target=services.target_of("matter", matter.pk),
                requirement="  ",
                due_date=DUE,
                by=office,
                now=ISSUED,
            )
        assert not Order.objects.exists()

    def test_each_kind_of_object(self, office, staff, leader):
        plan = make_plan(department=staff.department, by=staff, leader=leader, status="published")
        item = plan.items.order_by("order").first()
        target = services.target_of("plan_item", item.pk)
        assert target.department_id == staff.department_id and item.title in target.title
        draft = make_plan(department=DepartmentFactory(), items=1)
        with pytest.raises(TransitionError, match="已审核通过或已公开"):
            services.target_of("plan_item", draft.items.get().pk)

        period = make_period(by=staff)
        target = services.target_of("feedback", period.pk)
        assert target.department_id == staff.department_id and "意见采纳情况" in target.title

        proposal = make_proposal()
        with pytest.raises(TransitionError, match="已交办"):
            services.target_of("proposal", proposal.pk)
        for about, pk in (("matter", "x"), ("nonsense", 1), ("matter", 999999)):
            with pytest.raises(TransitionError):
                services.target_of(about, pk)


class TestAnswer:
    def test_staff_draft_the_leader_signs_the_office_accepts(self, office, matter, staff, leader):
        order = issue(office, matter)
        answer = services.answer_save(
            order=order, body="已于12月10日启动征求意见。", by=staff, now=at(9)
        )
        services.answer_save(
            order=order, body="已于12月10日启动征求意见，共收到意见12条。", by=staff, now=at(10)
        )
        assert answer.status == Answer.Status.DRAFT
        order.refresh_from_db()
        assert order.status == Order.Status.ISSUED  # the office sees nothing yet
        services.answer_sign(order=order, by=leader, now=at(11))
        order.refresh_from_db()
        answer.refresh_from_db()
        assert order.status == Order.Status.ANSWERED and answer.signed_by == leader
        assert not answer.is_late
        assert emails(Kind.OVERSIGHT_ANSWERED) == ["wangli@example.cn"]
        with pytest.raises(TransitionError):
            services.answer_save(order=order, body="再改", by=staff, now=at(12))
        services.answer_decide(order=order, accept=True, note="", by=office, now=at(12))
        order.refresh_from_db()
        assert order.status == Order.Status.ACCEPTED and order.closed_at == at(12)
        assert rows(order) == [
            "order_issued",
            "order_answer_drafted",
            "order_answer_edited",
            "order_answer_signed",
            "order_accepted",
        ]
        assert emails(Kind.OVERSIGHT_DECIDED) == ["hanxue@example.cn", "luozhi@example.cn"]

    def test_a_report_signed_after_the_due_day_is_late(self, office, matter, staff, leader):
        order = issue(office, matter)
        services.answer_save(order=order, body="已启动。", by=staff, now=at(20, 23))
        answer = services.answer_sign(order=order, by=leader, now=at(21, 0))
        assert answer.is_late

    def test_nothing_to_sign_before_a_draft(self, office, matter, leader):
        order = issue(office, matter)
        with pytest.raises(TransitionError, match="请先起草"):
            services.answer_sign(order=order, by=leader, now=at(9))

    def test_returned_reports_open_another_round(self, office, matter, staff, leader):
        order = issue(office, matter)
        services.answer_save(order=order, body="正在研究。", by=staff, now=at(9))
        services.answer_sign(order=order, by=leader, now=at(9, 11))
        with pytest.raises(TransitionError, match="理由"):
            services.answer_decide(order=order, accept=False, note="", by=office, now=at(10))
        services.answer_decide(
            order=order,
            accept=False,
            note="请写明征求意见的时间安排。",
            due_date=datetime.date(2026, 12, 31),
            by=office,
            now=at(10),
        )
        order.refresh_from_db()
        assert (order.status, order.round, order.due_date) == (
            Order.Status.RETURNED,
            2,
            datetime.date(2026, 12, 31),
        )
        assert Answer.objects.get(order=order, round=1).status == Answer.Status.RETURNED
        services.answer_save(
            order=order, body="12月15日至次年1月15日征求意见。", by=staff, now=at(11)
        )
        services.answer_sign(order=order, by=leader, now=at(11, 12))
        assert order.answers.count() == 2
        entry = LedgerEntry.objects.get(object_id=order.pk, action="order_returned")
        assert entry.before == {"due_date": "2026-12-20"}

    def test_a_return_after_the_due_day_needs_a_new_date(self, office, matter, staff, leader):
        order = issue(office, matter)
        services.answer_save(order=order, body="正在研究。", by=staff, now=at(19))
        services.answer_sign(order=order, by=leader, now=at(19, 11))
        with pytest.raises(TransitionError, match="重新确定办理时限"):
            services.answer_decide(
                order=order, accept=False, note="不具体。", by=office, now=at(22)
            )


class TestUrgeAndWithdraw:
    def test_urging_tells_the_department_each_time(self, office, matter, staff, leader):
        order = issue(office, matter)
        services.order_urge(order=order, note="请加快办理。", by=office, now=at(15))
        services.order_urge(order=order, note="已逾期，请即报送。", by=office, now=at(22))
        order.refresh_from_db()
        assert order.urge_count == 2
        assert list(Urging.objects.order_by("at").values_list("was_overdue", flat=True)) == [
            False,
            True,
        ]
        assert len(emails(Kind.OVERSIGHT_URGED)) == 4  # two people, twice
        assert rows(order)[-2:] == ["order_urged", "order_urged"]

    def test_only_an_order_waiting_for_the_department_is_urged(self, office, matter, staff, leader):
        order = issue(office, matter)
        services.answer_save(order=order, body="已办。", by=staff, now=at(9))
        services.answer_sign(order=order, by=leader, now=at(9, 11))
        with pytest.raises(TransitionError, match="尚未报送"):
            services.order_urge(order=order, note="催", by=office, now=at(10))

    def test_withdrawing_needs_a_reason_and_ends_the_order(self, office, matter):
        order = issue(office, matter)
        with pytest.raises(TransitionError, match="撤销理由"):
            services.order_withdraw(order=order, reason="", by=office, now=at(8))
        services.order_withdraw(
            order=order, reason="事项已由市政府另行部署。", by=office, now=at(8)
        )
        order.refresh_from_db()
        assert order.status == Order.Status.WITHDRAWN and order.is_closed
        with pytest.raises(TransitionError):
            services.order_withdraw(order=order, reason="again", by=office, now=at(9))
        assert rows(order) == ["order_issued", "order_withdrawn"]


class TestReminders:
    def test_three_days_one_day_then_weekly_after_the_due_day(self, office, matter, staff, leader):
        order = issue(office, matter)

        def occasions(kind):
            return sorted(
                set(
                    Reminder.objects.filter(kind=kind, object_id=order.pk).values_list(
                        "occasion", flat=True
                    )
                )
            )

        # Due by the end of 20 December (Beijing): the steps begin on the 18th and the 20th.
        scan(now=at(17, 23))
        assert occasions(Kind.OVERSIGHT_DUE) == []
        scan(now=at(18, 9))
        scan(now=at(18, 18))  # again: recorded once
        assert occasions(Kind.OVERSIGHT_DUE) == ["due-20261220-3d"]
        scan(now=at(20, 9))
        assert occasions(Kind.OVERSIGHT_DUE) == ["due-20261220-1d", "due-20261220-3d"]
        assert Reminder.objects.filter(kind=Kind.OVERSIGHT_DUE).count() == 4  # two people
        scan(now=at(21, 8))
        scan(now=at(27, 8))
        scan(now=at(28, 8))
        assert occasions(Kind.OVERSIGHT_OVERDUE) == [
            "overdue-20261220-0d",
            "overdue-20261220-7d",
        ]
        # Once reported, no more.
        services.answer_save(order=order, body="已办。", by=staff, now=at(29))
        services.answer_sign(order=order, by=leader, now=at(29, 11))
        before = Reminder.objects.filter(kind=Kind.OVERSIGHT_OVERDUE).count()
        scan(now=at(5, 9, month=1, year=2027))
        assert Reminder.objects.filter(kind=Kind.OVERSIGHT_OVERDUE).count() == before

    def test_an_order_issued_inside_a_step_is_not_reminded_of_it(self, office, matter):
        issue(office, matter, now=at(20, 9), due=DUE)
        scan(now=at(20, 10))
        assert not Reminder.objects.filter(kind=Kind.OVERSIGHT_DUE).exists()


class TestFiguresAndLedger:
    def test_the_dashboards_figures(self, office, matter, staff, leader):
        first = issue(office, matter)
        second = issue(office, make_matter(by=staff, title="第二件"))
        third = issue(office, make_matter(by=staff, title="第三件"))
        withdrawn = issue(office, make_matter(by=staff, title="第四件"))
        services.order_withdraw(order=withdrawn, reason="误发。", by=office, now=at(8))
        services.answer_save(order=second, body="已办。", by=staff, now=at(9))
        services.answer_sign(order=second, by=leader, now=at(9, 11))
        services.answer_save(order=third, body="已办。", by=staff, now=at(9))
        services.answer_sign(order=third, by=leader, now=at(9, 11))
        services.answer_decide(order=third, accept=True, note="", by=office, now=at(10))
        services.order_urge(order=first, note="请加快。", by=office, now=at(22))
        block = oversight_block(year=2026, now=at(22))
        assert [line.label for line in block.lines] == ["市交通运输局"]
        assert block.total.figures == {
            "issued": 3,
            "open": 1,
            "overdue": 1,
            "answered": 1,
            "accepted": 1,
            "urged": 1,
        }
        assert oversight_block(year=2026, now=at(10)).total.figures["overdue"] == 0

    def test_the_years_ledger_finds_every_row(self, office, matter):
        order = issue(office, matter)
        assert ledger_entries(year=2026).filter(object_type="order", object_id=order.pk).exists()
        assert not ledger_entries(year=2025).filter(object_type="order").exists()
