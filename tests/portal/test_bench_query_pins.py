"""The query count of every case `make bench` times (docs/PERFORMANCE.md), pinned for a
small and a larger amount of data: a change that adds a query per row, or one more query
per request, fails here. The timings live in the benchmark, not in tests.

The other cases are pinned beside their code: the API lists in tests/api/test_query_counts.py,
the search page in tests/search/test_page.py, the reminder scan in
tests/reminders/test_sending.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annual_plans.reports import consolidated_catalog_pdf, filing_form_pdf
from core.content_cache import bump_generation
from participation.models import Opinion
from participation.reports import feedback_report_pdf
from participation.services.comments import opinions_dispose
from participation.services.feedback import feedback_publish
from tests.factories import make_period, make_plan

from ..api.support import bulk_matters

pytestmark = pytest.mark.django_db


def queries(call) -> int:
    """Queries of one call, with no cached page or total to help it."""
    bump_generation()
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def get(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, url

    return call


def period_with_opinions(count: int, *, disposed: bool = False):
    period = make_period(starts_at=timezone.now() - datetime.timedelta(days=40), days=30)
    Opinion.objects.bulk_create(
        Opinion(
            period=period,
            matter=period.matter,
            channel=("online", "letter", "hotline")[n % 3],
            content=f"第{n + 1}条意见：建议增加社区长者食堂的覆盖范围。",
            received_on=timezone.localdate(),
        )
        for n in range(count)
    )
    if disposed:
        opinions_dispose(
            period=period,
            by=period.matter.created_by,
            opinion_ids=list(Opinion.objects.filter(period=period).values_list("pk", flat=True)),
            disposition="adopted",
            response="已采纳。",
        )
        period = feedback_publish(period=period, by=period.matter.created_by, summary="总体情况")
    return period


@pytest.mark.parametrize("count", [3, 60])
def test_public_matter_list(client, count):
    bulk_matters(count)

    # filter choices (departments, policy areas), the total, the page, its policy areas
    assert queries(get(client, "/matters/")) == 5


@pytest.mark.parametrize("count", [5, 120])
def test_matter_page_whatever_its_opinions(client, count):
    period = period_with_opinions(count, disposed=True)

    # the matter with its parts (7), its comment periods, their opinion counts, activities,
    # its surveys, its letters' addressees, its completed expert argumentations, the
    # catalog item it carries out
    assert queries(get(client, f"/matters/{period.matter_id}/")) == 14


@pytest.mark.parametrize("plans", [2, 12])
def test_catalog_year_page(client, plans):
    for _ in range(plans):
        make_plan(year=2026, items=4, status="published")

    # the catalogs with their number of items, the years with catalogs
    assert queries(get(client, "/catalogs/2026/")) == 2
    # the consolidated catalog of the year's major decisions: one query for every item
    assert queries(get(client, "/catalogs/2026/major-decisions/")) == 1


@pytest.mark.parametrize("items", [2, 30])
def test_filing_form_pdf(items):
    plan = make_plan(year=2026, items=items, status="accepted")

    assert queries(lambda: filing_form_pdf(plan)) == 2


@pytest.mark.parametrize("plans", [1, 6])
def test_consolidated_catalog_pdf(plans):
    for _ in range(plans):
        make_plan(year=2026, items=5, status="published")

    assert queries(lambda: consolidated_catalog_pdf(year=2026)) == 4


@pytest.mark.parametrize("count", [5, 150])
def test_feedback_report_pdf_whatever_its_opinions(count):
    period = period_with_opinions(count, disposed=True)

    # the counts, the answered groups, the matter with its department, its surveys' results,
    # its written opinions by addressee category
    assert queries(lambda: feedback_report_pdf(period)) == 5
