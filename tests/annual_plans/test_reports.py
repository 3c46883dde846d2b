"""The formal PDFs: what a reader finds in them, page by page, and what it costs to make them.

Every PDF is rendered for real with WeasyPrint and read back with pypdf.
"""

import dataclasses
import datetime
import subprocess
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from annual_plans import reports, services
from annual_plans.services import ItemData
from core import pdf
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 17:00 UTC on the 26th is already the 27th in Shanghai: the date must be read there.
GENERATED = datetime.datetime(2026, 11, 26, 17, 0, tzinfo=datetime.UTC)
GENERATED_LINE = "生成日期：2026年11月27日"
HTML_TITLE = "<b>粗体</b>标题的事项"
REPLACEMENT_CHARACTERS = ("\ufffd", "\x00")


def item(title, *, major=False, non_party=False, start=(2026, 3, 1), end=(2026, 12, 31)):
    return ItemData(
        title=title,
        kind="decision",
        forms=["public_participation", "expert_argumentation"],
        planned_start=datetime.date(*start),
        planned_end=datetime.date(*end),
        responsible_office="法规处",
        is_major_decision=major,
        seeks_non_party_opinions=non_party,
    )


def published_plan(department, items, *, year=2026, reviewer=None):
    """A catalog drafted, signed off, filed, accepted and published through the services."""
    staff = StaffFactory(department=department)
    plan = services.plan_start(department=department, year=year, by=staff)
    plan = services.plan_save(
        plan=plan, by=staff, items=items, contact_person="王丽", contact_phone="0532-85911234"
    )
    plan = services.plan_sign_off(plan=plan, by=LeaderFactory(department=department))
    plan = services.plan_submit(
        plan=plan, by=staff, now=datetime.datetime(2026, 3, 20, 10, 30, tzinfo=SHANGHAI)
    )
    reviewer = reviewer or ReviewerFactory()
    plan = services.plan_accept(plan=plan, by=reviewer, comment="同意备案。")
    return services.plan_publish(plan=plan, by=reviewer)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text without line breaks: a long title may wrap inside its table cell."""
    return "".join(text.split())


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def assert_numbered_and_dated(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text, text[-200:]
        assert GENERATED_LINE in text


# --- the filing form ----------------------------------------------------------------------


@pytest.fixture
def filed_plan():
    department = DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")
    reviewer = ReviewerFactory(full_name="赵审核")
    return published_plan(
        department,
        [
            item("《青岛市养老服务条例（草案）》立法协商", major=True, non_party=True),
            item("社区长者食堂建设运营补贴政策", start=(2026, 5, 1), end=(2027, 1, 31)),
            item(HTML_TITLE),
        ],
        reviewer=reviewer,
    )


def test_filing_form_shows_the_department_its_items_and_the_record(filed_plan):
    plan = filed_plan
    pages = pages_text(reports.filing_form_pdf(plan, now=GENERATED))
    text = "\n".join(pages)
    whole = flat(text)

    assert "青岛市民政局2026年度政府协商计划目录备案表" in whole
    assert "王丽" in text and "0532-85911234" in text
    for title in (
        "《青岛市养老服务条例（草案）》立法协商",
        "社区长者食堂建设运营补贴政策",
        HTML_TITLE,
    ):
        assert flat(title) in whole
    assert "公众参与、专家论证" in whole
    assert "2026年5月—2027年1月" in whole
    assert "✓" in text
    # The record: filed on 20 March (on time), accepted by the reviewer, signed off, published.
    assert "2026年3月20日10:30" in whole
    assert "是否逾期 否" in text
    assert "赵审核" in text and "同意备案。" in text
    assert plan.signed_off_by.display_name in text
    assert "已公示" in text and "第1版" in text
    assert_numbered_and_dated(pages)


def test_html_in_a_title_is_printed_as_typed_not_interpreted(filed_plan):
    text = "".join(pages_text(reports.filing_form_pdf(filed_plan, now=GENERATED)))

    assert flat(HTML_TITLE) in flat(text)


def test_filing_form_of_an_empty_catalog_states_its_reason():
    plan = make_plan(items=0, status="submitted")

    text = "".join(pages_text(reports.filing_form_pdf(plan, now=GENERATED)))

    assert "本年度无协商事项。原因：本年度无需要开展政府协商的事项。" in flat(text)
    assert "序号" not in text
    assert "已报送" in text and "尚未备案" in text


def test_filing_form_of_a_draft_says_what_has_not_happened_yet():
    plan = make_plan(items=2, status="draft")

    text = "".join(pages_text(reports.filing_form_pdf(plan, now=GENERATED)))

    assert "尚未报送" in text and "尚未审签" in text and "尚未备案" in text


def test_late_filing_is_marked_late():
    plan = make_plan(
        items=1,
        status="accepted",
        submitted_at=datetime.datetime(2026, 4, 1, 0, 0, tzinfo=SHANGHAI),
    )

    text = "".join(pages_text(reports.filing_form_pdf(plan, now=GENERATED)))

    assert "是（逾期报送）" in text
    assert "2026年4月1日00:00" in flat(text)


def test_filing_form_costs_two_queries_whatever_its_size(django_assert_num_queries):
    small, large = make_plan(items=1), make_plan(items=12)

    for plan in (small, large):
        with django_assert_num_queries(2):  # the plan with department and people; its items
            reports.filing_form_pdf(plan)


# --- the consolidated catalog -------------------------------------------------------------


@pytest.fixture
def published_year():
    """Three departments' published catalogs of 2026, enough items to fill several pages,
    a draft that must not appear, and a catalog of another year."""
    reviewer = ReviewerFactory()
    first = DepartmentFactory(code="fgw", name="青岛市发展和改革委员会", sort_order=1)
    second = DepartmentFactory(code="jyj", name="青岛市教育局", sort_order=2)
    third = DepartmentFactory(code="cgj", name="青岛市城市管理局", sort_order=3)
    published_plan(
        first,
        [item("重大项目审批制度改革", major=True)]
        + [item(f"发展规划协商事项第{n}项") for n in range(2, 16)],
        reviewer=reviewer,
    )
    published_plan(
        second,
        [item("中小学课后服务收费标准调整", non_party=True)]
        + [item(f"教育协商事项第{n}项") for n in range(2, 16)],
        reviewer=reviewer,
    )
    published_plan(
        third,
        [item("生活垃圾分类管理办法（修订）", major=True, non_party=True), item(HTML_TITLE)],
        reviewer=reviewer,
    )
    make_plan(department=DepartmentFactory(name="青岛市草稿局"), items=1, status="accepted")
    make_plan(department=first, year=2025, items=1, status="published")
    return [first, second, third]


def test_consolidated_catalog_lists_every_published_item_by_department(published_year):
    pdf = reports.consolidated_catalog_pdf(year=2026, now=GENERATED)
    pages = pages_text(pdf)
    whole = flat("".join(pages))

    assert len(pages) >= 2
    assert_numbered_and_dated(pages)
    # The title runs at the head of every page after the first, so does the table header.
    assert all("青岛市2026年度政府协商计划目录" in flat(page) for page in pages)
    assert all(
        "序号事项名称协商类别拟采取的协商形式计划时间责任处室" in flat(page) for page in pages[:2]
    )
    assert "本目录汇总3个部门" in whole and "共32项协商事项" in whole
    headings = ["（一）青岛市发展和改革委员会", "（二）青岛市教育局", "（三）青岛市城市管理局"]
    positions = [whole.index(heading) for heading in headings]
    assert positions == sorted(positions)
    for n in range(2, 16):
        assert f"发展规划协商事项第{n}项" in whole and f"教育协商事项第{n}项" in whole
    assert flat(HTML_TITLE) in whole
    assert "青岛市草稿局" not in whole


def test_consolidated_catalog_ends_with_the_two_municipal_catalogs(published_year):
    whole = flat("".join(pages_text(reports.consolidated_catalog_pdf(year=2026))))

    major = whole[
        whole.index("二、重大行政决策事项目录") : whole.index("三、征求党外人士意见事项目录")
    ]
    non_party = whole[whole.index("三、征求党外人士意见事项目录") :]
    assert "青岛市发展和改革委员会重大项目审批制度改革" in major
    assert "青岛市城市管理局生活垃圾分类管理办法（修订）" in major
    assert "中小学课后服务收费标准调整" not in major
    assert "青岛市教育局中小学课后服务收费标准调整" in non_party
    assert "青岛市城市管理局生活垃圾分类管理办法（修订）" in non_party
    assert "重大项目审批制度改革" not in non_party
    # In the departments' lists the flagged items carry their marks.
    assert "重大项目审批制度改革★" in whole and "生活垃圾分类管理办法（修订）★▲" in whole


def test_a_department_with_nothing_to_consult_is_listed_with_its_reason():
    make_plan(department=DepartmentFactory(name="青岛市档案馆"), items=0, status="published")

    whole = flat("".join(pages_text(reports.consolidated_catalog_pdf(year=2026))))

    assert "（一）青岛市档案馆本年度无协商事项。原因：本年度无需要开展政府协商的事项。" in whole
    assert "本目录汇总1个部门" in whole and "共0项协商事项" in whole


def test_consolidated_catalog_of_a_year_without_published_catalogs_says_so():
    text = "".join(pages_text(reports.consolidated_catalog_pdf(year=2031, now=GENERATED)))

    assert "该年度尚无已公示的政府协商计划目录。" in text
    assert "本年度无此类事项。" in text


def test_consolidated_catalog_costs_four_queries_whatever_its_size(django_assert_num_queries):
    published_plan(DepartmentFactory(), [item("事项甲", major=True)])
    with django_assert_num_queries(4):  # plans, their items, the two flagged lists
        reports.consolidated_catalog_pdf(year=2026)
    for n in range(3):
        published_plan(
            DepartmentFactory(), [item(f"事项{n}-{m}", non_party=True) for m in range(5)]
        )
    with django_assert_num_queries(4):
        reports.consolidated_catalog_pdf(year=2026)


# --- fonts and glyphs ---------------------------------------------------------------------


def test_chinese_comes_out_as_chinese_in_noto_cjk_fonts(filed_plan):
    pdf = reports.filing_form_pdf(filed_plan)
    text = "".join(pages_text(pdf))

    assert not any(bad in text for bad in REPLACEMENT_CHARACTERS)
    assert "政府协商计划目录备案表" in text and "拟采取的协商形式" in flat(text)
    names = font_names(pdf)
    assert names, "no fonts in the page resources"
    assert all("Noto" in name and "CJK" in name for name in names), names
    assert any("Serif" in name for name in names), "the title is set in the Song-style face"


def test_consolidated_catalog_uses_only_noto_cjk_fonts(published_year):
    pdf = reports.consolidated_catalog_pdf(year=2026)

    names = font_names(pdf)
    assert names and all("Noto" in name and "CJK" in name for name in names), names
    assert not any(bad in "".join(pages_text(pdf)) for bad in REPLACEMENT_CHARACTERS)


def test_rendering_without_a_chinese_font_fails_with_a_clear_message(monkeypatch):
    pdf.ensure_cjk_font.cache_clear()
    monkeypatch.setattr(
        pdf.subprocess,
        "run",
        lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, stdout="", stderr=""),
    )
    try:
        with pytest.raises(RuntimeError, match="缺少中文字体：请安装 fonts-noto-cjk"):
            pdf.ensure_cjk_font()
        monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
        with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
            pdf.ensure_cjk_font()
    finally:
        pdf.ensure_cjk_font.cache_clear()


def test_the_font_check_passes_on_this_machine():
    pdf.ensure_cjk_font.cache_clear()

    pdf.ensure_cjk_font()


# --- dates as Chinese write them ----------------------------------------------------------


def test_dates_and_times_are_written_the_chinese_way_in_shanghai_time():
    assert reports.chinese_date(datetime.date(2026, 3, 31)) == "2026年3月31日"
    late_utc = datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC)
    assert reports.chinese_date(late_utc) == "2026年4月1日"
    assert reports.chinese_datetime(late_utc) == "2026年4月1日 00:30"
    assert reports.chinese_datetime(None) == ""
    span = reports.chinese_month_span(datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))
    assert span == "2026年3月—2026年12月"


@pytest.mark.parametrize(
    ("number", "numeral"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (47, "四十七")]
)
def test_headings_are_numbered_in_chinese_numerals(number, numeral):
    assert reports.chinese_numeral(number) == numeral


# No break opportunity in either (dots between letters do not allow one, unlike / or -).
LONG_URL = "www.qingdaoshizhengfuxinxigongkai.qingdao.gov.cn.zwgk.xxgk.sfj.t20260301_1234567"
LONG_OFFICE = "Zhengcefaguichu.sifaju"


def test_a_long_url_or_name_wraps_inside_its_cell():
    """Entered text without a break opportunity is broken inside its column rather than
    printed over the next one; Chinese text needs no help."""
    department = DepartmentFactory(code="sfj", name="青岛市司法局")
    entry = dataclasses.replace(
        item(f"政策文件解读（原文见{LONG_URL}）"), responsible_office=LONG_OFFICE
    )
    published_plan(department, [entry, item("社区长者食堂建设运营补贴政策")])

    html = render_to_string(
        "annual_plans/pdf/consolidated.html", reports.consolidated_context(year=2026)
    )
    text = "\n".join(pages_text(reports.consolidated_catalog_pdf(year=2026, now=GENERATED)))

    assert html.count('class="wrap"') == 1  # the title with the URL, not the other one
    assert html.count('class="center wrap"') == 1  # its office
    for long_text in (LONG_URL, LONG_OFFICE):
        assert long_text in flat(text)
        assert long_text not in text  # broken over lines, not printed past its column
