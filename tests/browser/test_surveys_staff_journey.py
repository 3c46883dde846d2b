"""A department builds a survey in a real browser and opens it (问卷调查).

A member of staff creates a stand-alone survey, adds one question of every type on two
pages — single choice with "其他（请注明）", multiple choice with a pick range, a text
question shown only when the first answer is 教育, a rating scale, a matrix, a ranking and
a number with bounds — and publishes it; it is open at once, since its start has passed.
Only the department and the account are made here; everything else goes through the pages.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from surveys.models import Question, Survey
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "社区养老服务需求问卷"


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _add_question(page: Page, kind: str, text: str, **fields) -> None:
    form = page.locator("#add-question")
    form.locator("#id_new_kind").select_option(kind)
    form.locator("#id_new_text").fill(text)
    for name, value in fields.items():
        field = form.locator(f"#id_new_{name}")
        if value is True:
            field.check()
        elif name in ("shown_if", "section"):
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name="添加题目").click()
    expect(page.locator("main > ul.messages")).to_contain_text("已增加")


def test_staff_build_a_survey_with_every_question_type_and_open_it(page: Page, live_server):
    department = DepartmentFactory(name="青岛市民政局", short_name="市民政局", code="mzj")
    StaffFactory(username="mzj_staff", department=department)
    login(page, live_server, "mzj_staff", TEST_PASSWORD)

    page.get_by_role("link", name="问卷调查", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("问卷调查")
    page.get_by_role("link", name="新建问卷").first.click()
    now = timezone.now()
    page.get_by_label(re.compile(r"^标题")).fill(TITLE)
    page.get_by_label(re.compile(r"^说明")).fill("了解社区居民对养老服务的需求。")
    page.get_by_label(re.compile(r"^开始时间")).fill(_local(now - datetime.timedelta(hours=1)))
    page.get_by_label(re.compile(r"^结束时间")).fill(_local(now + datetime.timedelta(days=14)))
    page.get_by_role("button", name="保存并添加题目").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#publish-problems")).to_contain_text("问卷还没有题目")

    _add_question(page, "single", "您最关注哪个领域？", options="教育\n养老", add_other=True)
    _add_question(
        page,
        "multiple",
        "您常用的出行方式（最多两项）",
        options="公交\n地铁\n自驾",
        min_picks="1",
        max_picks="2",
    )
    _add_question(page, "text", "孩子就读的学校", shown_if="第1题：教育")
    _add_question(
        page,
        "rating",
        "对现有养老服务的满意度",
        scale_min="1",
        scale_max="5",
        low_label="很不满意",
        high_label="很满意",
    )

    page.locator("#add-section").get_by_label("页标题").fill("预算安排")
    page.get_by_role("button", name="增加一页").click()
    expect(page.get_by_role("heading", name="第2页：预算安排")).to_be_visible()

    _add_question(
        page, "matrix", "各项服务的重要程度", options="重要\n一般\n不重要", rows="助餐\n助浴"
    )
    _add_question(
        page,
        "ranking",
        "请对以下支出方向排序",
        options="日间照料中心\n居家上门服务\n老年食堂",
        rank_count="2",
    )
    _add_question(
        page, "number", "您建议的年度投入（万元）", minimum="0", maximum="5000", unit="万元"
    )

    survey = Survey.objects.get(title=TITLE)
    questions = list(Question.objects.filter(survey=survey).select_related("section"))
    assert [q.kind for q in questions] == [
        "single",
        "multiple",
        "text",
        "rating",
        "matrix",
        "ranking",
        "number",
    ]
    assert [q.section.position for q in questions] == [1, 1, 1, 1, 2, 2, 2]
    assert questions[2].shown_if.label == "教育"
    assert questions[0].options.filter(is_other=True).count() == 1
    expect(page.get_by_text("仅当第1题选择“教育”时显示")).to_be_visible()

    expect(page.locator("#publish-problems")).to_have_count(0)
    page.get_by_role("button", name="发布问卷").click()
    expect(page.locator("main > ul.messages")).to_contain_text("现在开始接受答卷")
    expect(page.locator("#survey-status")).to_have_text("进行中")
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    # Published: the questions are fixed, the builder's forms are gone.
    expect(page.locator("#add-question")).to_have_count(0)
