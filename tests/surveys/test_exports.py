"""The Excel exports, opened with openpyxl: the raw responses (one row per valid response,
one column per answer, formula-safe) and the result tables."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from surveys import exports, services
from surveys.models import Response
from tests.factories import survey_answers
from tests.surveys.results_support import PRIVATE_NOTE, build, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build()


def workbook_of(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def test_raw_responses_one_row_per_valid_response(w):
    voided = submit(w.survey, survey_answers(w.survey))
    services.response_void(response=voided, by=w.staff, reason="测试答卷")
    client = Client()
    client.force_login(w.staff)
    response = client.get(reverse("surveys:responses_xlsx", args=[w.survey.pk]))
    assert response["Content-Type"].startswith(exports.XLSX)
    sheet = workbook_of(response).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("答卷编号", "渠道", "类别", "提交时间", "疑似重复")
    assert "1. 您最关注哪个领域？" in header
    assert "5. 各项服务的重要程度（社区养老）" in header
    assert "6. 请对以下支出方向排序（第1位）" in header
    assert len(rows) == 1 + 5  # the voided one is left out
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [1, 2, 3, 4, 5]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_number[1]["渠道"] == "网上答卷" and by_number[4]["渠道"] == "纸质问卷"
    assert by_number[1]["1. 您最关注哪个领域？"] == "教育"
    assert by_number[3]["1. 您最关注哪个领域？"] == f"其他（请注明）：{PRIVATE_NOTE}"
    assert by_number[1]["4. 对现有公共服务的满意度"] == 4
    assert by_number[5]["7. 您建议的年度投入（万元）"] == 2000
    assert by_number[1]["6. 请对以下支出方向排序（第1位）"] == "老旧小区改造"
    submitted = by_number[1]["提交时间"]
    local = timezone.localtime(Response.objects.get(survey=w.survey, number=1).submitted_at)
    assert submitted == local.replace(tzinfo=None, microsecond=0, second=submitted.second)


def test_a_formula_typed_as_an_answer_stays_text(w):
    last = [s for s in w.specs if s.kind == "text"][-1]
    submit(w.survey, survey_answers(w.survey, **{last.name: ["=1+1"]}))
    submit(w.survey, survey_answers(w.survey, **{last.name: ["@SUM(A1)"]}))
    stream = io.BytesIO()
    exports.write_responses(w.survey, stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    column = next(c.column for c in sheet[1] if c.value == f"{last.position}. {last.text}")
    cells = {
        sheet.cell(row=r, column=column).value: sheet.cell(row=r, column=column)
        for r in range(2, sheet.max_row + 1)
    }
    assert cells["=1+1"].data_type == "s" and cells["=1+1"].quotePrefix
    assert cells["@SUM(A1)"].data_type == "s"


def test_export_is_refused_to_other_departments_and_anonymous(w):
    url = reverse("surveys:responses_xlsx", args=[w.survey.pk])
    other = Client()
    other.force_login(w.other)
    assert other.get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_result_tables(w):
    client = Client()
    client.force_login(w.office)
    sheet = workbook_of(client.get(reverse("surveys:results_xlsx", args=[w.survey.pk]))).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    flat = [v for row in values for v in row if v is not None]
    assert w.survey.title in flat
    assert "1. 您最关注哪个领域？（单选题）" in flat
    row = next(r for r in values if r and r[0] == "养老")
    assert row[1] == 2 and float(row[2]) == 40.0
    assert "得分" in flat and "平均名次" in flat
    assert PRIVATE_NOTE not in flat
