"""Two people acting on one catalog at once: the row lock lets one win, the other is told the
current status, and nothing is lost: one change, one ledger row.

The threaded tests need PostgreSQL's row locks (SQLite locks the whole file, so two writers
never overlap); the single-thread versions with a stale object run on any database.
"""

import datetime
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Max

from annual_plans import events, services
from annual_plans.models import Amendment, AnnualPlan, PlanVersion
from annual_plans.services import ItemData
from core.exceptions import TransitionError
from matters.models import LedgerEntry
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ON_TIME = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
STATUS_LABELS = dict(AnnualPlan.Status.choices)
# How long the winner holds the lock, and how long the loser must have waited for it.
HOLD = 1.0
WAITED = 0.5

# Two concurrent transactions on PostgreSQL row locks (select_for_update).
postgresql_only = pytest.mark.postgres


def other_state(what, status):
    return (
        f"{what}：该目录当前状态为“{STATUS_LABELS[status]}”，可能已被其他人处理，请刷新页面后查看。"
    )


def ledger_mark():
    return LedgerEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def ledger_actions_since(mark):
    return list(
        LedgerEntry.objects.filter(pk__gt=mark).order_by("pk").values_list("action", flat=True)
    )


def reload(plan):
    return AnnualPlan.objects.get(pk=plan.pk)


def hold_the_lock(monkeypatch, *names):
    """The named ledger events sleep first, so the winner keeps its transaction (and its row
    lock) open while the loser reaches ``select_for_update``."""
    for name in names:
        original = getattr(events, name)

        def slow(*args, _original=original, **kwargs):
            time.sleep(HOLD)
            return _original(*args, **kwargs)

        monkeypatch.setattr(events, name, slow)


def race(**calls):
    """Run the calls in threads released together; each outcome is (kind, value, seconds)."""
    barrier = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, call):
        try:
            barrier.wait(timeout=10)
            started = time.monotonic()
            try:
                outcomes[name] = ("done", call(), time.monotonic() - started)
            except TransitionError as error:
                outcomes[name] = ("refused", str(error), time.monotonic() - started)
        except Exception as error:  # surfaced by the assertion below, not lost in the thread
            outcomes[name] = ("crashed", repr(error), 0)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(kind for kind, *_ in outcomes.values()) == ["done", "refused"], outcomes
    winner = next(name for name, (kind, *_) in outcomes.items() if kind == "done")
    loser = next(name for name, (kind, *_) in outcomes.items() if kind == "refused")
    return winner, loser, outcomes


@pytest.fixture
def department(db):
    return DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")


@pytest.fixture
def submitted(department):
    return make_plan(department=department, items=2, status="submitted", submitted_at=ON_TIME)


# --- two threads on PostgreSQL --------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_accept_and_return_at_once_one_wins_and_the_other_is_told_the_status(
    submitted, monkeypatch
):
    first, second = ReviewerFactory(), ReviewerFactory()
    hold_the_lock(monkeypatch, "plan_accepted", "plan_returned")
    mark = ledger_mark()

    winner, loser, outcomes = race(
        accept=lambda: services.plan_accept(plan=submitted, by=first),
        return_=lambda: services.plan_return(plan=submitted, by=second, comment="请补充。"),
    )

    plan = reload(submitted)
    if winner == "accept":
        assert plan.status == AnnualPlan.Status.ACCEPTED
        assert (plan.reviewed_by, plan.version, plan.review_comment) == (first, 1, "")
        assert PlanVersion.objects.filter(plan=plan).count() == 1
        assert outcomes[loser][1] == other_state("不能退回", "accepted")
        assert ledger_actions_since(mark) == ["plan_accepted"]
    else:
        assert plan.status == AnnualPlan.Status.RETURNED
        assert (plan.reviewed_by, plan.version, plan.review_comment) == (second, 0, "请补充。")
        assert not PlanVersion.objects.filter(plan=plan).exists()
        assert outcomes[loser][1] == other_state("不能备案", "returned")
        assert ledger_actions_since(mark) == ["plan_returned"]
    # The loser really met the lock: it waited for the winner's transaction to end.
    assert outcomes[loser][2] >= WAITED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_accepting_at_once_keep_one_version(submitted, monkeypatch):
    first, second = ReviewerFactory(), ReviewerFactory()
    hold_the_lock(monkeypatch, "plan_accepted")
    mark = ledger_mark()

    winner, loser, outcomes = race(
        first=lambda: services.plan_accept(plan=submitted, by=first),
        second=lambda: services.plan_accept(plan=submitted, by=second),
    )

    plan = reload(submitted)
    assert plan.status == AnnualPlan.Status.ACCEPTED
    assert plan.version == 1
    assert plan.reviewed_by == {"first": first, "second": second}[winner]
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1]
    assert outcomes[loser][1] == other_state("不能备案", "accepted")
    assert ledger_actions_since(mark) == ["plan_accepted"]
    assert outcomes[loser][2] >= WAITED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_editing_while_filing_loses_neither_change(department, monkeypatch):
    staff = StaffFactory(department=department)
    leader = LeaderFactory(department=department)
    plan = make_plan(department=department, by=staff, items=2)
    services.plan_sign_off(plan=plan, by=leader)
    hold_the_lock(monkeypatch, "plan_submitted", "plan_edited")
    mark = ledger_mark()

    winner, loser, outcomes = race(
        submit=lambda: services.plan_submit(plan=plan, by=staff, now=ON_TIME),
        edit=lambda: services.plan_save(
            plan=plan,
            by=staff,
            items=[],
            contact_person="王丽",
            contact_phone="0532-85911234",
            is_empty=True,
            empty_reason="事项已并入市级统一协商。",
        ),
    )

    plan = reload(plan)
    if winner == "submit":
        # The filed catalog is what the leader signed off; the late edit is refused.
        assert plan.status == AnnualPlan.Status.SUBMITTED
        assert plan.items.count() == 2
        assert outcomes[loser][1] == other_state("不能修改", "submitted")
        assert ledger_actions_since(mark) == ["plan_submitted"]
    else:
        # The edit voided the sign-off, so the unsigned catalog is not filed.
        assert plan.status == AnnualPlan.Status.DRAFT
        assert plan.is_empty
        assert plan.signed_off_by is None
        assert outcomes[loser][1] == "报送前须经部门负责人审签。"
        assert ledger_actions_since(mark) == ["plan_edited"]
    assert outcomes[loser][2] >= WAITED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_one_amendment_at_once(department, monkeypatch):
    staff = StaffFactory(department=department)
    plan = make_plan(department=department, by=staff, items=1, status="accepted")
    amendment = services.amendment_start(plan=plan, by=staff, reason="新增重点任务")
    services.amendment_save(
        amendment=amendment,
        by=staff,
        reason="新增重点任务",
        items=[
            ItemData(
                title="社区养老服务设施布局规划",
                kind="key_matter",
                forms=["residents_forum"],
                planned_start=datetime.date(2026, 7, 1),
                planned_end=datetime.date(2026, 12, 31),
                responsible_office="社会事务处",
            )
        ],
    )
    services.amendment_submit(amendment=amendment, by=staff)
    first, second = ReviewerFactory(), ReviewerFactory()
    hold_the_lock(monkeypatch, "amendment_decided")
    mark = ledger_mark()

    winner, loser, outcomes = race(
        accept=lambda: services.amendment_decide(amendment=amendment, by=first, accept=True),
        reject=lambda: services.amendment_decide(
            amendment=amendment, by=second, accept=False, comment="理由不充分"
        ),
    )

    amendment.refresh_from_db()
    plan = reload(plan)
    if winner == "accept":
        assert amendment.status == Amendment.Status.ACCEPTED
        assert plan.version == 2
        assert outcomes[loser][1] == "该调整申请当前状态为“已同意”，可能已被其他审核人处理。"
        assert ledger_actions_since(mark) == ["amendment_accepted"]
    else:
        assert amendment.status == Amendment.Status.REJECTED
        assert plan.version == 1
        assert outcomes[loser][1] == "该调整申请当前状态为“未同意”，可能已被其他审核人处理。"
        assert ledger_actions_since(mark) == ["amendment_rejected"]
    assert plan.versions.count() == plan.version
    assert outcomes[loser][2] >= WAITED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_staff_starting_the_same_years_plan_at_once_make_one_plan(department, monkeypatch):
    first, second = StaffFactory(department=department), StaffFactory(department=department)
    hold_the_lock(monkeypatch, "plan_created")
    mark = ledger_mark()

    _winner, loser, outcomes = race(
        first=lambda: services.plan_start(department=department, year=2026, by=first),
        second=lambda: services.plan_start(department=department, year=2026, by=second),
    )

    assert AnnualPlan.objects.filter(department=department, year=2026).count() == 1
    assert outcomes[loser][1] == "市司法局已有2026年度计划目录。"
    assert ledger_actions_since(mark) == ["plan_created"]
    # The loser's insert waited on the unique index until the winner committed.
    assert outcomes[loser][2] >= WAITED


# --- the same on one thread with a stale object (any database) ------------------------


@pytest.mark.django_db
def test_return_on_a_stale_object_after_accept_is_refused_naming_the_status(submitted):
    stale = AnnualPlan.objects.get(pk=submitted.pk)
    first, second = ReviewerFactory(), ReviewerFactory()
    mark = ledger_mark()

    services.plan_accept(plan=stale, by=first)
    assert stale.status == AnnualPlan.Status.SUBMITTED  # the caller's copy is out of date
    with pytest.raises(TransitionError) as caught:
        services.plan_return(plan=stale, by=second, comment="请补充。")

    assert str(caught.value) == other_state("不能退回", "accepted")
    plan = reload(submitted)
    assert (plan.status, plan.reviewed_by, plan.version) == ("accepted", first, 1)
    assert PlanVersion.objects.filter(plan=plan).count() == 1
    assert ledger_actions_since(mark) == ["plan_accepted"]


@pytest.mark.django_db
def test_second_accept_on_a_stale_object_is_refused(submitted):
    stale = AnnualPlan.objects.get(pk=submitted.pk)
    first, second = ReviewerFactory(), ReviewerFactory()
    mark = ledger_mark()

    services.plan_accept(plan=submitted, by=first)
    with pytest.raises(TransitionError) as caught:
        services.plan_accept(plan=stale, by=second)

    assert str(caught.value) == other_state("不能备案", "accepted")
    assert reload(submitted).reviewed_by == first
    assert PlanVersion.objects.filter(plan=submitted).count() == 1
    assert ledger_actions_since(mark) == ["plan_accepted"]


@pytest.mark.django_db
def test_accept_on_a_stale_object_after_return_is_refused(submitted):
    stale = AnnualPlan.objects.get(pk=submitted.pk)
    mark = ledger_mark()

    services.plan_return(plan=submitted, by=ReviewerFactory(), comment="请补充。")
    with pytest.raises(TransitionError) as caught:
        services.plan_accept(plan=stale, by=ReviewerFactory())

    assert str(caught.value) == other_state("不能备案", "returned")
    assert reload(submitted).status == AnnualPlan.Status.RETURNED
    assert not PlanVersion.objects.filter(plan=submitted).exists()
    assert ledger_actions_since(mark) == ["plan_returned"]


@pytest.mark.django_db
def test_edit_on_a_stale_draft_after_filing_is_refused(department):
    staff = StaffFactory(department=department)
    plan = make_plan(department=department, by=staff, items=2)
    stale = AnnualPlan.objects.get(pk=plan.pk)
    services.plan_sign_off(plan=plan, by=LeaderFactory(department=department))
    services.plan_submit(plan=plan, by=staff, now=ON_TIME)
    mark = ledger_mark()

    with pytest.raises(TransitionError) as caught:
        services.plan_save(
            plan=stale, by=staff, items=[], contact_person="王丽", contact_phone="0532-1"
        )

    assert str(caught.value) == other_state("不能修改", "submitted")
    assert reload(plan).items.count() == 2
    assert ledger_actions_since(mark) == []
