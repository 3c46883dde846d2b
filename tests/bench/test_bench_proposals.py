"""The bench cases of suggestions and proposals run on (tiny) scale data: the figures page
is timed; a staff page this build does not have is listed without a time."""

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from bench.cases import proposals
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_proposal_cases_time_the_figures_page(capsys):
    call_command("seed_scale", "--scale", "0.001", "--allow-sqlite", "--yes")
    year, department_id, items = proposals.busiest_year_and_department()
    assert items == Proposal.objects.filter(year=year, lead_department_id=department_id).count()

    rows = proposals.run(runs=2)

    assert [row.group for row in rows] == ["proposals"] * 3
    staff_list, _office_list, figures = rows
    assert figures.p95_ms is not None and figures.target == "p95 ≤80 ms"
    assert f"?year={year}" in figures.case
    try:
        reverse("proposals:staff_list")
    except NoReverseMatch:
        assert staff_list.p95_ms is None and "no such page" in staff_list.measured
    # The accounts went with the rolled-back fixture.
    from accounts.models import User

    assert not User.objects.filter(username__startswith="bench_proposals_").exists()


def test_the_cases_refuse_a_database_without_items():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="seed_scale"):
        proposals.busiest_year_and_department()
