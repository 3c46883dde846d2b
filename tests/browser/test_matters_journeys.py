"""Consultation matters end to end in a real browser: staff, the public and the general office.

Each journey asserts what the user sees on the page and what the database holds afterwards.
"""

import datetime
import re

import openpyxl
import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from matters import services
from matters.models import LedgerEntry, Matter
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
)

# live_server needs committed rows; serialized_rollback puts back the role groups and
# policy areas that the data migrations created and each transactional flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Action = LedgerEntry.Action
LEGISLATIVE_STAGES = ["立项", "起草", "审查", "决定", "公布", "解释", "立法后评估"]
TITLE = "《青岛市养老服务条例（草案）》"


def _pdf(heading: str) -> bytes:
    return weasyprint.HTML(string=f"<h1>{heading}</h1>").write_pdf()


def _field(page: Page, label: str):
    """The field labelled exactly ``label``, required or not.

    For labels that are part of another label on the same form ("日期" in "当前阶段计划完成日期",
    "文件" in "文件名称"): Playwright's label text includes the required marker " *", which
    ``exact=True`` would not match.
    """
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def _civil_affairs():
    return DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")


def _message(page: Page):
    """The flash messages at the top of the page (a ``role=status`` list)."""
    return page.locator("main > ul.messages")


def _open_new_matter_form(page: Page, live_server, staff) -> None:
    login(page, live_server, staff.username, TEST_PASSWORD)
    page.get_by_role("navigation", name="账户").get_by_role("link", name="事项管理").click()
    expect(page.get_by_role("heading", name="协商事项管理")).to_be_visible()
    page.get_by_role("link", name="新建协商事项", exact=True).click()
    expect(page.get_by_role("heading", name="新建协商事项")).to_be_visible()


def _fill_new_matter_form(page: Page, *, title: str) -> None:
    page.get_by_label("事项名称").fill(title)
    page.get_by_label("协商类别").select_option("legislative")
    page.get_by_label("年度").select_option("2026")
    page.get_by_label("事项概述").fill("规范养老服务，保障老年人合法权益。")
    page.get_by_label("计划开始日期").fill("2026-03-01")
    _field(page, "计划完成日期").fill("2026-12-31")
    page.get_by_label("养老", exact=True).check()


def test_staff_takes_a_legislative_matter_from_creation_to_publication(
    page: Page, live_server, tmp_path
):
    staff = StaffFactory(department=_civil_affairs())
    _open_new_matter_form(page, live_server, staff)
    _fill_new_matter_form(page, title=TITLE)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/staff/matters/\d+/$"))
    expect(_message(page)).to_have_text("已创建协商事项 2026-MZJ-001。")
    expect(page.locator(".breadcrumb")).to_contain_text("2026-MZJ-001")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    page.get_by_role("button", name="推进至“起草”").click()
    expect(_message(page)).to_have_text("已推进至“起草”阶段。")

    # The page lists the missing step, so the button is disabled and says why (issue 21,
    # item 16) instead of offering a click that would be refused.
    advance = page.get_by_role("button", name="推进至“审查”")
    expect(advance).to_be_disabled()
    expect(advance).to_have_accessible_description(re.compile("书面征求意见或公布草案征求意见"))

    page.get_by_role("link", name="记录程序步骤").click()
    expect(page.get_by_role("heading", name="记录程序步骤")).to_be_visible()
    # 书面征求意见 comes from a letter sent from the portal, never typed in: the form does
    # not offer it, and the published draft satisfies the rule instead.
    step_types = page.get_by_label("程序类型")
    expect(step_types.locator('option[value="written_solicitation"]')).to_have_count(0)
    step_types.select_option("draft_publication")
    _field(page, "日期").fill("2026-04-01")
    page.get_by_label("责任人").fill("张明")
    page.get_by_label("情况摘要").fill("在市政府门户网站全文公布征求意见稿，收到意见42条。")
    page.get_by_role("button", name="保存").click()
    expect(_message(page)).to_have_text("已记录程序步骤。")
    expect(page.get_by_role("cell", name="公布草案征求意见", exact=True)).to_be_visible()

    page.get_by_role("button", name="推进至“审查”").click()
    expect(_message(page)).to_have_text("已推进至“审查”阶段。")

    pdf = tmp_path / "起草说明.pdf"
    pdf.write_bytes(_pdf("起草说明"))
    page.get_by_role("link", name="上传附件").click()
    page.get_by_label("文件名称").fill("起草说明")
    page.get_by_label("类别").select_option("explanation")
    _field(page, "文件").set_input_files(pdf)
    page.get_by_role("button", name="上传").click()
    expect(_message(page)).to_have_text("已上传附件。")
    expect(page.get_by_role("link", name="起草说明")).to_be_visible()

    page.get_by_role("link", name="新增草案版本").click()
    expect(page.get_by_label("草案名称")).to_have_value(TITLE)
    page.get_by_label("草案全文").fill("第一条 为了规范养老服务，制定本条例。")
    page.get_by_label("修改说明").fill("征求意见稿。")
    page.get_by_role("button", name="保存").click()
    expect(_message(page)).to_have_text("已保存草案第1稿。")
    page.get_by_role("button", name="公开此版本").click()
    expect(_message(page)).to_have_text("草案第1稿已公开。")

    # Publishing asks for an explicit confirmation (issue 21, item 16): without the tick
    # the browser keeps the form, and nothing is published.
    page.get_by_role("button", name="向社会公开").click()
    expect(page.get_by_label("确认向社会公开")).to_be_visible()
    assert not Matter.objects.get(reference="2026-MZJ-001").is_published
    page.get_by_label("确认向社会公开").check()
    page.get_by_role("button", name="向社会公开").click()
    expect(_message(page)).to_have_text("事项已向社会公开。")
    expect(page.get_by_role("link", name="查看公开页面")).to_be_visible()

    matter = Matter.objects.get(reference="2026-MZJ-001")
    assert matter.title == TITLE
    assert matter.kind == "legislative"
    assert matter.department.code == "mzj"
    assert matter.created_by == staff
    assert matter.planned_start == datetime.date(2026, 3, 1)
    assert [area.name for area in matter.policy_areas.all()] == ["养老"]
    assert matter.stage == "review"
    assert matter.is_published
    step = matter.steps.get()
    assert (step.step_type, step.occurred_on) == ("draft_publication", datetime.date(2026, 4, 1))
    document = matter.documents.get()
    assert document.title == "起草说明"
    assert (document.category, document.extension) == ("explanation", "pdf")
    with document.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    draft = matter.drafts.get()
    assert (draft.number, draft.is_published) == (1, True)
    ledger = matter.ledger_entries.order_by("created_at", "pk")
    assert list(ledger.values_list("action", flat=True)) == [
        Action.MATTER_CREATED,
        Action.STAGE_ADVANCED,
        Action.STEP_RECORDED,
        Action.STAGE_ADVANCED,
        Action.DOCUMENT_ADDED,
        Action.DRAFT_ADDED,
        Action.DRAFT_PUBLISHED,
        Action.MATTER_PUBLISHED,
    ]


def test_new_matter_without_a_title_is_refused_and_keeps_what_was_typed(page: Page, live_server):
    staff = StaffFactory(department=_civil_affairs())
    _open_new_matter_form(page, live_server, staff)
    _fill_new_matter_form(page, title="")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("请填写事项名称。")).to_be_visible()
    expect(page.get_by_role("heading", name="新建协商事项")).to_be_visible()
    expect(page.get_by_label("协商类别")).to_have_value("legislative")
    expect(page.get_by_label("年度")).to_have_value("2026")
    expect(page.get_by_label("事项概述")).to_have_value("规范养老服务，保障老年人合法权益。")
    expect(page.get_by_label("计划开始日期")).to_have_value("2026-03-01")
    expect(_field(page, "计划完成日期")).to_have_value("2026-12-31")
    expect(page.get_by_label("养老", exact=True)).to_be_checked()
    assert not Matter.objects.exists()
    assert not LedgerEntry.objects.exists()


@pytest.fixture
def published_legislative_matter():
    """A legislative matter published through the services, with a step, a draft and a PDF."""
    staff = StaffFactory(department=_civil_affairs())
    matter = make_matter(by=staff, kind="legislative", title=TITLE)
    services.step_record(
        matter=matter,
        by=staff,
        step_type="draft_publication",
        occurred_on=datetime.date(2026, 4, 1),
        responsible_person="张明",
        summary="在市政府门户网站全文公布征求意见稿，收到意见42条。",
    )
    draft = services.draft_add(
        matter=matter,
        by=staff,
        title=TITLE,
        text="第一条 为了规范养老服务，保障老年人合法权益，制定本条例。",
        change_note="征求意见稿。",
    )
    services.draft_publish(draft=draft, by=staff)
    upload = SimpleUploadedFile("qicao.pdf", _pdf("起草说明"), content_type="application/pdf")
    services.document_attach(
        matter=matter, by=staff, upload=upload, title="起草说明", category="explanation"
    )
    return services.matter_publish(matter=matter, by=staff)


def test_public_finds_a_legislative_matter_reads_its_draft_and_downloads_its_document(
    page: Page, live_server, published_legislative_matter
):
    matter = published_legislative_matter
    other = make_matter(title="青岛市住宅物业服务收费标准调整", kind="decision")
    services.matter_publish(matter=other, by=other.created_by)
    entries_before = matter.ledger_entries.count()

    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="协商事项").click()
    expect(page.get_by_role("heading", name="协商事项", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="青岛市住宅物业服务收费标准调整")).to_be_visible()

    page.get_by_label("协商类别").select_option(label="政府立法协商")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"kind=legislative"))
    expect(page.get_by_text("共 1 项")).to_be_visible()
    expect(page.get_by_role("link", name="青岛市住宅物业服务收费标准调整")).to_have_count(0)
    page.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    stages = page.get_by_role("list", name="阶段进程").get_by_role("listitem")
    expect(stages).to_have_count(len(LEGISLATIVE_STAGES))
    expect(stages).to_contain_text(LEGISLATIVE_STAGES)
    expect(stages.first).to_contain_text("进行中")
    expect(page.get_by_role("row", name=re.compile("公布草案征求意见"))).to_contain_text(
        "收到意见42条"
    )

    page.get_by_role("link", name=re.compile("第1稿")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第1稿")
    expect(page.get_by_text("第一条 为了规范养老服务")).to_be_visible()
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="起草说明").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as received:
        assert received.read(5) == b"%PDF-"

    # Reading the public pages leaves no trace in the ledger.
    assert matter.ledger_entries.count() == entries_before
    assert Matter.objects.get(pk=matter.pk).is_published


def test_reviewer_reads_the_ledger_exports_it_and_finds_the_matter_in_the_admin(
    page: Page, live_server, tmp_path
):
    matter = make_matter(department=_civil_affairs(), kind="legislative", title=TITLE)
    reviewer = ReviewerFactory()
    entries_before = LedgerEntry.objects.count()

    login(page, live_server, reviewer.username, TEST_PASSWORD)
    page.get_by_role("navigation", name="账户").get_by_role("link", name="台账").click()
    expect(page).to_have_url(f"{live_server.url}/staff/ledger/")
    expect(page.get_by_role("heading", name="协商工作台账")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=matter.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("创建事项")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("青岛市民政局")

    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = tmp_path / download.suggested_filename
    download.save_as(workbook)
    sheet = openpyxl.load_workbook(workbook, read_only=True).active
    references = [values[2] for values in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == [matter.reference]

    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("table", name="协商事项").get_by_role(
        "rowheader", name="协商事项", exact=True
    ).get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/admin/matters/matter/")
    expect(page.get_by_role("link", name=matter.reference)).to_be_visible()

    assert LedgerEntry.objects.count() == entries_before


def test_staff_of_another_department_typing_the_staff_url_is_refused(page: Page, live_server):
    matter = make_matter(department=_civil_affairs(), kind="legislative", title=TITLE)
    outsider = StaffFactory(
        department=DepartmentFactory(code="czj", name="青岛市财政局", short_name="市财政局")
    )
    entries_before = LedgerEntry.objects.count()

    login(page, live_server, outsider.username, TEST_PASSWORD)
    response = page.goto(f"{live_server.url}/staff/matters/{matter.pk}/")

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    expect(page.get_by_text("您的账户无权访问此页面")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)
    matter.refresh_from_db()
    assert not matter.is_published
    assert LedgerEntry.objects.count() == entries_before
