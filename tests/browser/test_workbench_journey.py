"""The workbench says what waits for its reader, and its links lead there (issue 21, item 5)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from participation.models import Opinion
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    LeaderFactory,
    StaffFactory,
    make_period,
    make_plan,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PERIOD = "《青岛市养老服务条例（草案）》公开征求意见"


def test_clerk_and_leader_see_what_waits_for_them_and_follow_the_links(page: Page, live_server):
    mzj = DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")
    clerk = StaffFactory(department=mzj, username="mzj_clerk")
    LeaderFactory(department=mzj, username="mzj_leader")
    period = make_period(by=clerk, title=PERIOD)
    for n in range(3):
        Opinion.objects.create(
            period=period,
            matter=period.matter,
            channel="online",
            content=f"建议增加社区养老服务设施（{n}）",
            received_on=timezone.localdate(),
        )
    year = timezone.localdate().year + 1
    plan = make_plan(department=mzj, by=clerk, year=year)

    # The clerk: three opinions to moderate, the link opens the register filtered so.
    login(page, live_server, "mzj_clerk", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('workbench')}")
    expect(page.get_by_text("暂无待办事项")).to_have_count(0)
    inbox = page.get_by_role("region", name="待处理的公众意见和报名")
    expect(inbox.get_by_role("link")).to_have_count(2)
    expect(page.get_by_role("region", name="待负责人审签的目录")).to_have_count(0)
    inbox.get_by_role("link", name=f"{PERIOD}：3条意见待审核是否公开显示").click()
    expect(page).to_have_url(
        f"{live_server.url}"
        f"{reverse('participation:staff_period', args=[period.pk])}?moderation=pending"
    )
    expect(page.get_by_text("共 3 条意见")).to_be_visible()
    page.get_by_role("button", name="退出", exact=True).click()

    # The leader: next year's catalog waits for the sign-off.
    login(page, live_server, "mzj_leader", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('workbench')}")
    sign_off = page.get_by_role("region", name="待负责人审签的目录")
    expect(sign_off).to_contain_text("待您审签")
    sign_off.get_by_role("link", name=f"{year}年度计划目录").click()
    expect(page).to_have_url(
        f"{live_server.url}{reverse('annual_plans:staff_detail', args=[plan.pk])}"
    )
    expect(page.get_by_role("button", name="负责人审签")).to_be_enabled()
