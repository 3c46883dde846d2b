"""A citizen proposes a topic in a real browser and later finds it taken into next year's
catalog (公开征集 → 遴选 → 年度计划目录).

The office publishes a call for next year's consultation topics through its pages; a
citizen, without an account, proposes a topic with a PDF attached and is shown a receipt
number (the office later downloads the file from the screening page); after the
call closes the office screens the proposal into the 市住建局's catalog item for next
year and publishes the result; the citizen looks the receipt up on the call's page and
follows the link to the published catalog. Only the departments, accounts and the
catalog are made here, and the call's end is moved to the past to let time pass.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from calls.models import Call, Submission
from tests.browser.conftest import login
from tests.browser.test_accessibility import AxeAudit
from tests.factories import (
    MINIMAL_PDF,
    TEST_PASSWORD,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "关于推进老旧小区加装电梯的协商议题"


def _logout(page: Page) -> None:
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def test_a_citizen_proposes_and_finds_it_in_next_years_catalog(page: Page, live_server):
    ReviewerFactory(username="bgt_reviewer", full_name="王丽")
    housing = DepartmentFactory(code="zjj", name="青岛市住房和城乡建设局", short_name="市住建局")
    staff = StaffFactory(department=housing)
    leader = LeaderFactory(department=housing)
    next_year = timezone.localdate().year + 1
    plan = make_plan(
        department=housing, by=staff, leader=leader, status="published", year=next_year
    )
    item = plan.items.get()
    now = timezone.localtime()
    audit = AxeAudit(page, live_server.url)  # the pages of the run, WCAG 2.1 AA

    # ------------------------------------------------------ 1. the office opens a call
    login(page, live_server, "bgt_reviewer", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('calls:staff_list')}")
    page.get_by_role("link", name="新建公开征集").click()
    page.get_by_role("button", name="保存").click()  # empty: every error at once
    expect(page.get_by_text("请填写征集标题。")).to_be_visible()
    audit.check()
    page.get_by_label(re.compile("^征集类别")).select_option("topics")
    page.get_by_label(re.compile("^征集标题")).fill(f"{next_year}年度政府协商议题公开征集")
    expect(page.get_by_label(re.compile("^征集年度"))).to_have_value(str(next_year))
    page.get_by_label(re.compile("^征集范围")).fill(
        "涉及全市经济社会发展和群众切身利益的重要事项。"
    )
    page.get_by_label(re.compile("^征集说明")).fill("请写明议题名称、理由和建议措施。")
    page.get_by_label(re.compile("^开始时间")).fill(
        (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label(re.compile("^截止时间")).fill(
        (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="发布征集").click()
    expect(page.locator("main")).to_contain_text("公开征集已发布")
    call = Call.objects.get()
    _logout(page)

    # --------------------------------------------- 2. a citizen proposes, no account
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="公开征集").first.click()
    page.get_by_role("link", name=call.title).click()
    page.get_by_role("button", name="提交建议").click()
    expect(page.get_by_text("请填写建议题目。")).to_be_visible()
    audit.check()
    page.get_by_label(re.compile("^建议题目")).fill(TITLE)
    page.get_by_label(re.compile("^理由和依据")).fill("老年人上下楼困难，加装电梯需要协调多方。")
    page.get_by_label(re.compile("^建议措施")).fill("简化审批，完善补贴政策。")
    page.get_by_label(re.compile("^联系方式")).fill("13900000000")
    page.get_by_label(re.compile("^附件")).set_input_files(
        files=[{"name": "现状调查.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="提交建议").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您提出建议")
    receipt = page.locator(".receipt-number").inner_text().strip()
    submission = Submission.objects.get()
    assert receipt == submission.receipt
    audit.check()

    # ------------------------- 3. after the call closes the office screens and reports
    Call.objects.filter(pk=call.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    login(page, live_server, "bgt_reviewer", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('calls:staff_detail', args=[call.pk])}")
    audit.check()
    page.get_by_role("link", name=re.compile(f"^遴选.*{receipt}")).click()
    audit.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="现状调查.pdf").click()
    assert download.value.suggested_filename == "现状调查.pdf"
    assert download.value.path().read_bytes() == MINIMAL_PDF
    page.get_by_label("采纳", exact=True).check()
    page.get_by_label(re.compile("^纳入的目录事项")).select_option(str(item.pk))
    page.get_by_role("button", name="保存遴选结果").click()
    expect(page.locator("main")).to_contain_text("遴选结果已保存。")
    page.get_by_label(re.compile("^遴选结果说明")).fill(
        "共收到建议1条，采纳1条，已纳入市住建局年度计划目录。"
    )
    page.get_by_role("button", name="公布遴选结果").click()
    expect(page.locator("main")).to_contain_text("遴选结果已公布。")
    _logout(page)

    # --------------------------------- 4. the citizen looks it up and follows the link
    page.goto(f"{live_server.url}{reverse('calls:detail', args=[call.pk])}")
    results = page.get_by_role("region", name="遴选结果")
    expect(results.get_by_role("table")).to_contain_text("1")
    page.get_by_role("textbox", name="回执编号").fill(receipt.lower())
    page.get_by_role("button", name="查询").click()
    answer = page.locator("#receipt-answer")
    expect(answer).to_contain_text("采纳")
    audit.check()
    answer.get_by_role("link", name=re.compile(item.title)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("青岛市住房和城乡建设局")
    expect(page.locator("main")).to_contain_text(item.title)
    assert "13900000000" not in page.content()
    audit.check(reverse("calls:list"))
    audit.assert_clean()
