"""The supervision dashboard page (督查统计) and its Excel export, for the general office."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from annual_plans.selectors import plan_years
from core import charts
from core.permissions import require_perm
from core.years import parse_year
from matters.selectors import matter_years
from oversight.selectors import oversight_block
from proposals.selectors import FIGURES
from proposals.selectors import years as proposal_years

from .dashboard import (
    build_dashboard,
    filing_url,
)
from .dashboard_charts import dashboard_charts
from .execution import STATES, execution_block, items_in_state
from .export import dashboard_workbook
from .proposals import SECTIONS, ProposalBlock, proposal_block
from .surveys import survey_block

# Catalog items per page of the execution list.
EXECUTION_PAGE_SIZE = 100

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def dashboard(request):
    require_perm(request, "supervision.view_dashboard")
    now = timezone.now()
    this_year = timezone.localdate(now).year
    raw = request.GET.get("year")
    try:
        year = parse_year(raw) or this_year
    except ValueError:
        messages.error(
            request, _("年度“%(raw)s”无效，已显示%(year)d年度。") % {"raw": raw, "year": this_year}
        )
        year = this_year
    board = build_dashboard(year=year, now=now)
    years = sorted(plan_years() | matter_years() | {this_year, year}, reverse=True)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": board,
            "proposals": proposal_block(year=year, today=board.today),
            "surveys": survey_block(year=year),
            "execution": execution_block(year=year, today=board.today),
            "oversight": oversight_block(year=year, now=now),
            "year": year,
            "years": years,
            "charts": dashboard_charts(board),
            "filing_states": [
                (
                    state,
                    label,
                    count,
                    filing_url(year, state=state),
                    [counts[state] for _kind, counts in board.filing.by_department_kind],
                )
                for state, label, count in board.filing.states
            ],
            "filing_kinds": [
                (label, sum(counts.values())) for label, counts in board.filing.by_department_kind
            ],
            "filing_all_url": filing_url(year),
            "feedback_due_days": settings.PORTAL_FEEDBACK_DUE_DAYS,
        },
    )


@login_required
@require_safe
def dashboard_export(request):
    require_perm(request, "supervision.view_dashboard")
    now = timezone.now()
    try:
        year = parse_year(request.GET.get("year")) or timezone.localdate(now).year
    except ValueError:
        return HttpResponseBadRequest(_("年度须为四位数字，例如 2026。"))
    board = build_dashboard(year=year, now=now)
    content = dashboard_workbook(
        board,
        proposals=proposal_block(year=year, today=board.today),
        surveys=survey_block(year=year),
        execution=execution_block(year=year, today=board.today),
        oversight=oversight_block(year=year, now=now),
    )
    filename = _("%(year)d年度政府协商工作督查统计-%(day)s.xlsx") % {
        "year": year,
        "day": f"{timezone.localdate(now):%Y%m%d}",
    }
    return HttpResponse(
        content,
        content_type=XLSX,
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )


@login_required
@require_safe
def dashboard_proposals(request):
    """The year's figures of suggestions and proposals (建议提案办理情况), per department,
    one section (交办和答复 / 分类和满意度 / 评估结论) at a time."""
    require_perm(request, "proposals.view_figures")
    now = timezone.now()
    today = timezone.localdate(now)
    raw = request.GET.get("year")
    try:
        year = parse_year(raw) or today.year
    except ValueError:
        messages.error(
            request, _("年度“%(raw)s”无效，已显示%(year)d年度。") % {"raw": raw, "year": today.year}
        )
        year = today.year
    section = request.GET.get("section")
    if section not in SECTIONS:
        section = next(iter(SECTIONS))
    block = proposal_block(year=year, today=today)
    return render(
        request,
        "dashboard/proposals.html",
        {
            "proposals": block,
            "table": block.table(section),
            "section": section,
            "sections": [(key, caption) for key, (caption, _columns) in SECTIONS.items()],
            "year": year,
            "years": sorted(set(proposal_years()) | {today.year, year}, reverse=True),
            "now": now,
            "chart": proposal_chart(block, section),
        },
    )


# ----------------------------------------------------------------------------- charts


# The busiest departments a chart shows; the table beside it has every department.
CHART_DEPARTMENTS = 15
PROPOSAL_CHARTS = {
    "handling": (
        ("replied_on_time", "green", "solid"),
        ("replied_late", "amber", "stripes"),
        ("overdue", "red", "cross"),
    ),
    "outcome": (
        ("class_a", "green", "solid"),
        ("class_b", "teal", "stripes"),
        ("class_c", "grey", "lines"),
    ),
}


def proposal_chart(block: ProposalBlock, section: str) -> str:
    """The section's chart as inline SVG (replies' timeliness, or their classes), for the
    departments with the most to show; the table beside it carries every figure."""
    if block.is_empty or section not in PROPOSAL_CHARTS:
        return ""
    figures = PROPOSAL_CHARTS[section]
    keys = [key for key, _colour, _pattern in figures]
    lines = [
        (row, [block.cell(row, key, None) for key in keys])
        for row in block.rows
        if any(row[key] for key in keys)
    ]
    lines.sort(key=lambda line: -sum(cell.count for cell in line[1]))
    shown = lines[:CHART_DEPARTMENTS]
    city = block.city
    counts = _("，").join(
        _("%(label)s%(count)d件") % {"label": FIGURES[key].label, "count": city[key]}
        for key in keys
    )
    more = (
        _("图中为数量最多的%(count)d个部门，其余部门见下表。") % {"count": len(shown)}
        if len(lines) > len(shown)
        else _("各部门数字见下表。")
    )
    title = (
        _("%(year)d年度各部门建议提案答复情况")
        if section == "handling"
        else _("%(year)d年度各部门答复分类")
    )
    return charts.bar_chart(
        chart_id=f"chart-proposal-{section}",
        title=title % {"year": block.year},
        description=_("全市%(counts)s。") % {"counts": counts} + more,
        series=[
            charts.Series(label=str(FIGURES[key].label), colour=colour, pattern=pattern)
            for key, colour, pattern in figures
        ],
        unit=_("件"),
        bars=[
            charts.Bar(
                label=row.department.short_name or row.department.name,
                segments=[charts.Segment(cell.count, cell.url) for cell in cells],
            )
            for row, cells in shown
        ],
    )


@login_required
@require_safe
def execution_items(request):
    """The catalog items a figure of 目录执行情况 counts: for the office any department's
    (or all), for a department's members their own department's."""
    require_perm(request, "supervision.view_execution")
    today = timezone.localdate()
    try:
        year = parse_year(request.GET.get("year")) or today.year
    except ValueError:
        year = today.year
    state = request.GET.get("state", "")
    states = dict(STATES)
    if state not in states:
        state = ""
    if request.user.has_perm("supervision.view_dashboard"):
        raw = request.GET.get("department", "")
        department_id = int(raw) if raw.isdigit() else None
    else:
        department_id = request.user.department_id
    block = execution_block(year=year, today=today, department_id=department_id)
    items = items_in_state(year=year, today=today, department_id=department_id, state=state)
    page = Paginator(items, EXECUTION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"year": year, "department": department_id or "", "state": state}
    line = block.lines[0] if department_id and block.lines else block.total
    return render(
        request,
        "dashboard/execution_items.html",
        {
            "year": year,
            "today": today,
            "state": state,
            "state_label": states.get(state, ""),
            "states": STATES,
            "department_id": department_id,
            "line": line,
            "execution": block,
            "page": page,
            "items": page.object_list,
            "query": urlencode({key: value for key, value in query.items() if value}),
            "is_office": request.user.has_perm("supervision.view_dashboard"),
            "can_issue": request.user.has_perm("oversight.issue_order"),
        },
    )
