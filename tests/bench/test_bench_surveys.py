"""The bench cases of surveys run on (tiny) scale data: each case is timed where this
build has its page (or export) and listed without a time where it has not; what the
cases write is rolled back."""

import pytest
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from bench.cases import surveys as cases
from bench.management.commands.bench import GROUPS
from surveys.models import Response

pytestmark = pytest.mark.django_db


def _has(name: str) -> bool:
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


@pytest.fixture
def scale_data():
    from django.core.management import call_command

    call_command("seed_scale", "--scale", "0.001", "--allow-sqlite", "--yes")
    return cases.scale_survey()


def test_the_survey_cases_run_and_roll_back(scale_data, monkeypatch):
    exported = []
    monkeypatch.setattr(
        cases,
        "export_row",
        lambda *, runs: exported.append(runs) or cases.Row(group="surveys", case="export"),
    )
    loaded = []
    monkeypatch.setattr(  # gunicorn cannot share this test database: tested in test_load_run
        cases,
        "under_load_row",
        lambda survey, *, seconds, pause, workers: (
            loaded.append((survey, seconds, pause)) or cases.Row(group="surveys", case="under load")
        ),
    )
    before = Response.objects.filter(survey=scale_data).count()

    rows = cases.run(runs=2, load_seconds=7)

    assert [row.group for row in rows] == ["surveys"] * 6
    staff, public, answering, _export, _paced, _unpaced = rows
    assert loaded == [(scale_data, 7, cases.PACE_SECONDS), (scale_data, 7, 0.0)]
    assert "500 responses" in staff.case and cases.STAFF_RESULTS in staff.case
    for row, name in ((staff, cases.STAFF_RESULTS), (public, cases.PUBLIC_RESULTS),
                      (answering, cases.PUBLIC_DETAIL)):  # fmt: skip
        if _has(name):
            assert row.p95_ms is not None and row.target, row
        else:
            assert row.p95_ms is None and "no such page" in row.measured
    assert exported == [1]
    assert Response.objects.filter(survey=scale_data).count() == before
    assert not User.objects.filter(username__startswith="bench_surveys_").exists()


def test_the_export_child_case_times_the_export_or_says_it_is_missing(scale_data):
    result = cases.run_child_case("export", runs=1)

    assert result["responses"] == 500
    try:
        from surveys.exports import write_responses  # noqa: F401
    except ImportError:
        assert result["missing"] is True
    else:
        assert result["missing"] is False
        assert result["median_s"] > 0 and result["peak_mb"] > 0 and result["bytes"] > 0


def test_the_group_is_registered():
    assert "surveys" in GROUPS


def test_the_cases_refuse_a_database_without_the_scale_survey():
    with pytest.raises(CommandError, match="seed_scale"):
        cases.scale_survey()
