"""A department runs an expert argumentation in a real browser (专家论证).

From the matter's staff page a member of staff organises the argumentation, seats four
experts from the registry, records their declarations (one withdraws with a reason), types
in the three signed opinions under the five headings and completes it; the 专家论证 step
is then on the matter's record. Only the department, the account, the matter and the
registry's experts are made here; everything else goes through the pages.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from matters.models import ProcedureStep
from matters.procedures import StepType
from solicitations.models import Argumentation
from tests.browser.conftest import login
from tests.browser.test_accessibility import AxeAudit
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    StaffFactory,
    make_matter,
    make_participant,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MATTER = "青岛市既有住宅加装电梯管理办法"
EXPERTS = ("张立新", "赵敏", "王海", "孙利")
OPINION = {
    "必要性": "老旧小区加装电梯需求迫切。",
    "合法性": "与上位法不抵触。",
    "可行性": "财政补助比例可行。",
    "经济社会效益": "惠及约12万户居民。",
    "执行条件": "需明确部门职责分工。",
}


def _row(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))


def test_staff_run_an_expert_argumentation_to_the_step_on_the_matter(page: Page, live_server):
    department = DepartmentFactory(name="青岛市住房城乡建设局", short_name="市住建局", code="zjj")
    staff = StaffFactory(username="zjj_staff", department=department)
    matter = make_matter(by=staff, department=department, title=MATTER)
    for name in EXPERTS:
        make_participant(by=staff, name=name, category="expert", expertise="城市规划")
    login(page, live_server, "zjj_staff", TEST_PASSWORD)
    audit = AxeAudit(page, live_server.url)  # every page of the run, WCAG 2.1 AA

    page.goto(f"{live_server.url}/staff/matters/{matter.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="专家论证"))
    expect(section).to_contain_text("本事项尚未组织专家论证")
    audit.check()
    section.get_by_role("link", name="组织专家论证").click()
    audit.check()
    expect(page.get_by_label(re.compile(r"^论证名称"))).to_have_value(f"《{MATTER}》专家论证")
    page.get_by_role("radio", name="论证会").check()
    page.get_by_role("button", name="保存并选择专家").click()
    expect(page.locator("main > ul.messages")).to_contain_text("专家论证已建立")

    for name in EXPERTS:
        page.get_by_role("link", name="选择论证专家").click()
        if name == EXPERTS[0]:
            audit.check()
        page.get_by_label(re.compile(r"^专家")).select_option(label=f"{name}（青岛大学，城市规划）")
        page.get_by_role("button", name="加入专家组").click()
        expect(page.locator("main > ul.messages")).to_contain_text(f"{name}已加入专家组")
    expect(page.locator("#completion-problems")).to_contain_text("尚未录入回避声明")

    for name in EXPERTS:
        _row(page, name).get_by_role("link", name=re.compile("录入回避声明")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}的回避声明")
        if name == "孙利":
            page.get_by_role("radio", name="存在利害关系，回避").check()
            page.get_by_role("button", name="保存回避声明").click()
            expect(page.get_by_role("alert")).to_contain_text("请说明存在的利害关系")
            audit.check()
            page.get_by_label(re.compile(r"^利害关系说明")).fill("曾参与办法起草")
        else:
            page.get_by_role("radio", name="无利害关系").check()
        page.get_by_role("button", name="保存回避声明").click()
        expect(page.locator("main > ul.messages")).to_contain_text(f"已记录{name}的回避声明")

    for name in EXPERTS[:3]:
        _row(page, name).get_by_role("link", name=re.compile("录入论证意见")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}的论证意见")
        if name == EXPERTS[0]:
            audit.check()
        for heading, text in OPINION.items():
            page.get_by_label(re.compile(f"^{heading}")).fill(text)
        page.get_by_role("radio", name="修改后同意").check()
        page.get_by_role("button", name="保存论证意见").click()
        expect(page.locator("main > ul.messages")).to_contain_text(f"已录入{name}的论证意见")

    expect(page.locator("#completion-problems")).to_have_count(0)
    audit.check()  # with the flash message shown
    expect(
        page.locator(f"#opinion-{Argumentation.objects.get().experts.first().pk}")
    ).to_contain_text("老旧小区加装电梯需求迫切")
    page.get_by_label(re.compile(r"^专家组论证意见")).fill("专家组同意该办法，建议明确职责分工。")
    page.get_by_role("radio", name="修改后同意").check()
    page.get_by_role("button", name="完成专家论证").click()
    expect(page.locator("main > ul.messages")).to_contain_text("专家论证已完成")
    expect(page.get_by_role("link", name=re.compile("已记入本事项"))).to_be_visible()
    audit.check()
    audit.assert_clean()

    argumentation = Argumentation.objects.get()
    assert argumentation.status == Argumentation.Status.COMPLETED
    assert ProcedureStep.objects.filter(
        matter=matter, step_type=StepType.EXPERT_ARGUMENTATION
    ).exists()
