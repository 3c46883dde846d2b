"""The API benchmark runs and prints a figure for every case against its baseline."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from .support import bulk_matters

pytestmark = pytest.mark.django_db
on_postgresql = connection.vendor == "postgresql"


@pytest.mark.postgres  # the baseline's SQL is PostgreSQL's
def test_bench_api_prints_every_case_with_its_ratio_to_the_baseline():
    bulk_matters(60)
    out = io.StringIO()

    call_command("bench_api", runs=1, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("60 matters (60 published)")
    assert sum(line.startswith("  baseline: one SQL query + json.dumps") for line in lines) == 3
    cases = [line for line in lines if line.startswith("API ")]
    assert len(cases) == 3
    for line in cases:
        median, p95, queries, ratio = line.split()[-4:]
        assert median.endswith("ms") and p95.endswith("ms")
        # With the total cached, a filter or search that finds nothing needs no query.
        assert int(queries) >= (1 if line == cases[0] else 0)
        assert float(ratio) > 0


@pytest.mark.skipif(
    on_postgresql,
    reason="not a missing service: pins the refusal on databases other than PostgreSQL, "
    "so a PostgreSQL run (CI) cannot exercise it",
)
def test_bench_api_refuses_other_databases():
    bulk_matters(60)

    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_api", runs=1)


@pytest.mark.postgres  # checked after the database check
def test_bench_api_refuses_without_enough_published_matters():
    bulk_matters(3)

    with pytest.raises(CommandError, match="seed_scale"):
        call_command("bench_api", runs=1)
