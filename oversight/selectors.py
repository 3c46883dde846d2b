"""What other apps read of supervision orders: the overdue condition, the figures the
dashboard shows, the workbench's queues and the reminder scan's orders."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.figures import FigureBlock, FigureLine

from .models import Answer, Order

Status = Order.Status
OPEN = (Status.ISSUED, Status.RETURNED)


def overdue_filter(now: datetime.datetime) -> Q:
    """Waiting for the department after the end of its due day (Beijing)."""
    return Q(status__in=OPEN, due_date__lt=timezone.localdate(now))


# The figures of the dashboard's block and the list each links to, in the table's order.
COLUMNS = (
    ("issued", _("督办通知")),
    ("open", _("办理中")),
    ("overdue", _("逾期未报送")),
    ("answered", _("待审核")),
    ("accepted", _("已办结")),
    ("urged", _("催办次数")),
)
FIGURES = tuple(key for key, _label in COLUMNS)


class OversightLine(FigureLine):
    columns = COLUMNS


class OversightBlock(FigureBlock):
    pass


def orders_url(year: int, *, department: int | None = None) -> str:
    """The list of the year's orders, of one department or all."""
    url = f"{reverse('oversight:list')}?year={year}"
    return f"{url}&department={department}" if department else url


def oversight_block(
    *, year: int, now: datetime.datetime, department_id: int | None = None
) -> OversightBlock:
    """The year's orders (withdrawn ones left out) by department: one query."""
    orders = Order.objects.filter(year=year).exclude(status=Status.WITHDRAWN)
    if department_id is not None:
        orders = orders.filter(department_id=department_id)
    rows = (
        orders.values(
            "department_id",
            "department__name",
            "department__short_name",
            "department__sort_order",
            "department__code",
        )
        .annotate(
            issued=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN)),
            overdue=Count("pk", filter=overdue_filter(now)),
            answered=Count("pk", filter=Q(status=Status.ANSWERED)),
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
            urged=Sum("urge_count"),
        )
        .order_by("department__sort_order", "department__code")
    )
    total = OversightLine(
        label=str(_("全市合计")),
        name=str(_("全市合计")),
        department_id=None,
        figures=dict.fromkeys(FIGURES, 0),
        url=orders_url(year),
    )
    lines = []
    for row in rows:
        line = OversightLine(
            label=row["department__short_name"] or row["department__name"],
            name=row["department__name"],
            department_id=row["department_id"],
            url=orders_url(year, department=row["department_id"]),
            figures={key: row[key] or 0 for key in FIGURES},
        )
        lines.append(line)
        total.add(line.figures)
    return OversightBlock(year=year, lines=lines, total=total)


def orders_for_department(department_id: int | None) -> QuerySet[Order]:
    """The department's orders still waiting for it, soonest due first (its workbench)."""
    if department_id is None:
        return Order.objects.none()
    drafted = Answer.objects.filter(
        order=OuterRef("pk"), round=OuterRef("round"), status=Answer.Status.DRAFT
    )
    return (
        Order.objects.filter(department_id=department_id, status__in=OPEN)
        .annotate(drafted=Exists(drafted))
        .order_by("due_date", "pk")
    )


def orders_to_decide() -> QuerySet[Order]:
    """Orders whose department has reported, waiting for the office (its workbench)."""
    return (
        Order.objects.filter(status=Status.ANSWERED)
        .select_related("department")
        .order_by("answered_at", "pk")
    )


def orders_to_remind(*, due_by: datetime.date) -> QuerySet[Order]:
    """Open orders due by ``due_by`` (or past due), for the reminder scan."""
    return (
        Order.objects.filter(status__in=OPEN, due_date__lte=due_by)
        .select_related("department")
        .order_by("due_date", "pk")
    )
