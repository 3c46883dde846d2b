"""The year's supervision report (年度政府协商工作督查报告): the dashboard's figures for a
year, as they stood at a given moment, in the portal's official document style.

The report reads the very functions the dashboard and its export read (``build_dashboard``
and the blocks of proposals, surveys, catalog execution and 督办, turned into tables by
``export.dashboard_tables``), so its figures are the dashboard's; it adds what the
dashboard does not show as tables: the consultation forms used (activities held by kind),
written solicitation and the year's public calls. Everything is read as of ``as_of``
where a figure depends on the time, so the same data give the same report.

``report_build`` is run by the Celery worker (``tasks.build_supervision_report``): it
reports its progress on the row, renders the PDF and stores it under MEDIA_ROOT.
"""

import datetime
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from calls.models import Call, Submission
from core.pdf import chinese_date, chinese_datetime, render_pdf_counted
from oversight.selectors import oversight_block
from participation.models import Activity
from solicitations.models import Addressee, Solicitation

from .dashboard import build_dashboard
from .dashboard_charts import dashboard_charts
from .execution import execution_block
from .export import Table, dashboard_tables
from .models import SupervisionReport
from .proposals import proposal_block
from .surveys import survey_block

HELD = (Activity.Status.HELD, Activity.Status.MINUTES_PUBLISHED)
# The captions of the dashboard's charts in the report.
CHART_TITLES = {
    "filing": _lazy("年度计划目录报送情况"),
    "matters": _lazy("各部门协商事项（按协商类别）"),
    "issues": _lazy("各部门需督办的问题"),
    "opinions": _lazy("各部门收到的意见和处理结果"),
    "months": _lazy("各月收到的意见"),
}


@dataclass
class ReportContent:
    year: int
    as_of: datetime.datetime
    headline: dict[str, object]
    tables: list[Table]
    charts: dict[str, str]
    charts_omitted: bool = False


def _forms_table(year: int) -> Table:
    """协商形式: activities held on the year's matters, by kind."""
    rows = (
        Activity.objects.filter(matter__year=year, status__in=HELD)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    labels = dict(Activity.Kind.choices)
    table = Table(title=_("协商形式"), headers=[_("协商活动形式"), _("已举行")], widths=[28, 12])
    counts = {row["kind"]: row["n"] for row in rows}
    for kind, label in labels.items():
        if counts.get(kind):
            table.rows.append(([str(label), counts[kind]], False))
    table.rows.append(([_("全市合计"), sum(counts.values())], True))
    return table


def _solicitation_table(year: int) -> Table:
    """书面征求意见: letters sent on the year's matters and how their main addressees answered."""
    letters = Solicitation.objects.filter(matter__year=year).exclude(
        status=Solicitation.Status.DRAFT
    )
    main = Addressee.objects.filter(solicitation__in=letters, role=Addressee.Role.MAIN)
    figures = main.aggregate(
        addressees=Count("pk"),
        with_opinions=Count(
            "pk", filter=Q(status=Addressee.Status.ANSWERED, answer=Addressee.Answer.OPINIONS)
        ),
        without=Count(
            "pk", filter=Q(status=Addressee.Status.ANSWERED, answer=Addressee.Answer.NONE)
        ),
        deemed=Count("pk", filter=Q(status=Addressee.Status.DEEMED)),
        no_reply=Count("pk", filter=Q(status=Addressee.Status.NO_REPLY)),
        outstanding=Count("pk", filter=Q(status=Addressee.Status.OUTSTANDING)),
    )
    headers = [
        _("征求意见函"),
        _("主送对象"),
        _("有意见"),
        _("无意见"),
        _("视为无意见"),
        _("逾期未反馈"),
        _("未反馈"),
    ]
    table = Table(title=_("书面征求意见"), headers=headers, widths=[14] * len(headers))
    table.rows.append(([letters.count(), *figures.values()], True))
    return table


def _calls_table(year: int) -> Table:
    """公开征集: the calls for the year's topics and legislative projects."""
    Outcome = Submission.Outcome
    calls = (
        Call.objects.filter(year=year, published_at__isnull=False)
        .annotate(
            total=Count("submissions"),
            adopted=Count("submissions", filter=Q(submissions__outcome=Outcome.ADOPTED)),
            merged=Count("submissions", filter=Q(submissions__outcome=Outcome.MERGED)),
            rejected=Count("submissions", filter=Q(submissions__outcome=Outcome.REJECTED)),
            transferred=Count("submissions", filter=Q(submissions__outcome=Outcome.TRANSFERRED)),
        )
        .order_by("starts_at", "pk")
    )
    headers = [_("公开征集"), _("收到建议"), _("采纳"), _("合并"), _("不予采纳"), _("转交")]
    table = Table(title=_("公开征集"), headers=headers, widths=[40, 12, 10, 10, 10, 10])
    keys = ("total", "adopted", "merged", "rejected", "transferred")
    sums = dict.fromkeys(keys, 0)
    for call in calls:
        table.rows.append(([call.title, *(getattr(call, key) for key in keys)], False))
        for key in keys:
            sums[key] += getattr(call, key)
    table.rows.append(([_("全市合计"), *sums.values()], True))
    return table


def _stages_city_wide(table: Table) -> Table:
    """事项类别和阶段 for the whole city: the export's row per department, kind and stage
    summed by kind and stage (thousands of rows at city scale, thirty or so here)."""
    sums: dict[tuple, list[int]] = {}
    total = None
    for values, is_total in table.rows:
        if is_total:
            total = values
            continue
        _department, kind, stage, count, overdue = values
        cell = sums.setdefault((kind, stage), [0, 0])
        cell[0] += count
        cell[1] += overdue
    condensed = Table(
        title=table.title, headers=table.headers[1:], widths=table.widths[1:], key=table.key
    )
    condensed.rows = [([kind, stage, *counts], False) for (kind, stage), counts in sums.items()]
    if total is not None:
        condensed.rows.append(([total[0], "", *total[3:]], True))
    return condensed


def _missing_by_department(table: Table) -> Table:
    """缺少法定程序 per department: the export lists every matter (and its missing step);
    the report counts them by department."""
    counts: dict[str, int] = {}
    total = None
    for values, is_total in table.rows:
        if is_total:
            total = values[0]
            continue
        counts[values[0]] = counts.get(values[0], 0) + 1
    condensed = Table(
        title=table.title, headers=[table.headers[0], _("事项数")], widths=[28, 12], key=table.key
    )
    condensed.rows = [([department, count], False) for department, count in counts.items()]
    condensed.rows.append(([total or _("全市合计"), sum(counts.values())], True))
    return condensed


CONDENSED = {"stages": _stages_city_wide, "missing": _missing_by_department}
# Charts with a bar per department are left out above this many departments (the tables
# carry the figures): a chart of 250 bars is unreadable on a page and slow to lay out.
CHART_DEPARTMENTS = 30
PER_DEPARTMENT_CHARTS = ("matters", "issues", "opinions")


def report_content(*, year: int, as_of: datetime.datetime) -> ReportContent:
    """What the report says: the dashboard's blocks as of ``as_of``, as tables."""
    board = build_dashboard(year=year, now=as_of)
    today = timezone.localdate(as_of)
    proposals = proposal_block(year=year, today=today)
    execution = execution_block(year=year, today=today)
    oversight = oversight_block(year=year, now=as_of)
    tables = dashboard_tables(
        board,
        proposals=proposals,
        surveys=survey_block(year=year),
        execution=execution,
        oversight=oversight,
    )
    tables = [CONDENSED[table.key](table) if table.key in CONDENSED else table for table in tables]
    tables += [_forms_table(year), _solicitation_table(year), _calls_table(year)]
    tally = board.opinions.total.tally
    headline = {
        "departments": board.filing.total,
        "matters": board.matters.total.total,
        "opinions": tally.total,
        "adoption_rate": tally.rate_display,
        "execution_rate": execution.total.rate_display,
        "orders": oversight.total.figures["issued"],
        "orders_accepted": oversight.total.figures["accepted"],
    }
    charts = dashboard_charts(board)
    omitted = len(board.lines) > CHART_DEPARTMENTS
    if omitted:
        charts = {key: svg for key, svg in charts.items() if key not in PER_DEPARTMENT_CHARTS}
    return ReportContent(
        year=year,
        as_of=as_of,
        headline=headline,
        tables=tables,
        charts=charts,
        charts_omitted=omitted,
    )


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    if isinstance(value, datetime.datetime):
        # The export writes Shanghai wall-clock times without a zone (Excel has none).
        return chinese_datetime(value) if timezone.is_aware(value) else chinese_date(value.date())
    return "" if value is None else str(value)


def render_report(content: ReportContent) -> bytes:
    return render_report_counted(content)[0]


def render_report_counted(content: ReportContent) -> tuple[bytes, int]:
    """The report's PDF and its number of pages."""
    sections = [
        {
            "title": table.title,
            "headers": table.headers,
            "widths": [round(100 * width / sum(table.widths), 1) for width in table.widths],
            "rows": [([_cell(value) for value in values], total) for values, total in table.rows],
        }
        for table in content.tables
    ]
    return render_pdf_counted(
        "dashboard/pdf/report.html",
        {
            "title": _("%(year)d年度政府协商工作督查报告") % {"year": content.year},
            "year": content.year,
            "as_of": chinese_datetime(content.as_of),
            "generated_on": chinese_date(content.as_of),
            "headline": content.headline,
            "charts_omitted": content.charts_omitted,
            "sections": sections,
            "charts": [
                (str(CHART_TITLES.get(key, "")), svg) for key, svg in content.charts.items()
            ],
        },
    )


def report_build(
    report: SupervisionReport, *, progress: Callable[[int, str], None] | None = None
) -> SupervisionReport:
    """Build the report's PDF and store it on the row, saying how far it has got."""

    def step(percent: int, text: str) -> None:
        SupervisionReport.objects.filter(pk=report.pk).update(progress=percent, step=text)
        if progress is not None:
            progress(percent, text)

    started = time.perf_counter()
    SupervisionReport.objects.filter(pk=report.pk).update(status=SupervisionReport.Status.RUNNING)
    try:
        step(10, _("统计各部门数字"))
        content = report_content(year=report.year, as_of=report.as_of)
        step(50, _("排版报告"))
        pdf, pages = render_report_counted(content)
        step(90, _("保存文件"))
    except Exception as error:
        SupervisionReport.objects.filter(pk=report.pk).update(
            status=SupervisionReport.Status.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        raise
    digest = hashlib.sha256(pdf).hexdigest()[:12]
    report.refresh_from_db()
    report.file.save(f"supervision-report-{report.year}-{digest}.pdf", ContentFile(pdf), save=False)
    report.size = len(pdf)
    report.pages = pages
    report.seconds = round(time.perf_counter() - started, 2)
    report.status = SupervisionReport.Status.DONE
    report.progress = 100
    report.step = ""
    report.finished_at = timezone.now()
    report.save()
    return report
