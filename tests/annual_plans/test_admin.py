"""The general office's review of annual plan filings in the admin: every decision through
the services, with its ledger row; the per-year overview; amendments; moved deadlines."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import ERROR
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department
from accounts.roles import Role
from annual_plans import services
from annual_plans.models import Amendment, AnnualPlan, FilingDeadline, PlanItem
from matters.models import LedgerEntry
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    GeneralOfficeFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHANGELIST = "admin:annual_plans_annualplan_changelist"
OVERVIEW = "admin:annual_plans_annualplan_overview"
Status = AnnualPlan.Status


@pytest.fixture
def reviewer(client):
    user = ReviewerFactory(full_name="王丽")
    client.force_login(user)
    return user


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def _department(code: str, name: str, **extra) -> Department:
    return DepartmentFactory(code=code, name=name, short_name=name.removeprefix("青岛"), **extra)


def _act(client, action: str, objects, *, url=CHANGELIST, **extra):
    return client.post(
        reverse(url),
        {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _ledger(plan: AnnualPlan, action: str):
    return LedgerEntry.objects.filter(object_type="annualplan", object_id=plan.pk, action=action)


def _review_url(plan: AnnualPlan) -> str:
    return reverse("admin:annual_plans_annualplan_review", args=[plan.pk])


# The change list and the read-only plan page


def test_reviewer_sees_the_filings_with_their_filters_and_actions(client, reviewer):
    make_plan(department=_department("sfj", "青岛市司法局"), status="submitted", items=2)
    make_plan(department=_department("mzj", "青岛市民政局"), status="accepted")
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    text = response.content.decode()
    assert "青岛市司法局" in text and "青岛市民政局" in text
    filters = text[text.index('id="changelist-filter"') :]
    for title in ("年度", "状态", "部门类别", "逾期报送", "是否有待审核的年中调整"):
        assert title in filters
    for action in ("同意备案", "退回修改", "向社会公示"):
        assert action in text
    assert 'name="comment"' in text  # the action form's comment box
    assert "年度报送情况" in text and reverse(OVERVIEW) in text
    submitted = AnnualPlan.objects.get(department__code="sfj")
    assert _review_url(submitted) in text
    accepted = AnnualPlan.objects.get(department__code="mzj")
    assert _review_url(accepted) not in text


def test_late_filings_carry_a_badge_and_a_filter(client, reviewer):
    make_plan(
        department=_department("sfj", "青岛市司法局"),
        status="submitted",
        submitted_at=_at(2026, 4, 2, 9, 0),
    )
    make_plan(
        department=_department("mzj", "青岛市民政局"),
        status="submitted",
        submitted_at=_at(2026, 3, 20, 9, 0),
    )
    text = client.get(reverse(CHANGELIST), {"is_late__exact": "1"}).content.decode()
    assert "青岛市司法局" in text and "青岛市民政局" not in text
    assert 'class="plan-badge plan-badge-late"' in text


def test_pending_amendment_filter(client, reviewer):
    with_amendment = make_plan(department=_department("sfj", "青岛市司法局"), status="accepted")
    _pending_amendment(with_amendment)
    make_plan(department=_department("mzj", "青岛市民政局"), status="accepted")
    text = client.get(reverse(CHANGELIST), {"pending_amendment": "yes"}).content.decode()
    assert "青岛市司法局" in text and "青岛市民政局" not in text
    text = client.get(reverse(CHANGELIST), {"pending_amendment": "no"}).content.decode()
    assert "青岛市民政局" in text and "青岛市司法局" not in text


def test_the_change_list_costs_the_same_for_more_filings(client, reviewer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(queries)

    make_plan(status="submitted", items=2)
    few = count()
    for _ in range(4):
        make_plan(status="accepted", items=3)
    assert count() == few


def test_a_plan_opens_read_only_with_items_versions_and_ledger(client, reviewer):
    plan = make_plan(status="submitted", items=2)
    url = reverse("admin:annual_plans_annualplan_change", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "老旧小区改造资金分担办法" in text  # the items inline
    assert "公众参与、专家论证" in text  # forms by their labels, not codes
    assert "报送2026年度计划目录备案" in text  # the ledger
    assert _review_url(plan) in text  # the way to the review page
    assert 'name="_save"' not in text
    assert client.post(url, {"contact_person": "改掉"}).status_code == 403
    plan.refresh_from_db()
    assert plan.contact_person == "王丽"


def test_plans_cannot_be_added_or_deleted_in_the_admin(client, reviewer):
    plan = make_plan()
    assert client.get(reverse("admin:annual_plans_annualplan_add")).status_code == 403
    delete_url = reverse("admin:annual_plans_annualplan_delete", args=[plan.pk])
    assert client.get(delete_url).status_code == 403
    assert "delete_selected" not in client.get(reverse(CHANGELIST)).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse(CHANGELIST),
        reverse(OVERVIEW),
        reverse("admin:annual_plans_annualplan_review", args=[1]),
        reverse("admin:annual_plans_amendment_changelist"),
        reverse("admin:annual_plans_filingdeadline_add"),
    ],
)
def test_department_staff_are_sent_away_from_the_admin(client, url):
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_department_staff_cannot_run_the_accept_action(client):
    plan = make_plan(status="submitted")
    client.force_login(plan.created_by)
    response = client.post(
        reverse(CHANGELIST), {"action": "accept_selected", "_selected_action": [plan.pk]}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_system_administrator_sees_the_filings_and_the_overview(client):
    make_plan(status="submitted")
    client.force_login(AdministratorFactory())
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse(OVERVIEW), {"year": 2026}).status_code == 200
    assert client.get(reverse("admin:annual_plans_amendment_changelist")).status_code == 200
    assert client.get(reverse("admin:annual_plans_filingdeadline_add")).status_code == 200


# Actions on the change list


def test_accept_action_accepts_through_the_service(client, reviewer):
    first, second = make_plan(status="submitted"), make_plan(status="submitted")
    response = _act(client, "accept_selected", [first, second])
    assert "已同意 2 份目录备案。" in _messages(response)
    for plan in (first, second):
        plan.refresh_from_db()
        assert plan.status == Status.ACCEPTED
        assert plan.version == 1 and plan.versions.count() == 1
        assert plan.reviewed_by == reviewer
        assert _ledger(plan, "plan_accepted").get().actor == reviewer


def test_return_action_without_a_comment_is_refused_and_changes_nothing(client, reviewer):
    plan = make_plan(status="submitted")
    response = _act(client, "return_selected", [plan], comment="   ")
    messages = list(response.context["messages"])
    assert [str(m) for m in messages] == [
        "退回修改必须填写审核意见：请在“审核意见”中填写后再执行。"
    ]
    assert messages[0].level == ERROR
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert plan.review_comment == ""
    assert not _ledger(plan, "plan_returned").exists()


def test_return_action_returns_with_the_comment_in_the_ledger(client, reviewer):
    plan = make_plan(status="submitted")
    response = _act(client, "return_selected", [plan], comment="请补充各事项的责任处室联系人。")
    assert "已退回 1 份目录修改。" in _messages(response)
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert plan.review_comment == "请补充各事项的责任处室联系人。"
    assert plan.signed_off_by is None  # the department signs off again before refiling
    entry = _ledger(plan, "plan_returned").get()
    assert entry.actor == reviewer
    assert entry.after["comment"] == "请补充各事项的责任处室联系人。"


def test_publish_action_publishes_accepted_plans(client, reviewer):
    plan = make_plan(status="accepted")
    response = _act(client, "publish_selected", [plan])
    assert "已向社会公示 1 份目录。" in _messages(response)
    plan.refresh_from_db()
    assert plan.status == Status.PUBLISHED
    assert plan.published_at is not None
    assert _ledger(plan, "plan_published").get().actor == reviewer


def test_acting_on_a_plan_another_reviewer_accepted_reports_it(client, reviewer):
    plan = make_plan(department=_department("sfj", "青岛市司法局"), status="submitted")
    other = make_plan(department=_department("mzj", "青岛市民政局"), status="submitted")
    # The change list was loaded; meanwhile a colleague accepts the first filing.
    services.plan_accept(plan=plan, by=ReviewerFactory(full_name="赵刚"))
    response = _act(client, "accept_selected", [plan, other])
    messages = {str(m): m.level for m in response.context["messages"]}
    stale = next(text for text in messages if text.startswith("“青岛市司法局2026年度"))
    assert "该目录当前状态为“已备案”，可能已被其他人处理" in stale
    assert messages[stale] == ERROR
    assert "已同意 1 份目录备案。" in messages
    assert _ledger(plan, "plan_accepted").count() == 1
    plan.refresh_from_db()
    assert plan.reviewed_by.full_name == "赵刚"
    other.refresh_from_db()
    assert other.status == Status.ACCEPTED


def test_publishing_a_plan_not_yet_accepted_is_reported(client, reviewer):
    plan = make_plan(department=_department("sfj", "青岛市司法局"), status="submitted")
    response = _act(client, "publish_selected", [plan])
    assert any("不能公示：该目录当前状态为“已报送”" in text for text in _messages(response))
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


# The review page with per-item comments


def test_review_page_lists_each_item_with_a_comment_box(client, reviewer):
    plan = make_plan(status="submitted", items=3)
    response = client.get(_review_url(plan))
    assert response.status_code == 200
    text = response.content.decode()
    for item in plan.items.all():
        assert item.title in text
        assert f'name="item_{item.pk}"' in text
    assert 'name="comment"' in text
    assert 'name="_accept"' in text and 'name="_return"' in text


def test_review_page_returns_with_item_comments_and_the_overall_comment(client, reviewer):
    plan = make_plan(status="submitted", items=3)
    first, second, third = plan.items.order_by("order")
    response = client.post(
        _review_url(plan),
        {
            "comment": "请按逐项意见修改后重新报送。",
            f"item_{first.pk}": "协商形式应包括听证会。",
            f"item_{second.pk}": "",
            f"item_{third.pk}": "计划完成日期过晚，请调整。",
            "_return": "退回修改",
        },
        follow=True,
    )
    assert "已将“" in " ".join(_messages(response))
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert plan.review_comment == "请按逐项意见修改后重新报送。"
    comments = dict(PlanItem.objects.filter(plan=plan).values_list("pk", "review_comment"))
    assert comments == {
        first.pk: "协商形式应包括听证会。",
        second.pk: "",
        third.pk: "计划完成日期过晚，请调整。",
    }
    entry = _ledger(plan, "plan_returned").get()
    assert entry.actor == reviewer
    assert entry.after["item_comments"] == {
        str(first.pk): "协商形式应包括听证会。",
        str(third.pk): "计划完成日期过晚，请调整。",
    }
    # The plan page now shows each item's comment.
    assert "计划完成日期过晚，请调整。" in response.content.decode()


def test_review_page_refuses_a_return_without_overall_comment_and_keeps_the_input(client, reviewer):
    plan = make_plan(status="submitted", items=2)
    item = plan.items.first()
    response = client.post(
        _review_url(plan),
        {"comment": " ", f"item_{item.pk}": "请补充法律依据。", "_return": "退回修改"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "退回修改必须填写总体审核意见。" in text
    assert "请补充法律依据。" in text  # what the reviewer typed is still there
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert not PlanItem.objects.filter(plan=plan).exclude(review_comment="").exists()
    assert not _ledger(plan, "plan_returned").exists()


def test_review_page_accepts(client, reviewer):
    plan = make_plan(status="submitted", items=2)
    response = client.post(_review_url(plan), {"comment": "", "_accept": "同意备案"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:annual_plans_annualplan_change", args=[plan.pk]
    )
    plan.refresh_from_db()
    assert plan.status == Status.ACCEPTED
    assert _ledger(plan, "plan_accepted").get().actor == reviewer


def test_review_page_will_not_accept_over_item_comments(client, reviewer):
    plan = make_plan(status="submitted", items=1)
    item = plan.items.get()
    response = client.post(
        _review_url(plan), {f"item_{item.pk}": "请核实计划时间。", "_accept": "同意备案"}
    )
    text = response.content.decode()
    assert "填写了逐项意见时不能直接同意备案" in text
    assert "请核实计划时间。" in text
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_review_page_reports_a_plan_decided_meanwhile_and_keeps_the_input(client, reviewer):
    plan = make_plan(status="submitted", items=1)
    item = plan.items.get()
    services.plan_accept(plan=plan, by=ReviewerFactory())
    response = client.post(
        _review_url(plan),
        {"comment": "请修改。", f"item_{item.pk}": "名称不规范。", "_return": "退回修改"},
    )
    assert response.status_code == 200
    messages = list(response.context["messages"])
    assert messages[0].level == ERROR
    assert "该目录当前状态为“已备案”，可能已被其他人处理" in str(messages[0])
    text = response.content.decode()
    assert "名称不规范。" in text and "请修改。" in text
    assert 'name="_return"' not in text  # no buttons for a plan no longer under review
    plan.refresh_from_db()
    assert plan.status == Status.ACCEPTED


# The per-year overview


def _fixtures_for_2026():
    """Departments in every state for 2026, filed at the edges of the deadline."""
    GeneralOfficeFactory()
    on_time = _department("sfj", "青岛市司法局", sort_order=10)
    late = _department("mzj", "青岛市民政局", sort_order=20)
    missing = _department("czj", "青岛市财政局", sort_order=30)
    returned = _department("fgw", "青岛市发展和改革委员会", sort_order=40)
    draft_only = _department(
        "shinan", "青岛市市南区人民政府", sort_order=50, kind=Department.Kind.DISTRICT
    )
    _department("old", "青岛市已撤销局", sort_order=60, is_active=False)
    make_plan(department=on_time, status="submitted", submitted_at=_at(2026, 3, 31, 23, 59, 59))
    make_plan(department=late, status="submitted", submitted_at=_at(2026, 4, 1, 0, 0, 0))
    make_plan(department=returned, status="returned", submitted_at=_at(2026, 3, 30, 10, 0))
    make_plan(department=draft_only, status="draft")
    make_plan(department=missing, year=2025, status="submitted", submitted_at=_at(2025, 3, 1))


def _states(response) -> dict[str, str]:
    return {row["row"].department.code: row["row"].state for row in response.context["rows"]}


def test_overview_shows_every_filing_department_with_its_state(client, reviewer):
    _fixtures_for_2026()
    response = client.get(reverse(OVERVIEW), {"year": 2026})
    assert response.status_code == 200
    assert _states(response) == {
        "sfj": "on_time",
        "mzj": "late",
        "czj": "missing",
        "fgw": "returned",
        "shinan": "missing",
    }
    text = response.content.decode()
    assert "2026年度计划目录报送情况" in text
    assert "2026年3月31日 23:59:59" in text
    for label in ("按时报送", "逾期报送", "退回修改", "逾期未报送"):
        assert label in text
    assert "青岛市已撤销局" not in text  # inactive
    assert "青岛市人民政府办公厅" not in text  # the office itself does not file
    sfj = AnnualPlan.objects.get(department__code="sfj")
    assert reverse("admin:annual_plans_annualplan_change", args=[sfj.pk]) in text
    counts = {item["state"]: item["count"] for item in response.context["counts"]}
    assert counts == {"on_time": 1, "late": 1, "returned": 1, "missing": 2, "pending": 0}


def test_overview_state_filter_lists_only_missing_departments(client, reviewer):
    _fixtures_for_2026()
    response = client.get(reverse(OVERVIEW), {"year": 2026, "state": "missing"})
    assert set(_states(response)) == {"czj", "shinan"}
    text = response.content.decode()
    assert "青岛市财政局" in text
    assert "青岛市司法局" not in text


def test_overview_invalid_year_falls_back_to_this_year_with_a_message(client, reviewer):
    response = client.get(reverse(OVERVIEW), {"year": "两千"})
    this_year = datetime.datetime.now(SHANGHAI).year
    assert response.context["year"] == this_year
    assert f"年度“两千”无效，已显示{this_year}年度。" in _messages(response)


def test_overview_invalid_state_shows_everyone_with_a_message(client, reviewer):
    _fixtures_for_2026()
    response = client.get(reverse(OVERVIEW), {"year": 2026, "state": "lost"})
    assert len(response.context["rows"]) == 5
    assert "报送情况“lost”无效，已显示全部部门。" in _messages(response)


def test_overview_shows_a_moved_deadline_and_its_reason(client, reviewer):
    department = _department("sfj", "青岛市司法局")
    FilingDeadline.objects.create(
        year=2026,
        deadline=_at(2026, 4, 7, 23, 59, 59),
        reason="因清明节假期顺延",
        set_by=reviewer,
    )
    make_plan(department=department, status="submitted", submitted_at=_at(2026, 4, 3, 9, 0))
    response = client.get(reverse(OVERVIEW), {"year": 2026})
    text = response.content.decode()
    assert "2026年4月7日 23:59:59" in text
    assert "因清明节假期顺延" in text and "默认为2026年3月31日 23:59:59" in text
    assert _states(response)["sfj"] == "on_time"


def test_overview_costs_the_same_queries_for_5_and_30_departments(client, reviewer):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(OVERVIEW), {"year": 2026})
        assert response.status_code == 200
        return len(queries), len(response.context["rows"])

    for n in range(5):
        make_plan(department=_department(f"a{n}", f"青岛市甲局{n}"), status="submitted")
    five, rows = count()
    assert rows == 5
    for n in range(25):
        department = _department(f"b{n}", f"青岛市乙局{n}")
        if n % 2:
            make_plan(department=department, status="accepted")
    thirty, rows = count()
    assert rows == 30
    assert thirty == five


def test_overview_is_refused_to_department_staff_in_the_admin_site(client):
    # A staff member who somehow reaches the view (the site itself refuses them first).
    client.force_login(StaffFactory())
    assert client.get(reverse(OVERVIEW)).status_code == 302


# Mid-year amendments


def _pending_amendment(plan: AnnualPlan, *, title: str = "海岸带保护规划编制") -> Amendment:
    staff = StaffFactory(department=plan.department)
    amendment = services.amendment_start(plan=plan, by=staff, reason="新增市政府交办事项")
    items = [services.ItemData.from_item(item) for item in plan.items.all()]
    items.append(
        services.ItemData(
            title=title,
            kind="key_matter",
            forms=["symposium"],
            planned_start=datetime.date(plan.year, 7, 1),
            planned_end=datetime.date(plan.year, 11, 30),
            responsible_office="规划处",
        )
    )
    services.amendment_save(amendment=amendment, by=staff, reason="新增市政府交办事项", items=items)
    return services.amendment_submit(amendment=amendment, by=staff)


AMENDMENTS = "admin:annual_plans_amendment_changelist"


def test_amendments_list_pending_first(client, reviewer):
    decided = _pending_amendment(
        make_plan(department=_department("sfj", "青岛市司法局"), status="accepted")
    )
    services.amendment_decide(amendment=decided, by=reviewer, accept=False, comment="理由不充分")
    pending = _pending_amendment(
        make_plan(department=_department("mzj", "青岛市民政局"), status="accepted")
    )
    # The pending one was requested later; decide the comparison by status, not by date.
    Amendment.objects.filter(pk=decided.pk).update(
        requested_at=pending.requested_at + datetime.timedelta(days=1)
    )
    response = client.get(reverse(AMENDMENTS))
    listed = [amendment.pk for amendment in response.context["cl"].result_list]
    assert listed == [pending.pk, decided.pk]


def test_amendment_page_shows_the_proposal_beside_the_current_items(client, reviewer):
    plan = make_plan(status="accepted", items=2)
    amendment = _pending_amendment(plan)
    response = client.get(reverse("admin:annual_plans_amendment_change", args=[amendment.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "新增：海岸带保护规划编制" in text
    assert "第1版（调整前）" in text
    assert "老旧小区改造资金分担办法" in text
    assert 'name="_save"' not in text


def test_amendment_accept_action_makes_a_new_version(client, reviewer):
    plan = make_plan(status="accepted", items=1)
    amendment = _pending_amendment(plan)
    response = _act(client, "accept_selected", [amendment], url=AMENDMENTS)
    assert "已同意 1 项年中调整。" in _messages(response)
    amendment.refresh_from_db()
    plan.refresh_from_db()
    assert amendment.status == Amendment.Status.ACCEPTED
    assert amendment.decided_by == reviewer
    assert plan.version == 2
    assert plan.items.filter(title="海岸带保护规划编制").exists()
    assert _ledger(plan, "amendment_accepted").get().actor == reviewer


def test_amendment_reject_action_needs_a_comment(client, reviewer):
    plan = make_plan(status="accepted", items=1)
    amendment = _pending_amendment(plan)
    response = _act(client, "reject_selected", [amendment], url=AMENDMENTS, comment="")
    messages = list(response.context["messages"])
    assert str(messages[0]) == "不同意调整必须填写审核意见：请在“审核意见”中填写后再执行。"
    assert messages[0].level == ERROR
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PENDING
    assert not _ledger(plan, "amendment_rejected").exists()


def test_amendment_reject_action_rejects_with_the_comment(client, reviewer):
    plan = make_plan(status="accepted", items=1)
    amendment = _pending_amendment(plan)
    response = _act(
        client, "reject_selected", [amendment], url=AMENDMENTS, comment="该事项已列入明年计划。"
    )
    assert "已不同意 1 项年中调整。" in _messages(response)
    amendment.refresh_from_db()
    plan.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED
    assert amendment.decision_comment == "该事项已列入明年计划。"
    assert plan.version == 1
    assert not plan.items.filter(title="海岸带保护规划编制").exists()
    assert _ledger(plan, "amendment_rejected").get().actor == reviewer


def test_deciding_an_amendment_twice_is_reported(client, reviewer):
    amendment = _pending_amendment(make_plan(status="accepted", items=1))
    services.amendment_decide(amendment=amendment, by=ReviewerFactory(), accept=True)
    response = _act(client, "accept_selected", [amendment], url=AMENDMENTS)
    messages = list(response.context["messages"])
    assert "该调整申请当前状态为“已同意”，可能已被其他审核人处理。" in str(messages[0])
    assert messages[0].level == ERROR


# Filing deadlines


DEADLINE_ADD = "admin:annual_plans_filingdeadline_add"


def _deadline_form(**overrides) -> dict:
    return {
        "year": "2026",
        "deadline_0": "2026-04-07",
        "deadline_1": "23:59:59",
        "reason": "因清明节假期顺延",
        "_save": "保存",
        **overrides,
    }


def test_deadline_admin_shows_the_default_for_comparison(client, reviewer):
    text = client.get(reverse(DEADLINE_ADD)).content.decode()
    assert "默认截止时间" in text and "每年3月31日 23:59:59" in text


def test_deadline_admin_moves_the_deadline_through_the_service(client, reviewer):
    late = make_plan(status="submitted", submitted_at=_at(2026, 4, 3, 9, 0))
    assert late.is_late
    response = client.post(reverse(DEADLINE_ADD), _deadline_form())
    assert response.status_code == 302
    moved = FilingDeadline.objects.get(year=2026)
    assert moved.deadline == _at(2026, 4, 7, 23, 59, 59)
    assert moved.reason == "因清明节假期顺延"
    assert moved.set_by == reviewer
    entry = LedgerEntry.objects.get(action="deadline_moved", object_id=moved.pk)
    assert entry.actor == reviewer
    assert entry.department_id == reviewer.department_id
    assert entry.before == {"deadline": "2026-03-31T23:59:59+08:00"}
    late.refresh_from_db()
    assert not late.is_late  # re-judged against the moved deadline
    page = client.get(reverse("admin:annual_plans_filingdeadline_change", args=[moved.pk]))
    assert "2026年3月31日 23:59" in page.content.decode()  # the default beside it (issue 21, item 14)


def test_deadline_admin_refuses_a_move_without_a_reason(client, reviewer):
    response = client.post(reverse(DEADLINE_ADD), _deadline_form(reason="   "))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"]
    assert not FilingDeadline.objects.exists()
    assert not LedgerEntry.objects.filter(action="deadline_moved").exists()


def test_deadline_admin_changes_a_moved_deadline_with_a_new_reason(client, reviewer):
    client.post(reverse(DEADLINE_ADD), _deadline_form())
    moved = FilingDeadline.objects.get()
    url = reverse("admin:annual_plans_filingdeadline_change", args=[moved.pk])
    response = client.post(
        url,
        {"deadline_0": "2026-04-10", "deadline_1": "18:00:00", "reason": "系统维护再顺延三天",
         "_save": "保存"},
    )  # fmt: skip
    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.deadline == _at(2026, 4, 10, 18, 0, 0)
    assert moved.reason == "系统维护再顺延三天"
    assert LedgerEntry.objects.filter(action="deadline_moved").count() == 2
    assert client.post(url, {"deadline_0": "2026-04-12", "deadline_1": "18:00:00",
                             "reason": "", "_save": "保存"}).status_code == 200  # fmt: skip
    moved.refresh_from_db()
    assert moved.deadline == _at(2026, 4, 10, 18, 0, 0)


def test_deadline_moved_by_an_administrator_is_booked_to_the_general_office(client):
    office = GeneralOfficeFactory()
    admin_user = AdministratorFactory()
    assert admin_user.department_id is None
    client.force_login(admin_user)
    assert client.post(reverse(DEADLINE_ADD), _deadline_form()).status_code == 302
    assert LedgerEntry.objects.get(action="deadline_moved").department_id == office.pk


def test_deadline_outside_its_year_is_refused(client, reviewer):
    response = client.post(reverse(DEADLINE_ADD), _deadline_form(deadline_0="2027-01-05"))
    assert response.status_code == 200
    assert "截止时间应在2026年内。" in response.content.decode()
    assert not FilingDeadline.objects.exists()


# Permissions given by the data migration



def test_department_roles_get_no_annual_plan_admin_permissions():
    for role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER):
        group = Group.objects.get(name=role.value)
        assert not group.permissions.filter(content_type__app_label="annual_plans").exists()


# Publishing one catalog from its own page (issue 21, item 7)


def test_after_accepting_the_plan_page_offers_to_publish_it(client, reviewer):
    plan = make_plan(status="submitted", items=1)
    publish = reverse("admin:annual_plans_annualplan_publish", args=[plan.pk])
    change = reverse("admin:annual_plans_annualplan_change", args=[plan.pk])
    assert publish not in client.get(change).content.decode()  # not before it is accepted
    response = client.post(_review_url(plan), {"comment": "", "_accept": "同意备案"}, follow=True)
    page = response.content.decode()
    assert publish in page and "向社会公示" in page
    assert publish in client.get(_review_url(plan)).content.decode()


def test_publishing_from_the_plan_page_needs_a_confirmation(client, reviewer):
    plan = make_plan(status="accepted", items=1)
    url = reverse("admin:annual_plans_annualplan_publish", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "公示不能撤回" in page and 'name="confirm"' in page
    response = client.post(url, {})
    assert "请勾选确认后再公示。" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.ACCEPTED
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert any("已向社会公示" in message for message in _messages(response))
    plan.refresh_from_db()
    assert plan.status == Status.PUBLISHED
    assert _ledger(plan, "plan_published").get().actor == reviewer
    # A second confirmation publishes nothing more and says why.
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert _ledger(plan, "plan_published").count() == 1


def test_the_administrator_cannot_publish_a_plan(client):
    plan = make_plan(status="accepted", items=1)
    client.force_login(AdministratorFactory())
    url = reverse("admin:annual_plans_annualplan_publish", args=[plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.ACCEPTED
