"""A deputy's suggestion end to end in a real browser (建议提案办理).

The general office assigns a registered suggestion to a lead department with a
co-department; the lead department signs for it and records a contact with the deputy;
it drafts the reply, its leader signs it off and the co-department's leader countersigns
it; the department sends it; the deputy opens the e-mailed link, rates the reply 不满意,
and the item is back on the department's page in its second round. Every step goes through
the pages; only departments, accounts, the deputy and the registered item are made here.

The clock is fixed on a working day of 2026 (``timezone.now`` is patched for the test and
the live server's thread alike): the sign-for window is counted in working days from the
official holiday schedule, which is known only for the years it has been published.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from proposals.models import Proposal
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_participant,
    make_proposal,
)
from tests.proposals.staff_support import clock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "关于推进老旧小区加装电梯的建议"
RATING_LINK = re.compile(r"https?://\S+/proposals/rating/[\w-]+/")


def _message(page: Page) -> Locator:
    return page.locator("main > ul.messages")


def _field(scope, label: str) -> Locator:
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def _logout(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def _open_item(page: Page, live_server, tab: str) -> None:
    page.goto(f"{live_server.url}/staff/proposals/")
    page.get_by_role("link", name=re.compile(rf"^{tab}")).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_assign_handle_reply_countersign_rate_dissatisfied_second_round(
    page: Page, live_server, mailoutbox
):
    with clock():
        _journey(page, live_server, mailoutbox)


def _journey(page: Page, live_server, mailoutbox) -> None:
    lead = DepartmentFactory(name="青岛市住房城乡建设局", short_name="市住房城乡建设局", code="zjj")
    co = DepartmentFactory(name="青岛市财政局", short_name="市财政局", code="czj")
    office = ReviewerFactory(username="bgt")
    staff = StaffFactory(username="zjj_staff", department=lead)
    LeaderFactory(username="zjj_leader", department=lead)
    LeaderFactory(username="czj_leader", department=co)
    deputy = make_participant(
        by=office,
        name="王建国",
        category="npc_deputy",
        affiliation="青岛市人大代表",
        email="wangjianguo@example.cn",
    )
    proposal = make_proposal(by=office, authors=[deputy], title=TITLE, number="0123")

    # The office assigns it, with the finance bureau as co-department (会办).
    login(page, live_server, "bgt", TEST_PASSWORD)
    page.get_by_role("link", name="建议提案", exact=True).click()
    page.get_by_role("link", name=re.compile("^待交办")).click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("link", name="交办").click()
    _field(page, "主办单位").select_option(label="青岛市住房城乡建设局")
    _field(page, "会办单位").select_option(label="青岛市财政局")
    page.get_by_role("button", name="交办", exact=True).click()
    expect(_message(page)).to_have_text("已交办青岛市住房城乡建设局。")
    expect(page.locator(".title-row")).to_contain_text("待签收")
    _logout(page, live_server)

    # The lead department signs for it and records a contact with the deputy.
    login(page, live_server, "zjj_staff", TEST_PASSWORD)
    _open_item(page, live_server, "待签收")
    page.get_by_role("button", name="签收", exact=True).click()
    expect(_message(page)).to_have_text("已签收，请及时与提出人沟通联系。")
    contact = page.locator("form").filter(has=page.get_by_role("button", name="保存沟通记录"))
    contact.get_by_role("radio", name="电话").check()
    _field(contact, "沟通情况").fill("电话沟通，代表同意先行试点的办理思路。")
    contact.get_by_role("button", name="保存沟通记录").click()
    expect(_message(page)).to_have_text("已记录沟通联系。")
    expect(page.get_by_text("电话沟通，代表同意先行试点的办理思路。")).to_be_visible()

    page.get_by_role("link", name="拟定答复").click()
    _field(page, "文号").fill("青建建字〔2026〕8号")
    _field(page, "答复正文").fill(
        "王建国代表：\n您提出的建议收悉。我局已会同市财政局研究，现答复如下。"
    )
    page.get_by_role("radio", name=re.compile("^B类")).check()
    _field(page, "联系人").fill("李明")
    _field(page, "联系电话").fill("0532-85912345")
    page.get_by_role("button", name="保存答复").click()
    expect(_message(page)).to_have_text("答复已保存，请负责人审签。")
    expect(page.locator("#send-missing")).to_contain_text("答复尚未经负责人审签")
    expect(page.get_by_role("button", name="发出答复")).to_be_disabled()
    _logout(page, live_server)

    # The lead department's leader signs it off.
    login(page, live_server, "zjj_leader", TEST_PASSWORD)
    _open_item(page, live_server, "办理中")
    page.get_by_role("button", name="审签", exact=True).click()
    expect(_message(page)).to_have_text("已审签答复。")
    _logout(page, live_server)

    # The co-department's leader countersigns it (会签).
    login(page, live_server, "czj_leader", TEST_PASSWORD)
    _open_item(page, live_server, "协办")
    page.get_by_role("button", name="会签", exact=True).click()
    expect(_message(page)).to_have_text("已会签答复。")
    _logout(page, live_server)

    # The department sends it: the deputy gets the letter and the rating link.
    login(page, live_server, "zjj_staff", TEST_PASSWORD)
    _open_item(page, live_server, "办理中")
    page.get_by_role("button", name="发出答复").click()
    expect(_message(page)).to_contain_text("答复已发出")
    _logout(page, live_server)

    assert [mail.to for mail in mailoutbox] == [["wangjianguo@example.cn"]]
    link = RATING_LINK.search(mailoutbox[0].body).group(0)
    base = settings.PORTAL_BASE_URL.rstrip("/")
    page.goto(live_server.url + link.removeprefix(base))
    expect(page.get_by_role("heading", level=1)).to_contain_text("第0123号的答复")
    expect(page.get_by_text("青建建字〔2026〕8号")).to_be_visible()
    page.get_by_role("radio", name="不满意").check()
    _field(page, "意见（选填）").fill("希望加快试点进度。")
    page.get_by_role("button", name="提交测评").click()
    expect(_message(page)).to_have_text("您的测评已提交，谢谢。")

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SECOND_ROUND
    login(page, live_server, "zjj_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/staff/proposals/{proposal.pk}/")
    expect(page.locator(".title-row")).to_contain_text("二次办理中")
    expect(page.get_by_text("希望加快试点进度。")).to_be_visible()
    assert staff.pk


# ------------------------------------------------------------------------ accessibility


def test_the_staff_and_office_pages_pass_axe(page: Page, live_server):
    """WCAG 2.1 A/AA (axe-core) and no label or description pointing nowhere, on the
    department's list, the item page with its forms (one shown again with errors), the
    reply form, and the office's list, assignment, registration and import pages."""
    from tests.browser.test_accessibility import (
        DANGLING_REFERENCES,
        _axe_violations,
        _describe,
        _serve_axe,
    )
    from tests.proposals.staff_support import handling, people

    with clock():
        p = people()
        item = handling(p, title=TITLE)
        waiting = make_proposal(by=p.office, authors=[p.deputy], title="待交办的建议")
        for user in (p.staff, p.office):
            user.set_password(TEST_PASSWORD)
            user.save()
        _serve_axe(page)
        problems = []

        def check(path: str) -> None:
            page.goto(live_server.url + path)
            violations = _axe_violations(page)
            dangling = page.evaluate(DANGLING_REFERENCES)
            if violations or dangling:
                problems.append(_describe(path, violations) + "".join(f"\n  {d}" for d in dangling))

        login(page, live_server, p.staff.username, TEST_PASSWORD)
        check("/staff/proposals/")
        check(f"/staff/proposals/{item.pk}/")
        page.get_by_role("button", name="保存沟通记录").click()  # empty: errors shown
        expect(page.get_by_text("请填写沟通情况。")).to_be_visible()
        violations = _axe_violations(page)
        if violations:
            problems.append(_describe("contact form with errors", violations))
        check(f"/staff/proposals/{item.pk}/reply/")
        _logout(page, live_server)

        login(page, live_server, p.office.username, TEST_PASSWORD)
        check("/staff/proposals/office/")
        check(f"/staff/proposals/office/{waiting.pk}/assign/")
        check("/staff/proposals/office/register/")
        check("/staff/proposals/office/import/")
        check(f"/staff/proposals/{item.pk}/")
    assert not problems, "\n".join(problems)
