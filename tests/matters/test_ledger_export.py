"""The general office's ledger page and its Excel export."""

import datetime
from io import BytesIO
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matters import events
from matters.exports import ledger_headers
from matters.models import LedgerEntry
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
)

pytestmark = pytest.mark.django_db

HEADERS = [
    "时间",
    "部门",
    "事项编号",
    "事项名称",
    "协商类别",
    "操作",
    "摘要",
    "操作人",
    "变更前",
    "变更后",
]


@pytest.fixture
def reviewer(client):
    user = ReviewerFactory()
    client.force_login(user)
    return user


@pytest.fixture
def world():
    """Three matters that differ in department, year and kind."""
    mzj = DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")
    czj = DepartmentFactory(code="czj", name="青岛市财政局", short_name="市财政局")
    return {
        "elderly": make_matter(
            department=mzj, title="《青岛市养老服务条例（草案）》", kind="legislative", year=2026
        ),
        "canteens": make_matter(
            department=mzj, title="社区长者食堂建设运营", kind="key_matter", year=2025
        ),
        "budget": make_matter(department=czj, title="2026年市级预算草案", kind="budget", year=2026),
    }


def _workbook(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(BytesIO(content)).active


# Who may open the ledger


def test_reviewer_opens_the_ledger(client, reviewer, world):
    response = client.get(reverse("matters:ledger"))
    assert response.status_code == 200
    text = response.content.decode()
    for header in [*HEADERS[:8], "变更内容"]:  # the page reads the changes; the workbook keeps both
        assert f">{header}</th>" in text
    assert "创建协商事项“2026年市级预算草案”" in text
    assert "导出 Excel" in text


def test_the_page_reads_the_changes_in_chinese_with_the_raw_record_one_click_away(client, reviewer):
    """Issue 21, item 4: no codes, ids or UTC times in the page, the JSON kept behind a click."""
    shinan = DepartmentFactory(code="shinan", name="市南区人民政府")
    matter = make_matter(title="老旧小区改造", kind="decision")
    events.record(
        action=LedgerEntry.Action.MATTER_UPDATED,
        summary="修改协商事项",
        department_id=matter.department_id,
        object_type="matter",
        object_id=matter.pk,
        actor=reviewer,
        matter=matter,
        before={"kind": "key_matter", "co_departments": [], "is_contested": False},
        after={"kind": "decision", "co_departments": ["shinan"], "is_contested": True},
    )
    events.record(
        action=LedgerEntry.Action.STAGE_ADVANCED,
        summary="推进",
        department_id=matter.department_id,
        object_type="matter",
        object_id=matter.pk,
        actor=reviewer,
        matter=matter,
        before={"stage": "initiation"},
        after={"stage": "public_participation", "submitted_at": "2026-03-31T15:59:00+00:00"},
    )
    text = client.get(reverse("matters:ledger")).content.decode()
    cells = text.split('<td class="ledger-changes">')[1:]
    updated, advanced = cells[1], cells[0]  # newest first
    assert "协商类别</span>：重点事项协商 → 行政决策协商" in updated
    assert f"配合部门</span>：— → {shinan.name}" in updated
    assert "争议较大</span>：否 → 是" in updated
    assert "当前阶段</span>：启动 → 公众参与" in advanced
    assert "2026年3月31日 23:59" in advanced  # Shanghai time, as people write it
    # The codes only in the raw record behind <details>
    visible = updated.split("<details>")[0]
    assert "key_matter" not in visible and "shinan" not in visible
    assert "<summary>原始记录</summary>" in updated
    assert "&quot;kind&quot;:&quot;decision&quot;" in updated


def test_system_administrator_opens_the_ledger(client):
    client.force_login(AdministratorFactory())
    assert client.get(reverse("matters:ledger")).status_code == 200
    assert client.get(reverse("matters:ledger_export")).status_code == 200


@pytest.mark.parametrize("factory", [StaffFactory, LeaderFactory])
@pytest.mark.parametrize("name", ["matters:ledger", "matters:ledger_export"])
def test_department_members_are_refused(client, factory, name):
    client.force_login(factory())
    response = client.get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["matters:ledger", "matters:ledger_export"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Filters


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"department": "mzj"}, ["elderly", "canteens"], ["budget"]),
        ({"year": "2025"}, ["canteens"], ["elderly", "budget"]),
        ({"kind": "budget"}, ["budget"], ["elderly", "canteens"]),
        ({"department": "mzj", "year": "2026"}, ["elderly"], ["canteens", "budget"]),
    ],
)
def test_filters_narrow_the_rows(client, reviewer, world, params, shown, hidden):
    text = client.get(reverse("matters:ledger"), params).content.decode()
    for key in shown:
        assert world[key].reference in text
    for key in hidden:
        assert world[key].reference not in text


def test_export_link_keeps_the_filters(client, reviewer, world):
    text = client.get(reverse("matters:ledger"), {"department": "mzj", "year": "2026"}).content
    assert (
        f'href="{reverse("matters:ledger_export")}?department=mzj&amp;year=2026"' in text.decode()
    )


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"year": "二〇二六"}, "年度须为四位数字"),
        ({"year": "99999"}, "年度须为四位数字"),
        ({"kind": "nonsense"}, "没有这个协商类别"),
        ({"department": "no-such-department"}, "没有这个部门"),
    ],
)
def test_a_bad_filter_is_a_form_error_not_a_crash(client, reviewer, world, params, error):
    response = client.get(reverse("matters:ledger"), params)
    assert response.status_code == 200
    assert error in response.content.decode()


def test_export_with_a_bad_filter_shows_the_error_instead(client, reviewer, world):
    response = client.get(reverse("matters:ledger_export"), {"year": "abc"})
    assert response.status_code == 400
    assert "年度须为四位数字" in response.content.decode()


def test_an_empty_ledger_says_so(client, reviewer):
    DepartmentFactory(code="jyj", name="青岛市教育局")
    text = client.get(reverse("matters:ledger"), {"department": "jyj"}).content.decode()
    assert "暂无台账记录" in text


def test_the_ledger_is_paginated_fifty_a_page(client, reviewer, world):
    matter = world["budget"]
    for number in range(60):
        events.record(
            action="note",
            summary=f"第{number:02d}条记录",
            department_id=matter.department_id,
            object_type="matter",
            object_id=matter.pk,
            actor=reviewer,
            matter=matter,
        )
    first = client.get(reverse("matters:ledger"), {"kind": "budget"})
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("matters:ledger"), {"kind": "budget", "page": 2})
    assert len(second.context["rows"]) == 11  # 60 notes and the creation
    assert "page=1" in second.content.decode() and "kind=budget" in second.content.decode()


def _ledger_queries(client, count: int, matter, actor) -> int:
    for number in range(count):
        events.record(
            action=LedgerEntry.Action.STEP_RECORDED,
            summary=f"记录{number}",
            department_id=matter.department_id,
            object_type="matter",
            object_id=matter.pk,
            actor=actor,
            matter=matter,
        )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("matters:ledger")).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_5_or_60_rows(client, reviewer):
    few_matter = make_matter(title="少量记录")
    few = _ledger_queries(client, 4, few_matter, few_matter.created_by)
    assert LedgerEntry.objects.count() == 5
    many_matter = make_matter(title="大量记录")
    many = _ledger_queries(client, 54, many_matter, StaffFactory())
    assert LedgerEntry.objects.count() == 60
    assert many == few


# The workbook


def test_export_is_an_xlsx_attachment_with_a_chinese_name(client, reviewer, world):
    response = client.get(reverse("matters:ledger_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"台账-{timezone.localdate():%Y%m%d}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(filename)}"


def test_the_workbook_has_the_chinese_headers_and_a_row_per_entry(client, reviewer, world):
    sheet = _workbook(client.get(reverse("matters:ledger_export")))
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS == ledger_headers()
    assert len(rows) - 1 == LedgerEntry.objects.count() == 3
    assert sheet.freeze_panes == "A2"
    by_reference = {row[2]: row for row in rows[1:]}
    budget = by_reference[world["budget"].reference]
    assert budget[1] == "青岛市财政局"
    assert budget[3] == "2026年市级预算草案"
    assert budget[4] == "政府预算协商"
    assert budget[5] == "创建事项"
    assert budget[6] == f"创建协商事项“2026年市级预算草案”（{world['budget'].reference}）"
    assert budget[7] == world["budget"].created_by.display_name
    assert budget[8] is None  # nothing before a creation
    assert '"title":"2026年市级预算草案"' in budget[9]  # compact, readable JSON


def test_times_are_shanghai_wall_clock(client, reviewer, world):
    entry = LedgerEntry.objects.get(matter=world["budget"])
    sheet = _workbook(client.get(reverse("matters:ledger_export"), {"kind": "budget"}))
    cell = sheet["A2"]
    shanghai = timezone.localtime(entry.created_at, datetime.timezone(datetime.timedelta(hours=8)))
    assert cell.value == shanghai.replace(tzinfo=None, microsecond=0)
    assert cell.number_format == "yyyy-mm-dd hh:mm:ss"


def test_the_export_follows_the_filters(client, reviewer, world):
    sheet = _workbook(client.get(reverse("matters:ledger_export"), {"department": "mzj"}))
    references = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert references == {world["elderly"].reference, world["canteens"].reference}


def test_formulas_in_text_are_neutralised(client, reviewer):
    matter = make_matter(title='=HYPERLINK("http://evil.example","点击")')
    for summary in ("=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTAB"):
        events.record(
            action=LedgerEntry.Action.MATTER_UPDATED,
            summary=summary,
            department_id=matter.department_id,
            object_type="matter",
            object_id=matter.pk,
            actor=reviewer,
            matter=matter,
        )
    sheet = _workbook(client.get(reverse("matters:ledger_export")))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    summaries = {row[6] for row in rows}
    # Shown as typed, without the apostrophe that used to be written into the text.
    assert {"=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTAB"} <= summaries
    assert all(row[3] == '=HYPERLINK("http://evil.example","点击")' for row in rows)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t")):
                # Excel's quote prefix: shown as text, and still text after an edit.
                assert cell.data_type == "s"
                assert cell.quotePrefix


def test_control_characters_do_not_break_the_export(client, reviewer):
    make_matter(title="养老服务\x0b条例\x01（草案）")
    sheet = _workbook(client.get(reverse("matters:ledger_export")))
    assert sheet["D2"].value == "养老服务条例（草案）"


def test_participation_rows_read_in_chinese_too(db):
    """Keys and codes that participation's rows record (an opinion's disposition on a
    comment period's row, the report's totals) read as words, not as codes."""
    from matters.ledger_display import LedgerDisplay
    from matters.models import LedgerEntry

    entry = LedgerEntry(
        object_type="commentperiod",
        object_id=1,
        action="opinions_disposed",
        after={"disposition": "adopted", "total": 5, "channel": "symposium"},
    )
    changes = {change.label: change.after for change in LedgerDisplay().changes(entry)}
    assert changes["意见总数"] == "5"
    assert changes["处理结果"] == "采纳"
    assert changes["渠道"] == "座谈会"
    assert not {"disposition", "total", "channel"} & set(changes)
