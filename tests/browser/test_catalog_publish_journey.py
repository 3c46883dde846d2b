"""The general office accepts a filing and publishes it from the filing's own page, with a
confirmation, and the public then finds it (issue 21, item 7)."""

import pytest
from playwright.sync_api import Page, expect

from annual_plans.models import AnnualPlan
from tests.factories import ReviewerFactory, make_plan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Qingdao-review-2026"


def test_reviewer_accepts_then_publishes_the_catalog_from_its_page(page: Page, live_server):
    plan = make_plan(status="submitted", items=2)
    reviewer = ReviewerFactory(username="reviewer_journey")
    reviewer.set_password(PASSWORD)
    reviewer.save()

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill("reviewer_journey")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/admin/annual_plans/annualplan/review/{plan.pk}/")
    page.get_by_role("button", name="同意备案").click()
    # Back on the filing's page, publishing is offered right there.
    page.get_by_role("link", name="向社会公示").click()
    expect(page.get_by_text("公示不能撤回")).to_be_visible()
    submit = page.get_by_role("button", name="向社会公示")
    submit.click()  # not ticked: the browser (and the server) refuse
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.ACCEPTED
    page.get_by_label("已核对目录内容，确认向社会公示").check()
    submit.click()
    expect(page.locator(".messagelist")).to_contain_text("已向社会公示")
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.PUBLISHED

    page.goto(f"{live_server.url}/catalogs/plans/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(plan.department.name)
