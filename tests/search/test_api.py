"""The API's ``q`` is the same search as the page's: bigrams on PostgreSQL, relevance
order unless ``ordering`` is given."""

import datetime

import pytest
from django.utils import timezone

from matters.models import Matter, PolicyArea
from tests.api.support import ids, published_matter
from tests.factories import ReviewerFactory, make_matter

pytestmark = pytest.mark.django_db

LIST = "/api/v1/matters/"


@pytest.fixture(autouse=True)
def _roomy_request_limits(settings):
    settings.PORTAL_API_ANON_RATE = "100000/min"


def test_a_two_character_word_finds_the_matter_whose_summary_holds_it(client):
    wanted = published_matter(title="社区服务设施布局规划", summary="统筹社区养老服务中心布局。")
    published_matter(title="海水养殖用海管理办法", summary="规范近海养殖用海审批。")

    assert ids(client.get(LIST, {"q": "养老"})) == [wanted.pk]


def test_q_finds_a_matter_by_the_name_of_its_policy_area(client):
    tagged = published_matter(
        title="社区助餐点运营补贴办法",
        summary="按服务人次给予补贴。",
        policy_areas=PolicyArea.objects.filter(code="elderly-care"),
    )
    published_matter(title="老年大学扩容方案", summary="满足老年人学习需求。")

    assert ids(client.get(LIST, {"q": "养老"})) == [tagged.pk]
    assert ids(client.get(LIST, {"q": "养老 助餐"})) == [tagged.pk]


@pytest.mark.postgres  # relevance needs PostgreSQL
def test_q_orders_by_relevance_unless_an_ordering_is_given(client):
    now = timezone.now()
    in_title = published_matter(title="居家养老服务补贴", summary="调整补贴标准。")
    in_body = published_matter(title="民生支出预算", summary="教育、养老、医疗支出。")
    Matter.objects.filter(pk=in_title.pk).update(updated_at=now - datetime.timedelta(days=9))
    Matter.objects.filter(pk=in_body.pk).update(updated_at=now)

    assert ids(client.get(LIST, {"q": "养老"})) == [in_title.pk, in_body.pk]
    assert ids(client.get(LIST, {"q": "养老", "ordering": "-modified"})) == [
        in_body.pk,
        in_title.pk,
    ]


def test_q_works_on_the_general_office_list_of_every_matter(client):
    draft = make_matter(title="养老机构等级评定办法", summary="拟开展等级评定。")
    published_matter(title="城市更新条例", summary="老旧小区改造。")
    client.force_login(ReviewerFactory())

    assert ids(client.get(LIST, {"q": "养老"})) == [draft.pk]
