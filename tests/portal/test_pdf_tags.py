"""The public PDFs are tagged for screen readers as far as WeasyPrint allows (GB/T 37668,
issue 27): a structure tree with headings and tables, marked content, the document's
language, and its title shown in place of the file name."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from participation.services import comments as comment_services
from participation.services import feedback as feedback_services
from tests.factories import StaffFactory, make_period, make_plan

pytestmark = pytest.mark.django_db


def _structure(pdf: bytes) -> tuple[PdfReader, set[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "no structure tree"
    kinds: set[str] = set()

    def walk(node, depth=0):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child, depth)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S"):
            kinds.add(str(node["/S"]))
        if depth < 40 and "/K" in node:
            walk(node["/K"], depth + 1)

    walk(root["/StructTreeRoot"])
    return reader, kinds


def _assert_tagged(pdf: bytes, title: str) -> set[str]:
    reader, kinds = _structure(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-Hans"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert title in reader.metadata.title
    return kinds


def test_the_year_catalog_pdf_is_tagged(client):
    make_plan(items=3, status="published")
    response = client.get(reverse("annual_plans:consolidated_pdf", args=[2026]))
    assert response.status_code == 200
    kinds = _assert_tagged(response.content, "2026")
    assert {"/H1", "/Table", "/TH", "/TD"} <= kinds, kinds


def test_the_feedback_report_pdf_is_tagged(client):
    staff = StaffFactory()
    now = timezone.now()
    period = make_period(
        by=staff,
        starts_at=now - datetime.timedelta(days=40),
        ends_at=now - datetime.timedelta(days=2),
    )
    comment_services.opinion_submit(
        period=period, content="建议扩大补贴范围。", now=now - datetime.timedelta(days=20)
    )
    comment_services.opinions_dispose(
        period=period,
        by=staff,
        opinion_ids=period.opinions.values_list("pk", flat=True),
        disposition="adopted",
        response="已采纳。",
    )
    period = feedback_services.feedback_publish(period=period, by=staff, summary="共收到意见1条。")
    response = client.get(reverse("participation:feedback_pdf", args=[period.pk]))
    assert response.status_code == 200
    kinds = _assert_tagged(response.content, "意见采纳情况")
    assert "/H1" in kinds and "/P" in kinds, kinds
