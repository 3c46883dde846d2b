"""The public reads a reply to a deputy's suggestion (建议提案办理): from the list, filtered
by the reply's class, to the item's page and its reply, at desktop and phone width."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.proposals.public_support import PRIVATE_STRINGS, REPLY_CONTACT, Desk

# live_server needs committed rows; serialized_rollback puts back the role groups and
# policy areas that the data migrations created and each transactional flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLASS_A = "A类：所提问题已经解决或基本解决"
REPLY_BODY = "经研究，已在全市新增社区养老服务站点四十处，并延长服务时间至晚八时。"


@pytest.fixture
def items():
    desk = Desk()
    solved = desk.replied(
        title="关于加快发展社区嵌入式养老服务的建议",
        reply_class="A",
        private_authors=True,
        reply_fields={"body": REPLY_BODY},
    )
    planned = desk.replied(title="关于推进老旧小区加装电梯的建议", reply_class="B")
    handling = desk.handling(title="关于优化学区划分的提案", kind="proposal")
    return {"solved": solved, "planned": planned, "handling": handling}


def test_the_public_filters_by_reply_class_and_reads_the_reply(page: Page, live_server, items):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="建议提案办理").click()
    expect(page.get_by_role("heading", level=1, name="建议提案办理")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("共 3 件")

    page.get_by_label("答复分类").select_option(label=CLASS_A)
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("status")).to_have_text("共 1 件")
    expect(page.get_by_role("link", name=items["planned"].title)).to_have_count(0)
    expect(page.get_by_label("答复分类")).to_have_value("A")

    page.get_by_role("link", name=items["solved"].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(items["solved"].title)
    reply = items["solved"].replies.get()
    section = page.get_by_role("region", name="答复函")
    expect(section).to_contain_text(reply.document_number)
    expect(section).to_contain_text(CLASS_A)
    expect(section).to_contain_text(REPLY_BODY)
    expect(section).to_contain_text(REPLY_CONTACT)
    link = section.get_by_role("link", name="下载答复函（PDF）")
    expect(link).to_have_attribute("href", reverse("proposals:reply_pdf", kwargs={"pk": reply.pk}))
    text = page.locator("main").inner_text()
    assert [private for private in PRIVATE_STRINGS if private in text] == []

    page.get_by_role("link", name="建议提案办理").first.click()
    expect(page.get_by_role("heading", level=1, name="建议提案办理")).to_be_visible()


def test_the_pages_fit_a_phone(page: Page, live_server, items):
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (
        reverse("proposals:public_list"),
        reverse("proposals:public_list") + "?reply_class=A",
        reverse("proposals:public_detail", args=[items["solved"].pk]),
    ):
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} scrolls sideways at 390 px ({width} px wide)"
