"""Catalogs carried out (目录执行情况) at city scale: the execution figures of the scale
data's year with the most catalog items in force, city-wide (the dashboard's block and
the export's sheet) and for the department with the most items (its workbench panel), and
the office's list of the items late to start.

The figures are one grouped read of the year's items with their matters' stage; they are
timed as the function the dashboard calls, in process. The list page is timed with the
test client as a general-office reviewer, written in a transaction that is rolled back.
"""

import datetime

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Department
from accounts.roles import Role
from accounts.services import user_create
from supervision.execution import IN_FORCE, current_items, execution_block

from .results import Row, count_queries, time_calls, timed_row

GROUP = "execution"
TARGET_MS = 80
PASSWORD = "bench-execution-2026"  # noqa: S105 - a rolled-back fixture account


def busiest_year() -> tuple[int, int, int, int]:
    """(year, items in force that year, the department with the most, its items)."""
    from annual_plans.models import PlanItem

    top = (
        PlanItem.objects.filter(plan__status__in=IN_FORCE)
        .values("plan__year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-plan__year")
        .first()
    )
    if top is None:
        raise CommandError("No catalog in force: run `manage.py seed_scale`.")
    year = top["plan__year"]
    department = (
        current_items(year=year)
        .values("plan__department_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "plan__department_id")
        .first()
    )
    return year, top["n"], department["plan__department_id"], department["n"]


def figures_row(label: str, call, *, runs: int, measured: str) -> Row:
    samples = time_calls(call, runs)
    row = timed_row(
        GROUP, label, samples, runs=runs, queries=count_queries(call), measured=measured
    )
    row.target = f"p95 ≤{TARGET_MS} ms"
    row.passed = row.p95_ms <= TARGET_MS
    return row


def run(*, runs: int) -> list[Row]:
    year, items, department_id, department_items = busiest_year()
    # The end of the catalog's year: every item is due, so every state is counted.
    today = min(timezone.localdate(), datetime.date(year, 12, 31))
    city = execution_block(year=year, today=today)
    rows = [
        figures_row(
            f"execution figures, city-wide, {items:,} items of {year}",
            lambda: execution_block(year=year, today=today),
            runs=runs,
            measured=f"{len(city.lines)} departments, rate {city.total.rate_display}",
        ),
        figures_row(
            f"execution figures, one department, {department_items:,} items (its workbench)",
            lambda: execution_block(year=year, today=today, department_id=department_id),
            runs=runs,
            measured=f"{department_items:,} items",
        ),
    ]
    with transaction.atomic():
        office = Department.objects.filter(kind=Department.Kind.GENERAL_OFFICE).first()
        if office is None:
            office = Department.objects.create(
                name="青岛市人民政府办公厅（基准）",
                short_name="市政府办公厅",
                code="bench-bgt-execution",
                kind=Department.Kind.GENERAL_OFFICE,
            )
        reviewer = user_create(
            username="bench_execution_office",
            password=PASSWORD,
            full_name="基准办公厅",
            department=office,
            roles=[Role.GENERAL_OFFICE_REVIEWER],
        )
        client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
        client.force_login(reviewer)
        url = f"/staff/dashboard/execution/?year={year}&state=not_started"

        def call():
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            return response

        with override_settings(DEBUG=False):
            samples = time_calls(call, runs)
            response = call()
            rows.append(
                timed_row(
                    GROUP,
                    f"office list of the items late to start ({url})",
                    samples,
                    runs=runs,
                    queries=count_queries(call),
                    measured=f"{len(response.content) / 1024:,.0f} KB",
                )
            )
        transaction.set_rollback(True)
    return rows
