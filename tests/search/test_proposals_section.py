"""The search page's 建议提案 section: public items only, by words of the title or body or
by number, shown without any author's contact data."""

import pytest
from django.urls import reverse

from search.sections import sections_for
from tests.proposals.public_support import PRIVATE_STRINGS, Desk

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def items():
    desk = Desk()
    return {
        "desk": desk,
        "replied": desk.replied(
            title="关于加快发展社区养老服务的建议",
            body="建议增加社区养老服务站点。",
            private_authors=True,
            number="0456",
            reply_class="B",
        ),
        "body_only": desk.handling(
            title="关于完善民生保障的提案", kind="proposal", body="建议提高养老金标准。"
        ),
        "hidden": desk.replied(title="不可公开的养老建议", is_public=False),
        "unassigned": desk.registered(title="尚未交办的养老建议"),
    }


def test_the_public_finds_public_items_by_title_and_body(client, items):
    html = page(client, q="养老", type="proposals")

    assert 'id="group-proposals"' in html
    assert "关于加快发展社区<mark>养老</mark>服务的建议" in html
    assert "关于完善民生保障的提案" in html  # found by its body
    assert "提高<mark>养老</mark>金标准" in html
    assert "不可公开的养老建议" not in html and "尚未交办的养老建议" not in html
    url = reverse("proposals:public_detail", args=[items["replied"].pk])
    assert f'href="{url}"' in html
    assert "B类" in html and "市民政局" in html
    assert items["replied"].reference in html


def test_an_item_is_found_by_its_number(client, items):
    html = page(client, q="第0456号", type="proposals")
    assert "关于加快发展社区养老服务的建议" in html
    assert "关于完善民生保障的提案" not in html


def test_the_overview_counts_proposals_beside_the_other_kinds(client, items):
    html = page(client, q="养老")
    assert 'id="group-proposals"' in html
    assert '建议提案 <span class="count">2</span>' in html


def test_staff_search_the_public_items_too(client, items):
    client.force_login(items["desk"].staff)
    html = page(client, q="养老", type="proposals")
    # Staff read non-public items on their own pages; search shows what the public sees.
    assert "不可公开的养老建议" not in html
    assert "proposals" in [section.code for section in sections_for(items["desk"].staff)]


def test_no_contact_data_in_the_hits(client, items):
    for params in ({"q": "养老"}, {"q": "养老", "type": "proposals"}, {"q": "0456"}):
        html = page(client, **params)
        assert [private for private in PRIVATE_STRINGS if private in html] == []
