"""/api/v1/catalogs/ and /api/v1/catalog-items/: the annual plan catalogs and their items."""

import csv
import dataclasses
import io

import pytest
from django.utils.dateparse import parse_datetime

from annual_plans import services as plan_services
from annual_plans.models import PlanItem
from annual_plans.services import ItemData
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_plan,
)

from .support import assert_error, at, ids, token_for

pytestmark = pytest.mark.django_db

CATALOGS = "/api/v1/catalogs/"
ITEMS = "/api/v1/catalog-items/"


def catalog(pk) -> str:
    return f"/api/v1/catalogs/{pk}/"


@pytest.fixture
def plans():
    """One department's published catalog and another's of each unpublished state."""
    published_in = DepartmentFactory(code="jtj", name="青岛市交通运输局", sort_order=1)
    drafting_in = DepartmentFactory(code="mzj", name="青岛市民政局", sort_order=2)
    return {
        "published": make_plan(department=published_in, status="published", items=2),
        "draft": make_plan(department=drafting_in, status="draft", items=1),
        "submitted": make_plan(status="submitted"),
        "returned": make_plan(status="returned"),
        "accepted": make_plan(status="accepted"),
    }


def test_anonymous_clients_see_only_published_catalogs(client, plans):
    assert ids(client.get(CATALOGS)) == [plans["published"].pk]
    for state in ("draft", "submitted", "returned", "accepted"):
        assert_error(client.get(catalog(plans[state].pk)), 404)


def test_published_catalog_shows_its_department_items_and_links(client, plans):
    plan = plans["published"]
    plan.refresh_from_db()

    body = client.get(catalog(plan.pk)).json()

    assert body["id"] == plan.pk
    assert body["department"] == {
        "id": plan.department_id,
        "code": "jtj",
        "name": "青岛市交通运输局",
    }
    assert body["year"] == 2026
    assert (body["status"], body["status_label"]) == ("published", "已公示")
    assert body["is_empty"] is False and body["empty_reason"] == ""
    assert body["is_late"] is plan.is_late  # filed "now": late or not by the clock
    assert parse_datetime(body["first_submitted_at"]) == plan.first_submitted_at
    assert parse_datetime(body["published_at"]) == plan.published_at
    assert body["version"] == plan.version >= 1
    assert parse_datetime(body["modified"]) == plan.updated_at
    assert body["url"] == f"http://testserver/catalogs/plans/{plan.pk}/"
    assert body["pdf_url"] == f"http://testserver/catalogs/plans/{plan.pk}/filing-form.pdf"
    assert body["api_url"] == f"http://testserver/api/v1/catalogs/{plan.pk}/"
    items = list(plan.items.order_by("order", "pk"))
    assert [item["id"] for item in body["items"]] == [item.pk for item in items]
    first = body["items"][0]
    assert first["order"] == items[0].order
    assert first["title"] == "《青岛市城市更新条例（草案）》立法协商"
    assert (first["kind"], first["kind_label"]) == ("decision", "行政决策协商")
    assert first["forms"] == ["public_participation", "expert_argumentation"]
    assert first["form_labels"] == ["公众参与", "专家论证"]
    assert (first["planned_start"], first["planned_end"]) == ("2026-04-01", "2026-09-30")
    assert first["responsible_office"] == "法制科"
    assert first["is_major_decision"] is False
    assert first["seeks_non_party_opinions"] is False
    assert first["matter_id"] is None


def test_empty_catalog_says_why(client):
    plan = make_plan(status="published", items=0)

    body = client.get(catalog(plan.pk)).json()

    assert body["is_empty"] is True
    assert body["empty_reason"] == "本年度无需要开展政府协商的事项。"
    assert body["items"] == []


def test_catalog_filed_after_the_deadline_is_late(client):
    late = make_plan(year=2025, status="published", submitted_at=at(2025, 4, 1, 0, 0, 1))
    on_time = make_plan(year=2025, status="published", submitted_at=at(2025, 3, 31, 23, 59, 59))

    rows = {row["id"]: row["is_late"] for row in client.get(CATALOGS).json()["results"]}

    assert rows == {late.pk: True, on_time.pk: False}


def test_staff_see_their_own_departments_draft_but_not_anothers(client, plans):
    own = plans["draft"]
    headers = token_for(StaffFactory(department=own.department))

    listed = ids(client.get(CATALOGS, **headers))
    assert sorted(listed) == sorted([plans["published"].pk, own.pk])
    body = client.get(catalog(own.pk), **headers).json()
    assert body["status"] == "draft"
    assert body["url"] is None
    assert body["pdf_url"] is None
    assert body["published_at"] is None
    assert body["api_url"] == f"http://testserver/api/v1/catalogs/{own.pk}/"
    assert_error(client.get(catalog(plans["submitted"].pk), **headers), 404)


def test_general_office_sees_every_catalog(client, plans):
    headers = token_for(ReviewerFactory())

    assert sorted(ids(client.get(CATALOGS, **headers))) == sorted(p.pk for p in plans.values())


def test_catalogs_are_by_year_newest_first_then_department_order(client):
    second = DepartmentFactory(code="b-dept", sort_order=2)
    first = DepartmentFactory(code="a-dept", sort_order=1)
    old = make_plan(department=first, year=2025, status="published")
    later_department = make_plan(department=second, year=2026, status="published")
    earlier_department = make_plan(department=first, year=2026, status="published")

    assert ids(client.get(CATALOGS)) == [earlier_department.pk, later_department.pk, old.pk]


def test_catalog_filters_year_department_and_status(client, plans):
    published = plans["published"]
    other_year = make_plan(department=published.department, year=2025, status="published")
    headers = token_for(ReviewerFactory())

    assert ids(client.get(CATALOGS, {"year": "2025"})) == [other_year.pk]
    assert sorted(ids(client.get(CATALOGS, {"department": "jtj"}))) == sorted(
        [published.pk, other_year.pk]
    )
    assert ids(client.get(CATALOGS, {"department": "jtj", "year": "2026"})) == [published.pk]
    assert ids(client.get(CATALOGS, {"status": "draft"}, **headers)) == [plans["draft"].pk]
    # Anonymous clients may ask for drafts; there are simply none for them.
    assert ids(client.get(CATALOGS, {"status": "draft"})) == []
    assert_error(client.get(CATALOGS, {"status": "lost"}), 400, field="status")
    assert_error(client.get(CATALOGS, {"year": "twenty"}), 400, field="year")
    assert_error(client.get(CATALOGS, {"department": "nosuch"}), 400, field="department")


# --- catalog items ------------------------------------------------------------------


def test_catalog_items_are_one_row_per_item_of_visible_catalogs(client, plans):
    published = plans["published"]

    response = client.get(ITEMS)

    items = list(published.items.order_by("order", "pk"))
    assert ids(response) == [item.pk for item in items]
    row = response.json()["results"][0]
    assert row["catalog_id"] == published.pk
    assert row["year"] == 2026
    assert row["department"] == {
        "id": published.department_id,
        "code": "jtj",
        "name": "青岛市交通运输局",
    }
    assert row["title"] == items[0].title
    assert row["forms"] == ["public_participation", "expert_argumentation"]
    draft_item = plans["draft"].items.get()
    assert_error(client.get(f"{ITEMS}{draft_item.pk}/"), 404)
    assert client.get(f"{ITEMS}{items[0].pk}/").json()["catalog_id"] == published.pk


def test_staff_see_their_own_departments_draft_items(client, plans):
    draft_item = plans["draft"].items.get()
    headers = token_for(StaffFactory(department=plans["draft"].department))

    assert draft_item.pk in ids(client.get(ITEMS, **headers))
    assert client.get(f"{ITEMS}{draft_item.pk}/", **headers).status_code == 200
    other_item = plans["submitted"].items.get()
    assert_error(client.get(f"{ITEMS}{other_item.pk}/", **headers), 404)


def test_catalog_item_linked_to_a_matter_gives_its_id(client):
    plan = make_plan(status="published", items=1)
    matter = make_matter(department=plan.department)
    # No service links an item to its matter yet (the demo data sets the column too).
    PlanItem.objects.filter(plan=plan).update(matter=matter)

    (row,) = client.get(ITEMS).json()["results"]

    assert row["matter_id"] == matter.pk


def test_catalog_item_filters_year_and_department(client):
    transport = DepartmentFactory(code="jtj")
    this_year = make_plan(department=transport, year=2026, status="published", items=3)
    last_year = make_plan(department=transport, year=2025, status="published", items=1)
    elsewhere = make_plan(year=2026, status="published", items=1)

    assert ids(client.get(ITEMS, {"year": "2025"})) == [last_year.items.get().pk]
    assert sorted(ids(client.get(ITEMS, {"department": "jtj", "year": "2026"}))) == sorted(
        this_year.items.values_list("pk", flat=True)
    )
    assert ids(client.get(ITEMS, {"department": str(elsewhere.department_id)})) == [
        elsewhere.items.get().pk
    ]
    assert_error(client.get(ITEMS, {"year": "abc"}), 400, field="year")
    assert_error(client.get(ITEMS, {"department": "nosuch"}), 400, field="department")


def test_catalog_item_filters_kind_and_major_decision(client):
    plan = make_plan(status="draft", items=3)
    rows = [ItemData.from_item(item) for item in plan.items.order_by("order")]
    rows[0] = dataclasses.replace(rows[0], is_major_decision=True)
    rows[1] = dataclasses.replace(rows[1], kind="legislative")
    plan = plan_services.plan_save(
        plan=plan, by=plan.created_by, items=rows, contact_person="王丽", contact_phone="85911234"
    )
    plan = make_plan_published(plan)
    major, legislative, plain = plan.items.order_by("order")

    assert ids(client.get(ITEMS, {"is_major_decision": "true"})) == [major.pk]
    assert ids(client.get(ITEMS, {"is_major_decision": "false"})) == [legislative.pk, plain.pk]
    assert ids(client.get(ITEMS, {"kind": "legislative"})) == [legislative.pk]
    assert ids(client.get(ITEMS, {"kind": "decision"})) == [major.pk, plain.pk]
    assert_error(client.get(ITEMS, {"kind": "other"}), 400, field="kind")
    assert_error(client.get(ITEMS, {"is_major_decision": "maybe"}), 400, field="is_major_decision")


def make_plan_published(plan):
    """Walk a draft through sign-off, filing, acceptance and publication."""
    leader = LeaderFactory(department=plan.department)
    reviewer = ReviewerFactory()
    plan = plan_services.plan_sign_off(plan=plan, by=leader)
    plan = plan_services.plan_submit(plan=plan, by=plan.created_by)
    plan = plan_services.plan_accept(plan=plan, by=reviewer)
    return plan_services.plan_publish(plan=plan, by=reviewer)


def test_catalog_items_csv_has_only_visible_rows(client, plans):
    response = client.get(ITEMS, {"format": "csv"})

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["编号", "目录编号", "年度"]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(
        plans["published"].items.values_list("pk", flat=True)
    )
    assert {row[3] for row in rows[1:]} == {"青岛市交通运输局"}
