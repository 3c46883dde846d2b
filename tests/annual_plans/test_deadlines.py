"""The filing deadline (31 March, 23:59:59 Asia/Shanghai), lateness, and moving the deadline."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Max

from annual_plans import services
from annual_plans.deadlines import deadline_for, default_deadline, is_late
from annual_plans.models import AnnualPlan, FilingDeadline
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
UTC = datetime.UTC

LAST_SECOND = datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=SHANGHAI)
NEXT_INSTANT = datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=SHANGHAI)
MOVED = datetime.datetime(2026, 4, 7, 23, 59, 59, tzinfo=SHANGHAI)
HOLIDAY = "清明节假期，报送截止时间顺延至4月7日。"


def shanghai(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def ledger_mark():
    return LedgerEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def ledger_since(mark):
    return list(LedgerEntry.objects.filter(pk__gt=mark).order_by("pk"))


def reload(plan):
    return AnnualPlan.objects.get(pk=plan.pk)


# --- the default deadline and lateness -----------------------------------------------


def test_default_deadline_is_the_last_second_of_march_in_shanghai():
    deadline = default_deadline(2026)

    assert deadline == datetime.datetime(2026, 3, 31, 15, 59, 59, tzinfo=UTC)
    assert deadline.isoformat() == "2026-03-31T23:59:59+08:00"
    assert default_deadline(2027).isoformat() == "2027-03-31T23:59:59+08:00"


@pytest.mark.parametrize(
    ("submitted_at", "late"),
    [
        (None, False),
        (shanghai(2026, 1, 5, 9, 0), False),
        (shanghai(2026, 3, 31, 23, 59, 58), False),
        (LAST_SECOND, False),
        (datetime.datetime(2026, 3, 31, 15, 59, 59, tzinfo=UTC), False),
        (NEXT_INSTANT, True),
        (datetime.datetime(2026, 3, 31, 16, 0, 0, tzinfo=UTC), True),
        (shanghai(2026, 4, 1, 0, 0, 1), True),
        (shanghai(2026, 11, 27, 10, 0), True),
    ],
)
def test_is_late_judges_against_the_deadline_in_any_time_zone(submitted_at, late):
    assert is_late(submitted_at, default_deadline(2026)) is late


def test_a_filing_within_the_deadlines_last_second_is_on_time():
    """The docstring promises "on time through the deadline's last second"; real submission
    times from ``timezone.now()`` carry microseconds."""
    assert is_late(shanghai(2026, 3, 31, 23, 59, 59, 500_000), default_deadline(2026)) is False
    assert is_late(shanghai(2026, 3, 31, 23, 59, 59, 999_999), default_deadline(2026)) is False


@pytest.mark.django_db
def test_deadline_for_a_year_without_a_move_is_the_default():
    assert deadline_for(2026) == default_deadline(2026)


# --- plan_submit(now=...) at the edge ------------------------------------------------


@pytest.fixture
def signed(db):
    department = DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")
    plan = make_plan(department=department, items=2)
    return services.plan_sign_off(plan=plan, by=LeaderFactory(department=department))


@pytest.mark.parametrize(
    ("now", "late"),
    [
        (LAST_SECOND, False),
        (datetime.datetime(2026, 3, 31, 15, 59, 59, tzinfo=UTC), False),
        (NEXT_INSTANT, True),
        (datetime.datetime(2026, 3, 31, 16, 0, 0, tzinfo=UTC), True),
    ],
    ids=["23:59:59+08", "15:59:59Z", "00:00:00+08", "16:00:00Z"],
)
def test_submission_at_the_edge_of_the_deadline(signed, now, late):
    plan = services.plan_submit(plan=signed, by=signed.created_by, now=now)

    plan = reload(plan)
    assert plan.submitted_at == now
    assert plan.first_submitted_at == now
    assert plan.is_late is late


def test_submission_within_the_last_second_is_on_time(signed):
    now = shanghai(2026, 3, 31, 23, 59, 59, 400_000)

    plan = services.plan_submit(plan=signed, by=signed.created_by, now=now)

    assert reload(plan).is_late is False


def test_a_plan_for_next_year_filed_today_is_on_time(db):
    # Today is 2026-11-27: the 2027 catalog is due by 2027-03-31.
    plan = make_plan(year=2027, status="submitted", submitted_at=shanghai(2026, 11, 27, 10, 0))

    assert plan.is_late is False


# --- deadline_move -------------------------------------------------------------------


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(full_name="陈静")


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", None])
def test_moving_the_deadline_needs_a_reason(reviewer, reason):
    mark = ledger_mark()

    with pytest.raises(TransitionError) as caught:
        services.deadline_move(
            year=2026,
            deadline=MOVED,
            reason=reason,
            by=reviewer,
            department_id=reviewer.department_id,
        )

    assert str(caught.value) == "调整报送截止时间必须说明原因。"
    assert not FilingDeadline.objects.exists()
    assert deadline_for(2026) == default_deadline(2026)
    assert ledger_since(mark) == []


@pytest.mark.django_db
def test_moving_the_deadline_moves_it_and_writes_one_ledger_row(reviewer):
    mark = ledger_mark()

    moved = services.deadline_move(
        year=2026,
        deadline=MOVED,
        reason=f"  {HOLIDAY} ",
        by=reviewer,
        department_id=reviewer.department_id,
    )

    assert deadline_for(2026) == MOVED
    assert deadline_for(2027) == default_deadline(2027)
    moved.refresh_from_db()
    assert (moved.year, moved.deadline, moved.reason, moved.set_by) == (
        2026,
        MOVED,
        HOLIDAY,
        reviewer,
    )
    [entry] = ledger_since(mark)
    assert entry.action == "deadline_moved"
    assert entry.action_label == "调整报送截止时间"
    assert entry.object_type == "filingdeadline"
    assert entry.object_id == moved.pk
    assert entry.department_id == reviewer.department_id
    assert entry.actor == reviewer
    assert entry.summary == (
        f"2026年度计划目录报送截止时间调整为2026年4月7日 23:59，原因：{HOLIDAY}"
    )
    assert entry.before == {"deadline": "2026-03-31T23:59:59+08:00"}
    assert datetime.datetime.fromisoformat(entry.after["deadline"]) == MOVED


@pytest.mark.django_db
def test_moving_the_deadline_again_records_the_previous_move_as_before(reviewer):
    services.deadline_move(
        year=2026, deadline=MOVED, reason=HOLIDAY, by=reviewer, department_id=reviewer.department_id
    )
    later = shanghai(2026, 4, 10, 23, 59, 59)
    mark = ledger_mark()

    services.deadline_move(
        year=2026,
        deadline=later,
        reason="系统升级，再顺延三天。",
        by=reviewer,
        department_id=reviewer.department_id,
    )

    assert FilingDeadline.objects.get().deadline == later
    [entry] = ledger_since(mark)
    assert datetime.datetime.fromisoformat(entry.before["deadline"]) == MOVED
    assert datetime.datetime.fromisoformat(entry.after["deadline"]) == later


@pytest.mark.django_db
def test_moving_the_deadline_rejudges_filings_already_made(reviewer):
    on_time = make_plan(status="submitted", submitted_at=shanghai(2026, 3, 25, 10, 0))
    late_now_on_time = make_plan(status="submitted", submitted_at=shanghai(2026, 4, 3, 9, 0))
    late_still_late = make_plan(status="accepted", submitted_at=shanghai(2026, 4, 8, 0, 0, 0))
    returned = make_plan(status="returned", submitted_at=shanghai(2026, 4, 7, 23, 59, 59))
    draft = make_plan(status="draft")
    other_year = make_plan(year=2025, status="submitted", submitted_at=shanghai(2025, 4, 3, 9, 0))
    assert [
        p.is_late for p in (on_time, late_now_on_time, late_still_late, returned, other_year)
    ] == [False, True, True, True, True]
    mark = ledger_mark()

    services.deadline_move(
        year=2026, deadline=MOVED, reason=HOLIDAY, by=reviewer, department_id=reviewer.department_id
    )

    assert reload(on_time).is_late is False
    assert reload(late_now_on_time).is_late is False
    assert reload(late_still_late).is_late is True
    assert reload(returned).is_late is False
    assert reload(draft).is_late is False
    assert reload(other_year).is_late is True
    # Re-judging is part of the one move: one ledger row, not one per plan.
    assert [e.action for e in ledger_since(mark)] == ["deadline_moved"]


@pytest.mark.django_db
def test_moving_the_deadline_earlier_makes_filings_after_it_late(reviewer):
    plan = make_plan(status="submitted", submitted_at=shanghai(2026, 3, 25, 10, 0))

    services.deadline_move(
        year=2026,
        deadline=shanghai(2026, 3, 20, 23, 59, 59),
        reason="市政府常务会议议程提前。",
        by=reviewer,
        department_id=reviewer.department_id,
    )

    assert reload(plan).is_late is True


@pytest.mark.django_db
def test_rejudging_uses_the_first_filing_not_the_resubmission(reviewer):
    department = DepartmentFactory()
    staff = StaffFactory(department=department)
    leader = LeaderFactory(department=department)
    plan = make_plan(
        by=staff, leader=leader, status="returned", submitted_at=shanghai(2026, 4, 5, 9, 0)
    )
    services.plan_sign_off(plan=plan, by=leader)
    services.plan_submit(plan=plan, by=staff, now=shanghai(2026, 4, 20, 9, 0))
    assert reload(plan).is_late is True

    services.deadline_move(
        year=2026, deadline=MOVED, reason=HOLIDAY, by=reviewer, department_id=reviewer.department_id
    )

    assert reload(plan).is_late is False


@pytest.mark.django_db
def test_a_filing_after_the_move_is_judged_against_the_moved_deadline(reviewer):
    services.deadline_move(
        year=2026, deadline=MOVED, reason=HOLIDAY, by=reviewer, department_id=reviewer.department_id
    )

    on_time = make_plan(status="submitted", submitted_at=MOVED)
    late = make_plan(status="submitted", submitted_at=shanghai(2026, 4, 8, 0, 0, 0))

    assert on_time.is_late is False
    assert late.is_late is True
