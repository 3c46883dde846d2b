"""Catalogs carried out (目录执行情况): per department and city-wide, for a year's catalogs
in force (accepted or published), how many items there are, how many have come to their
planned start, how many have their matter, which are late to start (逾期未启动) or behind
(进度滞后: the matter's stage past its planned end), which are done (已完成协商: the
matter has reached its decision stage), and the execution rate (执行率).

执行率 = items started among those due ÷ items due (planned start on or before the day);
an item not yet due is not counted against the department. The catalog's current items
count: an item an amendment dropped no longer counts, one it added does.

One query whatever the number of departments: the current items of the year's catalogs in
force, counted in the database per department (about 250 rows for the whole city, however
many items), with "completed" as each kind's stages at or after its decision stage.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from annual_plans.models import AnnualPlan, PlanItem
from core.figures import FigureBlock, FigureLine
from matters.procedures import PROCEDURES

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


def completed_q(prefix: str = "matter__") -> Q:
    """Matters at or after their kind's decision stage, as a condition on the database."""
    condition = Q(pk__in=[])
    for kind, procedure in PROCEDURES.items():
        done = procedure.codes[procedure.index(procedure.decision_stage) :]
        condition |= Q(**{f"{prefix}kind": kind, f"{prefix}stage__in": done})
    return condition


def state_conditions(today: datetime.date) -> dict[str, Q]:
    """Each figure as a condition on an item (the table's counts and the list's filter)."""
    due = Q(planned_start__lte=today)
    started = Q(matter__isnull=False)
    completed = started & completed_q()
    return {
        "due": due,
        "started": started,
        "not_started": due & Q(matter__isnull=True),
        "behind": started & Q(matter__stage_due_on__lt=today) & ~completed,
        "completed": completed,
    }


def current_items(*, year: int, department_id: int | None = None):
    items = PlanItem.objects.filter(plan__year=year, plan__status__in=IN_FORCE)
    if department_id is not None:
        items = items.filter(plan__department_id=department_id)
    return items


def _counts(*, year: int, today: datetime.date, department_id: int | None):
    conditions = state_conditions(today)
    return (
        current_items(year=year, department_id=department_id)
        .values(
            "plan__department_id",
            "plan__department__name",
            "plan__department__short_name",
            "plan__department__sort_order",
            "plan__department__code",
        )
        .annotate(
            items=Count("pk"),
            plan_id=Max("plan_id"),
            **{key: Count("pk", filter=condition) for key, condition in conditions.items()},
        )
        .order_by("plan__department__sort_order", "plan__department__code")
    )


@dataclass
class ExecutionLine(FigureLine):
    plan_id: int | None = None
    columns = COLUMNS

    @property
    def rate(self) -> float | None:
        """执行率 in percent, one decimal; None when nothing is due yet."""
        due = self.figures.get("due", 0)
        if not due:
            return None
        started = due - self.figures.get("not_started", 0)
        return round(100 * started / due, 1)

    @property
    def rate_display(self) -> str:
        return "—" if self.rate is None else f"{self.rate:.1f}%"


@dataclass
class ExecutionBlock(FigureBlock):
    today: datetime.date


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
    lines = []
    total = ExecutionLine(
        label=str(_("全市合计")),
        name=str(_("全市合计")),
        department_id=None,
        figures=dict.fromkeys(FIGURES, 0),
    )
    for row in _counts(year=year, today=today, department_id=department_id):
        key = row["plan__department_id"]
        line = ExecutionLine(
            label=row["plan__department__short_name"] or row["plan__department__name"],
            name=row["plan__department__name"],
            department_id=key,
            plan_id=row["plan_id"],
            figures={figure: row[figure] for figure in FIGURES},
            url=items_url(year, department=key),
        )
        lines.append(line)
        total.add(line.figures)
    total.url = items_url(year)
    return ExecutionBlock(year=year, today=today, lines=lines, total=total)


def items_in_state(
    *, year: int, today: datetime.date, department_id: int | None = None, state: str = ""
) -> QuerySet[PlanItem]:
    """The items a figure counts (the list page), with their catalog and matter."""
    items = (
        current_items(year=year, department_id=department_id)
        .select_related("plan__department", "matter")
        .order_by("plan__department__sort_order", "plan__department__code", "order", "pk")
    )
    condition = state_conditions(today).get(state)
    if condition is not None:
        items = items.filter(condition)
    return items
