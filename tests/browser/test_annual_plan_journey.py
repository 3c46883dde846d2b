"""The annual plan catalog end to end in a real browser: filing, review, publication.

Department staff draft and file the catalog, their leader signs it off, the general office
returns it in the admin with comments, staff revise and file again, the office accepts and
publishes it, and a visitor finds the catalog and downloads its PDF. Every step goes through
the pages the users see; only departments and accounts are made with factories.
"""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from annual_plans.events import Action
from annual_plans.models import AnnualPlan, PlanVersion
from matters.models import LedgerEntry
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    GeneralOfficeFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
)

# live_server needs committed rows; serialized_rollback puts back the role groups and
# policy areas that the data migrations created and each transactional flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEPARTMENT = "青岛市教育局"
LEGISLATIVE = "《青岛市学前教育条例》立法协商"
FEES = "中小学课后服务收费标准调整"
FEES_REVISED = "中小学课后服务收费标准调整方案"
BUDGET = "市级教育专项资金预算安排"
RETURN_COMMENT = "请按逐项意见修改后重新报送。"
ITEM_COMMENT = "事项名称应写明“方案”，并补充合法性审查程序。"


def _message(page: Page) -> Locator:
    """The flash messages at the top of a portal page (a ``role=status`` list)."""
    return page.locator("main > ul.messages")


def _admin_message(page: Page) -> Locator:
    return page.locator("ul.messagelist")


def _field(scope: Page | Locator, label: str) -> Locator:
    """The field labelled exactly ``label``, with or without the required marker " *"."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def _logout(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def _fill_item(
    item: Locator,
    *,
    year: int,
    title: str,
    kind: str,
    forms: list[str],
    office: str,
    major: bool = False,
    non_party: bool = False,
) -> None:
    """One catalog item's fieldset, as staff fill it in."""
    _field(item, "事项名称").fill(title)
    _field(item, "协商类别").select_option(label=kind)
    # The forms' own group: "征求党外人士意见" is both a form and the item's flag below.
    consultation_forms = item.get_by_role("group", name=re.compile("^拟采取的协商形式"))
    for label in forms:
        consultation_forms.get_by_label(label, exact=True).check()
    _field(item, "计划开始日期").fill(f"{year}-03-01")
    _field(item, "计划完成日期").fill(f"{year}-11-30")
    _field(item, "责任处室").fill(office)
    if major:
        item.get_by_label("重大行政决策", exact=True).check()
    if non_party:
        item.locator("input[type=checkbox][name$='-seeks_non_party_opinions']").check()


def _new_item(page: Page) -> Locator:
    return page.get_by_role("group", name="添加新事项", exact=True)


def _plan_detail_from_the_list(page: Page, year: int) -> None:
    page.get_by_role("navigation", name="账户").get_by_role("link", name="目录报送").click()
    expect(page.get_by_role("heading", name="年度计划目录报送", level=1)).to_be_visible()
    page.get_by_role("link", name=f"{year}年度").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{DEPARTMENT}{year}年度政府协商计划目录"
    )


def _status(page: Page) -> Locator:
    return page.locator(".title-row .tag").first


def _sign_off(page: Page, live_server, leader, year: int) -> None:
    login(page, live_server, leader.username, TEST_PASSWORD)
    _plan_detail_from_the_list(page, year)
    expect(page.get_by_text("尚未审签")).to_be_visible()
    page.get_by_role("button", name="负责人审签").click()
    expect(_message(page)).to_have_text("已审签，经办人可以报送。")
    expect(page.locator("dl.facts")).to_contain_text(leader.display_name)
    _logout(page, live_server)


def _submit(page: Page, live_server, staff, year: int) -> None:
    login(page, live_server, staff.username, TEST_PASSWORD)
    _plan_detail_from_the_list(page, year)
    page.get_by_role("button", name="报送市政府办公厅备案").click()
    expect(_message(page)).to_have_text("已报送市政府办公厅备案。")
    expect(_status(page)).to_have_text("已报送")
    expect(page.get_by_text("逾期报送")).to_have_count(0)
    expect(page.get_by_role("link", name="编辑目录")).to_have_count(0)
    _logout(page, live_server)


def _open_review(page: Page, live_server, reviewer, title: str) -> None:
    """The reviewer goes from the portal to the filings in the admin and opens the review."""
    login(page, live_server, reviewer.username, TEST_PASSWORD)
    page.get_by_role("navigation", name="账户").get_by_role("link", name="管理后台").click()
    page.get_by_role("table", name="年度计划目录").get_by_role(
        "rowheader", name="年度计划目录", exact=True
    ).get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/admin/annual_plans/annualplan/")
    row = page.get_by_role("row").filter(has_text=DEPARTMENT)
    expect(row).to_contain_text("已报送")
    row.get_by_role("link", name="审核", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"审核{title}")


def _ledger_rows(page: Page) -> Locator:
    return page.locator("table.ledger tbody tr")


def test_a_plan_is_filed_returned_revised_accepted_published_and_downloaded(
    page: Page, live_server
):
    year = timezone.localdate().year + 1
    title = f"{DEPARTMENT}{year}年度政府协商计划目录"
    department = DepartmentFactory(code="jyj", name=DEPARTMENT, short_name="市教育局")
    staff = StaffFactory(department=department, full_name="刘洋")
    leader = LeaderFactory(department=department, full_name="陈静")
    GeneralOfficeFactory()
    reviewer = ReviewerFactory(full_name="孙涛")

    # Staff start next year's catalog from the filing page.
    login(page, live_server, staff.username, TEST_PASSWORD)
    page.get_by_role("navigation", name="账户").get_by_role("link", name="目录报送").click()
    expect(page.get_by_text("本部门还没有年度计划目录。请在上方新建。")).to_be_visible()
    page.get_by_label("年度", exact=True).select_option(label=f"{year}年度")
    page.get_by_role("button", name="新建").click()
    expect(_message(page)).to_have_text(f"已创建{year}年度计划目录草稿。")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # Three items of three kinds, one at a time through "保存并继续添加".
    _field(page, "联系人").fill("刘洋")
    _field(page, "联系电话").fill("0532-85912345")
    _fill_item(
        _new_item(page),
        year=year,
        title=LEGISLATIVE,
        kind="政府立法协商",
        forms=["书面征求意见", "座谈会"],
        office="政策法规处",
    )
    page.get_by_role("button", name="保存并继续添加").click()
    expect(_message(page)).to_have_text("目录已保存为草稿。")
    expect(_field(page.get_by_role("group", name="事项 1", exact=True), "事项名称")).to_have_value(
        LEGISLATIVE
    )
    _fill_item(
        _new_item(page),
        year=year,
        title=FEES,
        kind="行政决策协商",
        forms=["公众参与", "专家论证", "风险评估"],
        office="财务处",
        major=True,
        non_party=True,
    )
    page.get_by_role("button", name="保存并继续添加").click()
    expect(_message(page)).to_have_text("目录已保存为草稿。")
    _fill_item(
        _new_item(page),
        year=year,
        title=BUDGET,
        kind="政府预算协商",
        forms=["专题协商论证"],
        office="财务处",
    )
    page.get_by_role("button", name="保存", exact=True).click()

    expect(_message(page)).to_have_text("目录已保存为草稿。")
    expect(_status(page)).to_have_text("草稿")
    items = page.locator("table.catalog-table tbody tr")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text(LEGISLATIVE)
    expect(items.nth(0)).to_contain_text("政府立法协商")
    expect(items.nth(0)).to_contain_text("书面征求意见、座谈会")
    expect(items.nth(1)).to_contain_text(FEES)
    expect(items.nth(1)).to_contain_text("重大行政决策")
    expect(items.nth(1)).to_contain_text("征求党外人士意见")
    expect(items.nth(1)).to_contain_text(f"{year}.3—{year}.11")
    expect(items.nth(2)).to_contain_text("政府预算协商")
    # Filing needs the leader's sign-off first: the page says so and the button is
    # disabled, described by that reason (issue 21, item 16).
    expect(page.get_by_text("报送前须经部门负责人审签。")).to_be_visible()
    submit = page.get_by_role("button", name="报送市政府办公厅备案")
    expect(submit).to_be_disabled()
    expect(submit).to_have_accessible_description("报送前须经部门负责人审签。")
    expect(_status(page)).to_have_text("草稿")
    _logout(page, live_server)

    plan = AnnualPlan.objects.get(department=department, year=year)
    assert [item.kind for item in plan.items.all()] == ["legislative", "decision", "budget"]
    fees = plan.items.get(title=FEES)
    assert fees.forms == ["public_participation", "expert_argumentation", "risk_assessment"]
    assert (fees.is_major_decision, fees.seeks_non_party_opinions) == (True, True)
    assert (plan.contact_person, plan.contact_phone) == ("刘洋", "0532-85912345")

    _sign_off(page, live_server, leader, year)
    _submit(page, live_server, staff, year)

    # The general office returns it in the admin, with a comment on one item.
    _open_review(page, live_server, reviewer, title)
    summary = page.locator("table.plan-review-summary")
    expect(summary).to_contain_text("已报送")
    expect(summary).to_contain_text("陈静")
    page.get_by_label(f"对“{FEES}”的意见").fill(ITEM_COMMENT)
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("p.errornote")).to_have_text("请更正下面的错误。")
    expect(page.get_by_text("退回修改必须填写总体审核意见。")).to_be_visible()
    expect(page.get_by_label(f"对“{FEES}”的意见")).to_have_value(ITEM_COMMENT)
    page.get_by_label("总体审核意见").fill(RETURN_COMMENT)
    page.get_by_role("button", name="退回修改").click()
    expect(_admin_message(page)).to_contain_text(f"已将“{title}”退回修改。")
    expect(page).to_have_url(f"{live_server.url}/admin/annual_plans/annualplan/{plan.pk}/change/")
    expect(page.locator("div.field-status")).to_contain_text("退回修改")
    expect(page.locator("div.field-review_comment")).to_contain_text(RETURN_COMMENT)
    expect(page.get_by_role("row").filter(has_text=FEES)).to_contain_text(ITEM_COMMENT)
    expect(page.locator("div.field-ledger")).to_contain_text(
        f"退回{year}年度计划目录修改：{RETURN_COMMENT}（孙涛）"
    )
    _logout(page, live_server)

    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.RETURNED
    assert (plan.reviewed_by, plan.signed_off_by) == (reviewer, None)

    # Staff see the comments, revise the item and file again after a new sign-off.
    login(page, live_server, staff.username, TEST_PASSWORD)
    page.get_by_role("navigation", name="账户").get_by_role("link", name="目录报送").click()
    expect(page.get_by_role("row").filter(has_text=f"{year}年度")).to_contain_text("退回修改")
    page.get_by_role("link", name=f"{year}年度").click()
    expect(_status(page)).to_have_text("退回修改")
    expect(page.get_by_role("alert")).to_contain_text(
        f"市政府办公厅退回修改，审核意见：{RETURN_COMMENT}"
    )
    expect(page.get_by_role("row").filter(has_text=FEES)).to_contain_text(ITEM_COMMENT)
    ledger = _ledger_rows(page)
    expect(ledger.first).to_contain_text("退回修改")
    expect(ledger.first).to_contain_text(f"退回{year}年度计划目录修改：{RETURN_COMMENT}")
    expect(ledger.first).to_contain_text("孙涛")

    page.get_by_role("link", name="编辑目录").click()
    expect(page.get_by_role("alert")).to_contain_text(f"审核意见：{RETURN_COMMENT}")
    fees_item = page.get_by_role("group", name="事项 2", exact=True)
    expect(fees_item).to_contain_text(f"逐项审核意见：{ITEM_COMMENT}")
    _field(fees_item, "事项名称").fill(FEES_REVISED)
    fees_item.get_by_role("group", name=re.compile("^拟采取的协商形式")).get_by_label(
        "合法性审查", exact=True
    ).check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(_message(page)).to_have_text("目录已保存为草稿。")
    expect(_status(page)).to_have_text("退回修改")
    expect(page.get_by_role("row").filter(has_text=FEES_REVISED)).to_contain_text("合法性审查")
    _logout(page, live_server)

    _sign_off(page, live_server, leader, year)
    _submit(page, live_server, staff, year)

    # The office accepts it, then publishes it with the change list's action.
    _open_review(page, live_server, reviewer, title)
    revised = page.get_by_role("row").filter(has_text=FEES_REVISED)
    expect(revised).to_contain_text("合法性审查")
    expect(revised).to_contain_text("重大行政决策")
    expect(page.get_by_label(f"对“{FEES_REVISED}”的意见")).to_have_value("")
    page.get_by_role("button", name="同意备案").click()
    expect(_admin_message(page)).to_contain_text(f"已同意“{title}”备案。")
    expect(page.locator("div.field-status")).to_contain_text("已备案")

    page.get_by_role("link", name="年度计划目录", exact=True).last.click()
    expect(page).to_have_url(f"{live_server.url}/admin/annual_plans/annualplan/")
    row = page.get_by_role("row").filter(has_text=DEPARTMENT)
    expect(row).to_contain_text("已备案")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="向社会公示")
    page.get_by_role("button", name="执行").click()
    expect(_admin_message(page)).to_contain_text("已向社会公示 1 份目录。")
    expect(page.get_by_role("row").filter(has_text=DEPARTMENT)).to_contain_text("已公示")
    _logout(page, live_server)

    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.PUBLISHED
    assert plan.version == 1
    assert plan.published_at is not None
    version = PlanVersion.objects.get(plan=plan)
    assert [row["title"] for row in version.items] == [LEGISLATIVE, FEES_REVISED, BUDGET]
    actions = list(
        LedgerEntry.objects.filter(object_type="annualplan", object_id=plan.pk)
        .order_by("created_at", "pk")
        .values_list("action", "actor__username")
    )
    assert actions == [
        (Action.PLAN_CREATED, staff.username),
        (Action.PLAN_EDITED, staff.username),
        (Action.PLAN_EDITED, staff.username),
        (Action.PLAN_EDITED, staff.username),
        (Action.PLAN_SIGNED_OFF, leader.username),
        (Action.PLAN_SUBMITTED, staff.username),
        (Action.PLAN_RETURNED, reviewer.username),
        (Action.PLAN_EDITED, staff.username),
        (Action.PLAN_SIGNED_OFF, leader.username),
        (Action.PLAN_SUBMITTED, staff.username),
        (Action.PLAN_ACCEPTED, reviewer.username),
        (Action.PLAN_PUBLISHED, reviewer.username),
    ]

    # A visitor finds the catalog from the home page and downloads its PDF.
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="年度计划目录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year}年度政府协商计划目录")
    expect(page.get_by_role("status")).to_have_text("1 个部门的目录，共 3 个事项")
    page.get_by_role("link", name=DEPARTMENT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("dl.facts")).to_contain_text("第1版")
    public_items = page.locator("table.catalog-table tbody tr")
    expect(public_items).to_have_count(3)
    expect(public_items.nth(1)).to_contain_text(FEES_REVISED)
    expect(page.locator("main")).not_to_contain_text(ITEM_COMMENT)

    with page.expect_download() as info:
        page.get_by_role("link", name="下载备案表（PDF）").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert f"市教育局{year}年度" in download.suggested_filename
    body = Path(download.path()).read_bytes()
    assert body[:5] == b"%PDF-"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    flat = re.sub(r"\s+", "", text)
    assert DEPARTMENT in flat
    assert FEES_REVISED in flat
    assert BUDGET in flat
