"""Suggestions and proposals on the supervision pages: the dashboard's summary, the figures
page per department, each figure's link to the office's list, and the export's sheet — all
equal to ``proposals.selectors.figures`` (no figure is counted twice in two ways)."""

import re
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from proposals.selectors import FIGURES, figures
from supervision.proposals import HANDLING, OUTCOME, VERDICTS, office_list_url
from tests.factories import ReviewerFactory, StaffFactory
from tests.proposals.test_figures import year_of_items  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

URL = reverse("dashboard_proposals")
COLUMNS = [key for key, _share in (*HANDLING, *OUTCOME, *VERDICTS)]


@pytest.fixture
def office_client(client):
    client.force_login(ReviewerFactory())
    return client


def links(html: str) -> dict[tuple[str, str], str]:
    """(figure, department id or "") -> the text of each link to the office's list."""
    found = {}
    pattern = r'<a href="(/staff/proposals/office/\?[^"]+)">(?:<span class="figure">)?(\d+)<'
    for href, text in re.findall(pattern, html):
        query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        assert query["year"] == ["2026"]
        key = (query["figure"][0], query.get("department", [""])[0])
        found[key] = text
    return found


def test_the_link_carries_year_figure_and_department():
    assert office_list_url(2026, "overdue") == "/staff/proposals/office/?year=2026&figure=overdue"
    assert (
        office_list_url(2026, "class_a", department_id=7)
        == "/staff/proposals/office/?year=2026&figure=class_a&department=7"
    )


def test_every_column_is_a_defined_figure():
    assert set(COLUMNS) <= set(FIGURES)
    assert {key for key in FIGURES} == set(COLUMNS)


def test_the_figures_page_shows_every_departments_figures_with_links(year_of_items, office_client):  # noqa: F811
    pages = {
        section: office_client.get(URL, {"year": 2026, "section": section})
        for section in ("handling", "outcome", "verdicts")
    }
    assert all(response.status_code == 200 for response in pages.values())
    html = "".join(response.content.decode() for response in pages.values())
    rows, city = figures(2026, today=timezone.localdate())
    found = links(html)
    for row in rows:
        for key in COLUMNS:
            if row[key]:
                assert found[(key, str(row.department.pk))] == str(row[key]), (row, key)
    for key in COLUMNS:
        if city[key]:
            assert found[(key, "")] == str(city[key]), key
    a = year_of_items["a"]
    assert (a.short_name or a.name) in html
    # Shares: A's satisfaction 2 of 3 rated, on time 2 of 3 replied.
    assert "66.7%" in pages["outcome"].content.decode()
    assert "66.7%" in pages["handling"].content.decode()
    charts = [response.content.decode().count('role="img"') for response in pages.values()]
    assert charts == [1, 1, 0]


def test_an_unknown_section_shows_the_first(year_of_items, office_client):  # noqa: F811
    response = office_client.get(URL, {"year": 2026, "section": "<x>"})
    assert response.status_code == 200
    assert 'id="block-handling"' in response.content.decode()


def test_the_chart_shows_the_busiest_departments_only(year_of_items, monkeypatch):  # noqa: F811
    from supervision import views
    from supervision.proposals import proposal_block

    block = proposal_block(year=2026, today=timezone.localdate())
    both = views.proposal_chart(block, "outcome")
    monkeypatch.setattr(views, "CHART_DEPARTMENTS", 1)
    one = views.proposal_chart(block, "outcome")
    a, b = year_of_items["a"], year_of_items["b"]
    assert (b.short_name or b.name) in both and (b.short_name or b.name) not in one
    assert (a.short_name or a.name) in one  # three replies against one
    assert "数量最多的1个部门" in one
    assert views.proposal_chart(block, "verdicts") == ""


def test_the_dashboard_summarises_the_city_and_links_to_the_figures_page(
    year_of_items,  # noqa: F811
    office_client,
):
    response = office_client.get(reverse("dashboard"), {"year": 2026})
    html = response.content.decode()
    _rows, city = figures(2026, today=timezone.localdate())
    found = links(html)
    assert found[("assigned", "")] == str(city["assigned"])
    assert found[("overdue", "")] == str(city["overdue"])
    assert found[("second_round", "")] == str(city["second_round"])
    assert f"{URL}?year=2026" in html


def test_an_empty_year_says_so(office_client):
    response = office_client.get(URL, {"year": 2025})
    assert "2025年度还没有交办的建议提案" in response.content.decode()


def test_a_bad_year_falls_back_to_this_year(office_client):
    response = office_client.get(URL, {"year": "20x6"})
    assert response.status_code == 200
    assert "无效" in response.content.decode()


def test_department_staff_cannot_read_the_figures(client):
    client.force_login(StaffFactory())
    assert client.get(URL).status_code == 403


def test_the_export_sheet_equals_the_figures(year_of_items, office_client):  # noqa: F811
    response = office_client.get(reverse("dashboard_export"), {"year": 2026})
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["建议提案办理"]
    values = list(sheet.iter_rows(values_only=True))
    headers = values[0]
    rows, city = figures(2026, today=timezone.localdate())
    assert len(values) == 1 + len(rows) + 1
    for row, written in zip([*rows, city], values[1:], strict=True):
        name = row.department.name if row.department else "全市合计"
        assert written[0] == name
        for key in COLUMNS:
            column = headers.index(str(FIGURES[key].label))
            assert written[column] == row[key], (name, key)
    a_row = values[1]
    share = a_row[headers.index("满意和基本满意占比")]
    assert share == pytest.approx(rows[0].satisfied_share / 100)
    on_time = a_row[headers.index("按期答复占比")]
    assert on_time == pytest.approx(0.667)
