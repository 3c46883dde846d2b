"""Catalogs carried out (目录执行情况): per department and city-wide, for a year's catalogs
in force (accepted or published), how many items there are, how many have come to their
planned start, how many have their matter, which are late to start (逾期未启动) or behind
(进度滞后: the matter's stage past its planned end), which are done (已完成协商: the
matter has reached its decision stage), and the execution rate (执行率).

执行率 = items started among those due ÷ items due (planned start on or before the day);
an item not yet due is not counted against the department. The catalog's current items
count: an item an amendment dropped no longer counts, one it added does.

One query whatever the number of departments: the current items of the year's catalogs in
force with their matters' kind, stage and stage deadline.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from annual_plans.models import AnnualPlan, PlanItem
from matters.procedures import procedure_for

IN_FORCE = (AnnualPlan.Status.ACCEPTED, AnnualPlan.Status.PUBLISHED)

# The states an item is listed by (the list page's filter), in the table's order.
STATES = (
    ("due", _("已到计划开始日期")),
    ("started", _("已启动")),
    ("not_started", _("逾期未启动")),
    ("behind", _("进度滞后")),
    ("completed", _("已完成协商")),
)
# The columns of the table and the export sheet: key, label.
COLUMNS = (
    ("items", _("目录事项")),
    ("due", _("已到计划开始日期")),
    ("started", _("已启动")),
    ("not_started", _("逾期未启动")),
    ("behind", _("进度滞后")),
    ("completed", _("已完成协商")),
)


FIGURES = tuple(key for key, _label in COLUMNS)


def is_completed(kind: str, stage: str) -> bool:
    """The matter has reached its decision stage (its consultation is done)."""
    procedure = procedure_for(kind)
    try:
        return procedure.index(stage) >= procedure.index(procedure.decision_stage)
    except (KeyError, ValueError):
        return False


def item_states(row: dict, *, today: datetime.date) -> set[str]:
    """The states of one item (a row of ``_rows``)."""
    states = set()
    due = row["planned_start"] <= today
    if due:
        states.add("due")
    if row["matter_id"] is None:
        if due:
            states.add("not_started")
        return states
    states.add("started")
    if is_completed(row["matter__kind"], row["matter__stage"]):
        states.add("completed")
    elif row["matter__stage_due_on"] is not None and row["matter__stage_due_on"] < today:
        states.add("behind")
    return states


def current_items(*, year: int, department_id: int | None = None):
    items = PlanItem.objects.filter(plan__year=year, plan__status__in=IN_FORCE)
    if department_id is not None:
        items = items.filter(plan__department_id=department_id)
    return items


def _rows(*, year: int, department_id: int | None):
    return (
        current_items(year=year, department_id=department_id)
        .values(
            "pk",
            "planned_start",
            "matter_id",
            "matter__kind",
            "matter__stage",
            "matter__stage_due_on",
            "plan_id",
            "plan__department_id",
            "plan__department__name",
            "plan__department__short_name",
            "plan__department__sort_order",
            "plan__department__code",
        )
        .order_by("plan__department__sort_order", "plan__department__code", "pk")
    )


@dataclass
class ExecutionLine:
    label: str
    name: str
    department_id: int | None
    plan_id: int | None = None
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    url: str = ""

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(key, self.figures[key]) for key, _label in COLUMNS]

    @property
    def rate(self) -> float | None:
        """执行率 in percent, one decimal; None when nothing is due yet."""
        due = self.figures["due"]
        if not due:
            return None
        started = due - self.figures["not_started"]
        return round(100 * started / due, 1)

    @property
    def rate_display(self) -> str:
        return "—" if self.rate is None else f"{self.rate:.1f}%"


@dataclass
class ExecutionBlock:
    year: int
    today: datetime.date
    lines: list[ExecutionLine]
    total: ExecutionLine

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(key, str(label)) for key, label in COLUMNS]

    @property
    def is_empty(self) -> bool:
        return not self.lines


def items_url(year: int, *, department: int | None = None, state: str = "") -> str:
    params = [f"year={year}"]
    if department:
        params.append(f"department={department}")
    if state:
        params.append(f"state={state}")
    return f"{reverse('execution_items')}?{'&'.join(params)}"


def execution_block(
    *, year: int, today: datetime.date, department_id: int | None = None
) -> ExecutionBlock:
    lines: dict[int, ExecutionLine] = {}
    total = ExecutionLine(label=str(_("全市合计")), name=str(_("全市合计")), department_id=None)
    for row in _rows(year=year, department_id=department_id):
        key = row["plan__department_id"]
        line = lines.get(key)
        if line is None:
            line = lines[key] = ExecutionLine(
                label=row["plan__department__short_name"] or row["plan__department__name"],
                name=row["plan__department__name"],
                department_id=key,
                plan_id=row["plan_id"],
                url=items_url(year, department=key),
            )
        for target in (line, total):
            target.figures["items"] += 1
            for state in item_states(row, today=today):
                target.figures[state] += 1
    total.url = items_url(year)
    return ExecutionBlock(year=year, today=today, lines=list(lines.values()), total=total)


def items_in_state(
    *, year: int, today: datetime.date, department_id: int | None = None, state: str = ""
) -> list[PlanItem]:
    """The items a figure counts (the list page), with their catalog and matter."""
    items = (
        current_items(year=year, department_id=department_id)
        .select_related("plan__department", "matter")
        .order_by("plan__department__sort_order", "plan__department__code", "order", "pk")
    )
    if state in ("due", "not_started"):
        items = items.filter(planned_start__lte=today)
    if state == "not_started":
        items = items.filter(matter__isnull=True)
    if state in ("started", "completed", "behind"):
        items = items.filter(matter__isnull=False)
    if state == "behind":
        items = items.filter(Q(matter__stage_due_on__lt=today))
    found = list(items)
    if state in ("completed", "behind"):
        found = [
            item
            for item in found
            if (state == "completed") == is_completed(item.matter.kind, item.matter.stage)
        ]
    return found
