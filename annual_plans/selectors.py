"""Reads of annual plan catalogs shared by pages, the admin, the API and the PDFs."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.selectors import departments_filing_catalogs
from core.search import search

from .deadlines import deadline_for, is_late
from .models import Amendment, AnnualPlan, PlanItem

Status = AnnualPlan.Status


def plans_with_items() -> QuerySet[AnnualPlan]:
    return with_items(AnnualPlan.objects.all())


def with_items(queryset: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    """The plans with their department, signatories and items (one query each)."""
    return queryset.select_related("department", "signed_off_by", "reviewed_by").prefetch_related(
        Prefetch(
            "items", queryset=PlanItem.objects.select_related("matter").order_by("order", "pk")
        )
    )


def plans_public(*, year: int | None = None) -> QuerySet[AnnualPlan]:
    queryset = plans_with_items().filter(status=Status.PUBLISHED)
    if year:
        queryset = queryset.filter(year=year)
    return queryset.order_by("-year", "department__sort_order", "department__code")


def plans_public_overview(*, year: int) -> QuerySet[AnnualPlan]:
    """The year's published catalogs with their number of items (``item_total``), not
    the items: the year page lists some 250 departments, whose 5,000 items it would
    otherwise read only to count them."""
    return (
        AnnualPlan.objects.filter(status=Status.PUBLISHED, year=year)
        .select_related("department")
        .annotate(item_total=Count("items"))
        .order_by("department__sort_order", "department__code")
    )


def public_years() -> list[int]:
    return list(
        AnnualPlan.objects.filter(status=Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def plans_for_department(*, department: Department) -> QuerySet[AnnualPlan]:
    return (
        AnnualPlan.objects.filter(department=department)
        .select_related("department")
        .order_by("-year")
    )


def consolidated_items(
    *, year: int, major_decisions: bool = False, non_party: bool = False
) -> QuerySet[PlanItem]:
    """Items of the year's published catalogs, for the municipal consolidated catalogs."""
    queryset = PlanItem.objects.filter(plan__year=year, plan__status=Status.PUBLISHED)
    if major_decisions:
        queryset = queryset.filter(is_major_decision=True)
    if non_party:
        queryset = queryset.filter(seeks_non_party_opinions=True)
    return queryset.select_related("plan__department", "matter").order_by(
        "plan__department__sort_order", "plan__department__code", "order", "pk"
    )


def items_searchable() -> QuerySet[PlanItem]:
    """Items of published catalogs: what the public search looks in."""
    return PlanItem.objects.filter(plan__status=Status.PUBLISHED).select_related("plan__department")


def items_matching(queryset: QuerySet[PlanItem], text: str) -> QuerySet[PlanItem]:
    """Items whose title or responsible office contains every word of ``text``, best
    first, then the most recently published catalog; the columns of the index
    ``annual_plans_planitem_search`` (annual_plans/migrations/0003_search.py)."""
    return search(
        queryset, text, title="title", body="responsible_office", recency="plan__published_at"
    )


class FilingState:
    """Where a department stands for a year, as the overview and dashboard show it."""

    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    MISSING = "missing"
    PENDING = "pending"

    LABELS = {
        ON_TIME: _("按时报送"),
        LATE: _("逾期报送"),
        RETURNED: _("退回修改"),
        # After the deadline without a filing, and before it: two different things, and
        # the words say which (they are shown side by side on the overview).
        MISSING: _("逾期未报送"),
        PENDING: _("未报送（未到截止时间）"),
    }


@dataclass
class OverviewRow:
    department: Department
    plan: AnnualPlan | None
    state: str

    @property
    def state_label(self) -> str:
        return str(FilingState.LABELS[self.state])


def filing_state(
    plan: AnnualPlan | None, *, deadline: datetime.datetime, now: datetime.datetime
) -> str:
    if plan is None or plan.first_submitted_at is None:
        return FilingState.MISSING if is_late(now, deadline) else FilingState.PENDING
    if plan.status == Status.RETURNED:
        return FilingState.RETURNED
    return FilingState.LATE if plan.is_late else FilingState.ON_TIME


def filing_overview(
    *, year: int, now: datetime.datetime | None = None, department_id: int | None = None
) -> list[OverviewRow]:
    """Every active department that files a catalog (or only ``department_id``), with its
    filing state for the year.

    Three queries (the year's deadline, its plans, the departments) whatever their number.
    """
    now = now or timezone.now()
    deadline = deadline_for(year)
    plans_query = AnnualPlan.objects.filter(year=year).select_related("department")
    departments = departments_filing_catalogs().order_by("sort_order", "code")
    if department_id is not None:
        plans_query = plans_query.filter(department_id=department_id)
        departments = departments.filter(pk=department_id)
    plans = {plan.department_id: plan for plan in plans_query}
    return [
        OverviewRow(department=department, plan=plans.get(department.pk),
                    state=filing_state(plans.get(department.pk), deadline=deadline, now=now))
        for department in departments
    ]  # fmt: skip


def overview_counts(rows: list[OverviewRow]) -> dict[str, int]:
    counts = dict.fromkeys(FilingState.LABELS, 0)
    for row in rows:
        counts[row.state] += 1
    return counts


def plan_years() -> set[int]:
    """Every year some department has a catalog for (one query)."""
    return set(AnnualPlan.objects.order_by().values_list("year", flat=True).distinct())


def plans_awaiting_review() -> QuerySet[AnnualPlan]:
    return (
        AnnualPlan.objects.filter(status=Status.SUBMITTED)
        .select_related("department")
        .order_by("submitted_at")
    )


def amendments_awaiting_review() -> QuerySet[Amendment]:
    return (
        Amendment.objects.filter(status=Amendment.Status.PENDING)
        .select_related("plan__department")
        .order_by("requested_at")
    )


def plans_awaiting_sign_off(plans: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    """Of ``plans`` (a rules queryset such as ``own_plans(user)``), those still to be signed
    off by the department's leader (``AnnualPlan.can_sign_off``), oldest year first."""
    return plans.filter(
        status__in=[AnnualPlan.Status.DRAFT, AnnualPlan.Status.RETURNED],
        signed_off_by__isnull=True,
    ).order_by("year", "pk")


def plans_of_year(year: int) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(year=year)


def plans_returned() -> QuerySet[AnnualPlan]:
    """Catalogs returned for revision and not filed again, of active departments."""
    return (
        AnnualPlan.objects.filter(
            status=AnnualPlan.Status.RETURNED,
            reviewed_at__isnull=False,
            department__is_active=True,
        )
        .select_related("department")
        .order_by("department__sort_order", "department__code", "year")
    )
