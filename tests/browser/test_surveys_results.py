"""Staff read a survey's results and export them; the public reads published results."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from surveys.models import Survey
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.surveys.results_support import PRIVATE_NOTE, build, close

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_filter_crosstab_and_export(page: Page, live_server, tmp_path):
    w = build()
    login(page, live_server, w.staff.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/staff/surveys/{w.survey.pk}/results/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("调查结果")
    expect(page.locator("dl.facts").first).to_contain_text("5份")
    expect(page.get_by_role("img", name="1. 您最关注哪个领域？")).to_be_visible()

    page.get_by_label("纸质问卷").check()
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("status").first).to_contain_text("纸质问卷")
    expect(page.locator("dl.facts").first).to_contain_text("2份")

    page.get_by_label("行（题目）").select_option(label="1. 您最关注哪个领域？")
    page.get_by_label("列（题目）").select_option(label="2. 您常用的出行方式（最多两项）")
    page.get_by_role("button", name="生成交叉表").click()
    table = page.locator("table.crosstab")
    expect(table).to_contain_text("第1题（行）× 第2题（列）")
    expect(table.get_by_role("row", name="养老")).to_contain_text("2 (100.0%)")
    assert "channel=paper" in page.url  # the filter stays on

    with page.expect_download() as info:
        page.get_by_role("link", name="导出答卷（Excel）").click()
    path = tmp_path / "responses.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet.max_row == 1 + 5 and sheet["A1"].value == "答卷编号"

    # The one "其他" note was given online: it is counted (and linked) without the filter.
    page.goto(f"{live_server.url}/staff/surveys/{w.survey.pk}/results/")
    page.get_by_role("link", name="查看“其他（请注明）”的1条注明内容").click()
    expect(page.get_by_role("cell", name=PRIVATE_NOTE)).to_be_visible()


def test_the_public_reads_published_results(page: Page, live_server):
    w = build(results_shown=Survey.ResultsShown.AFTER_CLOSE)
    url = f"{live_server.url}/surveys/{w.survey.pk}/results/"
    page.goto(url)
    expect(page.get_by_text("结果将于调查结束后公布")).to_be_visible()
    close(w.survey)
    page.goto(url)
    expect(page.get_by_role("img", name="4. 对现有公共服务的满意度")).to_be_visible()
    expect(page.get_by_text("文字意见不公开显示。").first).to_be_visible()
    assert PRIVATE_NOTE not in page.content()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载结果报告（PDF）").click()
    assert info.value.suggested_filename.endswith(".pdf")
