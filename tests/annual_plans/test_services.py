"""Every write to an annual plan catalog: what it refuses, in the words the user sees, what it
keeps, and its one ledger row."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Max

from annual_plans import services
from annual_plans.models import Amendment, AnnualPlan, PlanItem, PlanVersion
from annual_plans.services import ItemData
from core.exceptions import TransitionError
from matters.models import LedgerEntry
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_plan,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ON_TIME = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
LATE = datetime.datetime(2026, 4, 2, 9, 30, tzinfo=SHANGHAI)

STATUS_LABELS = {
    "draft": "草稿",
    "submitted": "已报送",
    "returned": "退回修改",
    "accepted": "已备案",
    "published": "已公示",
}

INCOMPLETE_CONTACT = "目录尚不完整：请填写联系人和联系电话。"
INCOMPLETE_NO_ITEMS = (
    "目录尚不完整：目录中没有事项：请添加事项，或勾选“本年度无协商事项”并说明原因。"
)
INCOMPLETE_NO_REASON = "目录尚不完整：报送空目录须说明本年度无协商事项的原因。"
NOT_SIGNED_OFF = "报送前须经部门负责人审签。"


def other_state(what, status):
    return (
        f"{what}：该目录当前状态为“{STATUS_LABELS[status]}”，可能已被其他人处理，请刷新页面后查看。"
    )


# --- helpers -------------------------------------------------------------------------


def item(
    title="《青岛市城市更新条例（草案）》立法协商",
    *,
    start=datetime.date(2026, 4, 1),
    end=datetime.date(2026, 9, 30),
    **extra,
):
    fields = {
        "title": title,
        "kind": "legislative",
        "forms": ["written_solicitation", "symposium"],
        "planned_start": start,
        "planned_end": end,
        "responsible_office": "立法一处",
        **extra,
    }
    return ItemData(**fields)


TWO_ITEMS = [
    item(is_major_decision=True),
    item(
        "老旧小区改造资金分担办法",
        kind="decision",
        forms=["public_participation", "expert_argumentation"],
        start=datetime.date(2026, 5, 1),
        end=datetime.date(2026, 11, 30),
        responsible_office="行政执法协调监督处",
        seeks_non_party_opinions=True,
    ),
]


def save(plan, by, items, *, contact_person="李娜", contact_phone="0532-85912345", **extra):
    return services.plan_save(
        plan=plan,
        by=by,
        items=items,
        contact_person=contact_person,
        contact_phone=contact_phone,
        **extra,
    )


def ledger_mark():
    return LedgerEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def ledger_since(mark):
    return list(LedgerEntry.objects.filter(pk__gt=mark).order_by("pk"))


def the_one_ledger_row_since(mark):
    rows = ledger_since(mark)
    assert len(rows) == 1, [row.action for row in rows]
    return rows[0]


def refusal(call):
    """The message of the TransitionError ``call`` raises; nothing may reach the ledger."""
    mark = ledger_mark()
    with pytest.raises(TransitionError) as caught:
        call()
    assert ledger_since(mark) == []
    return str(caught.value)


def reload(plan):
    return AnnualPlan.objects.get(pk=plan.pk)


def assert_plan_row(entry, plan, *, action, label, actor):
    assert entry.object_type == "annualplan"
    assert entry.object_id == plan.pk
    assert entry.department_id == plan.department_id
    assert entry.actor == actor
    assert entry.action == action
    assert entry.action_label == label
    assert entry.matter is None


@pytest.fixture
def department():
    return DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")


@pytest.fixture
def staff(department):
    return StaffFactory(department=department, full_name="李娜", phone="0532-85912345")


@pytest.fixture
def leader(department):
    return LeaderFactory(department=department, full_name="张伟")


@pytest.fixture
def reviewer():
    return ReviewerFactory(full_name="陈静")


@pytest.fixture
def draft(department, staff):
    plan = services.plan_start(department=department, year=2026, by=staff)
    return save(plan, staff, TWO_ITEMS)


@pytest.fixture
def signed(draft, leader):
    return services.plan_sign_off(plan=draft, by=leader)


@pytest.fixture
def submitted(signed, staff):
    return services.plan_submit(plan=signed, by=staff, now=ON_TIME)


@pytest.fixture
def accepted(submitted, reviewer):
    return services.plan_accept(plan=submitted, by=reviewer)


def plan_in(status, department, staff, leader):
    return make_plan(department=department, by=staff, leader=leader, status=status, items=2)


# --- plan_start ----------------------------------------------------------------------


def test_start_opens_a_draft_with_the_starters_contact_and_writes_one_ledger_row(department, staff):
    mark = ledger_mark()

    plan = services.plan_start(department=department, year=2026, by=staff)

    assert plan.status == AnnualPlan.Status.DRAFT
    assert plan.year == 2026
    assert plan.department == department
    assert plan.created_by == staff
    assert (plan.contact_person, plan.contact_phone) == ("李娜", "0532-85912345")
    assert plan.version == 0
    assert not plan.items.exists()
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="plan_created", label="创建年度计划目录", actor=staff)
    assert entry.summary == "创建2026年度计划目录"


def test_second_plan_for_the_same_department_and_year_is_refused(department, staff, draft):
    message = refusal(
        lambda: services.plan_start(department=department, year=2026, by=StaffFactory())
    )

    assert message == "市司法局已有2026年度计划目录。"
    assert AnnualPlan.objects.filter(department=department, year=2026).count() == 1


def test_the_same_year_is_open_to_another_department_and_another_year_to_the_same(
    department, staff, draft
):
    other = StaffFactory()
    assert services.plan_start(department=other.department, year=2026, by=other).year == 2026
    assert services.plan_start(department=department, year=2027, by=staff).year == 2027


def test_copy_previous_copies_last_years_items_shifted_into_the_new_year(department, staff):
    last_year = services.plan_start(department=department, year=2025, by=staff)
    save(
        last_year,
        staff,
        [
            item(
                "《青岛市城市更新条例（草案）》立法协商",
                start=datetime.date(2025, 3, 15),
                end=datetime.date(2025, 12, 31),
                is_major_decision=True,
            ),
            item(
                "2026年市级财政预算编制",
                kind="budget",
                forms=["questionnaire", "online_interaction"],
                start=datetime.date(2025, 10, 1),
                end=datetime.date(2026, 1, 15),
                responsible_office="预算处",
                seeks_non_party_opinions=True,
            ),
        ],
        contact_person="赵敏",
        contact_phone="0532-85919999",
    )
    mark = ledger_mark()

    plan = services.plan_start(department=department, year=2026, by=staff, copy_previous=True)

    rows = list(plan.items.order_by("order"))
    assert [(r.order, r.title) for r in rows] == [
        (1, "《青岛市城市更新条例（草案）》立法协商"),
        (2, "2026年市级财政预算编制"),
    ]
    assert [(r.planned_start, r.planned_end) for r in rows] == [
        (datetime.date(2026, 3, 15), datetime.date(2026, 12, 31)),
        (datetime.date(2026, 10, 1), datetime.date(2027, 1, 15)),
    ]
    assert [(r.kind, r.forms, r.responsible_office) for r in rows] == [
        ("legislative", ["written_solicitation", "symposium"], "立法一处"),
        ("budget", ["questionnaire", "online_interaction"], "预算处"),
    ]
    assert [(r.is_major_decision, r.seeks_non_party_opinions) for r in rows] == [
        (True, False),
        (False, True),
    ]
    assert (plan.contact_person, plan.contact_phone) == ("赵敏", "0532-85919999")
    assert plan.status == AnnualPlan.Status.DRAFT
    assert plan.signed_off_by is None
    # Last year's catalog is left as it was.
    assert [i.planned_start.year for i in last_year.items.all()] == [2025, 2025]
    entry = the_one_ledger_row_since(mark)
    assert entry.action == "plan_created"
    assert entry.summary == "创建2026年度计划目录（沿用2025年度的2个事项）"


def test_copy_previous_moves_29_february_to_28_february(department, staff):
    leap = services.plan_start(department=department, year=2024, by=staff)
    save(
        leap,
        staff,
        [
            item(
                "春节后重点项目开工协商",
                start=datetime.date(2024, 2, 29),
                end=datetime.date(2024, 6, 30),
            ),
            item(
                "冬季供暖价格听证", start=datetime.date(2024, 1, 10), end=datetime.date(2024, 2, 29)
            ),
        ],
    )

    plan = services.plan_start(department=department, year=2025, by=staff, copy_previous=True)

    assert [(i.planned_start, i.planned_end) for i in plan.items.order_by("order")] == [
        (datetime.date(2025, 2, 28), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 1, 10), datetime.date(2025, 2, 28)),
    ]


def test_copy_previous_without_last_years_plan_is_refused_not_an_empty_draft(department, staff):
    # Issue 21, item 17: nothing to copy was silently an empty draft.
    with pytest.raises(TransitionError, match="没有2025年度计划目录，无法沿用上一年度的事项"):
        services.plan_start(department=department, year=2026, by=staff, copy_previous=True)
    assert not AnnualPlan.objects.exists()
    assert not LedgerEntry.objects.filter(object_type="annualplan").exists()

    # Without the tick the same year starts as an empty draft, as asked.
    plan = services.plan_start(department=department, year=2026, by=staff)
    assert not plan.items.exists()
    assert plan.contact_person == "李娜"
    entry = LedgerEntry.objects.filter(object_type="annualplan", object_id=plan.pk).get()
    assert entry.summary == "创建2026年度计划目录"


def test_copy_previous_from_a_catalog_without_items_is_refused(department, staff):
    services.plan_start(department=department, year=2025, by=staff)
    with pytest.raises(TransitionError, match="2025年度计划目录中没有事项，无可沿用"):
        services.plan_start(department=department, year=2026, by=staff, copy_previous=True)
    assert not AnnualPlan.objects.filter(year=2026).exists()


# --- plan_save -----------------------------------------------------------------------


def test_save_replaces_header_and_items_and_records_before_and_after(department, staff):
    plan = services.plan_start(department=department, year=2026, by=staff)
    mark = ledger_mark()

    plan = save(plan, staff, TWO_ITEMS, contact_person="王芳", contact_phone="0532-80001111")

    assert (plan.contact_person, plan.contact_phone) == ("王芳", "0532-80001111")
    rows = list(plan.items.order_by("order"))
    assert [(r.order, r.title) for r in rows] == [
        (1, "《青岛市城市更新条例（草案）》立法协商"),
        (2, "老旧小区改造资金分担办法"),
    ]
    assert rows[1].forms == ["public_participation", "expert_argumentation"]
    assert rows[1].seeks_non_party_opinions
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="plan_edited", label="修改年度计划目录", actor=staff)
    assert entry.summary == "修改2026年度计划目录（2个事项）"
    assert entry.before == {
        "contact_person": "李娜",
        "contact_phone": "0532-85912345",
        "is_empty": False,
        "empty_reason": "",
        "items": [],
    }
    assert entry.after["contact_person"] == "王芳"
    assert [i["title"] for i in entry.after["items"]] == [d.title for d in TWO_ITEMS]
    assert entry.after["items"][1]["planned_start"] == "2026-05-01"


def test_second_save_records_the_previous_items_as_before(draft, staff):
    mark = ledger_mark()

    save(draft, staff, [TWO_ITEMS[1]])

    entry = the_one_ledger_row_since(mark)
    assert [i["title"] for i in entry.before["items"]] == [d.title for d in TWO_ITEMS]
    assert [i["title"] for i in entry.after["items"]] == ["老旧小区改造资金分担办法"]
    assert list(draft.items.values_list("title", "order")) == [("老旧小区改造资金分担办法", 1)]


def test_save_with_end_before_start_is_refused_naming_the_item(draft, staff):
    bad = item(
        "公共停车场收费价格调整方案",
        start=datetime.date(2026, 8, 1),
        end=datetime.date(2026, 7, 31),
    )

    message = refusal(lambda: save(draft, staff, [TWO_ITEMS[0], bad]))

    assert message == "第2项“公共停车场收费价格调整方案”的计划完成日期早于计划开始日期。"
    # Nothing of the refused save is kept: the old items are still there.
    assert list(draft.items.order_by("order").values_list("title", flat=True)) == [
        d.title for d in TWO_ITEMS
    ]


def test_an_empty_catalog_cannot_carry_items(draft, staff):
    message = refusal(lambda: save(draft, staff, TWO_ITEMS, is_empty=True, empty_reason="无"))

    assert message == "勾选“本年度无协商事项”时，目录中不能有事项。"
    assert not reload(draft).is_empty


def test_unchanged_save_writes_nothing_and_keeps_the_sign_off(signed, staff, leader):
    mark = ledger_mark()

    plan = save(signed, staff, TWO_ITEMS)

    assert ledger_since(mark) == []
    assert reload(plan).signed_off_by == leader


def test_editing_after_sign_off_voids_the_sign_off(signed, staff, leader):
    assert signed.signed_off_by == leader

    plan = save(signed, staff, TWO_ITEMS, contact_phone="0532-85990000")

    plan = reload(plan)
    assert plan.signed_off_by is None
    assert plan.signed_off_at is None
    assert refusal(lambda: services.plan_submit(plan=plan, by=staff, now=ON_TIME)) == NOT_SIGNED_OFF


def test_editing_items_after_sign_off_voids_the_sign_off(signed, staff):
    save(signed, staff, [*TWO_ITEMS, item("生活垃圾分类管理实施办法")])

    assert reload(signed).signed_off_by is None


def test_save_keeps_links_to_matters_by_title(draft, staff):
    matter = make_matter(by=staff, title="城市更新政策协商")
    draft.items.filter(title=TWO_ITEMS[0].title).update(matter=matter)

    save(draft, staff, [item("新增事项"), TWO_ITEMS[0]])

    assert dict(draft.items.values_list("title", "matter")) == {
        "新增事项": None,
        TWO_ITEMS[0].title: matter.pk,
    }


def test_a_returned_plan_can_be_edited(department, staff, leader):
    plan = plan_in("returned", department, staff, leader)

    plan = save(plan, staff, TWO_ITEMS[:1])

    assert reload(plan).status == AnnualPlan.Status.RETURNED
    assert plan.items.count() == 1


# --- plan_sign_off -------------------------------------------------------------------


def test_sign_off_records_the_leader_and_writes_one_ledger_row(draft, leader):
    mark = ledger_mark()

    plan = services.plan_sign_off(plan=draft, by=leader)

    plan = reload(plan)
    assert plan.signed_off_by == leader
    assert plan.signed_off_at is not None
    assert plan.status == AnnualPlan.Status.DRAFT
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="plan_signed_off", label="负责人审签", actor=leader)
    assert entry.summary == "负责人张伟审签2026年度计划目录"


def test_second_sign_off_is_refused_naming_who_signed(signed, department):
    message = refusal(
        lambda: services.plan_sign_off(plan=signed, by=LeaderFactory(department=department))
    )

    assert message == "该目录已由张伟审签。"


def test_an_incomplete_catalog_cannot_be_signed_off(department, staff, leader):
    plan = services.plan_start(department=department, year=2026, by=staff)

    message = refusal(lambda: services.plan_sign_off(plan=plan, by=leader))

    assert message == INCOMPLETE_NO_ITEMS
    assert reload(plan).signed_off_by is None


# --- plan_submit ---------------------------------------------------------------------


def test_submit_without_the_leaders_sign_off_is_refused(draft, staff):
    message = refusal(lambda: services.plan_submit(plan=draft, by=staff, now=ON_TIME))

    assert message == NOT_SIGNED_OFF
    assert reload(draft).status == AnnualPlan.Status.DRAFT


@pytest.mark.parametrize(
    ("person", "phone"),
    [("", "0532-85912345"), ("李娜", ""), ("  ", "0532-85912345"), ("李娜", "   ")],
)
def test_submit_without_contact_person_and_phone_is_refused(draft, staff, person, phone):
    save(draft, staff, TWO_ITEMS, contact_person=person, contact_phone=phone)

    message = refusal(lambda: services.plan_submit(plan=draft, by=staff, now=ON_TIME))

    assert message == INCOMPLETE_CONTACT


def test_submit_without_items_is_refused(department, staff):
    plan = services.plan_start(department=department, year=2026, by=staff)

    message = refusal(lambda: services.plan_submit(plan=plan, by=staff, now=ON_TIME))

    assert message == INCOMPLETE_NO_ITEMS


def test_submit_names_every_missing_part_at_once(department, staff):
    plan = services.plan_start(
        department=department, year=2026, by=StaffFactory(department=department)
    )
    save(plan, staff, [], contact_person="", contact_phone="")

    message = refusal(lambda: services.plan_submit(plan=plan, by=staff, now=ON_TIME))

    assert message == (
        "目录尚不完整：请填写联系人和联系电话；"
        "目录中没有事项：请添加事项，或勾选“本年度无协商事项”并说明原因。"
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_empty_catalog_without_a_reason_is_refused(draft, staff, reason):
    save(draft, staff, [], is_empty=True, empty_reason=reason)

    message = refusal(lambda: services.plan_submit(plan=draft, by=staff, now=ON_TIME))

    assert message == INCOMPLETE_NO_REASON


def test_an_empty_catalog_with_a_reason_is_signed_off_and_filed(draft, staff, leader):
    save(draft, staff, [], is_empty=True, empty_reason="本年度无需要开展政府协商的事项。")
    services.plan_sign_off(plan=draft, by=leader)

    plan = services.plan_submit(plan=draft, by=staff, now=ON_TIME)

    plan = reload(plan)
    assert plan.status == AnnualPlan.Status.SUBMITTED
    assert plan.is_empty
    assert plan.empty_reason == "本年度无需要开展政府协商的事项。"
    assert not plan.items.exists()


def test_submit_files_the_plan_and_writes_one_ledger_row(signed, staff):
    mark = ledger_mark()

    plan = services.plan_submit(plan=signed, by=staff, now=ON_TIME)

    plan = reload(plan)
    assert plan.status == AnnualPlan.Status.SUBMITTED
    assert plan.submitted_at == ON_TIME
    assert plan.first_submitted_at == ON_TIME
    assert plan.is_late is False
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="plan_submitted", label="报送备案", actor=staff)
    assert entry.summary == "报送2026年度计划目录备案"
    assert entry.before == {"status": "draft"}
    assert entry.after == {"status": "submitted", "submitted_at": "2026-03-20T10:00:00+08:00"}


def test_late_submission_is_accepted_and_marked_late_in_the_ledger(signed, staff):
    mark = ledger_mark()

    plan = services.plan_submit(plan=signed, by=staff, now=LATE)

    assert reload(plan).status == AnnualPlan.Status.SUBMITTED
    assert reload(plan).is_late is True
    assert the_one_ledger_row_since(mark).summary == "报送2026年度计划目录备案，逾期报送"


# --- plan_return ---------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_return_without_a_comment_is_refused(submitted, reviewer, comment):
    message = refusal(lambda: services.plan_return(plan=submitted, by=reviewer, comment=comment))

    assert message == "退回修改必须填写审核意见。"
    assert reload(submitted).status == AnnualPlan.Status.SUBMITTED


def test_return_stores_the_comment_and_per_item_comments(submitted, reviewer, leader):
    first, second = submitted.items.order_by("order")
    mark = ledger_mark()

    plan = services.plan_return(
        plan=submitted,
        by=reviewer,
        comment="  请补充事项的协商形式。 ",
        item_comments={first.pk: " 请明确立法听证的时间安排。", second.pk: "   "},
    )

    plan = reload(plan)
    assert plan.status == AnnualPlan.Status.RETURNED
    assert plan.review_comment == "请补充事项的协商形式。"
    assert plan.reviewed_by == reviewer
    assert plan.reviewed_at is not None
    assert dict(plan.items.values_list("pk", "review_comment")) == {
        first.pk: "请明确立法听证的时间安排。",
        second.pk: "",
    }
    # A returned catalog has to be signed off again before it is filed again.
    assert plan.signed_off_by is None
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="plan_returned", label="退回修改", actor=reviewer)
    assert entry.summary == "退回2026年度计划目录修改：请补充事项的协商形式。"
    assert entry.before == {"status": "submitted"}
    assert entry.after == {
        "status": "returned",
        "comment": "请补充事项的协商形式。",
        "item_comments": {str(first.pk): "请明确立法听证的时间安排。"},
    }


def test_return_refuses_comments_for_items_of_another_plan(submitted, reviewer):
    stranger = make_plan(status="submitted", items=1)
    foreign = stranger.items.get()
    own = submitted.items.first()

    message = refusal(
        lambda: services.plan_return(
            plan=submitted,
            by=reviewer,
            comment="请修改。",
            item_comments={own.pk: "可以", foreign.pk: "此项有误"},
        )
    )

    assert message == "逐项意见指向了不属于该目录的事项。"
    assert reload(submitted).status == AnnualPlan.Status.SUBMITTED
    assert set(PlanItem.objects.values_list("review_comment", flat=True)) == {""}


def test_resubmission_keeps_the_first_filing_time_and_lateness(submitted, staff, leader, reviewer):
    plan = services.plan_return(plan=submitted, by=reviewer, comment="请补充协商形式。")
    save(plan, staff, [TWO_ITEMS[0]])
    services.plan_sign_off(plan=plan, by=leader)
    mark = ledger_mark()

    plan = services.plan_submit(plan=plan, by=staff, now=LATE)

    plan = reload(plan)
    assert plan.status == AnnualPlan.Status.SUBMITTED
    assert plan.submitted_at == LATE
    assert plan.first_submitted_at == ON_TIME
    assert plan.is_late is False
    entry = the_one_ledger_row_since(mark)
    assert entry.before == {"status": "returned"}
    assert entry.summary == "报送2026年度计划目录备案"


def test_a_late_first_filing_stays_late_when_resubmitted(department, staff, leader, reviewer):
    plan = make_plan(
        department=department, by=staff, leader=leader, status="returned", submitted_at=LATE
    )
    services.plan_sign_off(plan=plan, by=leader)

    plan = services.plan_submit(plan=plan, by=staff, now=LATE + datetime.timedelta(days=30))

    plan = reload(plan)
    assert plan.first_submitted_at == LATE
    assert plan.is_late is True


def test_a_returned_plan_needs_a_fresh_sign_off(department, staff, leader):
    plan = plan_in("returned", department, staff, leader)

    assert refusal(lambda: services.plan_submit(plan=plan, by=staff, now=LATE)) == NOT_SIGNED_OFF


# --- plan_accept and plan_publish ----------------------------------------------------


def test_accept_keeps_the_items_as_version_1_and_writes_one_ledger_row(submitted, reviewer):
    snapshot = [i.snapshot() for i in submitted.items.order_by("order")]
    mark = ledger_mark()

    plan = services.plan_accept(plan=submitted, by=reviewer, comment="同意备案。")

    plan = reload(plan)
    assert plan.status == AnnualPlan.Status.ACCEPTED
    assert plan.version == 1
    assert plan.reviewed_by == reviewer
    assert plan.review_comment == "同意备案。"
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1
    assert version.items == snapshot
    assert version.items[0] == {
        "title": "《青岛市城市更新条例（草案）》立法协商",
        "kind": "legislative",
        "forms": ["written_solicitation", "symposium"],
        "planned_start": "2026-04-01",
        "planned_end": "2026-09-30",
        "responsible_office": "立法一处",
        "is_major_decision": True,
        "seeks_non_party_opinions": False,
    }
    assert version.accepted_by == reviewer
    assert version.note == "同意备案。"
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="plan_accepted", label="同意备案", actor=reviewer)
    assert entry.summary == "同意2026年度计划目录备案（第1版）"
    assert entry.before == {"status": "submitted"}
    assert entry.after == {"status": "accepted", "version": 1}


def test_accept_without_a_comment_notes_the_version_as_filing(submitted, reviewer):
    services.plan_accept(plan=submitted, by=reviewer)

    assert PlanVersion.objects.get(plan=submitted).note == "备案"


def test_accept_after_a_return_clears_the_item_comments(submitted, staff, leader, reviewer):
    first = submitted.items.order_by("order").first()
    services.plan_return(
        plan=submitted, by=reviewer, comment="请修改。", item_comments={first.pk: "时间不合理"}
    )
    services.plan_sign_off(plan=submitted, by=leader)
    services.plan_submit(plan=submitted, by=staff, now=LATE)

    plan = services.plan_accept(plan=submitted, by=reviewer)

    assert set(plan.items.values_list("review_comment", flat=True)) == {""}
    assert reload(plan).version == 1


def test_publish_makes_an_accepted_plan_public_and_writes_one_ledger_row(accepted, reviewer):
    mark = ledger_mark()

    plan = services.plan_publish(plan=accepted, by=reviewer)

    plan = reload(plan)
    assert plan.status == AnnualPlan.Status.PUBLISHED
    assert plan.is_public
    assert plan.published_at is not None
    assert plan.version == 1
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="plan_published", label="向社会公示", actor=reviewer)
    assert entry.summary == "向社会公示2026年度计划目录"
    assert entry.before == {"status": "accepted"}
    assert entry.after == {"status": "published"}


# --- anything from the wrong state ---------------------------------------------------


def _save(plan, people):
    return save(plan, people["staff"], [item("错误状态下的修改")])


def _sign_off(plan, people):
    return services.plan_sign_off(plan=plan, by=people["leader"])


def _submit(plan, people):
    return services.plan_submit(plan=plan, by=people["staff"], now=ON_TIME)


def _return(plan, people):
    return services.plan_return(plan=plan, by=people["reviewer"], comment="请修改。")


def _accept(plan, people):
    return services.plan_accept(plan=plan, by=people["reviewer"])


def _publish(plan, people):
    return services.plan_publish(plan=plan, by=people["reviewer"])


@pytest.mark.parametrize(
    ("status", "action", "what"),
    [
        ("submitted", _save, "不能修改"),
        ("accepted", _save, "不能修改"),
        ("published", _save, "不能修改"),
        ("submitted", _sign_off, "不能审签"),
        ("accepted", _sign_off, "不能审签"),
        ("published", _sign_off, "不能审签"),
        ("submitted", _submit, "不能报送"),
        ("accepted", _submit, "不能报送"),
        ("published", _submit, "不能报送"),
        ("draft", _return, "不能退回"),
        ("returned", _return, "不能退回"),
        ("accepted", _return, "不能退回"),
        ("published", _return, "不能退回"),
        ("draft", _accept, "不能备案"),
        ("returned", _accept, "不能备案"),
        ("accepted", _accept, "不能备案"),
        ("published", _accept, "不能备案"),
        ("draft", _publish, "不能公示"),
        ("submitted", _publish, "不能公示"),
        ("returned", _publish, "不能公示"),
        ("published", _publish, "不能公示"),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_naming_the_current_status(
    department, staff, leader, reviewer, status, action, what
):
    plan = plan_in(status, department, staff, leader)
    before = reload(plan)
    items_before = [i.snapshot() for i in plan.items.all()]
    people = {"staff": staff, "leader": LeaderFactory(department=department), "reviewer": reviewer}

    message = refusal(lambda: action(plan, people))

    assert message == other_state(what, status)
    after = reload(plan)
    assert after.status == before.status
    assert after.version == before.version
    assert [i.snapshot() for i in plan.items.all()] == items_before


def test_second_accept_after_accept_is_refused(accepted, reviewer):
    message = refusal(lambda: services.plan_accept(plan=accepted, by=ReviewerFactory()))

    assert message == ("不能备案：该目录当前状态为“已备案”，可能已被其他人处理，请刷新页面后查看。")
    assert PlanVersion.objects.filter(plan=accepted).count() == 1


def test_the_whole_life_of_a_plan_writes_one_ledger_row_per_service(department, staff, leader):
    reviewer = ReviewerFactory()
    mark = ledger_mark()

    plan = services.plan_start(department=department, year=2026, by=staff)
    save(plan, staff, TWO_ITEMS)
    services.plan_sign_off(plan=plan, by=leader)
    services.plan_submit(plan=plan, by=staff, now=ON_TIME)
    services.plan_return(plan=plan, by=reviewer, comment="请补充。")
    save(plan, staff, [TWO_ITEMS[0]])
    services.plan_sign_off(plan=plan, by=leader)
    services.plan_submit(plan=plan, by=staff, now=LATE)
    services.plan_accept(plan=plan, by=reviewer)
    services.plan_publish(plan=plan, by=reviewer)

    rows = ledger_since(mark)
    assert [(r.action, r.action_label, r.actor) for r in rows] == [
        ("plan_created", "创建年度计划目录", staff),
        ("plan_edited", "修改年度计划目录", staff),
        ("plan_signed_off", "负责人审签", leader),
        ("plan_submitted", "报送备案", staff),
        ("plan_returned", "退回修改", reviewer),
        ("plan_edited", "修改年度计划目录", staff),
        ("plan_signed_off", "负责人审签", leader),
        ("plan_submitted", "报送备案", staff),
        ("plan_accepted", "同意备案", reviewer),
        ("plan_published", "向社会公示", reviewer),
    ]
    assert {(r.object_type, r.object_id, r.department_id) for r in rows} == {
        ("annualplan", plan.pk, department.pk)
    }


# --- amendments (年中调整) ------------------------------------------------------------

NEW_ITEM = item(
    "社区养老服务设施布局规划",
    kind="key_matter",
    forms=["residents_forum", "stakeholder_consultation"],
    start=datetime.date(2026, 7, 1),
    end=datetime.date(2026, 12, 31),
    responsible_office="社会事务处",
)


def propose(plan, by, items, reason="上级部署新增重点任务，需调整目录。"):
    amendment = services.amendment_start(plan=plan, by=by, reason=reason)
    return services.amendment_save(amendment=amendment, by=by, reason=reason, items=items)


@pytest.fixture
def pending(accepted, staff):
    amendment = propose(accepted, staff, [*TWO_ITEMS, NEW_ITEM])
    return services.amendment_submit(amendment=amendment, by=staff)


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_only_an_accepted_or_published_plan_can_be_amended(department, staff, leader, status):
    plan = plan_in(status, department, staff, leader)

    message = refusal(lambda: services.amendment_start(plan=plan, by=staff, reason="需要调整"))

    assert message == "只有已备案或已公示的目录可以申请年中调整。"
    assert not Amendment.objects.exists()


@pytest.mark.parametrize("status", ["accepted", "published"])
def test_amendment_starts_from_the_current_items(department, staff, leader, status):
    plan = plan_in(status, department, staff, leader)

    amendment = services.amendment_start(plan=plan, by=staff, reason=" 新增重点任务 ")

    assert amendment.status == Amendment.Status.DRAFT
    assert amendment.reason == "新增重点任务"
    assert amendment.requested_by == staff
    assert [i.snapshot() for i in amendment.items.order_by("order")] == [
        i.snapshot() for i in plan.items.order_by("order")
    ]


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_amendment_needs_a_reason(accepted, staff, reason):
    message = refusal(lambda: services.amendment_start(plan=accepted, by=staff, reason=reason))

    assert message == "申请年中调整必须说明原因。"
    assert not Amendment.objects.exists()


def test_saving_an_amendment_needs_a_reason(accepted, staff):
    amendment = services.amendment_start(plan=accepted, by=staff, reason="新增重点任务")

    message = refusal(
        lambda: services.amendment_save(amendment=amendment, by=staff, reason=" ", items=[NEW_ITEM])
    )

    assert message == "申请年中调整必须说明原因。"


def test_only_one_amendment_is_open_at_a_time(accepted, staff):
    amendment = services.amendment_start(plan=accepted, by=staff, reason="新增重点任务")
    second = lambda: services.amendment_start(plan=accepted, by=staff, reason="再次调整")  # noqa: E731

    assert refusal(second) == "该目录已有一项未办结的年中调整。"
    services.amendment_save(
        amendment=amendment, by=staff, reason="新增重点任务", items=[*TWO_ITEMS, NEW_ITEM]
    )
    services.amendment_submit(amendment=amendment, by=staff)
    assert refusal(second) == "该目录已有一项未办结的年中调整。"
    assert accepted.amendments.count() == 1


def test_a_new_amendment_can_be_opened_once_the_last_is_decided(pending, accepted, staff, reviewer):
    services.amendment_decide(amendment=pending, by=reviewer, accept=False, comment="理由不充分")

    amendment = services.amendment_start(plan=accepted, by=staff, reason="补充说明后再次申请")

    assert amendment.status == Amendment.Status.DRAFT


def test_amendment_save_with_end_before_start_is_refused_naming_the_item(accepted, staff):
    amendment = services.amendment_start(plan=accepted, by=staff, reason="新增重点任务")
    bad = item(
        "社区养老服务设施布局规划", start=datetime.date(2026, 12, 1), end=datetime.date(2026, 6, 1)
    )

    message = refusal(
        lambda: services.amendment_save(
            amendment=amendment, by=staff, reason="新增重点任务", items=[*TWO_ITEMS, bad]
        )
    )

    assert message == "第3项“社区养老服务设施布局规划”的计划完成日期早于计划开始日期。"
    assert amendment.items.count() == 2


def test_an_unchanged_proposal_cannot_be_submitted(accepted, staff):
    amendment = services.amendment_start(plan=accepted, by=staff, reason="新增重点任务")

    message = refusal(lambda: services.amendment_submit(amendment=amendment, by=staff))

    assert message == "调整后的目录与现行目录相同，无需申请调整。"
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.DRAFT


def test_amendment_submit_sends_it_for_review_and_writes_one_ledger_row(accepted, staff):
    amendment = propose(accepted, staff, [*TWO_ITEMS, NEW_ITEM])
    mark = ledger_mark()

    amendment = services.amendment_submit(amendment=amendment, by=staff)

    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PENDING
    assert amendment.requested_at is not None
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(
        entry, accepted, action="amendment_requested", label="申请年中调整", actor=staff
    )
    assert entry.summary == "申请调整2026年度计划目录：上级部署新增重点任务，需调整目录。"
    assert entry.after == {"amendment": amendment.pk, "items": 3}


def test_a_submitted_amendment_cannot_be_changed_or_submitted_again(pending, staff):
    assert (
        refusal(
            lambda: services.amendment_save(
                amendment=pending, by=staff, reason="再改一次", items=[NEW_ITEM]
            )
        )
        == "该调整申请已提交，不能再修改。"
    )
    assert refusal(lambda: services.amendment_submit(amendment=pending, by=staff)) == (
        "该调整申请已提交。"
    )
    assert pending.items.count() == 3


def test_accepting_an_amendment_replaces_the_items_and_keeps_version_2(pending, accepted, reviewer):
    version_1 = PlanVersion.objects.get(plan=accepted, number=1)
    old_items = list(version_1.items)
    mark = ledger_mark()

    amendment = services.amendment_decide(amendment=pending, by=reviewer, accept=True)

    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ACCEPTED
    assert amendment.decided_by == reviewer
    assert amendment.decided_at is not None
    plan = reload(accepted)
    assert plan.version == 2
    assert plan.status == AnnualPlan.Status.ACCEPTED
    titles = [d.title for d in (*TWO_ITEMS, NEW_ITEM)]
    assert list(plan.items.order_by("order").values_list("title", flat=True)) == titles
    version_2 = PlanVersion.objects.get(plan=plan, number=2)
    assert [i["title"] for i in version_2.items] == titles
    assert version_2.note == "上级部署新增重点任务，需调整目录。"
    assert version_2.accepted_by == reviewer
    version_1.refresh_from_db()
    assert version_1.items == old_items
    assert [i["title"] for i in version_1.items] == titles[:2]
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(entry, plan, action="amendment_accepted", label="同意年中调整", actor=reviewer)
    assert entry.summary == "同意调整2026年度计划目录（第2版）"
    assert entry.before == {"items": old_items}
    assert entry.after == {"amendment": amendment.pk, "status": "accepted"}


def test_accepting_an_amendment_of_a_published_plan_keeps_it_published(
    department, staff, leader, reviewer
):
    plan = plan_in("published", department, staff, leader)
    amendment = propose(plan, staff, [NEW_ITEM])
    services.amendment_submit(amendment=amendment, by=staff)

    services.amendment_decide(amendment=amendment, by=reviewer, accept=True)

    plan = reload(plan)
    assert plan.status == AnnualPlan.Status.PUBLISHED
    assert plan.version == 2
    assert list(plan.items.values_list("title", flat=True)) == [NEW_ITEM.title]
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]


def test_accepting_an_amendment_keeps_links_to_matters_by_title(accepted, staff, reviewer):
    matter = make_matter(by=staff, title="城市更新政策协商")
    accepted.items.filter(title=TWO_ITEMS[0].title).update(matter=matter)
    amendment = propose(accepted, staff, [NEW_ITEM, TWO_ITEMS[0]])
    services.amendment_submit(amendment=amendment, by=staff)

    services.amendment_decide(amendment=amendment, by=reviewer, accept=True)

    assert dict(accepted.items.values_list("title", "matter")) == {
        NEW_ITEM.title: None,
        TWO_ITEMS[0].title: matter.pk,
    }


def test_accepting_an_amendment_that_adds_items_to_an_empty_catalog_clears_the_empty_flag(
    department, staff, leader, reviewer
):
    plan = make_plan(department=department, by=staff, leader=leader, status="accepted", items=0)
    assert plan.is_empty
    amendment = propose(plan, staff, [NEW_ITEM], reason="年中新增养老服务设施规划事项")
    services.amendment_submit(amendment=amendment, by=staff)

    services.amendment_decide(amendment=amendment, by=reviewer, accept=True)

    plan = reload(plan)
    assert list(plan.items.values_list("title", flat=True)) == [NEW_ITEM.title]
    # The catalog now has an item, so it can no longer say it has none (plan_save's rule).
    assert plan.is_empty is False
    assert plan.empty_reason == ""


@pytest.mark.parametrize("comment", ["", "   "])
def test_rejecting_an_amendment_needs_a_comment(pending, reviewer, comment):
    message = refusal(
        lambda: services.amendment_decide(
            amendment=pending, by=reviewer, accept=False, comment=comment
        )
    )

    assert message == "不同意调整必须填写审核意见。"
    pending.refresh_from_db()
    assert pending.status == Amendment.Status.PENDING


def test_rejecting_an_amendment_changes_nothing_on_the_plan(pending, accepted, reviewer):
    items_before = [i.snapshot() for i in accepted.items.order_by("order")]
    mark = ledger_mark()

    amendment = services.amendment_decide(
        amendment=pending, by=reviewer, accept=False, comment=" 调整理由不充分。 "
    )

    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED
    assert amendment.decision_comment == "调整理由不充分。"
    plan = reload(accepted)
    assert plan.version == 1
    assert plan.status == AnnualPlan.Status.ACCEPTED
    assert [i.snapshot() for i in plan.items.order_by("order")] == items_before
    assert list(plan.versions.values_list("number", flat=True)) == [1]
    entry = the_one_ledger_row_since(mark)
    assert_plan_row(
        entry, plan, action="amendment_rejected", label="不同意年中调整", actor=reviewer
    )
    assert entry.summary == "不同意调整2026年度计划目录：调整理由不充分。"
    assert entry.before == {}
    assert entry.after == {"amendment": amendment.pk, "status": "rejected"}


@pytest.mark.parametrize(("first_accept", "label"), [(True, "已同意"), (False, "未同意")])
@pytest.mark.parametrize("second_accept", [True, False])
def test_a_decided_amendment_cannot_be_decided_again(
    pending, accepted, reviewer, first_accept, label, second_accept
):
    services.amendment_decide(amendment=pending, by=reviewer, accept=first_accept, comment="意见")
    version = reload(accepted).version

    message = refusal(
        lambda: services.amendment_decide(
            amendment=pending, by=ReviewerFactory(), accept=second_accept, comment="再次审核"
        )
    )

    assert message == f"该调整申请当前状态为“{label}”，可能已被其他审核人处理。"
    assert reload(accepted).version == version


def test_a_draft_amendment_cannot_be_decided(accepted, staff, reviewer):
    amendment = propose(accepted, staff, [NEW_ITEM])

    message = refusal(
        lambda: services.amendment_decide(amendment=amendment, by=reviewer, accept=True)
    )

    assert message == "该调整申请当前状态为“草拟中”，可能已被其他审核人处理。"
    assert reload(accepted).version == 1


def test_an_amendment_removing_every_item_makes_the_catalog_an_explicit_empty_one(
    accepted, staff, reviewer
):
    """plan_save's rule holds after an amendment too: a catalog either has items or says,
    with a reason, that it has none; the amendment's reason is that reason."""
    amendment = propose(accepted, staff, [], reason="两个事项均已并入市政府统一组织的协商")
    services.amendment_submit(amendment=amendment, by=staff)

    services.amendment_decide(amendment=amendment, by=reviewer, accept=True)

    plan = reload(accepted)
    assert not plan.items.exists()
    assert plan.is_empty is True
    assert plan.empty_reason == "两个事项均已并入市政府统一组织的协商"
    assert plan.versions.get(number=2).items == []


def test_sign_off_is_recorded_at_the_time_given(draft, leader):
    signed_at = datetime.datetime(2026, 3, 19, 15, 30, tzinfo=SHANGHAI)

    plan = services.plan_sign_off(plan=draft, by=leader, now=signed_at)

    assert reload(plan).signed_off_at == signed_at
