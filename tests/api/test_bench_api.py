"""The API benchmark runs and prints a figure for every case against its baseline."""

import io

import pytest
from django.core.management import CommandError, call_command

from .support import bulk_matters

pytestmark = pytest.mark.django_db


def test_bench_api_prints_every_case_with_its_ratio_to_the_baseline():
    bulk_matters(60)
    out = io.StringIO()

    call_command("bench_api", runs=1, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("60 matters (60 published)")
    assert any(line.startswith("baseline: raw SQL + json.dumps") for line in lines)
    cases = [line for line in lines if line.startswith("API ")]
    assert len(cases) == 3
    for line in cases:
        median, p95, queries, ratio = line.split()[-4:]
        assert median.endswith("ms") and p95.endswith("ms")
        assert int(queries) >= 1
        assert float(ratio) > 0


def test_bench_api_refuses_without_enough_published_matters():
    bulk_matters(3)

    with pytest.raises(CommandError, match="seed_scale"):
        call_command("bench_api", runs=1)
