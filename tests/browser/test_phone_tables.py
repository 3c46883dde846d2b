"""Wide tables on a phone (issue 21, item 13): at 390 px a catalog's seven columns become
one block per item, each value under its column's name, and nothing runs off the screen."""

import pytest
from playwright.sync_api import Page

from tests.factories import make_plan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _layout(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const table = document.querySelector("table.catalog-table");
            const title = table.querySelector("tbody td[data-label]:nth-child(2)");
            const label = getComputedStyle(title, "::before").content;
            return {
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                titleWidth: title.getBoundingClientRect().width,
                headVisible: table.querySelector("thead").getBoundingClientRect().height > 1,
                label,
            };
        }"""
    )


@pytest.mark.parametrize("path", ["plan", "consolidated"])
def test_catalog_tables_stack_on_a_phone_and_stay_tables_on_a_desk(page: Page, live_server, path):
    plan = make_plan(items=3, status="published")
    plan.items.update(is_major_decision=True)  # listed in the consolidated catalog too
    url = (
        f"/catalogs/plans/{plan.pk}/"
        if path == "plan"
        else f"/catalogs/{plan.year}/major-decisions/"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + url)
    phone = _layout(page)
    assert phone["overflow"] <= 0, phone
    assert phone["titleWidth"] > 200, phone  # the item's name has the row to itself
    assert not phone["headVisible"]
    assert "事项名称" in phone["label"]

    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    desk = _layout(page)
    assert desk["headVisible"]
    assert desk["label"] in ("none", "normal")
