"""The general office's pages of 建议提案办理: the list with its queues and the figures'
lists, intake, assignment and the office's steps on the item page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from proposals import services
from proposals.models import Evaluation, Extension, Proposal, Rating
from proposals.selectors import FIGURES
from tests.factories import make_participant
from tests.proposals.staff_support import (
    assigned,
    at,
    clock,
    handling,
    people,
    registered,
    replied,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock():
    with clock():
        yield


@pytest.fixture
def p():
    return people()


@pytest.fixture
def office(client, p):
    client.force_login(p.office)
    return client


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ----------------------------------------------------------------------------------- list


@pytest.mark.parametrize("who", ["staff", "leader", "administrator"])
def test_the_office_pages_are_the_general_office_s(p, who):
    client = as_user(getattr(p, who))
    for name in ("proposals:office_list", "proposals:register", "proposals:import"):
        assert client.get(reverse(name)).status_code == 403


def test_the_queues_count_what_waits_for_the_office(office, p):
    registered(p, title="待交办甲")
    registered(p, title="待交办乙")
    returned = assigned(p, title="被退回的建议")
    services.proposal_return(returned, by=p.staff, reason="不属于本单位职责。", now=at(6, 10))
    in_hand = handling(p, title="申请延期的建议")
    services.extension_request(
        in_hand, by=p.staff, requested_due_date=datetime.date(2026, 10, 1), reason="协调中"
    )
    response = office.get(reverse("proposals:office_list"))
    queues = {key: count for key, _label, count in response.context["queues"]}
    assert queues == {"registered": 2, "returned": 1, "extensions": 1, "replied": 0}
    body = office.get(reverse("proposals:office_list"), {"queue": "returned"}).content.decode()
    assert "被退回的建议" in body and "待交办甲" not in body


def test_the_filters_by_status_and_department(office, p):
    assigned(p, title="民政局的建议")
    registered(p, title="未交办的建议")
    url = reverse("proposals:office_list")
    body = office.get(url, {"department": p.lead.pk}).content.decode()
    assert "民政局的建议" in body and "未交办的建议" not in body
    body = office.get(url, {"status": "registered"}).content.decode()
    assert "未交办的建议" in body and "民政局的建议" not in body


def test_a_figure_lists_exactly_what_it_counts(office, p):
    returned = assigned(p, title="被退回过的建议")
    services.proposal_return(returned, by=p.staff, reason="不属于本单位职责。", now=at(6, 10))
    assigned(p, title="正常签收中的建议")
    assert "returned" in FIGURES
    body = office.get(
        reverse("proposals:office_list"),
        {"year": 2026, "figure": "returned", "department": p.lead.pk},
    ).content.decode()
    assert "被退回过的建议" in body and "正常签收中的建议" not in body
    assert "统计项：退回" in body


def test_an_unknown_figure_is_ignored_with_a_message(office, p):
    registered(p, title="任一建议")
    response = office.get(reverse("proposals:office_list"), {"figure": "no_such_figure"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "未知的统计项" in body and "任一建议" in body


# --------------------------------------------------------------------------------- intake


def register_data(p, **overrides):
    data = {
        "kind": "suggestion",
        "year": "2026",
        "number": "0321",
        "session": "市十七届人大五次会议",
        "source": "session",
        "title": "关于增加公共充电桩的建议",
        "body": "建议在老旧小区增设公共充电桩。",
        "lead_author": str(p.deputy.pk),
        "co_signers": [str(p.co_signer.pk)],
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_the_office_registers_an_item_and_goes_on_to_assign_it(office, p):
    response = office.post(reverse("proposals:register"), register_data(p))
    proposal = Proposal.objects.get(number="0321")
    assert response.url == reverse("proposals:assign", args=[proposal.pk])
    assert proposal.authors.get(role="lead").participant == p.deputy
    assert proposal.authors.count() == 2


def test_an_author_of_the_wrong_category_is_refused_with_the_input_kept(office, p):
    member = make_participant(by=p.office, name="政协委员甲", category="cppcc_member")
    response = office.post(reverse("proposals:register"), register_data(p, lead_author=member.pk))
    body = response.content.decode()
    assert "政协委员甲是政协委员，不能作为人大代表建议的提出人。" in body
    assert "关于增加公共充电桩的建议" in body
    assert not Proposal.objects.exists()


def test_a_duplicate_number_is_refused(office, p):
    registered(p, number="0321")
    response = office.post(reverse("proposals:register"), register_data(p))
    assert "2026年已有编号为0321的人大代表建议。" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_the_office_corrects_a_registration(office, p):
    proposal = registered(p)
    data = register_data(p, number=proposal.number, title="更正后的标题")
    office.post(reverse("proposals:edit", args=[proposal.pk]), data)
    proposal.refresh_from_db()
    assert proposal.title == "更正后的标题"


# ------------------------------------------------------------------------------ assignment


def test_assignment_proposes_the_default_due_date(office, p):
    proposal = registered(p)
    response = office.get(reverse("proposals:assign", args=[proposal.pk]))
    assert response.context["form"].initial["due_date"] == datetime.date(2026, 9, 10)


def test_the_office_assigns_with_co_departments(office, p):
    proposal = registered(p)
    office.post(
        reverse("proposals:assign", args=[proposal.pk]),
        {
            "department": p.lead.pk,
            "assisting": [p.co.pk],
            "joint": [p.other.pk],
            "due_date": "2026-09-30",
            "is_key": "on",
            "leading_leader": "王副市长",
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED
    assert proposal.lead_department == p.lead
    assert proposal.due_date == datetime.date(2026, 9, 30)
    assert proposal.leading_leader == "王副市长"
    roles = dict(proposal.co_departments.values_list("department_id", "role"))
    assert roles == {p.co.pk: "assisting", p.other.pk: "joint"}


def test_the_lead_department_cannot_be_its_own_co_department(office, p):
    proposal = registered(p)
    response = office.post(
        reverse("proposals:assign", args=[proposal.pk]),
        {"department": p.lead.pk, "assisting": [p.lead.pk], "due_date": "2026-09-30"},
    )
    assert "主办单位不能同时是协办或会办单位。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REGISTERED


def test_a_due_date_before_the_sign_for_window_ends_is_refused(office, p):
    proposal = registered(p)
    response = office.post(
        reverse("proposals:assign", args=[proposal.pk]),
        {"department": p.lead.pk, "due_date": "2026-06-12"},
    )
    assert "答复期限必须晚于签收期限" in response.content.decode()


def test_a_returned_item_is_reassigned(office, p):
    proposal = assigned(p)
    services.proposal_return(proposal, by=p.staff, reason="应由教育局办理。", now=at(6, 10))
    body = office.get(reverse("proposals:assign", args=[proposal.pk])).content.decode()
    assert "应由教育局办理。" in body and "重新交办" in body
    office.post(
        reverse("proposals:assign", args=[proposal.pk]),
        {"department": p.other.pk, "due_date": "2026-09-30"},
    )
    proposal.refresh_from_db()
    assert proposal.lead_department == p.other


# ---------------------------------------------------------------- the office's item steps


def test_refusing_an_extension_needs_a_reason(office, p):
    proposal = handling(p)
    extension = services.extension_request(
        proposal, by=p.staff, requested_due_date=datetime.date(2026, 10, 1), reason="协调中"
    )
    url = reverse("proposals:extension_decide", args=[extension.pk])
    response = office.post(url, {"decide-decision": "refuse", "decide-note": ""})
    assert "不同意延期时请填写理由。" in response.content.decode()
    office.post(url, {"decide-decision": "approve", "decide-note": ""})
    extension.refresh_from_db()
    proposal.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED
    assert proposal.due_date == datetime.date(2026, 10, 1)
    assert as_user(p.staff).post(url, {"decide-decision": "approve"}).status_code == 403


def test_a_paper_rating_of_dissatisfied_opens_the_second_round(office, p):
    proposal, reply = replied(p)
    lead_rating = Rating.objects.get(reply=reply, author__role="lead")
    office.post(
        reverse("proposals:paper_rating", args=[proposal.pk]),
        {"paper-rating": lead_rating.pk, "paper-result": "dissatisfied", "paper-comment": "未解决"},
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SECOND_ROUND
    lead_rating.refresh_from_db()
    assert lead_rating.channel == "paper"


def test_delivery_to_the_transferring_body_is_recorded(office, p):
    _proposal, reply = replied(p)
    office.post(reverse("proposals:reply_delivery", args=[reply.pk]), {"delivery-to": "body"})
    reply.refresh_from_db()
    assert reply.delivered_to_body_at is not None


def test_close_then_a_further_round_and_the_evaluation(office, p):
    proposal, _reply = replied(p)
    response = office.post(reverse("proposals:close", args=[proposal.pk]), {"close-reason": ""})
    assert "请填写理由。" in response.content.decode()
    office.post(reverse("proposals:close", args=[proposal.pk]), {"close-reason": "测评期满。"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED

    office.post(
        reverse("proposals:evaluation", args=[proposal.pk]),
        {
            "evaluation-verdict": "completed",
            "evaluation-panel": "青岛市社会科学院",
            "evaluation-evaluated_on": "2026-06-09",
        },
    )
    assert Evaluation.objects.get(proposal=proposal).verdict == "completed"

    office.post(
        reverse("proposals:further_round", args=[proposal.pk]),
        {"further-reason": "代表再次反映。"},
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SECOND_ROUND and proposal.round == 2


@pytest.mark.parametrize("name", ["close", "further_round", "evaluation", "paper_rating"])
def test_the_office_steps_are_refused_to_departments(p, name):
    proposal, _reply = replied(p)
    for who in (p.staff, p.leader, p.administrator):
        assert (
            as_user(who).post(reverse(f"proposals:{name}", args=[proposal.pk])).status_code == 403
        )


def test_the_ledger_page_names_the_departments_of_an_assignment(office, p):
    """The assignment's ledger row names departments by code, as every ledger row does:
    the ledger page shows their names (it once failed on the ids)."""
    proposal = assigned(p)
    response = office.get(reverse("matters:ledger"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "青岛市财政局" in body and proposal.reference in body


def test_an_unknown_department_leaves_the_other_filters_working(office, p):
    registered(p, title="今年的建议")
    registered(p, title="去年的建议", year=2025)
    response = office.get(reverse("proposals:office_list"), {"year": 2026, "department": 999999})
    body = response.content.decode()
    assert "今年的建议" in body and "去年的建议" not in body


def test_an_attachment_comes_with_the_registration_and_a_bad_one_refuses_it(office, p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import MINIMAL_PDF

    bad = SimpleUploadedFile("附件.pdf", b"MZ not a pdf at all")
    response = office.post(reverse("proposals:register"), {**register_data(p), "attachment": bad})
    assert "不支持的文件类型" in response.content.decode()
    assert not Proposal.objects.exists()

    good = SimpleUploadedFile("附件.pdf", MINIMAL_PDF)
    office.post(
        reverse("proposals:register"),
        {**register_data(p), "attachment": good, "attachment_title": "调研报告"},
    )
    assert Proposal.objects.get().attachments.get().title == "调研报告"
