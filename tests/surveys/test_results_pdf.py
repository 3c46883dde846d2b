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


def test_the_feedback_report_carries_the_matters_public_survey_results():
    import datetime

    from django.template import Context, Template
    from django.utils import timezone

    from participation.reports import feedback_report_pdf
    from surveys.models import Survey
    from tests.factories import make_period, make_survey, survey_answers
    from tests.surveys.results_support import submit

    period = make_period(starts_at=timezone.now() - datetime.timedelta(days=40), days=30)
    matter = period.matter
    shown = make_survey(
        matter=matter, title="公开结果的问卷", results_shown=Survey.ResultsShown.WHILE_OPEN
    )
    hidden = make_survey(
        matter=matter, title="仅供内部的问卷", results_shown=Survey.ResultsShown.STAFF_ONLY
    )
    for survey in (shown, hidden):
        submit(survey, survey_answers(survey, field=1))
        submit(survey, survey_answers(survey, field=1))
        submit(survey, survey_answers(survey, field=0))

    html = Template("{% load survey_results %}{% matter_survey_results matter %}").render(
        Context({"matter": matter})
    )
    assert "公开结果的问卷" in html and "有效答卷3份" in html
    assert "养老 2；教育 1" in html
    assert "仅供内部的问卷" not in html and "青岛二中" not in html

    text = text_of(feedback_report_pdf(period))
    assert "附：问卷调查结果" in text and "公开结果的问卷" in text and "养老2；教育1" in text
    assert "仅供内部的问卷" not in text


def test_no_summary_without_surveys():
    from django.template import Context, Template

    from tests.factories import make_published_matter

    matter = make_published_matter("没有问卷的事项")
    html = Template("{% load survey_results %}{% matter_survey_results matter %}").render(
        Context({"matter": matter})
    )
    assert html.strip() == ""
