"""The author's personal rating link through the browser's eyes: a wrong link is 404, an
expired one 410, a used one shows the rating given and refuses another (409); the page is
never cached, indexed or leaked in a referrer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Proposal, Rating

from .test_services import (  # noqa: F401 - fixtures
    _run_on_commit,
    lead,
    leader,
    office,
    sent,
    staff,
    token_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(office, lead, staff, leader):  # noqa: F811
    """A reply sent now (so its link is open), and the lead author's link from the e-mail."""
    proposal, reply = sent(office, lead, staff, leader, now=timezone.now())
    rating = reply.ratings.get()
    return proposal, rating, reverse("proposals:rating", args=[token_of(rating)])


def test_the_link_shows_the_reply_and_takes_one_rating(client, link):
    proposal, rating, url = link
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert rating.reply.document_number in body and "提交测评" in body
    assert reverse("proposals:rating_pdf", args=[url.rstrip("/").rsplit("/", 1)[1]]) in body
    assert "noindex" in body
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]

    answer = client.post(url, {"result": "satisfied", "comment": "办理认真"})
    assert answer.status_code == 302 and answer["Location"] == url
    rating.refresh_from_db()
    assert (rating.result, rating.channel, rating.comment) == ("satisfied", "link", "办理认真")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED

    again = client.post(url, {"result": "dissatisfied"})
    assert again.status_code == 409
    assert "测评结果不能通过此链接修改" in again.content.decode()
    assert "提交测评" not in again.content.decode()
    rating.refresh_from_db()
    assert rating.result == "satisfied"
    # Reading it again afterwards still shows the letter and the rating given.
    assert client.get(url).status_code == 200


def test_a_wrong_link_is_404(client, link):
    _proposal, _rating, url = link
    assert client.get(url[:-2] + "x/").status_code == 404
    assert client.post(url[:-2] + "x/", {"result": "satisfied"}).status_code == 404


def test_an_expired_link_is_410_and_records_nothing(client, link):
    _proposal, rating, url = link
    Rating.objects.filter(pk=rating.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.get(url)
    assert page.status_code == 410
    assert "已于" in page.content.decode() and "过期" in page.content.decode()
    assert client.post(url, {"result": "dissatisfied"}).status_code == 410
    rating.refresh_from_db()
    assert rating.result == ""


def test_an_invalid_answer_is_shown_again_with_its_error(client, link):
    _proposal, rating, url = link
    page = client.post(url, {"comment": "没有选择结果"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "请选择测评结果。" in body and "没有选择结果" in body
    rating.refresh_from_db()
    assert rating.result == ""


def test_dissatisfied_through_the_link_opens_the_second_round(client, link):
    proposal, _rating, url = link
    client.post(url, {"result": "dissatisfied", "comment": "问题没有解决"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SECOND_ROUND and proposal.round == 2
