"""The departments' pages of 建议提案办理: the list and its tabs, the item page, and each
handling step for the roles that may take it and those refused."""

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from proposals.models import CoDepartment, Contact, Extension, Proposal, Reply
from reminders.models import Reminder
from tests.proposals.staff_support import (
    AUTHOR_EMAIL,
    AUTHOR_PHONE,
    TODAY,
    assigned,
    at,
    clock,
    draft,
    handling,
    people,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock():
    with clock():
        yield


@pytest.fixture
def p():
    return people()


def signed_in(client, user):
    client.force_login(user)
    return client


def page(client, proposal):
    return client.get(reverse("proposals:staff_detail", args=[proposal.pk]))


# ----------------------------------------------------------------------------------- list


def test_the_list_shows_the_department_s_items_by_tab(client, p):
    waiting = assigned(p, title="待签收的建议")
    in_hand = handling(p, title="办理中的建议")
    late = handling(p, title="已逾期的建议")
    Proposal.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 6, 1))
    soon = handling(p, title="即将到期的建议")
    Proposal.objects.filter(pk=soon.pk).update(due_date=datetime.date(2026, 6, 20))
    registered(p, title="尚未交办的建议")
    signed_in(client, p.staff)
    url = reverse("proposals:staff_list")

    everything = client.get(url).content.decode()
    assert "待签收的建议" in everything and "办理中的建议" in everything
    assert "尚未交办的建议" not in everything

    to_sign = client.get(url, {"tab": "assigned"}).content.decode()
    assert "待签收的建议" in to_sign and "办理中的建议" not in to_sign
    overdue = client.get(url, {"tab": "overdue"}).content.decode()
    assert "已逾期的建议" in overdue and "即将到期的建议" not in overdue
    due_soon = client.get(url, {"tab": "due_soon"}).content.decode()
    assert "即将到期的建议" in due_soon and "已逾期的建议" not in due_soon
    assert waiting.pk and in_hand.pk


def test_the_co_department_sees_its_items_under_the_co_tab_and_others_see_nothing(client, p):
    assigned(p, title="会办的建议")
    signed_in(client, p.co_staff)
    body = client.get(reverse("proposals:staff_list"), {"tab": "co"}).content.decode()
    assert "会办的建议" in body
    assert "待签收" in body  # the tab still shows, with nothing of the co-department's own

    signed_in(client, p.other_staff)
    body = client.get(reverse("proposals:staff_list")).content.decode()
    assert "会办的建议" not in body
    assert "暂无建议提案" in body


def test_search_by_number_and_the_year_filter(client, p):
    assigned(p, number="0777", title="编号可查的建议")
    assigned(p, number="0888", title="另一件建议")
    signed_in(client, p.staff)
    url = reverse("proposals:staff_list")
    body = client.get(url, {"q": "第0777号"}).content.decode()
    assert "编号可查的建议" in body and "另一件建议" not in body
    body = client.get(url, {"year": "2026", "q": "不存在的标题"}).content.decode()
    assert "没有符合条件的建议提案" in body


def test_the_list_pages_by_twenty(client, p):
    for number in range(22):
        assigned(p, number=f"{number:04d}", co_role=None)
    signed_in(client, p.staff)
    first = client.get(reverse("proposals:staff_list"))
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("proposals:staff_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 2


def test_the_list_is_for_staff_only(client, p):
    assert client.get(reverse("proposals:staff_list")).status_code == 302
    signed_in(client, p.administrator)
    assert client.get(reverse("proposals:staff_list")).status_code == 200


# ------------------------------------------------------------------------------ item page


def test_the_item_page_shows_the_lead_author_s_contact_data_to_staff(client, p):
    proposal = handling(p)
    body = page(signed_in(client, p.staff), proposal).content.decode()
    assert AUTHOR_PHONE in body and AUTHOR_EMAIL in body
    assert "13698765432" not in body  # a co-signer's phone is not shown
    assert "电话沟通，代表同意办理思路。" in body  # the contact
    assert "签收建议提案" in body or "签收" in body  # the timeline


def test_the_item_page_is_refused_to_other_departments(client, p):
    proposal = assigned(p)
    assert page(signed_in(client, p.other_staff), proposal).status_code == 403
    assert page(signed_in(client, p.co_staff), proposal).status_code == 200
    assert page(signed_in(client, p.office), proposal).status_code == 200


def test_an_attachment_downloads_for_readers_only(client, p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from proposals import services
    from tests.factories import MINIMAL_PDF

    proposal = assigned(p)
    attachment = services.attachment_add(
        proposal, by=p.office, upload=SimpleUploadedFile("材料.pdf", MINIMAL_PDF), title="材料"
    )
    url = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
    response = signed_in(client, p.staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert signed_in(Client(), p.other_staff).get(url).status_code == 403


# ----------------------------------------------------------------------- sign for / return


def test_the_lead_department_signs_for_an_item(client, p):
    proposal = assigned(p)
    body = page(signed_in(client, p.staff), proposal).content.decode()
    assert "2026年6月22日" in body  # the sign-for deadline, after the Dragon Boat Festival
    response = client.post(reverse("proposals:sign_for", args=[proposal.pk]), follow=True)
    assert "已签收" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.HANDLING


@pytest.mark.parametrize("who", ["co_staff", "other_staff", "office", "administrator"])
def test_only_the_lead_department_signs_for_it(client, p, who):
    proposal = assigned(p)
    response = signed_in(client, getattr(p, who)).post(
        reverse("proposals:sign_for", args=[proposal.pk])
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED


def test_a_return_without_a_reason_is_refused_in_chinese(client, p):
    proposal = assigned(p)
    response = signed_in(client, p.staff).post(
        reverse("proposals:return", args=[proposal.pk]), {"return-reason": ""}
    )
    assert response.status_code == 200
    assert "请填写退回理由。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED


def test_a_return_within_the_window_goes_back_to_the_office(client, p):
    proposal = assigned(p)
    signed_in(client, p.staff).post(
        reverse("proposals:return", args=[proposal.pk]), {"return-reason": "不属于本单位职责。"}
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    assert proposal.assignments.get().return_reason == "不属于本单位职责。"


def test_after_the_window_the_page_says_return_is_no_longer_possible(client, p):
    proposal = assigned(p, now=at(5, 25))  # the window ended on 3 June
    body = page(signed_in(client, p.staff), proposal).content.decode()
    assert "已超过退回期限" in body
    assert 'name="return-reason"' not in body
    response = client.post(
        reverse("proposals:return", args=[proposal.pk]), {"return-reason": "不属于本单位职责。"}
    )
    body = response.content.decode()
    assert "已超过退回期限" in body
    assert "不属于本单位职责。" in body  # the input is kept
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED


# ----------------------------------------------------------------------------- handling


def test_a_contact_is_recorded(client, p):
    proposal = handling(p, contacted=False)
    signed_in(client, p.staff).post(
        reverse("proposals:contact_add", args=[proposal.pk]),
        {
            "contact-contacted_on": "2026-06-09",
            "contact-method": "in_person",
            "contact-note": "面商",
        },
    )
    contact = Contact.objects.get(proposal=proposal)
    assert contact.method == "in_person" and contact.note == "面商"


def test_a_contact_dated_tomorrow_is_refused_and_the_note_kept(client, p):
    proposal = handling(p, contacted=False)
    response = signed_in(client, p.staff).post(
        reverse("proposals:contact_add", args=[proposal.pk]),
        {
            "contact-contacted_on": "2026-06-11",
            "contact-method": "phone",
            "contact-note": "约谈纪要",
        },
    )
    body = response.content.decode()
    assert "联系日期不能晚于今天。" in body
    assert "约谈纪要" in body
    assert not Contact.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize("who", ["co_staff", "other_staff", "office"])
def test_only_the_lead_department_records_contacts(client, p, who):
    proposal = handling(p, contacted=False)
    response = signed_in(client, getattr(p, who)).post(
        reverse("proposals:contact_add", args=[proposal.pk]),
        {"contact-contacted_on": "2026-06-09", "contact-method": "phone", "contact-note": "x"},
    )
    assert response.status_code == 403


def test_the_co_department_gives_its_opinion(client, p):
    proposal = handling(p)
    url = reverse("proposals:co_opinion", args=[proposal.pk])
    signed_in(client, p.co_staff).post(url, {"co-opinion": "同意主办单位的办理意见。"})
    assert CoDepartment.objects.get(proposal=proposal).opinion == "同意主办单位的办理意见。"
    assert signed_in(Client(), p.staff).post(url, {"co-opinion": "x"}).status_code == 403


def test_an_extension_to_an_earlier_date_is_refused_with_the_input_kept(client, p):
    proposal = handling(p)
    response = signed_in(client, p.staff).post(
        reverse("proposals:extension_request", args=[proposal.pk]),
        {"extension-requested_due_date": "2026-06-05", "extension-reason": "需要协调财政资金。"},
    )
    body = response.content.decode()
    assert "申请延期的日期必须晚于现在的答复期限" in body
    assert "需要协调财政资金。" in body
    assert not Extension.objects.exists()


def test_an_extension_is_requested(client, p):
    proposal = handling(p)
    signed_in(client, p.staff).post(
        reverse("proposals:extension_request", args=[proposal.pk]),
        {"extension-requested_due_date": "2026-10-31", "extension-reason": "需要协调财政资金。"},
    )
    assert Extension.objects.get(proposal=proposal).status == Extension.Status.PENDING
    assert "正在等待市政府办公厅审批" in page(client, proposal).content.decode()


# -------------------------------------------------------------------------------- reply


@override_settings(PORTAL_PROPOSAL_REPLY_CLASSES={"A": "甲类（已解决）", "B": "乙类", "C": "丙类"})
def test_the_reply_form_shows_the_configured_class_labels(client, p):
    proposal = handling(p)
    body = signed_in(client, p.staff).get(reverse("proposals:reply_edit", args=[proposal.pk]))
    assert "甲类（已解决）" in body.content.decode()


def test_a_reply_with_missing_fields_keeps_the_input(client, p):
    proposal = handling(p)
    response = signed_in(client, p.staff).post(
        reverse("proposals:reply_edit", args=[proposal.pk]),
        {"document_number": "青民建字〔2026〕12号", "body": "答复正文草稿", "reply_class": ""},
    )
    body = response.content.decode()
    assert "请选择答复分类。" in body and "请填写联系人。" in body
    assert "答复正文草稿" in body
    assert not Reply.objects.exists()


def test_the_reply_is_drafted_signed_off_countersigned_and_sent(client, p, mailoutbox):
    proposal = handling(p)
    staff = signed_in(Client(), p.staff)
    staff.post(
        reverse("proposals:reply_edit", args=[proposal.pk]),
        {
            "document_number": "青民建字〔2026〕12号",
            "body": "您提出的建议收悉。",
            "reply_class": "A",
            "contact_person": "刘洋",
            "contact_phone": "0532-85911234",
            "copy_to": "市政府办公厅",
        },
    )
    reply = Reply.objects.get(proposal=proposal)
    body = page(staff, proposal).content.decode()
    assert "答复尚未经负责人审签" in body and "青岛市财政局尚未会签" in body

    # Not the clerk, not the co-department's leader: the lead department's leader signs off.
    sign_off = reverse("proposals:reply_sign_off", args=[reply.pk])
    assert staff.post(sign_off).status_code == 403
    assert signed_in(Client(), p.co_leader).post(sign_off).status_code == 403
    signed_in(Client(), p.leader).post(sign_off)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SIGNED_OFF and reply.signed_off_by == p.leader

    countersign = reverse("proposals:reply_countersign", args=[reply.pk])
    assert signed_in(Client(), p.co_staff).post(countersign).status_code == 403
    assert signed_in(Client(), p.leader).post(countersign).status_code == 403
    signed_in(Client(), p.co_leader).post(countersign)
    reply.refresh_from_db()
    assert str(p.co.pk) in reply.countersignatures

    send = reverse("proposals:reply_send", args=[reply.pk])
    assert signed_in(Client(), p.other_staff).post(send).status_code == 403
    response = staff.post(send, follow=True)
    assert "答复已发出" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED
    assert Reminder.objects.filter(kind=Reminder.Kind.PROPOSAL_REPLY).count() == 2


def test_sending_too_early_says_what_is_missing(client, p):
    proposal = handling(p, contacted=False)
    reply = draft(p, proposal)
    response = signed_in(client, p.staff).post(
        reverse("proposals:reply_send", args=[reply.pk]), follow=True
    )
    body = response.content.decode()
    assert "还不能发出答复" in body and "尚未记录与提出人的沟通联系" in body
    reply.refresh_from_db()
    assert reply.status == Reply.Status.DRAFT


def test_every_post_needs_the_csrf_token(p):
    proposal = assigned(p)
    client = Client(enforce_csrf_checks=True)
    client.force_login(p.staff)
    response = client.post(reverse("proposals:sign_for", args=[proposal.pk]))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED


def test_the_clock_is_the_fixed_day():
    from django.utils import timezone

    assert timezone.now() == TODAY


def test_the_list_and_the_item_page_take_a_fixed_number_of_queries(
    client, p, django_assert_max_num_queries
):
    from tests.proposals.staff_support import replied

    for number in range(12):
        assigned(p, number=f"{number:04d}", co_role=None)
    proposal, _reply = replied(p, number="0100")
    signed_in(client, p.staff)
    with django_assert_max_num_queries(14):
        client.get(reverse("proposals:staff_list"))
    # 2 more than before the security audit: the page shows the lead author's contact.
    with django_assert_max_num_queries(30):
        page(client, proposal)
    signed_in(client, p.office)
    with django_assert_max_num_queries(14):
        client.get(reverse("proposals:office_list"))


# ---------------------------------------------------------------- workbench and navigation


def test_the_workbench_counts_what_waits_for_the_department_and_the_office(client, p):
    assigned(p)
    assigned(p)
    late = handling(p)
    Proposal.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 6, 1))
    registered(p)
    body = signed_in(client, p.staff).get(reverse("workbench")).content.decode()
    assert "待签收的建议提案" in body and "2件" in body
    assert f"{reverse('proposals:staff_list')}?tab=assigned" in body
    assert "逾期未答复的建议提案" in body
    assert f'href="{reverse("proposals:staff_list")}"' in body  # the navigation

    body = signed_in(Client(), p.office).get(reverse("workbench")).content.decode()
    assert "待交办的建议提案" in body
    assert f"{reverse('proposals:office_list')}?queue=registered" in body

    body = signed_in(Client(), p.other_staff).get(reverse("workbench")).content.decode()
    assert "没有待签收、即将到期或逾期的建议提案。" in body
