"""Reads of catalogs: who filed on time, late, not at all; the consolidated municipal catalogs;
the public list. Each in a constant number of queries."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Department
from annual_plans import selectors, services
from annual_plans.models import AnnualPlan
from annual_plans.selectors import FilingState
from annual_plans.services import ItemData
from tests.factories import (
    DepartmentFactory,
    GeneralOfficeFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_SECOND = datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=SHANGHAI)
NEXT_INSTANT = datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=SHANGHAI)
TODAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
K = Department.Kind


def shanghai(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def department(code, sort_order, kind=K.MUNICIPAL_DEPARTMENT, **extra):
    return DepartmentFactory(
        code=code,
        name=f"青岛市{code}局",
        short_name=f"市{code}局",
        kind=kind,
        sort_order=sort_order,
        **extra,
    )


def states(rows):
    return [(row.department.code, row.state) for row in rows]


# --- filing_overview -----------------------------------------------------------------


@pytest.fixture
def year_2026():
    """One department in each filing situation, in sort order."""
    d = {
        "on_time": department("a-on-time", 1, K.DISTRICT),
        "last_second": department("b-last-second", 2, K.FUNCTIONAL_AREA),
        "late": department("c-late", 3),
        "returned": department("d-returned", 4, K.AFFILIATED_UNIT),
        "published_late": department("e-published-late", 5),
        "resubmitted": department("f-resubmitted", 6),
        "draft_only": department("g-draft-only", 7),
        "none": department("h-none", 8),
        "inactive": department("i-inactive", 9),
    }
    plans = {
        "on_time": make_plan(
            department=d["on_time"], status="accepted", submitted_at=shanghai(2026, 3, 20, 9, 0)
        ),
        "last_second": make_plan(
            department=d["last_second"], status="submitted", submitted_at=LAST_SECOND
        ),
        "late": make_plan(department=d["late"], status="submitted", submitted_at=NEXT_INSTANT),
        "returned": make_plan(
            department=d["returned"], status="returned", submitted_at=shanghai(2026, 3, 30, 9, 0)
        ),
        "published_late": make_plan(
            department=d["published_late"],
            status="published",
            submitted_at=shanghai(2026, 4, 15, 9, 0),
        ),
        "draft_only": make_plan(department=d["draft_only"]),
        "inactive": make_plan(
            department=d["inactive"], status="submitted", submitted_at=shanghai(2026, 3, 1, 9, 0)
        ),
    }
    # Returned on time, then filed again after the deadline: the first filing counts.
    leader = LeaderFactory(department=d["resubmitted"])
    plans["resubmitted"] = make_plan(
        department=d["resubmitted"],
        leader=leader,
        status="returned",
        submitted_at=shanghai(2026, 3, 28, 9, 0),
    )
    services.plan_sign_off(plan=plans["resubmitted"], by=leader)
    services.plan_submit(
        plan=plans["resubmitted"],
        by=plans["resubmitted"].created_by,
        now=shanghai(2026, 4, 20, 9, 0),
    )
    # Last year's filing does not count for this year.
    make_plan(department=d["none"], year=2025, status="accepted")
    d["inactive"].is_active = False
    d["inactive"].save()
    GeneralOfficeFactory()
    return plans


def test_overview_after_the_deadline_shows_every_filing_state(year_2026):
    plans = year_2026

    rows = selectors.filing_overview(year=2026, now=TODAY)

    assert states(rows) == [
        ("a-on-time", FilingState.ON_TIME),
        ("b-last-second", FilingState.ON_TIME),
        ("c-late", FilingState.LATE),
        ("d-returned", FilingState.RETURNED),
        ("e-published-late", FilingState.LATE),
        ("f-resubmitted", FilingState.ON_TIME),
        ("g-draft-only", FilingState.MISSING),
        ("h-none", FilingState.MISSING),
    ]
    by_code = {row.department.code: row for row in rows}
    assert by_code["a-on-time"].plan == plans["on_time"]
    assert by_code["g-draft-only"].plan == plans["draft_only"]
    assert by_code["h-none"].plan is None
    assert [row.state_label for row in rows] == [
        "按时报送",
        "按时报送",
        "逾期报送",
        "退回修改",
        "逾期报送",
        "按时报送",
        "逾期未报送",
        "逾期未报送",
    ]


def test_overview_leaves_out_inactive_departments_and_the_general_office(year_2026):
    rows = selectors.filing_overview(year=2026, now=TODAY)

    codes = {row.department.code for row in rows}
    assert "i-inactive" not in codes
    assert "bgt" not in codes
    assert all(row.department.kind != K.GENERAL_OFFICE for row in rows)


def test_overview_counts_every_state(year_2026):
    rows = selectors.filing_overview(year=2026, now=TODAY)

    assert selectors.overview_counts(rows) == {
        FilingState.ON_TIME: 3,
        FilingState.LATE: 2,
        FilingState.RETURNED: 1,
        FilingState.MISSING: 2,
        FilingState.PENDING: 0,
    }


def test_overview_counts_of_no_rows_are_all_zero():
    assert selectors.overview_counts([]) == dict.fromkeys(
        ["on_time", "late", "returned", "missing", "pending"], 0
    )


def test_before_the_deadline_departments_not_yet_filed_are_pending():
    filed = department("a-filed", 1)
    drafting = department("b-drafting", 2)
    department("c-nothing", 3)
    make_plan(department=filed, status="submitted", submitted_at=shanghai(2026, 3, 10, 9, 0))
    make_plan(department=drafting)

    rows = selectors.filing_overview(year=2026, now=shanghai(2026, 3, 15, 9, 0))

    assert states(rows) == [
        ("a-filed", FilingState.ON_TIME),
        ("b-drafting", FilingState.PENDING),
        ("c-nothing", FilingState.PENDING),
    ]
    assert [row.state_label for row in rows] == ["按时报送", "未报送（未到截止时间）", "未报送（未到截止时间）"]
    assert selectors.overview_counts(rows)[FilingState.PENDING] == 2


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (LAST_SECOND, FilingState.PENDING),
        (shanghai(2026, 3, 31, 23, 59, 59, 999_999), FilingState.PENDING),
        (datetime.datetime(2026, 3, 31, 15, 59, 59, tzinfo=datetime.UTC), FilingState.PENDING),
        (NEXT_INSTANT, FilingState.MISSING),
        (datetime.datetime(2026, 3, 31, 16, 0, 0, tzinfo=datetime.UTC), FilingState.MISSING),
    ],
)
def test_an_unfiled_catalog_becomes_missing_the_instant_after_the_deadline(now, state):
    department("a-nothing", 1)

    rows = selectors.filing_overview(year=2026, now=now)

    assert states(rows) == [("a-nothing", state)]


def test_overview_follows_a_moved_deadline():
    department("a-nothing", 1)
    reviewer = ReviewerFactory()
    services.deadline_move(
        year=2026,
        deadline=shanghai(2026, 4, 7, 23, 59, 59),
        reason="清明节假期顺延。",
        by=reviewer,
        department_id=reviewer.department_id,
    )

    rows = selectors.filing_overview(year=2026, now=shanghai(2026, 4, 5, 9, 0))

    assert states(rows) == [("a-nothing", FilingState.PENDING)]


def departments_with_filings(count):
    """``count`` departments: a third filed on time, a third late, a third without a plan."""
    for n in range(count):
        dept = department(f"dept-{n:02d}", n)
        if n % 3 == 0:
            make_plan(department=dept, status="submitted", submitted_at=shanghai(2026, 3, 1, 9, 0))
        elif n % 3 == 1:
            make_plan(department=dept, status="accepted", submitted_at=shanghai(2026, 4, 9, 9, 0))


@pytest.mark.parametrize("count", [5, 30])
def test_overview_takes_the_same_queries_whatever_the_number_of_departments(
    django_assert_num_queries, count
):
    departments_with_filings(count)

    # The moved deadline (if any), the year's plans, the departments.
    with django_assert_num_queries(3):
        rows = selectors.filing_overview(year=2026, now=TODAY)
        shown = [
            (
                row.department.name,
                row.plan.department.short_name if row.plan else "",
                row.plan.get_status_display() if row.plan else "",
                row.state_label,
            )
            for row in rows
        ]
        selectors.overview_counts(rows)

    assert len(shown) == count


# --- consolidated_items --------------------------------------------------------------


def entry(title, *, major=False, non_party=False, year=2026):
    return ItemData(
        title=title,
        kind="decision",
        forms=["public_participation", "expert_argumentation", "risk_assessment"],
        planned_start=datetime.date(year, 4, 1),
        planned_end=datetime.date(year, 10, 31),
        responsible_office="政策法规处",
        is_major_decision=major,
        seeks_non_party_opinions=non_party,
    )


def catalog(dept, items, *, status, year=2026):
    """A catalog with exactly ``items``, walked through the services to ``status``."""
    staff = StaffFactory(department=dept)
    plan = services.plan_start(department=dept, year=year, by=staff)
    services.plan_save(
        plan=plan, by=staff, items=items, contact_person="刘洋", contact_phone="0532-88886666"
    )
    if status == "draft":
        return plan
    services.plan_sign_off(plan=plan, by=LeaderFactory(department=dept))
    services.plan_submit(plan=plan, by=staff, now=datetime.datetime(year, 3, 1, tzinfo=SHANGHAI))
    reviewer = ReviewerFactory()
    services.plan_accept(plan=plan, by=reviewer)
    if status == "published":
        services.plan_publish(plan=plan, by=reviewer)
    return AnnualPlan.objects.get(pk=plan.pk)


@pytest.fixture
def catalogs():
    first = department("a-first", 1)
    second = department("b-second", 2)
    return {
        "first": catalog(
            first,
            [
                entry("城市轨道交通线网规划调整", major=True),
                entry("民营经济发展促进办法", non_party=True),
                entry("胶州湾生态保护修复方案", major=True, non_party=True),
                entry("市民热线工作规范修订"),
            ],
            status="published",
        ),
        "second": catalog(second, [entry("中小学校布局专项规划", major=True)], status="published"),
        "accepted": catalog(
            department("c-accepted", 3),
            [entry("未公示的重大决策", major=True, non_party=True)],
            status="accepted",
        ),
        "draft": catalog(
            department("d-draft", 4),
            [entry("草稿中的重大决策", major=True, non_party=True)],
            status="draft",
        ),
        "last_year": catalog(
            first,
            [entry("上一年度的重大决策", major=True, non_party=True, year=2025)],
            status="published",
            year=2025,
        ),
    }


def titles(items):
    return [item.title for item in items]


def test_consolidated_major_decisions_come_only_from_published_catalogs(catalogs):
    items = selectors.consolidated_items(year=2026, major_decisions=True)

    assert titles(items) == [
        "城市轨道交通线网规划调整",
        "胶州湾生态保护修复方案",
        "中小学校布局专项规划",
    ]


def test_consolidated_non_party_items_come_only_from_published_catalogs(catalogs):
    items = selectors.consolidated_items(year=2026, non_party=True)

    assert titles(items) == ["民营经济发展促进办法", "胶州湾生态保护修复方案"]


def test_consolidated_items_with_both_flags_and_without_any(catalogs):
    assert titles(
        selectors.consolidated_items(year=2026, major_decisions=True, non_party=True)
    ) == ["胶州湾生态保护修复方案"]
    assert titles(selectors.consolidated_items(year=2026)) == [
        "城市轨道交通线网规划调整",
        "民营经济发展促进办法",
        "胶州湾生态保护修复方案",
        "市民热线工作规范修订",
        "中小学校布局专项规划",
    ]
    assert titles(selectors.consolidated_items(year=2025, major_decisions=True)) == [
        "上一年度的重大决策"
    ]


def test_consolidated_items_follow_an_accepted_amendment(catalogs):
    plan = catalogs["second"]
    staff = StaffFactory(department=plan.department)
    amendment = services.amendment_start(plan=plan, by=staff, reason="新增一项重大决策")
    services.amendment_save(
        amendment=amendment,
        by=staff,
        reason="新增一项重大决策",
        items=[entry("中小学校布局专项规划", major=True), entry("学前教育收费标准", major=True)],
    )
    services.amendment_submit(amendment=amendment, by=staff)
    services.amendment_decide(amendment=amendment, by=ReviewerFactory(), accept=True)

    assert titles(selectors.consolidated_items(year=2026, major_decisions=True))[-2:] == [
        "中小学校布局专项规划",
        "学前教育收费标准",
    ]


def test_consolidated_items_are_read_in_one_query(catalogs, django_assert_num_queries):
    with django_assert_num_queries(1):
        shown = [
            (item.plan.department.name, item.title, item.matter)
            for item in selectors.consolidated_items(year=2026)
        ]

    assert len(shown) == 5


# --- the public list -----------------------------------------------------------------


def test_plans_public_lists_only_published_catalogs(catalogs):
    assert list(selectors.plans_public(year=2026)) == [catalogs["first"], catalogs["second"]]
    assert list(selectors.plans_public(year=2025)) == [catalogs["last_year"]]
    assert list(selectors.plans_public(year=2024)) == []
    assert list(selectors.plans_public()) == [
        catalogs["first"],
        catalogs["second"],
        catalogs["last_year"],
    ]


def test_plans_public_reads_plans_and_their_items_in_two_queries(
    catalogs, django_assert_num_queries
):
    with django_assert_num_queries(2):
        shown = [
            (
                plan.department.name,
                str(plan.signed_off_by),
                str(plan.reviewed_by),
                [item.title for item in plan.items.all()],
            )
            for plan in selectors.plans_public(year=2026)
        ]

    assert [len(items) for *_, items in shown] == [4, 1]
    assert shown[0][3][0] == "城市轨道交通线网规划调整"


def test_public_years_are_the_years_with_a_published_catalog(catalogs):
    make_plan(year=2027, status="accepted")

    assert selectors.public_years() == [2026, 2025]


def test_plans_for_department_are_its_own_newest_first(catalogs):
    first = catalogs["first"].department

    assert list(selectors.plans_for_department(department=first)) == [
        catalogs["first"],
        catalogs["last_year"],
    ]
