"""The supervision dashboard as an Excel workbook: one sheet per block, Chinese headers,
a row per department and a total row, in the ledger export's style (bold frozen header,
set column widths, text that a spreadsheet would run as a formula kept as text)."""

from dataclasses import dataclass, field
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from annual_plans.selectors import FilingState
from matters.exports import clean_text, keep_as_text
from matters.procedures import Kind
from oversight.selectors import OversightBlock
from participation.models import Opinion

from .dashboard import Dashboard, Tally
from .execution import ExecutionBlock
from .proposals import ProposalBlock
from .surveys import SurveyBlock

TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
RATE_FORMAT = "0.0%"
BOLD = Font(bold=True)


def _value(value):
    return clean_text(value) if isinstance(value, str) else value


@dataclass
class Table:
    """One sheet of the export, and one table of the year's report: a title, the column
    headers with their widths (in characters), and the rows, each marked when it is a
    total."""

    title: str
    headers: list[str]
    widths: list[int]
    rows: list[tuple[list, bool]] = field(default_factory=list)
    key: str = ""


def _sheet(tables: list[Table], title: str, headers: list[str], widths: list[int]) -> Table:
    table = Table(title=str(title), headers=[str(header) for header in headers], widths=widths)
    tables.append(table)
    return table


def _append(table: Table, values: list, *, total: bool = False) -> None:
    table.rows.append((list(values), total))


def _rate(tally: Tally):
    return tally.rate if tally.rate is not None else "—"


def _local(moment):
    # Excel has no time zones: the Shanghai wall-clock time is written as a real date-time.
    if moment is None:
        return ""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def dashboard_tables(
    board: Dashboard,
    *,
    proposals: ProposalBlock | None = None,
    surveys: SurveyBlock | None = None,
    execution: ExecutionBlock | None = None,
    oversight: OversightBlock | None = None,
) -> list[Table]:
    """Every block of the dashboard as tables, department by department with the city's
    total: the export's sheets and the year's report's tables."""
    tables: list[Table] = []
    total_label = _("全市合计")
    _filing_sheet(tables, board, total_label)
    _stage_sheet(tables, board, total_label)
    tables[-1].key = "stages"
    _overdue_sheet(tables, board, total_label)
    _missing_sheet(tables, board, total_label)
    tables[-1].key = "missing"
    _report_sheet(tables, board, total_label)
    _opinion_sheet(tables, board, total_label)
    _channel_sheet(tables, board, total_label)
    _month_sheet(tables, board, total_label)
    if proposals is not None:
        _proposal_sheet(tables, proposals, total_label)
    if surveys is not None:
        _survey_sheet(tables, surveys)
    if execution is not None:
        _execution_sheet(tables, execution)
    if oversight is not None:
        _oversight_sheet(tables, oversight)
    return tables


def dashboard_workbook(board: Dashboard, **blocks) -> bytes:
    return tables_workbook(dashboard_tables(board, **blocks))


def tables_workbook(tables: list[Table]) -> bytes:
    """The tables as an Excel workbook: a sheet each, its header row bold and frozen,
    totals bold, every text cell kept as text, times as local date-times, shares as
    percentages."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title)
        sheet.append([_value(header) for header in table.headers])
        for cell in sheet[1]:
            keep_as_text(cell)
            cell.font = BOLD
        for index, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        for values, total in table.rows:
            sheet.append([_value(value) for value in values])
            for cell in sheet[sheet.max_row]:
                keep_as_text(cell)
                if total:
                    cell.font = BOLD
                if hasattr(cell.value, "tzinfo"):
                    cell.number_format = TIME_FORMAT
                elif isinstance(cell.value, float):
                    cell.number_format = RATE_FORMAT
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filing_sheet(tables, board: Dashboard, total_label: str) -> None:
    labels = [str(label) for label in FilingState.LABELS.values()]
    sheet = _sheet(
        tables,
        _("目录报送"),
        [_("部门"), _("部门类别"), _("报送情况"), *labels, _("首次报送时间"), _("目录状态")],
        [28, 14, 12, *([10] * len(labels)), 20, 12],
    )
    filing = board.filing
    for row in filing.rows:
        marks = [1 if row.state == state else 0 for state in FilingState.LABELS]
        _append(
            sheet,
            [
                row.department.name,
                row.department.get_kind_display(),
                row.state_label,
                *marks,
                _local(row.plan.first_submitted_at) if row.plan else "",
                row.plan.get_status_display() if row.plan else "",
            ],
        )
    _append(
        sheet,
        [
            total_label,
            "",
            _("应报送%(count)d个部门") % {"count": filing.total},
            *(filing.counts[state] for state in FilingState.LABELS),
            "",
            "",
        ],
        total=True,
    )


def _stage_sheet(tables, board: Dashboard, total_label: str) -> None:
    sheet = _sheet(
        tables,
        _("事项类别和阶段"),
        [_("部门"), _("协商类别"), _("阶段"), _("事项数"), _("其中阶段逾期")],
        [28, 16, 16, 10, 14],
    )
    for line in board.matter_lines:
        for kind_stages in line.matters.stages:
            for cell in kind_stages.cells:
                if cell.count:
                    _append(
                        sheet,
                        [
                            line.department.name,
                            kind_stages.label,
                            cell.label,
                            cell.count,
                            cell.overdue,
                        ],
                    )
    total = board.matters.total
    _append(sheet, [total_label, "", "", total.total, total.overdue], total=True)


def _overdue_sheet(tables, board: Dashboard, total_label: str) -> None:
    kinds = [str(label) for _kind, label in Kind.choices]
    sheet = _sheet(
        tables,
        _("阶段逾期"),
        [_("部门"), _("事项数"), _("阶段逾期"), *(_("其中%(kind)s") % {"kind": k} for k in kinds)],
        [28, 10, 10, *([18] * len(kinds))],
    )

    def by_kind(row) -> list[int]:
        return [
            sum(n for (k, _stage), n in row.overdue_by_stage.items() if k == kind)
            for kind, _label in Kind.choices
        ]

    for line in board.matter_lines:
        _append(
            sheet,
            [
                line.department.name,
                line.matters.total,
                line.matters.overdue,
                *by_kind(line.matters),
            ],
        )
    total = board.matters.total
    _append(sheet, [total_label, total.total, total.overdue, *by_kind(total)], total=True)


def _missing_sheet(tables, board: Dashboard, total_label: str) -> None:
    sheet = _sheet(
        tables,
        _("缺少法定程序"),
        [_("部门"), _("事项编号"), _("事项名称"), _("协商类别"), _("当前阶段"), _("缺少的程序")],
        [28, 18, 40, 16, 16, 60],
    )
    names = {line.department.pk: line.department.name for line in board.lines}
    for found in board.matters.missing:
        matter = found.matter
        _append(
            sheet,
            [
                names.get(matter.department_id, ""),
                matter.reference,
                matter.title,
                matter.get_kind_display(),
                matter.stage_label,
                found.steps_display,
            ],
        )
    _append(
        sheet,
        [total_label, _("%(count)d项") % {"count": len(board.matters.missing)}, "", "", "", ""],
        total=True,
    )


def _report_sheet(tables, board: Dashboard, total_label: str) -> None:
    sheet = _sheet(
        tables,
        _("采纳情况逾期未公开"),
        [_("部门"), _("截止超过规定天数仍未公开采纳情况的征求意见")],
        [28, 40],
    )
    for line in board.lines:
        if line.reports_overdue:
            _append(sheet, [line.department.name, line.reports_overdue])
    _append(sheet, [total_label, board.reports.total], total=True)


def _tally_columns() -> list[str]:
    return [
        _("意见数"),
        _("采纳"),
        _("部分采纳"),
        _("未采纳"),
        _("不属于本事项"),
        _("未处理"),
        _("采纳率"),
    ]


def _tally_values(tally: Tally) -> list:
    return [
        tally.total,
        tally.adopted,
        tally.partly,
        tally.not_adopted,
        tally.out_of_scope,
        tally.undisposed,
        _rate(tally),
    ]


def _opinion_sheet(tables, board: Dashboard, total_label: str) -> None:
    channels = [str(label) for _value, label in Opinion.Channel.choices]
    sheet = _sheet(
        tables,
        _("意见和采纳率"),
        [_("部门"), *_tally_columns(), *channels],
        [28, *([10] * 7), *([14] * len(channels))],
    )
    for line in board.opinion_lines:
        row = line.opinions
        _append(
            sheet,
            [
                line.department.name,
                *_tally_values(row.tally),
                *(count for _v, _l, count in row.by_channel),
            ],
        )
    total = board.opinions.total
    _append(
        sheet,
        [total_label, *_tally_values(total.tally), *(count for _v, _l, count in total.by_channel)],
        total=True,
    )


def _channel_sheet(tables, board: Dashboard, total_label: str) -> None:
    sheet = _sheet(tables, _("意见渠道"), [_("渠道"), *_tally_columns()], [18, *([10] * 7)])
    for channel in board.opinions.channels:
        _append(sheet, [channel.label, *_tally_values(channel.tally)])
    _append(sheet, [total_label, *_tally_values(board.opinions.total.tally)], total=True)


def _month_sheet(tables, board: Dashboard, total_label: str) -> None:
    sheet = _sheet(tables, _("每月意见"), [_("月份"), _("收到意见")], [14, 12])
    for item in board.opinions.months:
        _append(
            sheet,
            [
                _("%(year)d年%(month)d月") % {"year": item.month.year, "month": item.month.month},
                item.count,
            ],
        )
    if board.opinions.other_months:
        _append(sheet, [_("其他年份收到"), board.opinions.other_months])
    _append(sheet, [total_label, board.opinions.total.tally.total], total=True)


def _proposal_sheet(sheets, block: ProposalBlock, total_label: str) -> None:
    """建议提案办理: the figures of ``proposals.selectors.figures``, a share (of the figure it
    is a share of) beside those that have one, a row per department and the city's total."""
    tables = block.tables
    headers = [_("部门")]
    for table in tables:
        for _key, label, with_share in table.columns:
            headers.append(label)
            if with_share:
                headers.append(_("%(label)s占比") % {"label": label})
    sheet = _sheet(sheets, _("建议提案办理"), headers, [28, *([12] * (len(headers) - 1))])

    def values(lines) -> list:
        row = []
        for line in lines:
            for cell in line.cells:
                row.append(cell.count)
                if cell.key in shares:
                    row.append("—" if cell.share is None else cell.share / 100)
        return row

    shares = {key for table in tables for key, _label, with_share in table.columns if with_share}
    for index, row in enumerate(block.rows):
        department = row.department.name
        _append(sheet, [department, *values([table.lines[index] for table in tables])])
    _append(sheet, [total_label, *values([table.total for table in tables])], total=True)


def _survey_sheet(tables, block: SurveyBlock) -> None:
    """问卷调查: the year's published surveys and valid responses per organising department
    (``supervision.surveys``), the responses by channel, and the city's total."""
    headers = [_("部门"), *(label for _key, label in block.columns)]
    sheet = _sheet(tables, _("问卷调查"), headers, [28, *([12] * (len(headers) - 1))])
    for line in block.lines:
        _append(sheet, [line.name, *(count for _key, count in line.cells)])
    _append(sheet, [block.total.name, *(count for _key, count in block.total.cells)], total=True)


def _execution_sheet(tables, block: ExecutionBlock) -> None:
    """目录执行: the year's catalogs in force carried out, per department and city-wide
    (``supervision.execution``), with the execution rate (a share, shown as a percentage;
    empty when nothing is due yet)."""
    headers = [_("部门"), *(label for _key, label in block.columns), _("执行率")]
    sheet = _sheet(tables, _("目录执行"), headers, [28, *([12] * (len(headers) - 1))])

    def rate(line):
        return "" if line.rate is None else line.rate / 100

    for line in block.lines:
        _append(sheet, [line.name, *(count for _key, count in line.cells), rate(line)])
    _append(
        sheet,
        [block.total.name, *(count for _key, count in block.total.cells), rate(block.total)],
        total=True,
    )


def _oversight_sheet(tables, block: OversightBlock) -> None:
    """督办: the year's supervision orders by the department they were issued to
    (``oversight.selectors``), withdrawn ones left out."""
    headers = [_("承办单位"), *(label for _key, label in block.columns)]
    sheet = _sheet(tables, _("督办"), headers, [28, *([12] * (len(headers) - 1))])
    for line in block.lines:
        _append(sheet, [line.name, *(count for _key, count in line.cells)])
    _append(sheet, [block.total.name, *(count for _key, count in block.total.cells)], total=True)
