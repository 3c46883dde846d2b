"""The reply letter (答复函) as a PDF: what it says, who may download it, and that it never
carries an author's phone number or e-mail address."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from participation import tokens
from proposals import reports
from proposals.models import Rating
from tests.proposals.staff_support import (
    AUTHOR_EMAIL,
    AUTHOR_PHONE,
    clock,
    draft,
    handling,
    people,
    replied,
)

pytestmark = pytest.mark.django_db

TOKEN = "a-rating-token-for-the-reply-letter-test-0123456789"


@pytest.fixture(autouse=True)
def fixed_clock():
    with clock():
        yield


@pytest.fixture
def p():
    return people()


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_the_letter_carries_the_official_parts_and_no_contact_data(p):
    proposal, reply = replied(p)
    text = text_of(reports.reply_pdf(reply))
    assert "青民建字〔2026〕12号" in text  # 文号
    assert "关于市十七届人大五次会议第" in text and "号建议的答复" in text
    assert "王建国代表：" in text  # 主送 the lead author
    assert f"签发人：{p.leader.display_name}" in text
    assert "联系人：刘洋" in text and "0532-85911234" in text
    assert "抄送：市人大常委会代表工作委员会" in text
    assert "青岛市民政局" in text and "2026年6月8日" in text
    assert "B类" in text
    for private in (AUTHOR_PHONE, AUTHOR_EMAIL, "13698765432", "co.signer@example.cn"):
        assert private not in text
    assert proposal.pk


def test_a_draft_is_marked_as_not_sent(p):
    proposal = handling(p)
    reply = draft(p, proposal)
    text = text_of(reports.reply_pdf(reply))
    assert "尚未发出" in text and "（尚未审签）" in text


def test_staff_who_read_the_item_download_the_draft_the_public_does_not(p):
    proposal = handling(p)
    reply = draft(p, proposal)
    url = reverse("proposals:reply_pdf", args=[reply.pk])
    staff = Client()
    staff.force_login(p.staff)
    response = staff.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Client().get(url).status_code == 404
    other = Client()
    other.force_login(p.other_staff)
    assert other.get(url).status_code == 404


def test_the_public_downloads_a_sent_letter_of_a_public_item_only(p):
    _proposal, reply = replied(p)
    assert Client().get(reverse("proposals:reply_pdf", args=[reply.pk])).status_code == 200
    _private, private_reply = replied(p, is_public=False)
    assert Client().get(reverse("proposals:reply_pdf", args=[private_reply.pk])).status_code == 404


def test_the_author_downloads_the_letter_through_the_personal_link(p):
    _proposal, reply = replied(p)
    Rating.objects.filter(reply=reply, author__role="lead").update(
        token_hash=tokens.token_hash(TOKEN)
    )
    response = Client().get(reverse("proposals:rating_pdf", args=[TOKEN]))
    assert response.status_code == 200
    assert "青民建字〔2026〕12号" in text_of(response.content)
    assert response["Referrer-Policy"] == "same-origin"
    assert Client().get(reverse("proposals:rating_pdf", args=[TOKEN + "x"])).status_code == 404
    page = Client().get(reverse("proposals:rating", args=[TOKEN])).content.decode()
    assert reverse("proposals:rating_pdf", args=[TOKEN]) in page
