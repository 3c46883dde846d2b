"""Each read costs a small, fixed number of queries, whatever the page size or the size
of the object. The numbers are pinned: a change that adds a query per row, or one more
query per request, shows up here."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core.content_cache import bump_generation
from matters import services as matter_services
from participation.services.comments import opinion_submit, opinions_dispose
from participation.services.feedback import feedback_publish
from tests.factories import MINIMAL_PDF, StaffFactory, make_period

from .support import (
    bulk_matters,
    bulk_public_activities,
    bulk_published_plans,
    published_matter,
    token_for,
)

pytestmark = pytest.mark.django_db

PAGE_SIZES = (1, 50, 250)


def assert_constant(client, django_assert_num_queries, url, expected, **headers):
    """``expected`` queries at every page size, counting the total anew each time (the
    total is otherwise cached until the data changes: see the content cache tests)."""
    for size in PAGE_SIZES:
        bump_generation()
        with django_assert_num_queries(expected):
            response = client.get(url, {"page_size": size}, **headers)
        assert response.status_code == 200
        assert len(response.json()["results"]) == size


# PostgreSQL reads a matter's policy areas with its row (matters.selectors.
# with_policy_area_pairs); elsewhere one more query reads them for the page.
AREA_QUERIES = 0 if connection.vendor == "postgresql" else 1


def test_matters_list_costs_two_queries_at_any_page_size(client, django_assert_num_queries):
    bulk_matters(260)  # each with two policy areas

    # count, rows with their department and policy areas
    assert_constant(client, django_assert_num_queries, "/api/v1/matters/", 2 + AREA_QUERIES)


def test_matters_list_for_a_token_costs_the_same_at_any_page_size(
    client, django_assert_num_queries
):
    staff = StaffFactory()
    bulk_matters(260, by=staff, published=False)
    headers = token_for(staff)

    # the token with its user, the user's roles, then count, rows with policy areas
    assert_constant(
        client, django_assert_num_queries, "/api/v1/matters/", 4 + AREA_QUERIES, **headers
    )


def test_catalogs_list_costs_three_queries_at_any_page_size(client, django_assert_num_queries):
    bulk_published_plans(260, items=3)

    # count, catalogs with their department, items
    assert_constant(client, django_assert_num_queries, "/api/v1/catalogs/", 3)


def test_catalog_items_list_costs_two_queries_at_any_page_size(client, django_assert_num_queries):
    bulk_published_plans(130, items=2)

    # count, items with their catalog and department
    assert_constant(client, django_assert_num_queries, "/api/v1/catalog-items/", 2)


def test_activities_list_costs_two_queries_at_any_page_size(client, django_assert_num_queries):
    bulk_public_activities(260, matter=published_matter())

    # count, activities with their matter and department
    assert_constant(client, django_assert_num_queries, "/api/v1/activities/", 2)


def test_cursor_pages_cost_one_query_less(client, django_assert_num_queries):
    bulk_matters(30)

    with django_assert_num_queries(1 + AREA_QUERIES):  # no count: rows with policy areas
        response = client.get("/api/v1/matters/", {"paging": "cursor", "page_size": 10})
    with django_assert_num_queries(1 + AREA_QUERIES):
        client.get(response.json()["next"].removeprefix("http://testserver"))


def matter_with(parts: int):
    """A published matter with ``parts`` public steps, documents, drafts and comment
    periods with reported feedback, each period with ``parts`` opinions."""
    matter = published_matter()
    by = matter.created_by
    today = timezone.localdate()
    for n in range(parts):
        matter_services.step_record(
            matter=matter,
            by=by,
            step_type="public_participation",
            occurred_on=today - datetime.timedelta(days=n),
            responsible_person="王强",
            summary=f"第{n + 1}次座谈。",
        )
        matter_services.document_attach(
            matter=matter,
            by=by,
            upload=SimpleUploadedFile(f"说明{n}.pdf", MINIMAL_PDF),
            title=f"说明{n}",
            category="explanation",
        )
        draft = matter_services.draft_add(
            matter=matter, by=by, title=f"第{n + 1}稿", text="正文", change_note="修改"
        )
        matter_services.draft_publish(draft=draft, by=by)
        now = timezone.now()
        period = make_period(
            matter=matter,
            starts_at=now - datetime.timedelta(days=40 + n),
            ends_at=now - datetime.timedelta(days=10),
        )
        opinions = [
            opinion_submit(
                period=period,
                content=f"意见{k}",
                now=period.starts_at + datetime.timedelta(hours=1),
            )
            for k in range(parts)
        ]
        opinions_dispose(
            period=period,
            by=by,
            opinion_ids=[opinion.pk for opinion in opinions],
            disposition="adopted",
        )
        feedback_publish(period=period, by=by, summary="已全部采纳。")
    make_period(matter=matter)  # and one open now
    return matter


def test_matter_detail_costs_ten_queries_however_much_it_holds(client, django_assert_num_queries):
    small, large = matter_with(1), matter_with(4)

    for matter, parts in ((small, 1), (large, 4)):
        # matter with department; policy areas, co-departments, steps, documents,
        # drafts, stage changes; comment periods; opinion counts; letters' addressees
        with django_assert_num_queries(10):
            body = client.get(f"/api/v1/matters/{matter.pk}/").json()
        assert len(body["steps"]) == len(body["documents"]) == len(body["drafts"]) == parts
        assert len(body["comment_periods"]) == parts + 1
        assert body["opinion_statistics"]["total"] == parts * parts
