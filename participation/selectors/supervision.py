"""Figures the general office supervises: feedback reports not published in time, opinions
received and how they were used. Each is one grouped query, whatever the departments."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from ..models import CommentPeriod, Opinion
from .comments import disposition_counts

Disposition = Opinion.Disposition
# The filter value for opinions not yet disposed of (their disposition is empty).
UNDISPOSED = "undisposed"


def report_due_cutoff(now: datetime.datetime) -> datetime.datetime:
    """A period that closed before this moment owes its feedback report: the report is due
    ``PORTAL_FEEDBACK_DUE_DAYS`` after the close."""
    return now - datetime.timedelta(days=settings.PORTAL_FEEDBACK_DUE_DAYS)


def periods_report_overdue(queryset: QuerySet[CommentPeriod], *, now) -> QuerySet[CommentPeriod]:
    return queryset.filter(report_published_at__isnull=True, ends_at__lt=report_due_cutoff(now))


def overdue_report_counts(
    *, year: int, now: datetime.datetime, department_id: int | None = None
) -> dict[int, int]:
    """Periods on the year's matters closed more than the due days ago without a published
    feedback report, by lead department. One query."""
    queryset = CommentPeriod.objects.filter(matter__year=year)
    if department_id is not None:
        queryset = queryset.filter(matter__department_id=department_id)
    rows = (
        periods_report_overdue(queryset, now=now)
        .values("matter__department_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["matter__department_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class OpinionCount:
    """Opinions on one department's matters from one channel received in one month."""

    department_id: int
    channel: str
    month: datetime.date | None
    total: int
    adopted: int
    partly: int
    not_adopted: int
    out_of_scope: int
    undisposed: int


def opinion_counts(*, year: int, department_id: int | None = None) -> list[OpinionCount]:
    """Opinions on the year's matters by lead department, channel and month received, with
    their dispositions, in one grouped query (the year is the matter's, as on the adoption
    rate page). Only counts are read."""
    queryset = Opinion.objects.filter(matter__year=year)
    if department_id is not None:
        queryset = queryset.filter(matter__department_id=department_id)
    rows = (
        queryset.annotate(month=TruncMonth("received_on"))
        .values("matter__department_id", "channel", "month")
        .annotate(**disposition_counts())
        .order_by()
    )
    return [
        OpinionCount(
            department_id=row["matter__department_id"],
            channel=row["channel"],
            month=_as_date(row["month"]),
            total=row["total"],
            adopted=row["adopted"],
            partly=row["partly"],
            not_adopted=row["not_adopted"],
            out_of_scope=row["out_of_scope"],
            undisposed=row["undisposed"],
        )
        for row in rows
    ]


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


# -------------------------------------------------------------- the lists behind the figures


def filter_comment_periods(
    queryset: QuerySet[CommentPeriod],
    *,
    now: datetime.datetime,
    department: str = "",
    year: int | None = None,
    report_overdue: bool = False,
) -> QuerySet[CommentPeriod]:
    if department:
        queryset = queryset.filter(matter__department__code=department)
    if year:
        queryset = queryset.filter(matter__year=year)
    if report_overdue:
        queryset = periods_report_overdue(queryset, now=now)
    return queryset


@dataclass(frozen=True)
class OpinionScope:
    """Which opinions a figure counts: of a channel, a disposition, received in a month."""

    channel: str = ""
    disposition: str = ""
    month: datetime.date | None = None

    def __bool__(self) -> bool:
        return bool(self.channel or self.disposition or self.month)

    def condition(self, prefix: str = "") -> Q:
        """The scope as a condition on ``Opinion`` (or, with ``prefix="opinions__"``, on
        its comment period)."""
        condition = Q()
        if self.channel:
            condition &= Q(**{f"{prefix}channel": self.channel})
        if self.disposition == UNDISPOSED:
            condition &= Q(**{f"{prefix}disposition": ""})
        elif self.disposition:
            condition &= Q(**{f"{prefix}disposition": self.disposition})
        if self.month:
            condition &= Q(
                **{
                    f"{prefix}received_on__year": self.month.year,
                    f"{prefix}received_on__month": self.month.month,
                }
            )
        return condition


def with_opinion_scope(
    queryset: QuerySet[CommentPeriod], scope: OpinionScope
) -> QuerySet[CommentPeriod]:
    """Only periods with opinions in ``scope``; their opinion counts count only those."""
    on_periods = scope.condition("opinions__")
    return queryset.annotate(
        opinion_count=Count("opinions", filter=on_periods),
        undisposed_count=Count("opinions", filter=on_periods & Q(opinions__disposition="")),
    ).filter(opinion_count__gt=0)


def opinion_total(periods: QuerySet[CommentPeriod], scope: OpinionScope | None = None) -> int:
    """How many opinions (in ``scope``) the listed periods received. One query."""
    queryset = Opinion.objects.filter(period__in=periods.order_by().values("pk"))
    if scope:
        queryset = queryset.filter(scope.condition())
    return queryset.count()
