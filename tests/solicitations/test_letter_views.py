"""The pages of written solicitation, through HTTP: the sending department drafts, addresses
and sends a letter; an addressed department's staff draft the answer and its leader signs
it; a deputy answers by the personal link; another department cannot see the letter; the
public matter page, the feedback report and the API show counts and bodies, never a
person's name."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from matters.services import matter_publish
from participation.models import Opinion, Participant
from reminders.models import Reminder
from solicitations.models import Addressee, Solicitation
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_participant,
    make_period,
)

pytestmark = pytest.mark.django_db

DEPUTY = "王建华"


@pytest.fixture
def world():
    staff = StaffFactory(email="sender@example.gov.cn")
    matter = matter_publish(
        matter=make_matter(by=staff, title="青岛市既有住宅加装电梯管理办法"), by=staff
    )
    period = make_period(matter=matter, by=staff)
    body = DepartmentFactory(name="青岛市财政局")
    return {
        "staff": staff,
        "matter": matter,
        "period": period,
        "body": body,
        "body_staff": StaffFactory(department=body, email="czj-staff@example.gov.cn"),
        "body_leader": LeaderFactory(department=body, email="czj-leader@example.gov.cn"),
        "deputy": make_participant(
            by=staff,
            name=DEPUTY,
            category=Participant.Category.NPC_DEPUTY,
            affiliation="市人大代表",
            email="deputy@example.com",
        ),
        "party": make_participant(
            by=staff,
            name="民建青岛市委",
            category=Participant.Category.DEMOCRATIC_PARTY,
            affiliation="",
            is_organisation=True,
        ),
    }


def _letter_post(world, **changes):
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    return {
        "period": world["period"].pk,
        "title": "关于征求《青岛市既有住宅加装电梯管理办法（征求意见稿）》意见的函",
        "reference_number": "青住建函〔2026〕31号",
        "body": "现将征求意见稿送上，请研究提出意见。",
        "deadline": deadline.isoformat(),
        "contact_name": "李明",
        "contact_phone": "0532-85912345",
        "deemed_no_opinion": "on",
        **changes,
    }


def _items(*contents, article="第十二条"):
    data = {
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "5",
        "items-MAX_NUM_FORMS": "50",
    }
    for index, content in enumerate(contents):
        data[f"items-{index}-article"] = article
        data[f"items-{index}-content"] = content
    return data


def _sent_letter(client, world) -> Solicitation:
    client.force_login(world["staff"])
    url = reverse("solicitations:solicitation_create") + f"?matter={world['matter'].pk}"
    response = client.post(url, _letter_post(world))
    assert response.status_code == 302, response.content.decode()
    solicitation = Solicitation.objects.get()
    response = client.post(
        reverse("solicitations:addressees_add", args=[solicitation.pk]),
        {
            "role": "main",
            "departments": [world["body"].pk],
            "participants": [world["deputy"].pk, world["party"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert solicitation.addressees.count() == 3
    response = client.post(reverse("solicitations:solicitation_send", args=[solicitation.pk]))
    assert response.status_code == 302
    solicitation.refresh_from_db()
    assert solicitation.status == Solicitation.Status.SENT
    return solicitation


def test_sending_department_drafts_addresses_and_sends(client, world):
    solicitation = _sent_letter(client, world)
    page = client.get(reverse("solicitations:solicitation_detail", args=[solicitation.pk]))
    text = page.content.decode()
    assert "青住建函〔2026〕31号" in text and "青岛市财政局" in text and DEPUTY in text
    # The letter went by e-mail: the deputy with a personal link, the body's members with
    # the answer page; the party has no e-mail (its answer will come on paper).
    letters = Reminder.objects.filter(kind=Reminder.Kind.SOLICITATION_LETTER)
    assert sorted(letters.values_list("recipient", flat=True)) == [
        "czj-leader@example.gov.cn",
        "czj-staff@example.gov.cn",
        "deputy@example.com",
    ]
    assert Reminder.objects.get(recipient="deputy@example.com").secret.startswith("http")


def test_letter_pdf_renders(client, world):
    solicitation = _sent_letter(client, world)
    response = client.get(reverse("solicitations:letter_pdf", args=[solicitation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_body_answers_staff_drafts_and_leader_signs(client, world):
    solicitation = _sent_letter(client, world)
    body = solicitation.addressees.get(department=world["body"])
    answer_url = reverse("solicitations:answer", args=[solicitation.pk, body.pk])
    sign_url = reverse("solicitations:answer_sign", args=[solicitation.pk, body.pk])

    client.force_login(world["body_staff"])
    # The body sees the letter it was sent, not the list of everyone else's answers.
    page = client.get(reverse("solicitations:solicitation_detail", args=[solicitation.pk]))
    assert page.status_code == 200 and DEPUTY not in page.content.decode()
    response = client.post(
        answer_url, {"answer": "opinions", "note": "", **_items("补助资金应分年度安排。")}
    )
    assert response.status_code == 302
    assert client.post(sign_url).status_code == 403  # staff cannot sign
    body.refresh_from_db()
    assert body.status == Addressee.Status.OUTSTANDING and body.prepared_at

    client.force_login(world["body_leader"])
    assert "签发反馈意见" in client.get(answer_url).content.decode()
    assert client.post(sign_url).status_code == 302
    body.refresh_from_db()
    assert body.status == Addressee.Status.ANSWERED
    assert body.signer_name == world["body_leader"].display_name
    opinion = Opinion.objects.get(channel=Opinion.Channel.WRITTEN)
    assert (opinion.period_id, opinion.article, opinion.author_name) == (
        world["period"].pk,
        "第十二条",
        "青岛市财政局",
    )


def test_a_deputy_answers_by_the_personal_link_once(client, world):
    _sent_letter(client, world)
    client.logout()
    link = Reminder.objects.get(recipient="deputy@example.com").secret
    path = re.sub(r"^https?://[^/]+", "", link)
    page = client.get(path)
    assert page.status_code == 200 and "反馈意见" in page.content.decode()
    response = client.post(path, {"answer": "none", "note": "", "signer_name": DEPUTY, **_items()})
    assert response.status_code == 200 and "反馈已收到" in response.content.decode()
    deputy = Addressee.objects.get(participant=world["deputy"])
    assert (deputy.status, deputy.answer, deputy.via) == ("answered", "none", "link")
    assert client.get(path).status_code == 404  # the link answers once


def test_a_refused_answer_keeps_what_was_typed(client, world):
    _sent_letter(client, world)
    client.logout()
    path = re.sub(
        r"^https?://[^/]+", "", Reminder.objects.get(recipient="deputy@example.com").secret
    )
    response = client.post(path, {"answer": "opinions", "signer_name": DEPUTY, **_items()})
    assert response.status_code == 200
    assert "请至少填写一条意见" in response.content.decode()
    assert Addressee.objects.get(participant=world["deputy"]).status == "outstanding"


def test_the_sending_department_types_in_a_paper_answer(client, world):
    solicitation = _sent_letter(client, world)
    party = solicitation.addressees.get(participant=world["party"])
    response = client.post(
        reverse("solicitations:paper_answer", args=[solicitation.pk, party.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            "signer_name": "",
            "answer": "opinions",
            "note": "",
            **_items("建议明确低收入家庭的补助标准。", article="第八条"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    party.refresh_from_db()
    assert (party.status, party.via, party.signer_name) == ("answered", "paper", "民建青岛市委")


def test_other_departments_and_the_office(client, world):
    solicitation = _sent_letter(client, world)
    detail = reverse("solicitations:solicitation_detail", args=[solicitation.pk])
    client.force_login(StaffFactory())
    assert client.get(detail).status_code == 404
    client.force_login(ReviewerFactory())
    assert client.get(detail).status_code == 200
    assert (
        client.post(reverse("solicitations:solicitation_send", args=[solicitation.pk])).status_code
        == 403
    )


def test_public_pages_and_api_give_counts_and_bodies_without_names(client, world):
    solicitation = _sent_letter(client, world)
    party = solicitation.addressees.get(participant=world["party"])
    client.post(
        reverse("solicitations:paper_answer", args=[solicitation.pk, party.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            "answer": "none",
            **_items(),
        },
    )
    client.logout()
    page = client.get(reverse("matters:public_detail", args=[world["matter"].pk]))
    text = page.content.decode()
    assert "书面征求意见" in text and "青岛市财政局" in text
    # Bodies are named (a party is an organisation, not a person); people are not.
    assert "民建青岛市委" in text and DEPUTY not in text
    body = client.get(f"/api/v1/matters/{world['matter'].pk}/").json()["solicitations"]
    assert (body["letters"], body["sent"], body["answered"], body["outstanding"]) == (1, 3, 1, 2)
    categories = {row["category"]: row for row in body["by_category"]}
    assert categories["democratic_party"]["no_opinion"] == 1
    assert DEPUTY not in str(body)


def test_the_workbench_lists_letters_awaiting_the_body(client, world):
    solicitation = _sent_letter(client, world)
    body = solicitation.addressees.get(department=world["body"])
    answer_url = reverse("solicitations:answer", args=[solicitation.pk, body.pk])
    client.force_login(world["body_staff"])
    page = client.get(reverse("workbench")).content.decode()
    assert "待反馈的征求意见函" in page and answer_url in page and "待起草反馈意见" in page
    client.post(answer_url, {"answer": "none", **_items()})
    client.force_login(world["body_leader"])
    assert "待您签发" in client.get(reverse("workbench")).content.decode()
    client.post(reverse("solicitations:answer_sign", args=[solicitation.pk, body.pk]))
    assert "待反馈的征求意见函" not in client.get(reverse("workbench")).content.decode()
    # The sending department has nothing to answer.
    client.force_login(world["staff"])
    assert "待反馈的征求意见函" not in client.get(reverse("workbench")).content.decode()


def test_more_opinion_boxes_keep_what_was_typed_and_save_nothing(client, world):
    _sent_letter(client, world)
    client.logout()
    path = re.sub(
        r"^https?://[^/]+", "", Reminder.objects.get(recipient="deputy@example.com").secret
    )
    data = {"answer": "opinions", "signer_name": DEPUTY, "more_items": "1"}
    data.update(_items("第一条意见。", "第二条意见。"))
    page = client.post(path, data)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="items-TOTAL_FORMS" value="10"' in text
    assert "第一条意见。" in text and "第二条意见。" in text
    assert "请选择" not in text  # nothing was checked
    assert Addressee.objects.get(participant=world["deputy"]).status == "outstanding"


def test_written_opinions_are_not_listed_publicly_and_hold_back_the_report(client, world):
    from core.exceptions import TransitionError
    from participation.selectors.comments import opinions_public
    from participation.services.comments import opinions_dispose
    from participation.services.feedback import feedback_publish

    solicitation = _sent_letter(client, world)
    party = solicitation.addressees.get(participant=world["party"])
    client.post(
        reverse("solicitations:paper_answer", args=[solicitation.pk, party.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            "answer": "opinions",
            **_items("建议明确补助标准。"),
        },
    )
    opinion = Opinion.objects.get(channel=Opinion.Channel.WRITTEN)
    assert opinion.moderation == Opinion.Moderation.SHOWN  # nothing waits for moderation
    assert not opinions_public(period=world["period"]).filter(pk=opinion.pk).exists()
    opinions_dispose(
        period=world["period"],
        by=world["staff"],
        opinion_ids=[opinion.pk],
        disposition="adopted",
    )
    later = world["period"].ends_at + datetime.timedelta(days=1)
    with pytest.raises(TransitionError, match="还在征求中"):
        feedback_publish(period=world["period"], by=world["staff"], summary="说明。", now=later)
    page = client.get(reverse("participation:feedback_edit", args=[world["period"].pk]))
    assert "还在征求中" in page.content.decode()
