"""Every figure on the dashboard and on a department's summary links to the list behind it,
and that list counts exactly the figure; the Excel export carries the same figures."""

import html
import re
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ReviewerFactory

from .city import EXPECTED, build_city

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")
# A link whose text is a figure: a table cell, or a headline figure with its label.
FIGURE_LINK = re.compile(
    r'<a(?: class="figure")? href="(/[^"]+)">(?:<span class="figure">)?([0-9]+)(?:</span>)?<'
)


@pytest.fixture
def city():
    return build_city()


def listed(client, url: str) -> int:
    """How many rows the list at ``url`` counts, as the person following the link sees it."""
    response = client.get(url)
    assert response.status_code == 200, url
    path, query = urlsplit(url).path, parse_qs(urlsplit(url).query)
    if path == reverse("matters:staff_list"):
        assert not response.context["form"].errors, url
        return response.context["page"].paginator.count
    if path == reverse("participation:staff_periods"):
        assert not response.context["form"].errors, url
        if "report_overdue" in query:
            return response.context["page"].paginator.count
        return response.context["opinion_total"]
    if path == reverse("admin:annual_plans_annualplan_overview"):
        return len(response.context["rows"])
    raise AssertionError(f"no list known at {url}")


# A stage with its count ("合法性审查 1"), and the overdue among them ("（逾期 1）").
STAGE_LINK = re.compile(r'<a href="(/[^"]+)">[^<0-9]+ (?:<strong>)?([0-9]+)(?:</strong>)?</a>')
OVERDUE_LINK = re.compile(r'<a class="overdue" href="(/[^"]+)">（逾期 ([0-9]+)）</a>')


def figure_links(text: str) -> list[tuple[str, int]]:
    found = [*FIGURE_LINK.findall(text), *STAGE_LINK.findall(text), *OVERDUE_LINK.findall(text)]
    return [(html.unescape(url), int(n)) for url, n in found]


def test_every_figure_on_the_dashboard_lands_on_a_list_of_that_many(client, city):
    client.force_login(ReviewerFactory())
    text = client.get(URL, {"year": 2026}).content.decode()

    links = figure_links(text)

    assert len(links) > 60
    checked = {}
    for url, figure in links:
        if url not in checked:
            checked[url] = listed(client, url)
        assert checked[url] == figure, url


def test_drill_down_examples_by_hand(client, city):
    client.force_login(ReviewerFactory())
    staff_matters = reverse("matters:staff_list")
    periods = reverse("participation:staff_periods")
    overview = reverse("admin:annual_plans_annualplan_overview")

    assert listed(client, f"{staff_matters}?year=2026&department=a") == 2
    assert listed(client, f"{staff_matters}?year=2026&overdue=1") == 1
    assert listed(client, f"{staff_matters}?year=2026&missing_step=1") == 1
    assert listed(client, f"{staff_matters}?year=2026&kind=decision&stage=legality_review") == 1
    assert listed(client, f"{periods}?year=2026&report_overdue=1") == 1
    assert listed(client, f"{periods}?year=2026&channel=online") == 3
    assert listed(client, f"{periods}?year=2026&disposition=undisposed") == 1
    assert listed(client, f"{periods}?year=2026&month=2026-07") == 2
    assert listed(client, f"{periods}?year=2026&department=a") == 3
    for state, count in EXPECTED["filing_counts"].items():
        assert listed(client, f"{overview}?year=2026&state={state}") == count


def test_the_missing_step_list_is_the_one_on_the_dashboard(client, city):
    client.force_login(ReviewerFactory())

    response = client.get(reverse("matters:staff_list"), {"year": 2026, "missing_step": "1"})

    assert [m.pk for m in response.context["page"].object_list] == [city.matters["b_decided"].pk]


def test_a_department_sees_only_its_own_periods_in_the_filtered_list(client, city):
    client.force_login(city.staff["b"])

    response = client.get(reverse("participation:staff_periods"), {"year": 2026})

    assert [p.pk for p in response.context["page"].object_list] == [city.periods["b"].pk]
    assert response.context["opinion_total"] == 2
    assert "department" not in response.context["form"].fields


def test_a_bad_filter_value_is_an_error_on_the_list_not_a_server_error(client, city):
    client.force_login(ReviewerFactory())

    response = client.get(reverse("participation:staff_periods"), {"month": "七月", "year": "x"})

    assert response.status_code == 200
    assert "月份须写作" in response.content.decode()


# --- the department's own summary ----------------------------------------------------------


def test_the_department_summary_shows_only_its_own_figures(client, city):
    client.force_login(city.staff["a"])

    response = client.get(reverse("workbench"))

    text = response.content.decode()
    line = response.context["summary_line"]
    assert line.department == city.a
    assert (line.matters.total, line.matters.overdue, line.reports_overdue) == (2, 1, 1)
    assert line.opinions.tally.rate_display == EXPECTED["opinions"]["a"][-1]
    assert "本部门协商工作概况" in text
    assert "department=a" in text
    assert "department=b" not in text and "乙局" not in text
    assert "按时报送" in text


def test_every_figure_on_the_department_summary_lands_on_its_list(client, city):
    client.force_login(city.staff["b"])
    text = client.get(reverse("workbench")).content.decode()
    panel = text.split('id="panel-summary"', 1)[1].split("</section>", 1)[0]

    links = figure_links(panel)

    assert len(links) == 7  # five figures and two stages (the adoption rate is no count)
    for url, figure in links:
        assert "department=b" in url
        assert listed(client, url) == figure, url


def test_leaders_see_the_summary_too_and_the_office_does_not(client, city):
    from tests.factories import LeaderFactory

    client.force_login(LeaderFactory(department=city.c))
    assert client.get(reverse("workbench")).context["summary_line"].department == city.c
    client.force_login(ReviewerFactory())
    assert client.get(reverse("workbench")).context["summary"] is None


# --- the export ----------------------------------------------------------------------------


def _workbook(client, year=2026):
    response = client.get(reverse("dashboard_export"), {"year": year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_has_a_sheet_per_block_with_department_rows_and_totals(client, city):
    client.force_login(ReviewerFactory())

    workbook = _workbook(client)

    assert workbook.sheetnames == [
        "目录报送", "事项类别和阶段", "阶段逾期", "缺少法定程序", "采纳情况逾期未公开",
        "意见和采纳率", "意见渠道", "每月意见", "建议提案办理", "问卷调查", "目录执行", "督办",
    ]  # fmt: skip
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 14
    filing = _rows(workbook["目录报送"])
    assert filing[0][:8] == ["部门", "部门类别", "报送情况", "按时报送", "逾期报送", "退回修改",
                             "逾期未报送", "未报送（未到截止时间）"]  # fmt: skip
    assert [row[0] for row in filing[1:]] == ["青岛市甲区", "青岛市乙局", "青岛市丙局",
                                              "青岛市丁中心", "全市合计"]  # fmt: skip
    assert filing[1][2] == "按时报送" and filing[2][2] == "逾期报送"
    assert filing[-1][3:8] == [1, 1, 1, 1, 0]
    assert filing[1][8].strftime("%Y-%m-%d %H:%M:%S") == "2026-03-31 23:59:59"
    overdue = _rows(workbook["阶段逾期"])
    assert overdue[-1][:3] == ["全市合计", 5, 1]
    missing = _rows(workbook["缺少法定程序"])
    assert missing[1][0] == "青岛市乙局" and missing[1][-1] == "合法性审查"
    reports = _rows(workbook["采纳情况逾期未公开"])
    assert reports[1:] == [["青岛市甲区", 1], ["全市合计", 1]]
    opinions = _rows(workbook["意见和采纳率"])
    assert opinions[0][:8] == ["部门", "意见数", "采纳", "部分采纳", "未采纳", "不属于本事项",
                               "未处理", "采纳率"]  # fmt: skip
    by_name = {row[0]: row for row in opinions[1:]}
    assert by_name["青岛市甲区"][1:7] == list(EXPECTED["opinions"]["a"][:6])
    assert by_name["青岛市甲区"][7] == pytest.approx(2 / 3)
    assert by_name["青岛市乙局"][7] == "—"
    assert by_name["全市合计"][1:8] == [6, 2, 1, 1, 1, 1, 0.75]
    assert workbook["意见和采纳率"]["H2"].number_format == "0.0%"
    months = {row[0]: row[1] for row in _rows(workbook["每月意见"])[1:]}
    assert months["2026年6月"] == 3 and months["2026年7月"] == 2 and months["全市合计"] == 6
    stages = _rows(workbook["事项类别和阶段"])
    assert ["青岛市乙局", "行政决策协商", "合法性审查", 1, 0] in stages
    assert stages[-1][:4] == ["全市合计", None, None, 5] or stages[-1][:4] == [
        "全市合计",
        "",
        "",
        5,
    ]


def test_text_that_a_spreadsheet_would_run_is_kept_as_text(client):
    build_city(name_of_b='=HYPERLINK("http://example.com","点击")')
    client.force_login(ReviewerFactory())

    workbook = _workbook(client)

    sheet = workbook["目录报送"]
    names = [row[0] for row in _rows(sheet)]
    assert '=HYPERLINK("http://example.com","点击")' in names  # as typed, no apostrophe
    for cell in sheet["A"]:
        if str(cell.value).startswith("="):
            assert cell.data_type == "s"  # text, not a formula
            assert cell.quotePrefix  # and still text after someone edits it
