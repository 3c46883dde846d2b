"""The search page: what each visitor sees, the messages, escaping, paging and its cost."""

import pytest
from django.urls import reverse

from matters.models import PolicyArea
from matters.services import matter_publish
from tests.factories import make_matter

pytestmark = pytest.mark.django_db

URL = reverse("search:results")
CONTACTS = ["13912345678", "13800001111", "wang@example.com", "0532-80001234", "13700002222"]


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def published(title, summary="规范有关工作。", areas=()):
    matter = make_matter(
        title=title, summary=summary, policy_areas=PolicyArea.objects.filter(code__in=areas)
    )
    return matter_publish(matter=matter, by=matter.created_by)


# --- who sees what -------------------------------------------------------------------


def test_the_public_sees_the_four_public_kinds_with_counts_and_highlights(client, corpus):
    html = page(client, q="养老")

    for code in ("matters", "items", "activities", "feedback"):
        assert f'id="group-{code}"' in html
    assert "type=drafts" not in html and "type=opinions" not in html
    assert "<mark>养老</mark>" in html
    assert "社区居家<mark>养老</mark>服务设施布局规划" in html
    assert "海水养殖" not in html
    assert "养老机构等级评定" not in html  # unpublished matter, and a staff-only draft
    assert "养老服务专家论证会" not in html  # activity without a published notice


def test_the_public_cannot_ask_for_staff_kinds(client, corpus):
    html = page(client, q="养老", type="opinions")

    assert "方便老人就近养老" not in html
    assert 'id="group-opinions"' not in html


def test_staff_see_drafts_and_opinions_of_their_own_department_only(client, corpus):
    client.force_login(corpus.staff["mzj"])

    drafts = page(client, q="养老", type="drafts")
    assert "<mark>养老</mark>机构等级评定办法（草稿）" in drafts  # unpublished matter's draft
    assert "社区居家<mark>养老</mark>服务设施布局规划（征求意见稿）" in drafts
    other_drafts = page(client, q="物业", type="drafts")
    assert "物业服务收费管理办法（修订草案）" not in other_drafts

    opinions = page(client, q="养老", type="opinions")
    assert "方便老人就近<mark>养老</mark>" in opinions
    other_opinions = page(client, q="物业", type="opinions")
    assert "公开账目" not in other_opinions


def test_the_general_office_sees_every_opinion_but_never_a_contact(client, corpus):
    client.force_login(corpus.office)

    for q in ("养老", "物业", "停车", "学校", "医保"):
        for kind in ("", "opinions"):
            html = page(client, q=q, type=kind)
            assert not [contact for contact in CONTACTS if contact in html]
            assert "张先生" not in html
    assert "公司要定期公开账目" in page(client, q="物业", type="opinions")


# --- messages, escaping, the box -------------------------------------------------------


def test_without_a_query_the_page_shows_the_box_only(client):
    html = page(client)

    assert 'id="search-q"' in html
    assert 'role="status"' not in html
    assert 'class="error"' not in html


def test_an_empty_query_is_explained(client):
    assert "请输入要查找的词语。" in page(client, q="  ")
    assert "请输入汉字、字母或数字。" in page(client, q="“”！")


def test_a_too_long_query_is_refused_and_kept_in_the_box(client):
    html = page(client, q="长" * 101)

    assert "查找内容不能超过100个字（现有101个字）。" in html
    assert f'value="{"长" * 101}"' in html


def test_no_result_says_so_and_keeps_the_query(client, db):
    published("社区养老服务")

    html = page(client, q="航天")

    assert "没有找到包含“航天”的内容。" in html
    assert 'value="航天"' in html


def test_a_matter_found_by_its_policy_area_says_so_in_its_snippet(client, db):
    published("社区助餐点运营补贴办法", summary="按服务人次给予补贴。", areas=["elderly-care", "civil-affairs"])
    published("城市规划", summary="统筹养老设施布局。", areas=["urban-renewal"])

    html = page(client, q="养老")

    assert "社区助餐点运营补贴办法" in html
    assert "按服务人次给予补贴。　政策领域：<mark>养老</mark>、民政" in html
    # A hit whose areas the query does not name shows its summary alone.
    assert "统筹<mark>养老</mark>设施布局。</p>" in html
    assert "城市更新" not in html


def test_markup_in_titles_and_queries_stays_inert(client, db):
    published("<script>alert(1)</script>养老服务")

    html = page(client, q="养老")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>养老</mark>服务" in html

    html = page(client, q='"><script>alert(2)</script>')
    assert "<script>alert(2)" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in html


def test_the_header_has_a_search_box_and_the_navigation_a_link(client):
    html = client.get("/").content.decode()

    assert '<form class="header-search" role="search" method="get" action="/search/">' in html
    assert '<label for="header-search-q"' in html
    assert 'href="/search/"' in html


# --- paging and cost -------------------------------------------------------------------


def test_one_kind_is_paged(client, db):
    for n in range(23):
        published(f"养老服务设施第{n}号")

    first = page(client, q="养老", type="matters")
    second = page(client, q="养老", type="matters", page=2)

    assert first.count('class="search-hit"') == 20
    assert second.count('class="search-hit"') == 3
    assert "type=matters&amp;page=2" in first
    assert "第 2 页，共 2 页" in second


def test_the_overview_previews_each_kind_and_links_to_all(client, db):
    for n in range(5):
        published(f"养老服务设施第{n}号")

    html = page(client, q="养老")

    assert html.count('class="search-hit"') == 3
    assert "查看全部5条协商事项" in html


@pytest.mark.parametrize("hits", [2, 20])
@pytest.mark.parametrize("kind", ["", "matters"])
def test_the_number_of_queries_does_not_grow_with_the_hits(
    client, django_assert_num_queries, hits, kind
):
    for n in range(hits):
        published(f"社区养老服务第{n}号")

    # One query per kind (7) ranks the ids and counts them in the same pass; the one kind
    # with hits reads the rows shown by id (1).
    with django_assert_num_queries(8):
        html = page(client, q="养老", type=kind)
    assert html.count('class="search-hit"') == (min(hits, 3) if not kind else hits)


@pytest.mark.parametrize("hits", [2, 20])
def test_a_staff_search_costs_the_same_whatever_the_hits(client, django_assert_num_queries, hits):
    matters = [published(f"社区养老服务第{n}号") for n in range(hits)]
    staff = matters[0].created_by
    client.force_login(staff)

    # Session, user, roles and department; one query per kind (9), ids and number
    # together, and the rows shown of the one kind with hits; the header's model
    # permissions (2).
    with django_assert_num_queries(16):
        page(client, q="养老")
