"""The general office's supervision dashboard (督查统计) and each department's own summary.

Composed from every app's selectors: a dataclass per block, each with a row per department
and the city-wide total. Building the whole dashboard costs the same few queries however
many departments there are (pinned in ``tests/portal/test_dashboard.py``); a department's
summary is the same blocks filtered to it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from annual_plans.deadlines import deadline_for
from annual_plans.selectors import FilingState, OverviewRow, filing_overview, overview_counts
from matters.models import Matter
from matters.procedures import Kind, procedure_for
from matters.selectors import MissingSteps, major_decisions_missing_steps, matter_stage_counts
from participation.models import Opinion
from participation.selectors.comments import AdoptionRow
from participation.selectors.supervision import (
    UNDISPOSED,
    opinion_counts,
    overdue_report_counts,
)

Channel = Opinion.Channel
Disposition = Opinion.Disposition
UNDISPOSED_LABEL = _("未处理")


# ----------------------------------------------------------------------------- filing


@dataclass(frozen=True)
class FilingBlock:
    """Catalog filing for the year: each department's state and the count of each state."""

    year: int
    deadline: datetime.datetime
    rows: list[OverviewRow]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def states(self) -> list[tuple[str, str, int]]:
        """(state, label, count) for every state, in the overview's order."""
        return [(key, str(label), self.counts[key]) for key, label in FilingState.LABELS.items()]

    @property
    def by_department_kind(self) -> list[tuple[str, dict[str, int]]]:
        """(kind label, count of each state) for each kind of department that files."""
        found: dict[str, dict[str, int]] = {}
        for kind, label in Department.Kind.choices:
            rows = [row for row in self.rows if row.department.kind == kind]
            if rows:
                found[str(label)] = overview_counts(rows)
        return list(found.items())

    @property
    def not_on_time(self) -> list[OverviewRow]:
        return [row for row in self.rows if row.state != FilingState.ON_TIME]


def filing_block(*, year: int, now: datetime.datetime, department_id: int | None = None):
    rows = filing_overview(year=year, now=now, department_id=department_id)
    return FilingBlock(
        year=year, deadline=deadline_for(year), rows=rows, counts=overview_counts(rows)
    )


# ---------------------------------------------------------------------------- matters


@dataclass
class MatterRow:
    """A department's matters of the year (``department`` None: the whole city)."""

    department: Department | None
    by_stage: dict[tuple[str, str], int] = field(default_factory=dict)
    overdue_by_stage: dict[tuple[str, str], int] = field(default_factory=dict)
    missing_steps: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())

    @property
    def overdue(self) -> int:
        return sum(self.overdue_by_stage.values())

    def of_kind(self, kind: str) -> int:
        return sum(n for (k, _stage), n in self.by_stage.items() if k == kind)

    @property
    def by_kind(self) -> list[tuple[str, str, int]]:
        return [(kind, str(label), self.of_kind(kind)) for kind, label in Kind.choices]

    @property
    def stages(self) -> list["KindStages"]:
        """Every kind that has matters, with each of its stages in procedure order."""
        found = []
        for kind, label in Kind.choices:
            cells = [
                StageCell(
                    kind=kind,
                    stage=stage.code,
                    label=str(stage.label),
                    count=self.by_stage.get((kind, stage.code), 0),
                    overdue=self.overdue_by_stage.get((kind, stage.code), 0),
                )
                for stage in procedure_for(kind).stages
            ]
            total = sum(cell.count for cell in cells)
            if total:
                found.append(KindStages(kind=kind, label=str(label), cells=cells, total=total))
        return found

    def add(self, *, kind: str, stage: str, total: int, overdue: int) -> None:
        key = (kind, stage)
        self.by_stage[key] = self.by_stage.get(key, 0) + total
        self.overdue_by_stage[key] = self.overdue_by_stage.get(key, 0) + overdue


@dataclass(frozen=True)
class StageCell:
    kind: str
    stage: str
    label: str
    count: int
    overdue: int


@dataclass(frozen=True)
class KindStages:
    kind: str
    label: str
    cells: list[StageCell]
    total: int


@dataclass
class MatterBlock:
    """Matters by kind and stage, those overdue in their stage, and major decisions
    missing a statutory step; per department (those with matters) and city-wide."""

    rows: dict[int, MatterRow]
    total: MatterRow
    missing: list[MissingSteps]

    def row(self, department_id: int) -> MatterRow:
        return self.rows.get(department_id) or MatterRow(department=None)


def matter_block(
    *, year: int, today: datetime.date, department_id: int | None = None
) -> MatterBlock:
    rows: dict[int, MatterRow] = {}
    total = MatterRow(department=None)
    for count in matter_stage_counts(year=year, today=today, department_id=department_id):
        row = rows.setdefault(count.department_id, MatterRow(department=None))
        for target in (row, total):
            target.add(kind=count.kind, stage=count.stage, total=count.total, overdue=count.overdue)
    matters = Matter.objects.filter(year=year)
    if department_id is not None:
        matters = matters.filter(department_id=department_id)
    missing = major_decisions_missing_steps(matters)
    for found in missing:
        rows.setdefault(found.matter.department_id, MatterRow(department=None)).missing_steps += 1
        total.missing_steps += 1
    return MatterBlock(rows=rows, total=total, missing=missing)


# ------------------------------------------------------------------ feedback reports


@dataclass(frozen=True)
class ReportBlock:
    """Comment periods closed more than the due days ago without a feedback report."""

    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def of(self, department_id: int) -> int:
        return self.counts.get(department_id, 0)


def report_block(*, year: int, now: datetime.datetime, department_id: int | None = None):
    return ReportBlock(
        counts=overdue_report_counts(year=year, now=now, department_id=department_id)
    )


# --------------------------------------------------------------------------- opinions


@dataclass
class Tally:
    """Opinions counted by how they were disposed of; the rate is the adoption rate page's."""

    total: int = 0
    adopted: int = 0
    partly: int = 0
    not_adopted: int = 0
    out_of_scope: int = 0
    undisposed: int = 0

    def add(self, count) -> None:
        for name in ("total", "adopted", "partly", "not_adopted", "out_of_scope", "undisposed"):
            setattr(self, name, getattr(self, name) + getattr(count, name))

    def adoption(self, *, department: str = "", year: int = 0) -> AdoptionRow:
        return AdoptionRow(
            department=department,
            year=year,
            total=self.total,
            adopted=self.adopted,
            partly=self.partly,
            not_adopted=self.not_adopted,
            out_of_scope=self.out_of_scope,
            undisposed=self.undisposed,
        )

    @property
    def rate(self) -> float | None:
        return self.adoption().rate

    @property
    def rate_display(self) -> str:
        return self.adoption().rate_display

    @property
    def by_disposition(self) -> list[tuple[str, str, int]]:
        """(filter value, label, count) for each disposition and the undisposed."""
        counts = {
            Disposition.ADOPTED: self.adopted,
            Disposition.PARTLY_ADOPTED: self.partly,
            Disposition.NOT_ADOPTED: self.not_adopted,
            Disposition.OUT_OF_SCOPE: self.out_of_scope,
        }
        return [
            *((value, str(label), counts[value]) for value, label in Disposition.choices),
            (UNDISPOSED, str(UNDISPOSED_LABEL), self.undisposed),
        ]


@dataclass
class OpinionRow:
    """A department's opinions (``department`` None: the whole city), by channel."""

    department: Department | None
    tally: Tally = field(default_factory=Tally)
    channels: dict[str, int] = field(default_factory=dict)

    @property
    def by_channel(self) -> list[tuple[str, str, int]]:
        return [
            (value, str(label), self.channels.get(value, 0)) for value, label in Channel.choices
        ]


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    label: str
    tally: Tally


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    count: int

    @property
    def param(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass
class OpinionBlock:
    """Opinions on the year's matters: by department and channel with the adoption rate,
    and by month received (those received in another year are counted apart)."""

    rows: dict[int, OpinionRow]
    total: OpinionRow
    channels: list[ChannelRow]
    months: list[MonthCount]
    other_months: int

    def row(self, department_id: int) -> OpinionRow:
        return self.rows.get(department_id) or OpinionRow(department=None)


def opinion_block(*, year: int, department_id: int | None = None) -> OpinionBlock:
    rows: dict[int, OpinionRow] = {}
    total = OpinionRow(department=None)
    channels: dict[str, Tally] = defaultdict(Tally)
    months: dict[int, int] = defaultdict(int)
    other_months = 0
    for count in opinion_counts(year=year, department_id=department_id):
        row = rows.setdefault(count.department_id, OpinionRow(department=None))
        for target in (row, total):
            target.tally.add(count)
            target.channels[count.channel] = target.channels.get(count.channel, 0) + count.total
        channels[count.channel].add(count)
        if count.month and count.month.year == year:
            months[count.month.month] += count.total
        else:
            other_months += count.total
    return OpinionBlock(
        rows=rows,
        total=total,
        channels=[
            ChannelRow(channel=value, label=str(label), tally=channels[value])
            for value, label in Channel.choices
            if channels[value].total
        ],
        months=[
            MonthCount(month=datetime.date(year, month, 1), count=months[month])
            for month in range(1, 13)
        ],
        other_months=other_months,
    )


# -------------------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class DepartmentLine:
    """One department's figures from every block, for the summary table and the export."""

    department: Department
    filing: OverviewRow | None
    matters: MatterRow
    reports_overdue: int
    opinions: OpinionRow

    @property
    def needs_attention(self) -> bool:
        return bool(self.matters.overdue or self.matters.missing_steps or self.reports_overdue)


@dataclass
class Dashboard:
    year: int
    now: datetime.datetime
    filing: FilingBlock
    matters: MatterBlock
    reports: ReportBlock
    opinions: OpinionBlock
    lines: list[DepartmentLine]

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def attention_lines(self) -> list[DepartmentLine]:
        return [line for line in self.lines if line.needs_attention]

    @property
    def matter_lines(self) -> list[DepartmentLine]:
        return [line for line in self.lines if line.matters.total]

    @property
    def opinion_lines(self) -> list[DepartmentLine]:
        return [line for line in self.lines if line.opinions.tally.total]


def build_dashboard(
    *, year: int, now: datetime.datetime | None = None, department: Department | None = None
) -> Dashboard:
    """Every block for the year, for the whole city or only ``department``.

    Nine queries whatever the number of departments (eight for one department): the
    deadline twice (the filing states and the block), the plans, the catalog-filing
    departments, every department (not for one), matters by stage, major decisions with their
    recorded steps, overdue reports, opinions.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    department_id = department.pk if department else None
    filing = filing_block(year=year, now=now, department_id=department_id)
    matters = matter_block(year=year, today=today, department_id=department_id)
    reports = report_block(year=year, now=now, department_id=department_id)
    opinions = opinion_block(year=year, department_id=department_id)
    filing_rows = {row.department.pk: row for row in filing.rows}
    with_data = set(filing_rows) | set(matters.rows) | set(reports.counts) | set(opinions.rows)
    if department is not None:
        departments = [department]
    else:
        departments = [
            d for d in Department.objects.order_by("sort_order", "code") if d.pk in with_data
        ]
    lines = []
    for item in departments:
        matter_row = matters.row(item.pk)
        opinion_row = opinions.row(item.pk)
        matter_row.department = opinion_row.department = item
        lines.append(
            DepartmentLine(
                department=item,
                filing=filing_rows.get(item.pk),
                matters=matter_row,
                reports_overdue=reports.of(item.pk),
                opinions=opinion_row,
            )
        )
    return Dashboard(
        year=year,
        now=now,
        filing=filing,
        matters=matters,
        reports=reports,
        opinions=opinions,
        lines=lines,
    )


# ------------------------------------------------------------------------------ links
# Each figure links to the list it counts, filtered so that the list's count is the figure.


def _with_query(url: str, params: dict) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in ("", None)})
    return f"{url}?{query}" if query else url


def matters_url(
    year: int,
    *,
    department: str = "",
    kind: str = "",
    stage: str = "",
    overdue: bool = False,
    missing_step: bool = False,
) -> str:
    return _with_query(
        reverse("matters:staff_list"),
        {
            "year": year,
            "department": department,
            "kind": kind,
            "stage": stage,
            "overdue": "1" if overdue else "",
            "missing_step": "1" if missing_step else "",
        },
    )


def periods_url(
    year: int,
    *,
    department: str = "",
    report_overdue: bool = False,
    channel: str = "",
    disposition: str = "",
    month: str = "",
) -> str:
    return _with_query(
        reverse("participation:staff_periods"),
        {
            "year": year,
            "department": department,
            "report_overdue": "1" if report_overdue else "",
            "channel": channel,
            "disposition": disposition,
            "month": month,
        },
    )


def filing_url(year: int, *, state: str = "") -> str:
    """The admin's year overview of filings, optionally only the departments in ``state``."""
    return _with_query(
        reverse("admin:annual_plans_annualplan_overview"), {"year": year, "state": state}
    )


def plan_admin_url(row: OverviewRow, *, year: int) -> str:
    """A department's catalog in the admin; without one, the departments in its state."""
    if row.plan is None:
        return filing_url(year, state=row.state)
    return reverse("admin:annual_plans_annualplan_change", args=[row.plan.pk])
