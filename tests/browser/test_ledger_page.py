"""The ledger page reads at a desktop width (issue 21, item 4): the before/after data no
longer squeezes the department, the title and the action to one character a line."""

import pytest
from playwright.sync_api import Page, expect

from matters import events
from matters.models import LedgerEntry
from matters.services import matter_snapshot
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, ReviewerFactory, make_matter

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_ledger_columns_stay_readable_at_1366_px(page: Page, live_server):
    matter = make_matter(title="八大关历史文化街区保护利用", kind="key_matter")
    reviewer = ReviewerFactory()
    before = matter_snapshot(matter)
    events.record(
        action=LedgerEntry.Action.MATTER_UPDATED,
        summary="修改协商事项“八大关历史文化街区保护利用”：summary",
        department_id=matter.department_id,
        object_type="matter",
        object_id=matter.pk,
        actor=reviewer,
        matter=matter,
        before=before,
        after={**before, "summary": "保护利用八大关历史文化街区" * 8, "participants": [3, 4, 1, 6]},
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, reviewer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/staff/ledger/")
    row = page.get_by_role("row").filter(has_text="修改事项")
    expect(row).to_have_count(1)
    cells = row.get_by_role("cell")
    for index in (1, 3, 5):  # 部门, 事项名称, 操作
        width = cells.nth(index).bounding_box()["width"]
        assert width >= 5 * 16, f"column {index} is {width:.0f} px wide"
    changes = cells.last
    expect(changes).to_contain_text("事项概述：")
    expect(changes.get_by_text('"participants"')).to_be_hidden()  # the raw record, folded
    changes.get_by_text("原始记录").click()
    expect(changes.get_by_text('"participants"', exact=False)).to_be_visible()
