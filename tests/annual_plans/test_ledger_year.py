"""The ledger's year filter keeps a catalog's rows: they have no matter, their year is the
catalog's (issue 21, item 3)."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory, ReviewerFactory, make_matter, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    shinan = DepartmentFactory(code="shinan", name="市南区人民政府", short_name="市南区")
    make_plan(department=shinan, year=2027, status="published")  # drawn up in 2026
    make_plan(department=shinan, year=2026, status="submitted")
    make_matter(department=shinan, title="市南区老旧小区改造", year=2026)
    client.force_login(ReviewerFactory())


def _summaries(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    if name == "matters:ledger_export":
        sheet = openpyxl.load_workbook(BytesIO(response.content)).active
        return [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    return response.content.decode()


@pytest.mark.parametrize("name", ["matters:ledger", "matters:ledger_export"])
def test_year_filter_keeps_the_catalog_rows_of_that_year(client, world, name):
    rows = str(_summaries(client, name, {"department": "shinan", "year": "2027"}))
    for summary in (
        "创建2027年度计划目录",
        "报送2027年度计划目录备案",
        "向社会公示2027年度计划目录",
    ):
        assert summary in rows
    assert "2026年度计划目录" not in rows
    assert "市南区老旧小区改造" not in rows

    rows = str(_summaries(client, name, {"department": "shinan", "year": "2026"}))
    assert "报送2026年度计划目录备案" in rows
    assert "市南区老旧小区改造" in rows
    assert "2027年度计划目录" not in rows
