"""Paging, cursors, CSV, conditional GET and the refusals every endpoint shares."""

import base64
import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from matters import services as matter_services
from participation.services.comments import opinion_submit
from tests.factories import StaffFactory, make_matter, make_period

from .support import assert_error, bulk_matters, ids, published_matter, set_modified, token_for

pytestmark = pytest.mark.django_db

MATTERS = "/api/v1/matters/"


def detail(pk) -> str:
    return f"{MATTERS}{pk}/"


def csv_rows(response) -> tuple[str, list[list[str]]]:
    raw = b"".join(response.streaming_content).decode("utf-8")
    return raw, list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))


# --- numbered pages -----------------------------------------------------------------


def test_pages_hold_50_rows_by_default_and_up_to_250_on_request(client):
    bulk_matters(60)

    first = client.get(MATTERS).json()
    assert first["count"] == 60
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert parse_qs(urlsplit(first["next"]).query) == {"page": ["2"]}
    second = client.get(MATTERS, {"page": 2}).json()
    assert len(second["results"]) == 10
    assert second["next"] is None
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}

    everything = client.get(MATTERS, {"page_size": 250}).json()
    assert len(everything["results"]) == 60
    assert everything["next"] is None
    assert len(client.get(MATTERS, {"page_size": 7}).json()["results"]) == 7


@pytest.mark.parametrize("value", ["251", "0", "-1", "abc", "1e3", "2.5"])
def test_page_size_outside_1_to_250_is_refused_not_clamped(client, value):
    published_matter()

    assert_error(client.get(MATTERS, {"page_size": value}), 400, field="page_size")


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5"])
def test_page_that_is_not_a_positive_integer_is_refused(client, value):
    published_matter()

    assert_error(client.get(MATTERS, {"page": value}), 400, field="page")


def test_page_past_the_end_is_a_json_404(client):
    published_matter()

    assert_error(client.get(MATTERS, {"page": 2}), 404)
    assert_error(client.get(MATTERS, {"page": 10**20}), 404)


def test_every_list_pages_the_same_way(client):
    for url in (
        "/api/v1/catalogs/",
        "/api/v1/catalog-items/",
        "/api/v1/activities/",
        "/api/v1/departments/",
    ):
        body = client.get(url).json()
        assert set(body) == {"count", "next", "previous", "results"}, url
        assert_error(client.get(url, {"page_size": "251"}), 400, field="page_size")
        assert_error(
            client.get(url, {"paging": "cursor", "cursor": "garbage"}), 400, field="cursor"
        )


# --- cursor -------------------------------------------------------------------------


def walk(client, url, params=None):
    """Follow ``next`` links; return every row id and the pages' sizes."""
    seen, sizes = [], []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        sizes.append(len(body["results"]))
        if body["next"] is None:
            return seen, sizes
        response = client.get(body["next"].removeprefix("http://testserver"))


def test_cursor_walks_every_row_exactly_once_in_id_order(client):
    matters = [published_matter() for _ in range(7)]
    # Most recently changed first would be a different order: the cursor ignores it.
    set_modified(matters[0], timezone.now() + datetime.timedelta(days=1))

    seen, sizes = walk(client, MATTERS, {"paging": "cursor", "page_size": 3})

    assert seen == sorted(matter.pk for matter in matters)
    assert sizes == [3, 3, 1]


def test_rows_added_during_a_cursor_walk_do_not_shift_the_rest(client):
    matters = bulk_matters(7)

    first = client.get(MATTERS, {"paging": "cursor", "page_size": 3}).json()
    late_comer = published_matter()
    seen = [row["id"] for row in first["results"]]
    rest, _sizes = walk(client, first["next"].removeprefix("http://testserver"))

    assert seen + rest == [*sorted(matter.pk for matter in matters), late_comer.pk]


def test_cursor_respects_filters(client):
    legislative = [published_matter(kind="legislative") for _ in range(3)]
    published_matter(kind="decision")

    seen, _sizes = walk(
        client, MATTERS, {"paging": "cursor", "page_size": 2, "kind": "legislative"}
    )

    assert seen == [matter.pk for matter in legislative]


@pytest.mark.parametrize("clash", [{"ordering": "year"}, {"page": "1"}])
def test_cursor_with_ordering_or_page_is_refused(client, clash):
    published_matter()
    (name,) = clash

    assert_error(client.get(MATTERS, {"paging": "cursor", **clash}), 400, field=name)


def test_unknown_paging_mode_is_refused(client):
    assert_error(client.get(MATTERS, {"paging": "offset"}), 400, field="paging")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        base64.b64encode(b"p=abc").decode(),  # well-formed, but no row id inside
        base64.b64encode(b"o=-1").decode(),
        base64.b64encode(b"r=yes").decode(),
    ],
)
def test_garbage_cursor_is_refused(client, cursor):
    published_matter()

    assert_error(client.get(MATTERS, {"paging": "cursor", "cursor": cursor}), 400, field="cursor")


# --- CSV ----------------------------------------------------------------------------


def test_csv_is_excel_ready_utf8_with_a_chinese_header(client):
    matter = published_matter(title="老旧小区改造资金分担办法")

    response = client.get(MATTERS, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="matters.csv"'
    raw, rows = csv_rows(response)
    assert raw.startswith("\ufeff编号,事项编号,事项名称,协商类别,牵头部门")
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["编号"] == str(matter.pk)
    assert row["事项名称"] == "老旧小区改造资金分担办法"
    assert row["协商类别"] == "行政决策协商"
    assert row["已公开"] == "是"
    assert row["重大行政决策"] == "否"
    assert row["公开页面"] == f"http://testserver/matters/{matter.pk}/"


@pytest.mark.parametrize("title", ['=HYPERLINK("x")', "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(client, title):
    published_matter(title=title)

    _raw, rows = csv_rows(client.get(MATTERS, {"format": "csv"}))

    assert rows[1][rows[0].index("事项名称")] == "'" + title


def test_csv_holds_every_filtered_row_unpaged(client):
    bulk_matters(60)
    legislative = published_matter(kind="legislative")

    _raw, all_rows = csv_rows(client.get(MATTERS, {"format": "csv"}))
    _raw, filtered = csv_rows(client.get(MATTERS, {"format": "csv", "kind": "legislative"}))

    assert len(all_rows) == 1 + 61
    assert [row[0] for row in filtered[1:]] == [str(legislative.pk)]


def test_csv_for_staff_includes_their_unpublished_matter_without_a_public_link(client):
    hidden = make_matter()

    response = client.get(MATTERS, {"format": "csv"}, **token_for(hidden.created_by))

    _raw, rows = csv_rows(response)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["编号"] == str(hidden.pk)
    assert row["已公开"] == "否"
    assert row["公开页面"] == ""


def test_csv_is_also_chosen_by_the_accept_header(client):
    published_matter()

    response = client.get(MATTERS, HTTP_ACCEPT="text/csv")

    assert response["Content-Type"].startswith("text/csv")


def test_csv_with_a_bad_filter_answers_with_the_json_error(client):
    error = assert_error(client.get(MATTERS, {"format": "csv", "year": "abc"}), 400, field="year")

    assert error["code"] == "invalid"


def test_detail_is_not_offered_as_csv(client):
    matter = published_matter()

    response = client.get(detail(matter.pk), {"format": "csv"})

    assert response.status_code in (404, 406)
    assert_error(response, response.status_code)
    assert_error(client.get(detail(matter.pk), HTTP_ACCEPT="text/csv"), 406)
    assert client.get(detail(matter.pk), {"format": "json"}).json()["id"] == matter.pk


@pytest.mark.parametrize("url", ["/api/v1/catalogs/", "/api/v1/activities/"])
def test_lists_without_csv_refuse_it_as_json(client, url):
    response = client.get(url, {"format": "csv"})

    assert response.status_code in (404, 406)
    assert_error(response, response.status_code)


# --- conditional GET ----------------------------------------------------------------


def test_every_read_has_an_etag_and_if_none_match_gives_an_empty_304(client):
    matter = published_matter()
    for url in (MATTERS, detail(matter.pk), "/api/v1/departments/"):
        response = client.get(url)
        etag = response["ETag"]
        assert etag.startswith('"') and len(etag) > 10
        assert "Authorization" in response["Vary"]

        again = client.get(url, HTTP_IF_NONE_MATCH=etag)

        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == etag


def test_list_etag_changes_when_a_matter_is_published(client):
    published_matter()
    etag = client.get(MATTERS)["ETag"]
    hidden = make_matter()
    assert client.get(MATTERS, HTTP_IF_NONE_MATCH=etag).status_code == 304

    matter_services.matter_publish(matter=hidden, by=hidden.created_by)

    response = client.get(MATTERS, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert hidden.pk in ids(response)


def test_etag_differs_between_callers_who_see_different_rows(client):
    hidden = make_matter()
    published_matter()

    anonymous = client.get(MATTERS)["ETag"]
    staff = client.get(MATTERS, **token_for(StaffFactory(department=hidden.department)))["ETag"]

    assert anonymous != staff


def test_detail_sends_last_modified_and_honours_if_modified_since(client):
    matter = published_matter()
    set_modified(matter, timezone.now() - datetime.timedelta(days=1))
    response = client.get(detail(matter.pk))
    last_modified = response["Last-Modified"]
    matter.refresh_from_db()
    assert last_modified == http_date(matter.updated_at.timestamp())

    assert client.get(detail(matter.pk), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    matter_services.step_record(
        matter=matter,
        by=matter.created_by,
        step_type="public_participation",
        occurred_on=timezone.localdate(),
        responsible_person="王强",
        summary="召开座谈会。",
    )
    changed = client.get(detail(matter.pk), HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed.json()["steps"][0]["summary"] == "召开座谈会。"


def test_detail_changes_when_an_opinion_arrives(client):
    period = make_period()
    matter = period.matter
    set_modified(matter, timezone.now() - datetime.timedelta(days=1))
    first = client.get(detail(matter.pk))

    opinion_submit(period=period, content="建议延长征求意见期。")

    again = client.get(
        detail(matter.pk),
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )
    assert again.status_code == 200


def test_list_answers_if_modified_since_with_the_full_body(client):
    published_matter()
    response = client.get(MATTERS)
    assert response.has_header("Last-Modified")
    future = http_date((timezone.now() + datetime.timedelta(days=1)).timestamp())

    assert client.get(MATTERS, HTTP_IF_MODIFIED_SINCE=future).status_code == 200


# --- refusals every endpoint shares -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/nothing/",
        "/api/v1/nothing/",
        "/api/v1/matters/abc/",
        "/api/v1/matters/1/x/",
        "/api/v2/",
    ],
)
def test_unknown_url_under_api_is_a_json_404(client, settings, url):
    assert settings.DEBUG is False

    assert_error(client.get(url), 404)


def test_unknown_url_outside_the_api_is_still_the_portals_html_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_with_405_as_json(client, method):
    matter = published_matter()
    for url in (MATTERS, detail(matter.pk)):
        response = getattr(client, method)(url, data={}, content_type="application/json")

        error = assert_error(response, 405)
        assert error["code"] == "method_not_allowed"
        assert "GET" in response["Allow"]


def test_writes_with_a_token_are_refused_too(client):
    matter = make_matter()
    headers = token_for(matter.created_by)

    response = client.delete(detail(matter.pk), **headers)

    assert_error(response, 405)


def test_unknown_format_is_refused_as_json(client):
    published_matter()

    response = client.get(MATTERS, {"format": "xml"})

    assert response.status_code in (404, 406)
    assert_error(response, response.status_code)


def test_unacceptable_accept_header_is_a_json_406(client):
    assert_error(client.get(MATTERS, HTTP_ACCEPT="application/xml"), 406)


def test_an_unexpected_failure_is_a_json_500(monkeypatch):
    from api.v1 import views

    def broken(self):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views.DepartmentViewSet, "get_queryset", broken)
    client = Client(raise_request_exception=False)

    error = assert_error(client.get("/api/v1/departments/"), 500)
    assert "database on fire" not in error["message"]
