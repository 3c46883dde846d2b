"""The results PDF in the official style, read back with pypdf: the title, the organiser,
the figures; the public one only once results are public and without any answer's text;
and the matter's feedback report with its surveys' results."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from surveys import reports
from tests.surveys.results_support import PRIVATE_NOTE, PRIVATE_TEXT, build, close

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_the_pdf_carries_title_organiser_and_figures():
    w = build()
    text = text_of(reports.results_pdf(w.survey, public=False))
    assert "2027年区级预算重点支出方向问卷" in text and "调查结果" in text
    assert w.survey.department.name in text
    assert "有效答卷" in text and "5份" in text
    assert "网上答卷" in text and "纸质问卷" in text
    assert "1.您最关注哪个领域？（单选题）" in text
    assert "疑似重复答卷" in text
    assert "生成日期" in text
    for private in (PRIVATE_NOTE, PRIVATE_TEXT, "青岛二中"):
        assert private not in text


def test_public_pdf_only_once_results_are_public_and_counts_only():
    w = build()
    url = reverse("surveys:public_results_pdf", args=[w.survey.pk])
    assert Client().get(url).status_code == 404
    close(w.survey)
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "5份" in text and "文字意见不公开显示" in text
    assert "疑似重复" not in text
    for private in (PRIVATE_NOTE, PRIVATE_TEXT, "青岛二中"):
        assert private not in text


def test_staff_pdf_is_for_who_reads_the_results():
    w = build()
    url = reverse("surveys:results_pdf", args=[w.survey.pk])
    staff = Client()
    staff.force_login(w.staff)
    assert staff.get(url).status_code == 200
    other = Client()
    other.force_login(w.other)
    assert other.get(url).status_code == 403
