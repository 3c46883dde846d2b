"""A Word or Excel document that is a zip bomb is refused at upload, with nothing stored.

The files are built here: a real workbook whose sheet inflates to 300 MB from about
300 KB, once declaring its size honestly and once understating it. Peak memory of the
request is measured with tracemalloc.
"""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matters.models import Document
from tests.factories import StaffFactory, make_matter
from tests.hostile_files import SHEET, lie_about_size, workbook_bytes, xlsx_bomb

pytestmark = pytest.mark.django_db

BOMB_MESSAGE = "文件解压后过大，可能是压缩炸弹，已拒绝导入。"
PEAK_LIMIT = 50 * 1024 * 1024


def post_document(client, content: bytes, *, expect: int = 200) -> tuple[str, int]:
    staff = StaffFactory()
    matter = make_matter(department=staff.department, by=staff)
    client.force_login(staff)
    upload = SimpleUploadedFile("测算表.xlsx", content)
    tracemalloc.start()
    try:
        response = client.post(
            reverse("matters:document_add", args=[matter.pk]),
            {"title": "测算表", "category": "draft", "file": upload},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == expect
    return response.content.decode(), peak


@pytest.mark.parametrize("lying", [False, True], ids=["honest-header", "understated-header"])
def test_a_zip_bomb_document_is_refused_in_bounded_memory(client, lying):
    bomb = xlsx_bomb(("测算项目", "金额"))
    if lying:
        bomb = lie_about_size(bomb, SHEET, 5000)

    page, peak = post_document(client, bomb)

    assert BOMB_MESSAGE in page
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB"
    assert not Document.objects.exists()


def test_an_ordinary_workbook_is_still_accepted(client):
    post_document(client, workbook_bytes(["测算项目", "金额"]), expect=302)
    assert Document.objects.get().title == "测算表"
