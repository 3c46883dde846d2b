"""What a signed-in user is shown is never kept by the browser (issue 22, item 5): on a
shared office computer a page kept in the back button after logout would show the next
person the previous one's work. Public pages for anonymous visitors stay cacheable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.cache import get_max_age
from rest_framework.authtoken.models import Token

from matters import services as matter_services
from matters.models import Document
from tests.factories import (
    MINIMAL_PDF,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_published_matter,
)

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip().split("=")[0] for part in header.split(",") if part.strip()}


def assert_private(response):
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")


@pytest.mark.parametrize("url", ["/workbench/", "/staff/matters/", "/staff/plans/", "/matters/"])
def test_pages_shown_to_signed_in_staff_are_not_kept_by_the_browser(client, url):
    make_published_matter("社区养老服务设施布局规划")
    client.force_login(StaffFactory())

    response = client.get(url)

    assert response.status_code == 200
    assert_private(response)


@pytest.mark.parametrize("url", ["/admin/", "/admin/matters/matter/"])
def test_admin_pages_are_not_kept_by_the_browser(client, url):
    client.force_login(ReviewerFactory())

    response = client.get(url)

    assert response.status_code == 200
    assert_private(response)


def test_an_unpublished_document_downloaded_by_its_department_is_not_kept(client):
    staff = StaffFactory()
    matter = make_matter(by=staff, title="未公开事项")
    document = matter_services.document_attach(
        matter=matter,
        by=staff,
        upload=SimpleUploadedFile("内部材料.pdf", MINIMAL_PDF),
        title="内部起草说明",
        category=Document.Category.EXPLANATION,
        is_public=False,
    )
    client.force_login(staff)

    response = client.get(reverse("matters:document_download", kwargs={"pk": document.pk}))

    assert response.status_code == 200
    assert_private(response)


def test_api_answers_to_a_token_client_are_not_kept(client):
    staff = StaffFactory()
    token = Token.objects.create(user=staff)
    url = reverse("api:v1:matter-list")

    response = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    again = client.get(
        url, HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_IF_NONE_MATCH=response["ETag"]
    )

    assert response.status_code == 200
    assert_private(response)
    assert again.status_code == 304
    assert_private(again)


def test_anonymous_api_answers_are_not_marked_private(client):
    response = client.get(reverse("api:v1:matter-list"))

    assert response.status_code == 200
    assert not directives(response) & {"private", "no-store"}


def test_anonymous_public_pages_stay_cached_and_cacheable(client):
    make_published_matter("社区养老服务设施布局规划")
    first = client.get("/matters/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/matters/")

    assert len(queries) == 0  # served by the page cache
    assert again.content == first.content
    for response in (first, again):
        assert not directives(response) & {"private", "no-store"}
        assert get_max_age(response) is None or get_max_age(response) > 0

