"""Suggestions and proposals (建议提案办理) at city scale: the pages the office and the
departments work from, signed in, on the scale data's year of 2,000 items and 10,000
contacts.

* the busiest department's staff list (``/staff/proposals/``), as one of its staff;
* the office's list of one figure (``/staff/proposals/office/?year=&figure=overdue``);
* the year's figures page (``/staff/dashboard/proposals/?year=``), as the office.

The staff list and the office list come with the staff pages; where this build has no such
page (404), its row says so and is not timed. The signed-in accounts are written in a
transaction that is rolled back.
"""

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings

from accounts.models import Department
from accounts.roles import Role
from accounts.services import user_create
from proposals.models import Proposal

from .results import Row, count_queries, time_calls, timed_row

GROUP = "proposals"
TARGET_MS = 80
PASSWORD = "bench-proposals-2026"  # noqa: S105 - a rolled-back fixture account


def busiest_year_and_department() -> tuple[int, int, int]:
    """(year, department id, its items) of the year with the most items and, in it, the
    department that leads the most."""
    top = Proposal.objects.values("year").annotate(n=Count("pk")).order_by("-n", "-year").first()
    if top is None:
        raise CommandError("No suggestions or proposals: run `manage.py seed_scale --replace`.")
    row = (
        Proposal.objects.filter(year=top["year"])
        .exclude(lead_department=None)
        .values("lead_department")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_department")
        .first()
    )
    return top["year"], row["lead_department"], row["n"]


def signed_in(user) -> Client:
    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    return client


def cases(*, year: int, department_id: int, items: int) -> list[tuple[str, str, str]]:
    """(label, who, url) of every case."""
    overdue = Proposal.objects.filter(year=year, status__in=("assigned", "handling",
                                                             "second_round"))  # fmt: skip
    return [
        (
            f"department staff list, {items:,} items led (/staff/proposals/)",
            "staff",
            "/staff/proposals/",
        ),
        (
            f"office list of a figure, {overdue.count():,} open items "
            f"(/staff/proposals/office/?year={year}&figure=overdue)",
            "office",
            f"/staff/proposals/office/?year={year}&figure=overdue",
        ),
        (
            f"figures page, {Proposal.objects.filter(year=year).count():,} items "
            f"(/staff/dashboard/proposals/?year={year})",
            "office",
            f"/staff/dashboard/proposals/?year={year}",
        ),
    ]


def page_row(label: str, client: Client, url: str, *, runs: int) -> Row:
    probe = client.get(url)
    if probe.status_code == 404:
        return Row(group=GROUP, case=label, measured="no such page in this build (staff pages)")
    if probe.status_code != 200:
        raise CommandError(f"{url} answered {probe.status_code}")

    def call():
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    samples = time_calls(call, runs)
    response = call()
    row = timed_row(
        GROUP,
        label,
        samples,
        runs=runs,
        queries=count_queries(call),
        measured=f"{len(response.content) / 1024:,.0f} KB",
    )
    row.target = f"p95 ≤{TARGET_MS} ms"
    row.passed = row.p95_ms <= TARGET_MS
    return row


def run(*, runs: int) -> list[Row]:
    year, department_id, items = busiest_year_and_department()
    rows = []
    with transaction.atomic():
        office = Department.objects.filter(kind=Department.Kind.GENERAL_OFFICE).first()
        if office is None:
            office = Department.objects.create(
                name="青岛市人民政府办公厅（基准）",
                short_name="市政府办公厅",
                code="bench-bgt",
                kind=Department.Kind.GENERAL_OFFICE,
            )
        users = {
            "office": user_create(
                username="bench_proposals_office",
                password=PASSWORD,
                full_name="基准办公厅",
                department=office,
                roles=[Role.GENERAL_OFFICE_REVIEWER],
            ),
            "staff": user_create(
                username="bench_proposals_staff",
                password=PASSWORD,
                full_name="基准经办人",
                department=Department.objects.get(pk=department_id),
                roles=[Role.DEPARTMENT_STAFF],
            ),
        }
        clients = {who: signed_in(user) for who, user in users.items()}
        with override_settings(DEBUG=False):
            for label, who, url in cases(year=year, department_id=department_id, items=items):
                rows.append(page_row(label, clients[who], url, runs=runs))
        transaction.set_rollback(True)
    return rows
