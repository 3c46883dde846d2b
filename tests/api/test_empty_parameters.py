"""An empty query parameter is one not given, on every endpoint and for every parameter.

Forms and scripts send every field they have (``?paging=page&cursor=&page=1``); the empty
``cursor=`` used to switch to cursor paging and answer 400.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.proposals.public_support import Desk

from .support import (
    bulk_matters,
    bulk_public_activities,
    bulk_published_plans,
    ids,
    published_matter,
)

pytestmark = pytest.mark.django_db

EMPTY_PAGING = "paging=&cursor=&page=&page_size=&format=&ordering=&q="


def test_the_reported_activity_query_is_the_first_page(client):
    bulk_public_activities(3, matter=published_matter())

    response = client.get("/api/v1/activities/?paging=page&cursor=&page=1")

    assert response.status_code == 200
    assert response.json() == client.get("/api/v1/activities/").json()


@pytest.mark.parametrize(
    "path, filters",
    [
        ("/api/v1/matters/", "kind=&department=&year=&stage=&is_major_decision="
         "&open_for_comment=&modified_since="),
        ("/api/v1/catalogs/", "year=&department=&status="),
        ("/api/v1/catalog-items/", "year=&department=&kind=&is_major_decision="),
        ("/api/v1/activities/", "kind=&from=&to=&matter="),
        ("/api/v1/proposals/", "kind=&year=&department=&reply_class=&modified_since="),
        ("/api/v1/departments/", "kind="),
        ("/api/v1/surveys/", "matter=&status=&modified_since="),
    ],
)  # fmt: skip
def test_every_empty_parameter_of_a_list_changes_nothing(client, path, filters):
    matters = bulk_matters(3)
    bulk_public_activities(2, matter=matters[0])
    bulk_published_plans(2)
    if "proposals" in path:
        desk = Desk()
        desk.replied()
        desk.handling(kind="proposal")

    plain = client.get(path)
    emptied = client.get(f"{path}?{EMPTY_PAGING}&{filters}")

    assert plain.status_code == 200
    assert emptied.status_code == 200, emptied.content
    assert emptied.json() == plain.json()
    assert emptied["Content-Type"] == "application/json"
    assert emptied["ETag"] == plain["ETag"]


def test_a_detail_with_empty_parameters_is_the_detail(client):
    matter = published_matter()
    path = f"/api/v1/matters/{matter.pk}/"

    response = client.get(f"{path}?format=&cursor=&page=")

    assert response.status_code == 200
    assert response.json() == client.get(path).json()


def test_cursor_paging_ignores_an_empty_ordering_and_page(client):
    made = bulk_matters(3)

    response = client.get("/api/v1/matters/?paging=cursor&page_size=2&ordering=&page=")

    assert response.status_code == 200, response.content
    assert ids(response) == [made[0].pk, made[1].pk]
    following = client.get(response.json()["next"])
    assert ids(following) == [made[2].pk]


def test_links_leave_out_empty_parameters_and_keep_the_filled_ones(client):
    bulk_matters(3)

    page = client.get("/api/v1/matters/?page_size=2&year=2026&kind=&q=&page=").json()

    assert parse_qs(urlsplit(page["next"]).query) == {
        "page": ["2"],
        "page_size": ["2"],
        "year": ["2026"],
    }


def test_an_empty_repeat_of_a_given_value_does_not_hide_it(client):
    bulk_matters(3)
    wanted = "/api/v1/matters/?page_size=1"
    assert ids(client.get(f"{wanted}&page_size=")) == ids(client.get(wanted))


def test_an_empty_format_on_a_csv_list_gives_json(client):
    bulk_matters(1)
    response = client.get("/api/v1/catalog-items/?format=")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
