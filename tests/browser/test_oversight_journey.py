"""The general office supervises a department in a real browser (督办).

A 市交通局 catalog item has come to its planned start with no matter. The office finds
it in the execution list, issues a 督办通知 from there; the department's staff find it on
their workbench and draft the report of what was done, their leader signs it; the office
returns it for a firmer timetable, the department reports again and the office accepts
it. The e-mails, the ledger and the dashboard's 督办 block say so. Only the departments,
accounts and the catalog are made here; everything else goes through the pages.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from matters.models import LedgerEntry
from oversight.models import Order
from reminders.models import Reminder
from tests.browser.conftest import login
from tests.browser.test_accessibility import AxeAudit
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUIREMENT = "请于办理时限前启动该事项的协商，明确工作安排，并报送办理情况。"
FIRST_REPORT = "已召开局长办公会研究，明确由运输管理处牵头办理。"
SECOND_REPORT = "已于本周启动协商事项，计划下月15日前完成公开征求意见。"


def _logout(page: Page) -> None:
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def test_the_office_orders_the_department_reports_and_the_office_accepts(page: Page, live_server):
    transport = DepartmentFactory(code="jtj", name="青岛市交通运输局", short_name="市交通局")
    staff = StaffFactory(username="jtj_staff", department=transport, full_name="韩雪")
    leader = LeaderFactory(username="jtj_leader", department=transport, full_name="罗志")
    ReviewerFactory(username="bgt_reviewer", full_name="王丽")
    year = timezone.localdate().year
    plan = make_plan(department=transport, by=staff, leader=leader, status="published", year=year)
    item = plan.items.order_by("order").first()
    started = timezone.localdate() - datetime.timedelta(days=30)
    plan.items.filter(pk=item.pk).update(planned_start=started)
    item.refresh_from_db()
    audit = AxeAudit(page, live_server.url)  # the pages of the run, WCAG 2.1 AA

    # ------------------------------------------------ 1. the office issues the order
    login(page, live_server, "bgt_reviewer", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('execution_items')}?year={year}&state=not_started")
    row = page.get_by_role("row").filter(has_text=item.title)
    row.get_by_role("link", name=re.compile("^督办")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("发出督办通知")
    expect(page.get_by_label(re.compile("^标题"))).to_have_value(
        f"关于督促落实年度计划目录事项“{item.title}”的通知"
    )
    page.get_by_role("button", name="发出督办通知").click()
    expect(page.get_by_text("请写明督办事项及要求。").first).to_be_visible()
    audit.check()
    page.get_by_label(re.compile("^督办事项及要求")).fill(REQUIREMENT)
    due = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label(re.compile("^办理时限")).fill(due.isoformat())
    page.get_by_role("button", name="发出督办通知").click()
    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(order.title)
    expect(page.locator("main")).to_contain_text(f"{order.reference} 已发出")
    audit.check()
    assert sorted(
        Reminder.objects.filter(kind=Reminder.Kind.OVERSIGHT_ORDER).values_list(
            "user__username", flat=True
        )
    ) == ["jtj_leader", "jtj_staff"]
    _logout(page)

    # ----------------------------------- 2. the staff draft, the leader signs the report
    login(page, live_server, "jtj_staff", TEST_PASSWORD)
    panel = page.get_by_role("region", name="督办事项")
    expect(panel).to_contain_text("待起草办理情况")
    panel.get_by_role("link", name=re.compile(order.reference)).click()
    expect(page.get_by_role("button", name="签发并报送办公厅")).to_have_count(0)
    page.get_by_role("link", name="起草办理情况").click()
    audit.check()
    page.get_by_label(re.compile("^办理情况")).fill(FIRST_REPORT)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("待本单位负责人签发")
    _logout(page)

    login(page, live_server, "jtj_leader", TEST_PASSWORD)
    panel = page.get_by_role("region", name="督办事项")
    expect(panel).to_contain_text("办理情况已起草，待您签发")
    panel.get_by_role("link", name=re.compile(order.reference)).click()
    page.get_by_role("button", name="签发并报送办公厅").click()
    expect(page.locator("main")).to_contain_text("办理情况已签发，报送办公厅审核。")
    expect(page.locator("main")).to_contain_text("罗志签发")
    _logout(page)

    # -------------------------------------- 3. the office returns it, then accepts it
    login(page, live_server, "bgt_reviewer", TEST_PASSWORD)
    panel = page.get_by_role("region", name="待审核的督办办理情况")
    panel.get_by_role("link", name=re.compile(order.reference)).click()
    expect(page.locator("main")).to_contain_text(FIRST_REPORT)
    audit.check()
    page.get_by_label("退回，重新办理").check()
    page.get_by_label(re.compile("^审核意见")).fill("请写明启动协商的具体时间。")
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator("main")).to_contain_text("办理情况已退回")
    _logout(page)

    login(page, live_server, "jtj_staff", TEST_PASSWORD)
    panel = page.get_by_role("region", name="督办事项")
    expect(panel).to_contain_text("办理情况被退回，请重新办理")
    panel.get_by_role("link", name=re.compile(order.reference)).click()
    expect(page.locator("main")).to_contain_text("请写明启动协商的具体时间。")
    page.get_by_role("link", name="起草办理情况").click()
    page.get_by_label(re.compile("^办理情况")).fill(SECOND_REPORT)
    page.get_by_role("button", name="保存").click()
    _logout(page)
    login(page, live_server, "jtj_leader", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('oversight:detail', args=[order.pk])}")
    page.get_by_role("button", name="签发并报送办公厅").click()
    _logout(page)

    login(page, live_server, "bgt_reviewer", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('oversight:detail', args=[order.pk])}")
    page.get_by_label("认可，督办办结").check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator("main")).to_contain_text("督办事项已办结。")
    expect(page.locator(".title-row")).to_contain_text("已办结")

    # The dashboard counts it; the ledger has every step.
    page.goto(f"{live_server.url}{reverse('dashboard')}?year={year}")
    block = page.locator("section").filter(has=page.locator("#block-oversight"))
    row = block.get_by_role("row").filter(has_text="市交通局")
    expect(row.get_by_role("cell")).to_have_text(["1", "0", "0", "0", "1", "0"])
    audit.check(reverse("oversight:list"))

    # ----------------------------------- 4. the office downloads the year's report
    page.goto(f"{live_server.url}{reverse('dashboard')}?year={year}")
    page.get_by_role("link", name="年度督查报告（PDF）").click()
    page.get_by_label("年度").select_option(str(year))
    page.get_by_role("button", name="生成报告").click()
    expect(page.locator("main")).to_contain_text("报告已生成")
    audit.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{year}年度政府协商工作督查报告" in text
    assert "发出督办通知1份，已办结1份" in text
    audit.assert_clean()
    assert list(
        LedgerEntry.objects.filter(object_type="order")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "order_issued",
        "order_answer_drafted",
        "order_answer_signed",
        "order_returned",
        "order_answer_drafted",
        "order_answer_signed",
        "order_accepted",
    ]
