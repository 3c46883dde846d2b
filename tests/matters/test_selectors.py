"""Reads of matters: what each list holds, the filters, the timeline, and what a page costs."""

import datetime

import pytest

from matters import services
from matters.models import Matter, PolicyArea
from matters.procedures import EVIDENCED_STEPS
from matters.selectors import (
    filter_matters,
    matter_staff_detail,
    matter_timeline,
    matters_for_staff,
    matters_public,
)
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
    make_matter,
)

pytestmark = pytest.mark.django_db


def publish(matter):
    return services.matter_publish(matter=matter, by=matter.created_by)


def titles(queryset):
    return sorted(matter.title for matter in queryset)


# --- matters_public -------------------------------------------------------------------


def test_public_list_excludes_unpublished_and_withdrawn_matters():
    shown = publish(make_matter(title="已公开"))
    make_matter(title="未公开")
    withdrawn = publish(make_matter(title="已撤回"))
    services.matter_withdraw(matter=withdrawn, by=withdrawn.created_by, reason="需更正")

    assert list(matters_public()) == [shown]


def test_public_list_shows_the_most_recently_updated_first():
    older = publish(make_matter(title="较早"))
    newer = publish(make_matter(title="较新"))
    assert list(matters_public()) == [newer, older]

    services.matter_update(matter=older, by=older.created_by, summary="补充了事项概述。")
    assert list(matters_public()) == [older, newer]


# --- matters_for_staff ----------------------------------------------------------------


@pytest.fixture
def three_departments():
    lead = DepartmentFactory(code="sfj", name="青岛市司法局")
    partner = DepartmentFactory(code="mzj", name="青岛市民政局")
    other = DepartmentFactory(code="jtj", name="青岛市交通运输局")
    make_matter(department=lead, title="司法局牵头、民政局协办", co_departments=[partner])
    make_matter(department=lead, title="司法局牵头")
    make_matter(department=partner, title="民政局牵头")
    make_matter(department=other, title="交通局牵头")
    return lead, partner, other


def test_staff_see_their_departments_matters_and_those_they_co_organise(three_departments):
    lead, partner, other = three_departments
    assert titles(matters_for_staff(user=StaffFactory(department=lead))) == [
        "司法局牵头",
        "司法局牵头、民政局协办",
    ]
    assert titles(matters_for_staff(user=StaffFactory(department=partner))) == [
        "司法局牵头、民政局协办",
        "民政局牵头",
    ]
    assert titles(matters_for_staff(user=StaffFactory(department=other))) == ["交通局牵头"]


def test_staff_list_holds_each_matter_once_however_many_co_organisers_it_has():
    lead = DepartmentFactory(code="sfj")
    partners = [DepartmentFactory(code=code) for code in ("mzj", "jyj", "wjw")]
    make_matter(department=lead, co_departments=partners)
    assert matters_for_staff(user=StaffFactory(department=lead)).count() == 1
    assert len(list(matters_for_staff(user=StaffFactory(department=partners[1])))) == 1


@pytest.mark.parametrize("factory", [ReviewerFactory, AdministratorFactory])
def test_general_office_and_administrators_see_every_matter(three_departments, factory):
    assert matters_for_staff(user=factory()).count() == Matter.objects.count() == 4


def test_user_without_a_department_sees_no_matters(three_departments):
    # Matters with no co-organiser must not leak to an account that has no department.
    assert list(matters_for_staff(user=UserFactory(department=None))) == []


# --- filter_matters -------------------------------------------------------------------


@pytest.fixture
def catalogue():
    sfj = DepartmentFactory(code="sfj", name="青岛市司法局")
    czj = DepartmentFactory(code="czj", name="青岛市财政局")
    education = PolicyArea.objects.get(code="education")
    elderly = PolicyArea.objects.get(code="elderly-care")
    make_matter(department=sfj, kind="legislative", title="立法2026", policy_areas=[education])
    make_matter(department=sfj, kind="decision", title="决策2025", year=2025)
    budget = make_matter(
        department=czj, kind="budget", title="预算2026", policy_areas=[education, elderly]
    )
    services.matter_advance_stage(matter=budget, by=budget.created_by)
    make_matter(department=czj, kind="key_matter", title="重点2026", policy_areas=[elderly])
    return Matter.objects.all()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["决策2025", "立法2026", "重点2026", "预算2026"]),
        ({"kind": "legislative"}, ["立法2026"]),
        ({"kind": "budget"}, ["预算2026"]),
        ({"department": "sfj"}, ["决策2025", "立法2026"]),
        ({"department": "czj"}, ["重点2026", "预算2026"]),
        ({"department": "nobody"}, []),
        ({"year": 2025}, ["决策2025"]),
        ({"year": 2026}, ["立法2026", "重点2026", "预算2026"]),
        ({"stage": "consultation"}, ["预算2026"]),
        ({"stage": "initiation"}, ["决策2025"]),
        ({"policy_area": "education"}, ["立法2026", "预算2026"]),
        ({"policy_area": "elderly-care"}, ["重点2026", "预算2026"]),
        ({"department": "czj", "policy_area": "education"}, ["预算2026"]),
        ({"kind": "decision", "year": 2026}, []),
    ],
)
def test_filter_matters(catalogue, filters, expected):
    assert titles(filter_matters(catalogue, **filters)) == sorted(expected)


# --- matter_timeline ------------------------------------------------------------------


def states(timeline):
    return [(entry["code"], entry["state"]) for entry in timeline]


def test_new_matter_timeline_is_at_its_first_stage():
    matter = make_matter(kind="budget")
    timeline = matter_timeline(matter)
    assert states(timeline) == [
        ("drafting", "current"),
        ("consultation", "todo"),
        ("decision", "todo"),
        ("execution_supervision", "todo"),
        ("performance_evaluation", "todo"),
    ]
    assert [str(entry["label"]) for entry in timeline] == [
        "预算草案编制",
        "协商征询",
        "审议决定",
        "执行监督",
        "绩效评价",
    ]
    assert timeline[0]["entered_at"] == matter.stage_entered_at
    assert all(entry["entered_at"] is None for entry in timeline[1:])


def test_timeline_marks_passed_stages_done_and_dates_each_entry():
    matter = make_matter(kind="decision")
    by = matter.created_by
    matter = services.matter_advance_stage(matter=matter, by=by)
    matter = services.matter_advance_stage(matter=matter, by=by)

    timeline = matter_timeline(matter_staff_detail(pk=matter.pk))

    assert states(timeline)[:4] == [
        ("initiation", "done"),
        ("public_participation", "unrecorded"),  # passed, but no public participation on record
        ("expert_argumentation", "current"),
        ("risk_assessment", "todo"),
    ]
    assert {entry["state"] for entry in timeline[3:]} == {"todo"}
    changes = {change.to_stage: change.changed_at for change in matter.stage_changes.all()}
    assert timeline[1]["entered_at"] == changes["public_participation"]
    assert timeline[2]["entered_at"] == changes["expert_argumentation"]
    assert timeline[3]["entered_at"] is None


def test_a_stage_passed_is_completed_only_with_its_required_steps_on_record():
    """Issue 21, item 6: a major decision moved through 公众参与, 专家论证 and 风险评估
    with nothing recorded is not 已完成 there; recording the steps makes it so."""
    matter = make_matter(kind="decision", is_major_decision=True)
    by = matter.created_by
    for _ in range(4):
        matter = services.matter_advance_stage(matter=matter, by=by)
    assert matter.stage == "legality_review"
    assert states(matter_timeline(matter_staff_detail(pk=matter.pk)))[:5] == [
        ("initiation", "done"),
        ("public_participation", "unrecorded"),
        ("expert_argumentation", "unrecorded"),
        ("risk_assessment", "unrecorded"),
        ("legality_review", "current"),
    ]
    for step_type in ("public_participation", "expert_argumentation"):
        services.step_record(
            matter=matter,
            by=by,
            step_type=step_type,
            occurred_on=datetime.date(2026, 5, 1),
            responsible_person="王丽",
            summary="已开展",
            evidenced=step_type in EVIDENCED_STEPS,
        )
    assert states(matter_timeline(matter_staff_detail(pk=matter.pk)))[1:4] == [
        ("public_participation", "done"),
        ("expert_argumentation", "done"),
        ("risk_assessment", "unrecorded"),
    ]


def test_timeline_after_going_back_shows_the_earlier_stage_as_current():
    matter = make_matter(kind="decision")
    by = matter.created_by
    for _ in range(3):
        matter = services.matter_advance_stage(matter=matter, by=by)
    matter = services.matter_return_stage(
        matter=matter, by=by, to_stage="public_participation", reason="需补充公众参与"
    )

    timeline = matter_timeline(matter_staff_detail(pk=matter.pk))

    assert states(timeline)[:4] == [
        ("initiation", "done"),
        ("public_participation", "current"),
        ("expert_argumentation", "todo"),
        ("risk_assessment", "todo"),
    ]
    assert timeline[1]["entered_at"] == matter.stage_entered_at


def test_timeline_dates_the_current_first_stage_from_the_return_to_it():
    matter = make_matter(kind="budget")
    by = matter.created_by
    matter = services.matter_advance_stage(matter=matter, by=by)
    matter = services.matter_return_stage(
        matter=matter, by=by, to_stage="drafting", reason="预算口径调整，重新编制"
    )

    timeline = matter_timeline(matter_staff_detail(pk=matter.pk))

    assert timeline[0]["state"] == "current"
    # When the matter got where it is now: the return, not the day it was created.
    assert timeline[0]["entered_at"] == matter.stage_entered_at
    assert timeline[0]["entered_at"] != matter.created_at


def test_timeline_of_a_prefetched_matter_costs_no_query(django_assert_num_queries):
    matter = make_matter(kind="key_matter")
    services.matter_advance_stage(matter=matter, by=matter.created_by)
    detailed = matter_staff_detail(pk=matter.pk)
    with django_assert_num_queries(0):
        matter_timeline(detailed)


# --- query counts ---------------------------------------------------------------------


def publish_many(count):
    departments = [DepartmentFactory() for _ in range(4)]
    areas = list(PolicyArea.objects.all()[:3])
    for number in range(count):
        matter = make_matter(
            department=departments[number % 4],
            title=f"协商事项{number}",
            policy_areas=areas[: 1 + number % 3],
        )
        publish(matter)


@pytest.mark.parametrize("count", [5, 40])
def test_public_list_costs_the_same_queries_for_5_or_40_matters(django_assert_num_queries, count):
    publish_many(count)

    with django_assert_num_queries(2):  # the matters with departments; their policy areas
        page = list(matters_public()[:50])
        shown = [(m.department.name, [area.name for area in m.policy_areas.all()]) for m in page]

    assert len(shown) == count
    assert all(areas for _, areas in shown)


@pytest.mark.parametrize("count", [5, 40])
def test_staff_list_costs_the_same_queries_for_5_or_40_matters(
    django_assert_max_num_queries, count
):
    publish_many(count)
    reviewer = ReviewerFactory()
    reviewer.role_names  # noqa: B018  (roles are read once per request, before the list)

    with django_assert_max_num_queries(2):
        page = list(matters_for_staff(user=reviewer)[:50])
        for matter in page:
            assert matter.department.name
            list(matter.policy_areas.all())

    assert len(page) == count
