"""The dashboard's charts as inline SVG (``core.charts``), for the page and the year's
report alike; the tables beside them carry the same figures."""

from django.utils.translation import gettext as _

from annual_plans.selectors import FilingState
from core import charts
from matters.procedures import Kind

from .dashboard import Dashboard, filing_url, matters_url, periods_url

FILING_COLOURS = {
    FilingState.ON_TIME: ("green", "solid"),
    FilingState.LATE: ("amber", "stripes"),
    FilingState.RETURNED: ("purple", "dots"),
    FilingState.MISSING: ("red", "cross"),
    FilingState.PENDING: ("grey", "lines"),
}


def _department(line) -> str:
    return line.department.short_name or line.department.name


def dashboard_charts(board: Dashboard) -> dict[str, str]:
    """The page's charts as inline SVG; the tables beside them carry the same figures."""
    year = board.year
    filing = board.filing
    state_series = [
        charts.Series(
            label=label, colour=FILING_COLOURS[state][0], pattern=FILING_COLOURS[state][1]
        )
        for state, label, _count in filing.states
    ]
    result = {
        "filing": charts.bar_chart(
            chart_id="chart-filing",
            title=_("%(year)d年度计划目录报送情况") % {"year": year},
            description=_("应报送%(total)d个部门：") % {"total": filing.total}
            + _("，").join(
                _("%(label)s%(count)d个") % {"label": label, "count": count}
                for _state, label, count in filing.states
            )
            + _("。第一行为全市，其下按部门类别；各项数字见下表。"),
            series=state_series,
            unit=_("个"),
            bars=[
                charts.Bar(
                    label=_("全市"),
                    url=filing_url(year),
                    segments=[
                        charts.Segment(count, filing_url(year, state=state))
                        for state, _label, count in filing.states
                    ],
                    note=_("%(count)d个部门") % {"count": filing.total},
                ),
                *(
                    charts.Bar(
                        label=label,
                        segments=[charts.Segment(counts[state]) for state, _l, _c in filing.states],
                        note=_("%(count)d个") % {"count": sum(counts.values())},
                    )
                    for label, counts in filing.by_department_kind
                ),
            ],
        )
    }
    kind_series = [charts.Series(label=str(label)) for _kind, label in Kind.choices]
    result["matters"] = charts.bar_chart(
        chart_id="chart-matters",
        title=_("各部门%(year)d年度协商事项（按协商类别）") % {"year": year},
        description=_("%(count)d个部门共有协商事项%(total)d项，按协商类别分段；各部门数字见下表。")
        % {"count": len(board.matter_lines), "total": board.matters.total.total},
        series=kind_series,
        unit=_("项"),
        bars=[
            charts.Bar(
                label=_department(line),
                url=matters_url(year, department=line.department.code),
                segments=[
                    charts.Segment(
                        count, matters_url(year, department=line.department.code, kind=kind)
                    )
                    for kind, _label, count in line.matters.by_kind
                ],
            )
            for line in board.matter_lines
        ],
    )
    issue_series = [
        charts.Series(label=_("阶段逾期"), colour="amber", pattern="stripes"),
        charts.Series(label=_("重大决策缺少法定程序"), colour="red", pattern="cross"),
        charts.Series(label=_("采纳情况逾期未公开"), colour="purple", pattern="dots"),
    ]
    result["issues"] = charts.bar_chart(
        chart_id="chart-issues",
        title=_("各部门需督办的问题"),
        description=_(
            "阶段逾期%(overdue)d项，重大决策缺少法定程序%(missing)d项，"
            "采纳情况逾期未公开%(reports)d次；只列出有问题的部门，数字见下表。"
        )
        % {
            "overdue": board.matters.total.overdue,
            "missing": board.matters.total.missing_steps,
            "reports": board.reports.total,
        },
        series=issue_series,
        bars=[
            charts.Bar(
                label=_department(line),
                segments=[
                    charts.Segment(
                        line.matters.overdue,
                        matters_url(year, department=line.department.code, overdue=True),
                    ),
                    charts.Segment(
                        line.matters.missing_steps,
                        matters_url(year, department=line.department.code, missing_step=True),
                    ),
                    charts.Segment(
                        line.reports_overdue,
                        periods_url(year, department=line.department.code, report_overdue=True),
                    ),
                ],
            )
            for line in board.attention_lines
        ],
    )
    disposition_series = [
        charts.Series(label=label, colour=colour, pattern=pattern)
        for (_value, label, _count), (colour, pattern) in zip(
            board.opinions.total.tally.by_disposition,
            [
                ("green", "solid"),
                ("teal", "stripes"),
                ("amber", "dots"),
                ("grey", "lines"),
                ("red", "cross"),
            ],
            strict=True,
        )
    ]
    result["opinions"] = charts.bar_chart(
        chart_id="chart-opinions",
        title=_("各部门收到的意见和处理结果"),
        description=_("共收到意见%(total)d条，采纳率%(rate)s；按处理结果分段，条形后为采纳率。")
        % {
            "total": board.opinions.total.tally.total,
            "rate": board.opinions.total.tally.rate_display,
        },
        series=disposition_series,
        bars=[
            charts.Bar(
                label=_department(line),
                url=periods_url(year, department=line.department.code),
                note=_("%(total)d条 · 采纳率%(rate)s")
                % {"total": line.opinions.tally.total, "rate": line.opinions.tally.rate_display},
                segments=[
                    charts.Segment(
                        count,
                        periods_url(year, department=line.department.code, disposition=value),
                    )
                    for value, _label, count in line.opinions.tally.by_disposition
                ],
            )
            for line in board.opinion_lines
        ],
    )
    months = board.opinions.months
    result["months"] = charts.line_chart(
        chart_id="chart-months",
        title=_("%(year)d年各月收到的意见") % {"year": year},
        description=_("按收到日期统计的每月意见数：")
        + _("，").join(
            _("%(month)d月%(count)d条") % {"month": item.month.month, "count": item.count}
            for item in months
        )
        + "。",
        labels=[_("%(month)d月") % {"month": item.month.month} for item in months],
        lines=[
            charts.Line(
                label=_("收到意见"),
                colour="blue",
                points=[
                    charts.Point(item.count, periods_url(year, month=item.param)) for item in months
                ],
            )
        ],
        unit=_("条"),
    )
    return result
