"""One rule for the catalog year being prepared now (issue 21, item 8): the workbench, the
catalog list's start form and the new-matter form all offer the same year."""

import datetime
import re

import pytest
from django.urls import reverse

from matters.catalog_year import catalog_year_in_preparation
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime.date(2026, 12, 6), 2027),  # drawing up next year's, due 31 March 2027
        (datetime.date(2027, 1, 1), 2027),
        (datetime.date(2027, 3, 31), 2027),  # due today
        (datetime.date(2027, 4, 1), 2028),  # this year's is filed or late: next one
    ],
)
def test_the_catalog_in_preparation_is_the_one_due_next(today, year):
    assert catalog_year_in_preparation(today) == year


def _selected_year(html: str) -> int:
    select = re.search(r'<select name="year"[^>]*>(.*?)</select>', html, re.S).group(1)
    return int(re.search(r'<option value="(\d+)"[^>]*selected', select).group(1))


def test_workbench_plans_and_new_matter_offer_the_same_year(client):
    staff = StaffFactory()
    client.force_login(staff)
    year = catalog_year_in_preparation()

    workbench = client.get(reverse("workbench")).content.decode()
    assert f"新建{year}年度计划目录" in workbench
    assert _selected_year(client.get(reverse("annual_plans:staff_list")).content.decode()) == year
    assert _selected_year(client.get(reverse("matters:create")).content.decode()) == year
