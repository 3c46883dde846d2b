"""The year's supervision report (年度政府协商工作督查报告): its figures are the
dashboard's (the same blocks, the same tables as the Excel export, city-wide sums where the
report condenses), the same data give the same report, and the office asks for it, watches
it and downloads it; a failed build says so."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from annual_plans.deadlines import SHANGHAI
from oversight import services as order_services
from supervision import report as report_module
from supervision.dashboard import build_dashboard
from supervision.execution import execution_block
from supervision.export import dashboard_tables
from supervision.models import SupervisionReport
from supervision.report import render_report, report_content
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_plan,
)

pytestmark = pytest.mark.django_db

AS_OF = datetime.datetime(2026, 12, 7, 10, tzinfo=SHANGHAI)


@pytest.fixture
def city():
    office = ReviewerFactory()
    departments = []
    for n, code in enumerate(("jtj", "mzj")):
        department = DepartmentFactory(code=code, name=f"青岛市测试{n}局", sort_order=n)
        staff = StaffFactory(department=department)
        make_plan(
            department=department,
            by=staff,
            leader=LeaderFactory(department=department),
            status="published",
            items=2,
        )
        for m in range(n + 1):
            make_matter(by=staff, title=f"测试事项{n}-{m}")
        departments.append(department)
    matter = make_matter(by=StaffFactory(department=departments[0]), title="督办的事项")
    order_services.order_issue(
        target=order_services.target_of("matter", matter.pk),
        requirement="请加快推进。",
        due_date=datetime.date(2026, 12, 20),
        by=office,
        now=AS_OF - datetime.timedelta(days=1),
    )
    return {"office": office, "departments": departments}


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_figures_are_the_dashboards(city):
    content = report_content(year=2026, as_of=AS_OF)
    board = build_dashboard(year=2026, now=AS_OF)
    execution = execution_block(year=2026, today=AS_OF.date())
    assert content.headline["matters"] == board.matters.total.total == 4
    assert content.headline["departments"] == board.filing.total
    assert content.headline["execution_rate"] == execution.total.rate_display
    assert content.headline["orders"] == 1
    exported = {table.title: table for table in dashboard_tables(board, execution=execution)}
    reported = {table.title: table for table in content.tables}
    # Every table the report takes over as it is equals the export's (the dashboard's).
    for title in ("目录报送", "阶段逾期", "意见和采纳率", "目录执行"):
        assert reported[title].rows == exported[title].rows, title
    # The condensed ones add up to the same totals.
    stages = reported["事项类别和阶段"]
    assert sum(values[2] for values, total in stages.rows if not total) == 4
    assert stages.rows[-1][0][2:] == exported["事项类别和阶段"].rows[-1][0][3:]
    text = pdf_text(render_report(content))
    assert "2026年度政府协商工作督查报告" in text
    assert "全市协商事项4项" in text and "发出督办通知1份" in text


def test_the_same_data_give_the_same_report(city):
    first = report_content(year=2026, as_of=AS_OF)
    second = report_content(year=2026, as_of=AS_OF)
    assert [t.rows for t in first.tables] == [t.rows for t in second.tables]
    assert first.headline == second.headline
    assert pdf_text(render_report(first)) == pdf_text(render_report(second))


def test_the_office_asks_watches_and_downloads(client, city, django_capture_on_commit_callbacks):
    client.force_login(StaffFactory())
    assert client.get(reverse("report_list")).status_code == 403
    client.force_login(city["office"])
    assert "还没有生成过年度督查报告" in client.get(reverse("report_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_request"), {"year": "2026"})
    report = SupervisionReport.objects.get()
    assert response.url == reverse("report_detail", args=[report.pk])
    assert report.status == SupervisionReport.Status.DONE and report.progress == 100
    assert report.pages >= 1 and report.size > 0
    detail = client.get(response.url).content.decode()
    assert "报告已生成" in detail and 'http-equiv="refresh"' not in detail
    download = client.get(reverse("report_download", args=[report.pk]))
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert "2026年度政府协商工作督查报告" in pdf_text(body)
    listing = client.get(reverse("report_list")).content.decode()
    assert reverse("report_download", args=[report.pk]) in listing


def test_a_pending_report_refreshes_and_a_failed_one_says_so(
    client, city, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(city["office"])
    pending = SupervisionReport.objects.create(
        year=2026, as_of=AS_OF, requested_by=city["office"], progress=50, step="排版报告"
    )
    page = client.get(reverse("report_detail", args=[pending.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "50%" in page and "排版报告" in page
    assert client.get(reverse("report_download", args=[pending.pk])).status_code == 404

    def broken(content):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(report_module, "render_report_counted", broken)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_request"), {"year": "2026"})
    failed = SupervisionReport.objects.latest("pk")
    assert failed.status == SupervisionReport.Status.FAILED and "字体缺失" in failed.error
    page = client.get(reverse("report_detail", args=[failed.pk])).content.decode()
    assert "报告生成失败" in page and "重新生成" in page
