"""Uploaded files are served only through the views that check who may read them
(issue 22, item 6): `make run` (DEBUG) used to serve all of MEDIA_ROOT at /media/, so a
department's internal document of an unpublished matter answered 200 to anyone."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse

from consult_portal import urls as root_urls
from matters import services as matter_services
from matters.models import Document
from tests.factories import MINIMAL_PDF, StaffFactory, make_matter


@pytest.fixture
def debug_urlconf():
    """The root URLconf as `make run` builds it: with DEBUG on at import time."""
    with override_settings(DEBUG=True):
        importlib.reload(root_urls)
    clear_url_caches()
    try:
        yield
    finally:
        importlib.reload(root_urls)
        clear_url_caches()


@pytest.fixture
def internal_document(db):
    staff = StaffFactory()
    matter = make_matter(by=staff, title="未公开的停车收费调整事项")
    document = matter_services.document_attach(
        matter=matter,
        by=staff,
        upload=SimpleUploadedFile("内部材料.pdf", MINIMAL_PDF),
        title="内部起草说明",
        category=Document.Category.EXPLANATION,
        is_public=False,
    )
    return staff, document


@pytest.mark.django_db
def test_media_files_are_not_served_by_path_in_debug(debug_urlconf, internal_document):
    _, document = internal_document
    assert Path(document.file.path).is_file()

    response = Client().get(f"{settings.MEDIA_URL}{document.file.name}")

    assert response.status_code == 404
    assert MINIMAL_PDF not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.django_db
def test_the_download_view_refuses_the_public_and_serves_the_department(internal_document):
    staff, document = internal_document
    url = reverse("matters:document_download", kwargs={"pk": document.pk})
    colleague = Client()
    colleague.force_login(staff)
    other_department = Client()
    other_department.force_login(StaffFactory())

    assert Client().get(url).status_code == 404
    assert other_department.get(url).status_code == 404
    response = colleague.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_no_template_links_to_an_uploaded_file_by_its_path():
    direct = re.compile(r"MEDIA_URL|\.file\.url|/media/")
    found = [
        str(path.relative_to(settings.BASE_DIR))
        for root in [Path(settings.BASE_DIR) / "templates"]
        for path in root.rglob("*")
        if path.suffix in (".html", ".txt", ".xml") and direct.search(path.read_text("utf-8"))
    ]
    assert found == []
