"""The Atom feed of newly published matters and catalogs."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from annual_plans.models import AnnualPlan
from matters.models import Matter
from matters.services import matter_publish, matter_withdraw
from proposals.models import Proposal
from tests.factories import make_matter, make_plan
from tests.proposals.public_support import PRIVATE_STRINGS, Desk

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = "/feeds/published.atom"


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def published_matter(*, title: str, days_ago: int, **fields) -> Matter:
    matter = make_matter(title=title, **fields)
    matter_publish(matter=matter, by=matter.created_by)
    Matter.objects.filter(pk=matter.pk).update(published_at=_at(days_ago))
    matter.refresh_from_db()
    return matter


def published_plan(*, days_ago: int, items: int = 2) -> AnnualPlan:
    plan = make_plan(status="published", items=items)
    AnnualPlan.objects.filter(pk=plan.pk).update(published_at=_at(days_ago))
    plan.refresh_from_db()
    return plan


def fetch(client) -> ET.Element:
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own response


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def test_feed_url_is_named():
    assert reverse("opendata:feed") == FEED_URL


def test_feed_is_atom_with_the_portal_title(client):
    feed = fetch(client)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-hans"
    assert feed.findtext(f"{ATOM}title") == (
        "青岛市政府协商工作平台：新公开的协商事项、计划目录和建议提案答复"
    )
    assert feed.findtext(f"{ATOM}id")
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href").endswith(FEED_URL)
    assert entries(feed) == []


def test_feed_lists_a_published_matter_and_a_published_catalog(client):
    matter = published_matter(title="关于调整公共停车场收费标准的协商", days_ago=2)
    plan = published_plan(days_ago=1, items=3)

    feed = fetch(client)
    by_title = {entry.findtext(f"{ATOM}title"): entry for entry in entries(feed)}

    matter_entry = by_title["关于调整公共停车场收费标准的协商"]
    link = matter_entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/matters/{matter.pk}/"
    assert matter_entry.findtext(f"{ATOM}id") == link
    assert matter_entry.findtext(f"{ATOM}summary") == matter.summary
    assert matter_entry.findtext(f"{ATOM}author/{ATOM}name") == matter.department.name
    categories = {c.get("term") for c in matter_entry.findall(f"{ATOM}category")}
    assert categories == {"协商事项", "行政决策协商"}
    updated = datetime.datetime.fromisoformat(matter_entry.findtext(f"{ATOM}updated"))
    assert abs(updated - matter.published_at) < datetime.timedelta(seconds=1)

    plan_entry = by_title[str(plan)]
    link = plan_entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/catalogs/plans/{plan.pk}/"
    assert plan_entry.findtext(f"{ATOM}id") == link
    summary = plan_entry.findtext(f"{ATOM}summary")
    assert plan.department.name in summary
    assert "2026年度" in summary
    assert "共3个协商事项" in summary
    assert plan_entry.findtext(f"{ATOM}author/{ATOM}name") == plan.department.name
    assert {c.get("term") for c in plan_entry.findall(f"{ATOM}category")} == {"年度计划目录"}


def test_feed_leaves_out_what_is_not_public(client):
    published_matter(title="已经公开的事项", days_ago=3)
    make_matter(title="尚未公开的事项")
    withdrawn = published_matter(title="撤回公开的事项", days_ago=1)
    matter_withdraw(matter=withdrawn, by=withdrawn.created_by, reason="内容需要调整。")
    accepted = make_plan(status="accepted")
    draft = make_plan(status="draft")

    titles = [entry.findtext(f"{ATOM}title") for entry in entries(fetch(client))]

    assert titles == ["已经公开的事项"]
    assert str(accepted) not in titles
    assert str(draft) not in titles


def test_feed_is_newest_first_mixing_matters_and_catalogs(client):
    published_matter(title="五天前公开的事项", days_ago=5)
    newest_plan = published_plan(days_ago=1)
    published_matter(title="三天前公开的事项", days_ago=3)
    older_plan = published_plan(days_ago=4)

    feed = fetch(client)
    titles = [entry.findtext(f"{ATOM}title") for entry in entries(feed)]
    assert titles == [str(newest_plan), "三天前公开的事项", str(older_plan), "五天前公开的事项"]
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries(feed)]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]


def test_feed_keeps_only_the_newest_entries(client, monkeypatch):
    monkeypatch.setattr("api.feeds.FEED_SIZE", 2)
    published_matter(title="最早的事项", days_ago=9)
    published_plan(days_ago=8)
    published_matter(title="较新的事项", days_ago=2)
    newest_plan = published_plan(days_ago=1)

    titles = [entry.findtext(f"{ATOM}title") for entry in entries(fetch(client))]

    assert titles == [str(newest_plan), "较新的事项"]


def test_feed_costs_the_same_few_queries_however_many_entries(
    client, django_assert_max_num_queries
):
    for n in range(4):
        published_matter(title=f"事项{n}", days_ago=n + 1)
        published_plan(days_ago=n + 1, items=n + 1)

    Desk().replied()
    # matters, their policy areas, catalogs, their items; replied proposals
    with django_assert_max_num_queries(5):
        feed = fetch(client)
    assert len(entries(feed)) == 9


def test_feed_lists_replies_to_public_suggestions_and_proposals_only(client):
    desk = Desk()
    replied = desk.replied(title="关于社区养老的建议", reply_class="B", private_authors=True)
    Proposal.objects.filter(pk=replied.pk).update(replied_at=_at(2))
    desk.handling(title="尚未答复的建议")
    desk.replied(title="不公开的建议", is_public=False)
    published_matter(title="一天前公开的事项", days_ago=1)

    feed = fetch(client)
    found = entries(feed)

    assert [entry.findtext(f"{ATOM}title") for entry in found] == [
        "一天前公开的事项",
        f"{replied.reference}答复：关于社区养老的建议",
    ]
    entry = found[1]
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(reverse("proposals:public_detail", args=[replied.pk]))
    assert entry.findtext(f"{ATOM}summary") == (
        "青岛市民政局答复，B类：所提问题正在解决或列入计划逐步解决。"
    )
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [
        "建议提案答复",
        "人大代表建议",
    ]
    text = client.get(FEED_URL).content.decode()
    assert [private for private in PRIVATE_STRINGS if private in text] == []


def test_every_page_advertises_the_feed(client):
    response = client.get("/")
    assert (
        f'<link rel="alternate" type="application/atom+xml" href="{FEED_URL}"'
        in response.content.decode()
    )
