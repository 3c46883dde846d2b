"""What the public reads of 建议提案办理: the list with its filters and search, each
public item's page with its replies, the 404s, and never an author's contact data."""

import pytest
from django.urls import reverse

from core.content_cache import bump_generation
from tests.factories import DepartmentFactory, StaffFactory

from .public_support import (
    CO_SIGNER_NAME,
    LEAD_AUTHOR_NAME,
    PRIVATE_STRINGS,
    REPLY_CONTACT,
    Desk,
)

pytestmark = pytest.mark.django_db

LIST = reverse("proposals:public_list")


@pytest.fixture
def desk():
    return Desk()


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def detail_url(proposal):
    return reverse("proposals:public_detail", args=[proposal.pk])


def linked(html, proposal) -> bool:
    return f'href="{detail_url(proposal)}"' in html


# ----------------------------------------------------------------------------- the list


def test_the_list_shows_public_assigned_items_only(client, desk):
    replied = desk.replied(title="关于加快发展社区嵌入式养老服务的建议")
    handling = desk.handling(title="关于优化学区划分的建议")
    hidden = desk.handling(title="不可公开的建议甲", is_public=False)
    unassigned = desk.registered(title="尚未交办的建议乙")

    html = get(client, LIST)

    assert "<h1>建议提案办理</h1>" in html
    assert replied.title in html and handling.title in html
    assert hidden.title not in html and unassigned.title not in html
    assert "共 2 件" in html
    assert "A类" in html  # the replied item's class


def test_filters_by_kind_year_department_and_reply_class(client, desk):
    other = Desk(DepartmentFactory(name="青岛市教育局", code="jyj", short_name="市教育局"))
    a = desk.replied(title="甲类答复的建议", reply_class="A")
    b = desk.replied(title="乙类答复的建议", reply_class="B")
    cppcc = other.replied(title="教育局的政协提案", kind="proposal", reply_class="A")
    last_year = desk.handling(title="去年的建议", year=2025)

    assert a.title in (html := get(client, LIST, reply_class="A"))
    assert b.title not in html and cppcc.title in html
    html = get(client, LIST, kind="proposal")
    assert cppcc.title in html and a.title not in html
    html = get(client, LIST, department="jyj")
    assert cppcc.title in html and a.title not in html and b.title not in html
    html = get(client, LIST, year=2025)
    assert last_year.title in html and a.title not in html
    html = get(client, LIST, year=2026, kind="suggestion", reply_class="B")
    assert "共 1 件" in html and b.title in html


def test_a_bad_filter_value_is_explained_and_the_list_stays(client, desk):
    item = desk.handling(title="关于优化学区划分的建议")

    html = get(client, LIST, reply_class="Z", year="abc")

    assert "has-error" in html
    assert item.title in html


def test_search_finds_chinese_words_in_title_and_body_and_the_number(client, desk):
    title_hit = desk.handling(title="关于推进老旧小区加装电梯的建议", number="0123")
    body_hit = desk.handling(
        title="关于改善居住条件的建议", body="建议对老旧小区统一加装电梯并给予补贴。"
    )
    other = desk.handling(title="关于发展海洋经济的建议", body="建议扶持海洋渔业。")

    html = get(client, LIST, q="加装电梯")
    assert linked(html, title_hit) and linked(html, body_hit) and not linked(html, other)
    assert "共 2 件" in html
    # The words marked in the title, and in the body around them.
    assert "关于推进老旧小区<mark>加装电梯</mark>的建议" in html
    assert "建议对老旧小区统一<mark>加装电梯</mark>并给予补贴。" in html
    for number in ("0123", "123", "第0123号"):
        html = get(client, LIST, q=number)
        assert linked(html, title_hit) and not linked(html, other), number
    html = get(client, LIST, q="电梯 海洋")  # every word must be present
    assert "没有找到符合条件的建议提案" in html


def test_pages_of_twenty(client, desk):
    for n in range(23):
        desk.assigned(title=f"关于社区服务的第{n}号建议", number=f"{n + 1:04d}")

    first = get(client, LIST)
    second = get(client, LIST, page=2)

    assert first.count('class="matter-item"') == 20
    assert second.count('class="matter-item"') == 3
    assert "第 2 页，共 2 页" in second
    # Numbers in their order: 0001 on the first page, 0023 on the second.
    assert "第0001号" in first and "第0023号" in second


def test_the_pagination_keeps_the_filters(client, desk):
    for n in range(21):
        desk.assigned(title=f"关于社区养老的第{n}号建议")
    html = get(client, LIST, q="养老", kind="suggestion")
    assert "q=%E5%85%BB%E8%80%81&amp;kind=suggestion&amp;page=2" in html


def test_an_empty_list_says_so(client, db):
    html = get(client, LIST)
    assert "没有符合条件的建议提案" in html
    assert "共 0 件" in html


def test_the_list_costs_the_same_few_queries_however_long(
    client, desk, django_assert_max_num_queries
):
    for n in range(25):
        desk.replied(title=f"关于社区养老的第{n}号建议") if n < 3 else desk.assigned(
            title=f"关于社区养老的第{n}号建议"
        )
    bump_generation()
    # years, departments (filter menus), count, the page with lead departments; a margin
    # for the session middleware's own.
    with django_assert_max_num_queries(6):
        get(client, LIST, q="养老")


# ----------------------------------------------------------------------------- the page


def test_the_item_page_shows_authors_departments_and_each_rounds_reply(client, desk):
    co = DepartmentFactory(name="青岛市财政局", code="czj")
    proposal = desk.second_round_replied(
        title="关于提高农村低保标准的建议", private_authors=True, co=[(co, "assisting")]
    )

    html = get(client, detail_url(proposal))

    assert "<h1>关于提高农村低保标准的建议</h1>" in html
    assert proposal.reference in html
    assert "人大代表建议" in html and "市十七届人大五次会议" in html
    assert f"{LEAD_AUTHOR_NAME}（人大代表，领衔）" in html
    assert f"{CO_SIGNER_NAME}（人大代表）" in html
    assert "青岛市民政局" in html and "青岛市财政局（协办）" in html
    assert "二次办理中" not in html  # replied again: 已答复待测评
    assert "已答复待测评" in html
    # Both rounds, each with its number, date, class label, contact person and letter.
    replies = list(proposal.replies.order_by("round"))
    for reply in replies:
        assert reply.document_number in html
        assert reverse("proposals:reply_pdf", kwargs={"pk": reply.pk}) in html
    assert "C类：因条件限制或其他原因暂时不能解决，予以说明解释" in html
    assert "B类：所提问题正在解决或列入计划逐步解决" in html
    assert "第2次办理答复函" in html
    assert "2026年5月6日" in html and "2026年6月15日" in html
    assert REPLY_CONTACT in html


def test_reply_class_labels_follow_the_setting(client, desk, settings):
    proposal = desk.replied(reply_class="A")
    settings.PORTAL_PROPOSAL_REPLY_CLASSES = {"A": "甲类（已解决）", "B": "乙类", "C": "丙类"}
    bump_generation()
    assert "甲类（已解决）" in get(client, detail_url(proposal))


def test_an_item_not_yet_replied_says_so(client, desk):
    proposal = desk.handling()
    html = get(client, detail_url(proposal))
    assert "本件正在办理中，尚未答复" in html
    assert "答复分类" not in html


def test_a_draft_reply_is_not_shown(client, desk):
    proposal = desk.handling()
    from proposals import services

    services.reply_save(
        proposal,
        by=desk.staff,
        document_number="青民建字〔2026〕999号",
        body="尚未审签的答复草稿内容",
        reply_class="A",
        contact_person="李明",
        contact_phone="0532-80000000",
    )
    html = get(client, detail_url(proposal))
    assert "尚未审签的答复草稿内容" not in html and "999号" not in html


@pytest.mark.parametrize("which", ["not_public", "unassigned", "missing"])
def test_non_public_and_unassigned_items_are_not_found_even_for_staff(client, desk, which):
    if which == "not_public":
        pk = desk.replied(is_public=False).pk
    elif which == "unassigned":
        pk = desk.registered().pk
    else:
        pk = 987654
    url = reverse("proposals:public_detail", args=[pk])
    assert client.get(url).status_code == 404
    client.force_login(desk.staff)
    assert client.get(url).status_code == 404


def test_the_public_reads_the_reply_letter_of_a_public_item(client, desk):
    reply = desk.replied().replies.get()
    page = client.get(reverse("proposals:public_detail", args=[reply.proposal_id]))
    letter = reverse("proposals:reply_pdf", kwargs={"pk": reply.pk})
    assert letter in page.content.decode()
    response = client.get(letter)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


# ----------------------------------------------------------------------------- privacy


def test_no_author_contact_data_on_any_public_page(client, desk):
    proposal = desk.second_round_replied(title="关于社区养老的建议", private_authors=True)
    pages = [
        get(client, LIST),
        get(client, LIST, q="养老"),
        get(client, detail_url(proposal)),
        get(client, reverse("search:results"), q="养老"),
        get(client, reverse("search:results"), q="养老", type="proposals"),
        get(client, "/sitemap.xml"),
        get(client, reverse("portal:sitemap_section", kwargs={"section": "proposals"})),
    ]
    assert proposal.title in pages[0]
    for html in pages:
        for private in PRIVATE_STRINGS:
            assert private not in html
    # Also for a signed-in member of the lead department: the public page stays public.
    client.force_login(StaffFactory(department=desk.department))
    html = get(client, detail_url(proposal))
    assert not [private for private in PRIVATE_STRINGS if private in html]


# ----------------------------------------------------------------------------- around it


def test_the_navigation_and_the_site_map_link_the_list(client, db):
    home = get(client, reverse("home"))
    assert f'href="{LIST}"' in home
    site_map = get(client, reverse("portal:sitemap_page"))
    assert f'href="{LIST}?kind=proposal"' in site_map


def test_the_sitemap_lists_public_items_only(client, desk, settings):
    settings.PORTAL_BASE_URL = "https://xieshang.example.gov.cn"
    public = desk.replied()
    hidden = desk.replied(is_public=False)
    unassigned = desk.registered()

    xml = get(client, reverse("portal:sitemap_section", kwargs={"section": "proposals"}))

    assert f"https://xieshang.example.gov.cn{detail_url(public)}" in xml
    assert detail_url(hidden) not in xml
    assert f"/proposals/{unassigned.pk}/" not in xml
    pages = get(client, reverse("portal:sitemap_section", kwargs={"section": "pages"}))
    assert f"https://xieshang.example.gov.cn{LIST}" in pages


def test_the_public_pages_are_kept_by_the_page_cache(client, desk, django_assert_num_queries):
    proposal = desk.replied()
    url = detail_url(proposal)
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    client.get(LIST)
    with django_assert_num_queries(0):
        assert client.get(LIST).status_code == 200


def test_markup_in_titles_and_queries_stays_inert(client, desk):
    desk.handling(title="关于<script>alert(1)</script>养老的建议", body="<b>养老</b>服务")
    html = get(client, LIST, q="<b>养老</b>")
    assert "<script>alert(1)</script>" not in html and "<b>养老</b>" not in html
    assert "关于&lt;script&gt;alert(1)&lt;/script&gt;<mark>养老</mark>的建议" in html
    assert 'value="&lt;b&gt;养老&lt;/b&gt;"' in html
