"""Catalogs carried out (目录执行情况) on the supervision dashboard, the workbench and the
list behind each figure: exact arithmetic of the execution rate, amendments changing what
counts, catalogs not in force left out, who sees which department's items, the export."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from annual_plans import services as plan_services
from annual_plans.item_matters import plan_item_start_matter
from annual_plans.services import ItemData
from matters.models import Matter
from matters.procedures import PROCEDURES, procedure_for
from supervision import views as supervision_views
from supervision.execution import execution_block, items_in_state
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def world():
    """Department 甲's 2026 catalog in force with four items: the first not started though
    due, the second started and behind, the third started and decided, the fourth not yet
    due. Department 乙 has a draft catalog only."""
    department = DepartmentFactory(name="青岛市甲局", short_name="甲局", code="jj", sort_order=1)
    staff = StaffFactory(department=department)
    leader = LeaderFactory(department=department)
    plan = make_plan(department=department, by=staff, leader=leader, status="published", items=4)
    first, second, third, fourth = plan.items.order_by("order")
    # Not due whenever the tests run (the pages count to the real day).
    later = max(TODAY, datetime.date.today()) + datetime.timedelta(days=60)
    plan.items.filter(pk=fourth.pk).update(
        planned_start=later, planned_end=later + datetime.timedelta(days=30)
    )
    behind = plan_item_start_matter(item=second, by=staff)
    Matter.objects.filter(pk=behind.pk).update(stage_due_on=TODAY - datetime.timedelta(days=3))
    decided = plan_item_start_matter(item=third, by=staff)
    procedure = procedure_for(decided.kind)
    Matter.objects.filter(pk=decided.pk).update(
        stage=procedure.decision_stage, stage_due_on=TODAY - datetime.timedelta(days=30)
    )
    other = DepartmentFactory(name="青岛市乙局", short_name="乙局", code="yj", sort_order=2)
    make_plan(department=other, items=3)  # a draft: not in force
    return {
        "department": department,
        "staff": staff,
        "leader": leader,
        "plan": plan,
        "items": (first, second, third, fourth),
        "other": other,
    }


def test_the_figures_and_the_rate(world):
    block = execution_block(year=2026, today=TODAY)
    assert [line.name for line in block.lines] == ["青岛市甲局"]  # the draft does not count
    line = block.lines[0]
    assert line.figures == {
        "items": 4,
        "due": 3,
        "started": 2,
        "not_started": 1,
        "behind": 1,
        "completed": 1,
    }
    assert line.rate == 66.7 and line.rate_display == "66.7%"
    assert block.total.figures == line.figures


def test_nothing_due_yet_has_no_rate(world):
    line = execution_block(year=2026, today=datetime.date(2026, 3, 1)).lines[0]
    assert line.figures["due"] == 0 and line.rate is None and line.rate_display == "—"


def test_an_amendment_changes_what_counts(world):
    plan, staff = world["plan"], world["staff"]
    amendment = plan_services.amendment_start(plan=plan, by=staff, reason="删去一项，新增一项。")
    kept = [ItemData.from_item(item) for item in plan.items.order_by("order")[1:]]
    added = ItemData(**{**kept[0].__dict__, "title": "年中新增的协商事项"})
    plan_services.amendment_save(
        amendment=amendment, by=staff, reason="删去一项，新增一项。", items=[*kept, added]
    )
    plan_services.amendment_submit(amendment=amendment, by=staff)
    plan_services.amendment_decide(amendment=amendment, by=ReviewerFactory(), accept=True)

    line = execution_block(year=2026, today=TODAY).lines[0]
    # The dropped item (due, not started) is gone; the added one is due and not started;
    # the kept ones keep their matters.
    assert (line.figures["items"], line.figures["due"], line.figures["not_started"]) == (4, 3, 1)
    assert line.figures["started"] == 2 and line.rate == 66.7
    assert [i.title for i in items_in_state(year=2026, today=TODAY, state="not_started")] == [
        "年中新增的协商事项"
    ]


def test_each_state_lists_the_items_it_counts(world):
    first, second, third, fourth = world["items"]

    def titles(state):
        return [i.pk for i in items_in_state(year=2026, today=TODAY, state=state)]

    assert titles("not_started") == [first.pk]
    assert titles("behind") == [second.pk]
    assert titles("completed") == [third.pk]
    assert titles("started") == [second.pk, third.pk]
    assert titles("due") == [first.pk, second.pk, third.pk]
    assert titles("") == [first.pk, second.pk, third.pk, fourth.pk]


def test_the_office_reads_every_department_a_member_only_its_own(client, world):
    url = reverse("execution_items")
    client.force_login(ReviewerFactory())
    page = client.get(url, {"year": 2026, "state": "not_started"}).content.decode()
    assert world["items"][0].title in page
    client.force_login(StaffFactory(department=world["other"]))
    page = client.get(url, {"year": 2026, "department": world["department"].pk}).content.decode()
    assert world["items"][0].title not in page and "没有符合条件的目录事项" in page
    client.force_login(world["staff"])
    page = client.get(url, {"year": 2026}).content.decode()
    assert all(item.title in page for item in world["items"])
    # Each headline figure says what it counts, and the page names the department.
    assert '<span class="figure">1</span>逾期未启动' in page
    assert '<span class="figure">4</span>目录事项' in page
    assert "· 青岛市甲局" in page


def test_dashboard_workbench_and_export_show_it(client, world):
    client.force_login(ReviewerFactory())
    page = client.get(reverse("dashboard"), {"year": 2026}).content.decode()
    assert "年度计划目录执行情况" in page and "甲局" in page and "66.7%" in page
    workbook = load_workbook(
        BytesIO(client.get(reverse("dashboard_export"), {"year": 2026}).content)
    )
    sheet = workbook["目录执行"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "部门" and rows[0][-1] == "执行率"
    assert rows[1][0] == "青岛市甲局" and rows[1][1:7] == (4, 3, 2, 1, 1, 1)
    assert rows[-1][0] == "全市合计"
    client.force_login(world["leader"])
    page = client.get(reverse("workbench")).content.decode()
    assert "年度计划目录执行情况" in page and "执行率" in page


@pytest.mark.parametrize("kind", [kind for kind in PROCEDURES])
def test_completed_is_each_kinds_decision_stage_or_later(world, kind):
    """The count in the database agrees with the procedure: a matter of any kind counts as
    已完成协商 from its kind's decision stage on, and is never also 进度滞后."""
    second = world["items"][1]
    second.refresh_from_db()
    procedure = PROCEDURES[kind]
    decision = procedure.index(procedure.decision_stage)
    for position, code in enumerate(procedure.codes):
        Matter.objects.filter(pk=second.matter_id).update(
            kind=kind, stage=code, stage_due_on=TODAY - datetime.timedelta(days=1)
        )
        figures = execution_block(year=2026, today=TODAY).lines[0].figures
        done = position >= decision
        assert figures["completed"] == 1 + done, code  # the third item is decided
        assert figures["behind"] == (0 if done else 1), code
        listed = {i.pk for i in items_in_state(year=2026, today=TODAY, state="completed")}
        assert (second.pk in listed) == done, code


def test_the_list_is_paged(client, world, monkeypatch):
    monkeypatch.setattr(supervision_views, "EXECUTION_PAGE_SIZE", 2)
    client.force_login(ReviewerFactory())
    url = reverse("execution_items")
    first = client.get(url, {"year": 2026}).content.decode()
    assert "第 1 页，共 2 页" in first and "共4项" in first
    assert "year=2026&amp;page=2" in first
    second = client.get(url, {"year": 2026, "page": 2}).content.decode()
    titles = [item.title for item in world["items"]]
    assert all(title in first for title in titles[:2])
    assert all(title in second and title not in first for title in titles[2:])
