"""The OpenAPI description and the documentation page: complete, and self-hosted."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

RESOURCES = (
    "matters",
    "catalogs",
    "catalog-items",
    "activities",
    "proposals",
    "departments",
    "surveys",
)


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_openapi_3_in_yaml_by_default(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    # drf-spectacular's media type for YAML; JSON is application/vnd.oai.openapi+json.
    assert response["Content-Type"].startswith("application/vnd.oai.openapi;")
    document = yaml.safe_load(response.content)
    assert str(document["openapi"]).startswith("3.")
    assert document["info"]["title"] == "政府协商工作平台开放接口"


def test_schema_in_json_lists_every_resource_and_its_detail(schema):
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in schema["paths"]
        assert f"/api/v1/{resource}/{{id}}/" in schema["paths"]
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert {method for path in schema["paths"].values() for method in path} == {"get"}
    assert all(op.get("summary") and op.get("description") for op in operations)


def test_every_query_parameter_is_described(schema):
    missing = [
        (path, method, parameter["name"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] in ("query", "header")
        and not str(parameter.get("description", "")).strip()
    ]

    assert missing == []


def test_documented_filters_are_the_ones_the_lists_take(schema):
    def names(path):
        return {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}

    paging = {"page", "page_size", "paging", "cursor"}
    assert names("/api/v1/matters/") == paging | {
        "kind",
        "department",
        "year",
        "stage",
        "is_major_decision",
        "open_for_comment",
        "modified_since",
        "q",
        "ordering",
        "format",
    }
    assert names("/api/v1/catalogs/") == paging | {"year", "department", "status"}
    assert names("/api/v1/catalog-items/") == paging | {
        "year",
        "department",
        "kind",
        "is_major_decision",
        "format",
    }
    assert names("/api/v1/activities/") == paging | {"kind", "from", "to", "matter"}
    assert names("/api/v1/proposals/") == paging | {
        "kind",
        "year",
        "department",
        "reply_class",
        "modified_since",
    }
    assert names("/api/v1/departments/") == paging | {"kind"}
    assert names("/api/v1/surveys/") == paging | {"matter", "status", "modified_since"}
    # A single object is only JSON: no format parameter on details.
    assert "format" not in names("/api/v1/matters/{id}/")


def test_every_property_of_every_component_is_described(schema):
    missing = []
    components = schema["components"]["schemas"]
    for name, component in components.items():
        for prop, definition in component.get("properties", {}).items():
            if not str(definition.get("description", "")).strip():
                missing.append(f"{name}.{prop}")

    assert missing == []
    # The walk did reach the resources and the paging wrapper.
    assert {"MatterList", "MatterDetail", "Catalog", "Activity", "PaginatedMatterListList"} <= set(
        components
    )
    assert set(components["PaginatedMatterListList"]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and tag in ("script", "link", "img"):
                self.urls.append(value)


EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)


def test_docs_page_loads_only_assets_served_by_the_portal(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    parser = _Assets()
    parser.feed(page)
    assert parser.urls, "the page loads Swagger UI from somewhere"
    assert [url for url in parser.urls if EXTERNAL.match(url)] == []
    assert "cdn.jsdelivr.net" not in page
    assert "unpkg.com" not in page

    for url in parser.urls:
        if url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL):
            # Static files are served by WhiteNoise from the collected files in production.
            relative = url.split(settings.STATIC_URL.strip("/") + "/", 1)[1]
            found = finders.find(relative)
            assert found, url
            body = Path(found).read_text(encoding="utf-8", errors="replace")
        else:
            asset = client.get(url)
            assert asset.status_code == 200, url
            body = asset.content.decode("utf-8", errors="replace")
        assert not re.search(r"https?://cdn|jsdelivr|unpkg", body), url
