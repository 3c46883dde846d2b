"""The bench cases of catalog execution run on (tiny) scale data: the figures are timed
against their target and agree with the items counted; the list page answers."""

import pytest
from django.core.management import call_command

from bench.cases import execution
from supervision.execution import current_items

pytestmark = pytest.mark.django_db


def test_the_execution_cases_time_the_figures_and_the_list():
    call_command("seed_scale", "--scale", "0.001", "--allow-sqlite", "--yes")
    year, items, department_id, department_items = execution.busiest_year()
    assert items == current_items(year=year).count()
    assert department_items == current_items(year=year, department_id=department_id).count()

    rows = execution.run(runs=2)

    assert [row.group for row in rows] == ["execution"] * 3
    city, department, listing = rows
    assert city.target == department.target == "p95 ≤80 ms"
    assert city.p95_ms is not None and f"{items:,} items of {year}" in city.case
    assert listing.p95_ms is not None and "state=not_started" in listing.case
    from accounts.models import User

    assert not User.objects.filter(username="bench_execution_office").exists()


def test_the_cases_refuse_a_database_without_catalogs():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="seed_scale"):
        execution.busiest_year()
