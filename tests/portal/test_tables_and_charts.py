"""Tables say what they hold and charts have their figures in a table (GB/T 37668, WCAG
1.1.1 and 1.3.1; issue 27): every table of the public pages and the dashboard has a
caption and scoped headers, and every chart of the dashboard is followed by a table."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .test_access_matrix import (
    EXPECTATIONS,
    _kwargs,
    world,  # noqa: F401 - the module-scoped fixture
)
from .test_markup import NOT_PAGES

TABLE = re.compile(r"<table\b.*?</table>", re.S)


def _table_problems(url: str, html: str) -> list[str]:
    problems = []
    for table in TABLE.findall(html):
        if "<caption" not in table:
            problems.append(f"{url}: a table without a caption: {table[:120]}")
        headers = re.findall(r"<th\b[^>]*>", table)
        unscoped = [th for th in headers if "scope=" not in th]
        if not headers or unscoped:
            problems.append(f"{url}: headers without scope: {unscoped[:2] or 'none'}")
    return problems


@pytest.mark.django_db
def test_every_public_table_has_a_caption_and_scoped_headers(world):  # noqa: F811
    client = Client()
    problems, tables = [], 0
    for key, (method, answers) in EXPECTATIONS.items():
        name = key.split("@")[0]
        if method != "GET" or answers.split()[0] != "200" or name in NOT_PAGES:
            continue
        if name.startswith("api:"):
            continue
        html = client.get(reverse(name, kwargs=_kwargs(world).get(key, {}))).content.decode()
        tables += len(TABLE.findall(html))
        problems += _table_problems(name, html)
    assert tables >= 2  # the walk met the public tables (a year's catalogs, a catalog's items)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_dashboard_chart_has_a_table_of_its_figures(world):  # noqa: F811
    client = Client()
    client.force_login(world.users["reviewer"])
    html = client.get(reverse("dashboard") + "?year=2026").content.decode()
    charts = re.findall(
        r'<figure class="dash-chart">.*?</figure>\s*(?:<div class="table-scroll">\s*)?(<table\b)?',
        html,
        re.S,
    )
    assert len(charts) >= 3, "the dashboard drew fewer charts than expected"
    assert all(charts), "a chart is not followed by its table"
    assert not _table_problems("dashboard", html)
    assert html.count('role="img"') == len(charts)


def test_the_check_finds_a_table_without_caption():
    assert _table_problems("x", "<table><tr><th>a</th></tr></table>")
    assert not _table_problems(
        "x", '<table><caption>c</caption><tr><th scope="col">a</th></tr></table>'
    )
