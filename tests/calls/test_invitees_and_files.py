"""Registry participants invited to a call propose by a personal link (kept only as a
hash, several proposals while the call is open, signed with the registry's name), and a
proposal may carry files, checked by their content and served only to whoever screens it."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Call, CallInvitee, Submission, SubmissionFile
from core.exceptions import TransitionError
from matters.models import LedgerEntry
from reminders.models import Reminder
from tests.factories import (
    MINIMAL_PDF,
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_call,
    make_participant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return ReviewerFactory()


@pytest.fixture
def call(office):
    return make_call(
        by=office,
        kind=Call.Kind.LEGISLATION,
        title="2027年度立法项目建议征集",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )


def pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def secret_of(participant) -> str:
    return Reminder.objects.get(
        kind=Reminder.Kind.CALL_INVITATION, recipient=participant.email
    ).secret


def token_of(participant) -> str:
    return secret_of(participant).rstrip("/").rsplit("/", 1)[-1]


class TestInviting:
    def test_invites_by_person_and_category_once_each(self, call, office):
        deputy = make_participant(category="npc_deputy", email="deputy@example.cn")
        make_participant(category="expert", name="专家甲", email="expert@example.cn")
        no_mail = make_participant(category="expert", name="专家乙", email="")
        batch = services.call_invite(
            call=call, by=office, participants=[deputy], categories=["expert"]
        )
        assert len(batch.created) == 3 and batch.without_email == [no_mail]
        again = services.call_invite(call=call, by=office, participants=[deputy])
        assert again.created == [] and again.already == [deputy]
        assert CallInvitee.objects.filter(call=call).count() == 3
        mails = Reminder.objects.filter(kind=Reminder.Kind.CALL_INVITATION)
        assert mails.count() == 2
        mail = mails.get(recipient="deputy@example.cn")
        assert call.title in mail.subject and call.title in mail.body_text
        # Only the hash of the link is kept with the invitee.
        invitee = CallInvitee.objects.get(participant=deputy)
        token = token_of(deputy)
        assert token not in invitee.token_hash
        assert invitee.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert services.invitee_by_token(token) == invitee
        row = LedgerEntry.objects.get(object_type="call", action="call_invited")
        assert deputy.name in row.summary and row.after["participants"]

    def test_no_invitations_once_the_call_has_closed(self, call, office):
        Call.objects.filter(pk=call.pk).update(ends_at=timezone.now())
        with pytest.raises(TransitionError, match="征集已经截止"):
            services.call_invite(
                call=call, by=office, participants=[make_participant(email="a@example.cn")]
            )

    def test_the_link_of_an_unpublished_call_opens_nothing(self, office):
        now = timezone.now()
        draft = services.call_create(
            by=office,
            department=office.department,
            kind=Call.Kind.TOPICS,
            title="草稿征集",
            year=now.year + 1,
            scope="范围",
            guidance="说明",
            starts_at=now,
            ends_at=now + datetime.timedelta(days=3),
        )
        person = make_participant(email="p@example.cn")
        services.call_invite(call=draft, by=office, participants=[person])
        assert services.invitee_by_token(token_of(person)) is None


class TestProposingByLink:
    def test_signed_with_the_registry_name_and_counted_per_link(self, call, office, settings):
        person = make_participant(name="李委员", category="cppcc_member", email="li@example.cn")
        invitee = services.call_invite(call=call, by=office, participants=[person]).created[0]
        first = services.submission_submit_by_link(
            invitee=invitee, title="制定养老服务条例", reasons="养老服务缺少地方立法。"
        )
        assert first.channel == Submission.Channel.LINK
        assert first.invitee == invitee and first.author_name == "李委员" and first.contact == ""
        settings.PORTAL_CALL_PROPOSALS_PER_LINK = 2
        services.submission_submit_by_link(invitee=invitee, title="第二条", reasons="理由。")
        with pytest.raises(TransitionError, match="最多提交2条"):
            services.submission_submit_by_link(invitee=invitee, title="第三条", reasons="理由。")

    def test_only_while_the_call_is_open(self, call, office):
        person = make_participant(email="x@example.cn")
        invitee = services.call_invite(call=call, by=office, participants=[person]).created[0]
        with pytest.raises(TransitionError, match="征集已结束"):
            services.submission_submit_by_link(
                invitee=invitee, title="题目", reasons="理由", now=call.ends_at
            )

    def test_the_database_ties_the_link_channel_to_an_invitee(self, call):
        from django.db import IntegrityError, transaction

        submission = services.submission_submit(call=call, title="题目", reasons="理由")
        with pytest.raises(IntegrityError), transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(channel="link")


class TestFiles:
    def test_a_public_proposal_keeps_its_checked_files(self, call):
        submission = services.submission_submit(
            call=call, title="题目", reasons="理由", files=[pdf(), pdf("附表.pdf")]
        )
        files = list(submission.files.all())
        assert [f.original_name for f in files] == ["说明.pdf", "附表.pdf"]
        assert files[0].content_type == "application/pdf" and files[0].size == len(MINIMAL_PDF)
        assert files[0].file.read() == MINIMAL_PDF
        # The stored name never comes from the proposer.
        assert "说明" not in files[0].file.name
        assert files[0].file.name.startswith(f"calls/{call.pk}/{submission.pk}/")

    def test_refuses_a_file_by_its_content_and_stores_nothing(self, call):
        disguised = SimpleUploadedFile("简历.pdf", b"MZ\x90\x00 an executable", "application/pdf")
        with pytest.raises(TransitionError, match=r"附件“简历\.pdf”：不支持的文件类型"):
            services.submission_submit(
                call=call, title="题目", reasons="理由", files=[pdf(), disguised]
            )
        assert not Submission.objects.exists() and not SubmissionFile.objects.exists()

    def test_refuses_an_archive_bomb(self, call):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            for n in range(2001):  # more parts than any real document has
                archive.writestr(f"word/media/{n}.xml", b"0")
        bomb = SimpleUploadedFile("建议.docx", buffer.getvalue())
        with pytest.raises(TransitionError, match=r"附件“建议\.docx”"):
            services.submission_submit(call=call, title="题目", reasons="理由", files=[bomb])

    @override_settings(PORTAL_CALL_MAX_FILES=2)
    def test_refuses_more_files_than_allowed(self, call):
        with pytest.raises(TransitionError, match="附件最多2个"):
            services.submission_submit(
                call=call, title="题目", reasons="理由", files=[pdf(), pdf(), pdf()]
            )

    def test_paper_entry_takes_the_scanned_letter(self, call, office):
        submission = services.submission_enter(
            call=call,
            by=office,
            received_on=timezone.localdate(),
            title="来信建议",
            reasons="理由",
            files=[pdf("来信扫描件.pdf")],
        )
        assert submission.files.get().original_name == "来信扫描件.pdf"
        row = LedgerEntry.objects.get(object_type="call", action="call_submission_entered")
        assert row.after["files"] == 1


# --------------------------------------------------------------------------- the pages


def test_an_invited_member_proposes_through_the_link(client, call, office):
    person = make_participant(name="王代表", category="npc_deputy", email="wang@example.cn")
    client.force_login(office)
    url = reverse("calls:invitees", args=[call.pk])
    response = client.post(url, {"participants": [person.pk]}, follow=True)
    text = response.content.decode()
    assert "已邀请1位参与主体" in text and "王代表" in text
    assert secret_of(person) not in text  # staff never see a personal link
    client.logout()

    link = reverse("calls:link", args=[token_of(person)])
    opened = client.get(link)
    assert opened.status_code == 200
    assert opened["X-Robots-Tag"] == "noindex, nofollow"
    assert opened["Referrer-Policy"] == "no-referrer"
    body = opened.content.decode()
    assert "王代表" in body and "您尚未通过此链接提交建议" in body
    assert 'name="contact"' not in body and 'name="website"' not in body
    refused = client.post(link, {"title": "", "reasons": "理由"})
    assert refused.status_code == 422 and "请填写建议题目。" in refused.content.decode()
    sent = client.post(
        link,
        {"title": "制定物业管理条例修正案", "reasons": "物业纠纷多发。", "files": [pdf()]},
        follow=True,
    )
    submission = Submission.objects.get()
    page = sent.content.decode()
    assert submission.receipt in page and "制定物业管理条例修正案" in page
    assert submission.channel == "link" and submission.files.count() == 1
    assert client.get(reverse("calls:link", args=["not-a-token"])).status_code == 404

    # Staff see who proposed it and download the file; the public never can.
    client.force_login(office)
    screen = client.get(reverse("calls:screen", args=[submission.pk])).content.decode()
    assert "王代表" in screen and "说明.pdf" in screen
    file_url = reverse("calls:submission_file", args=[submission.pk, submission.files.get().pk])
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    invited = client.get(url).content.decode()
    assert "已提出建议" in invited and "1条" in invited
    client.logout()
    assert client.get(file_url).status_code == 302  # to the sign-in page

    # Once closed, the link shows what was sent; after the result, its outcome.
    Call.objects.filter(pk=call.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    closed = client.post(link, {"title": "迟到的建议", "reasons": "理由"})
    assert closed.status_code == 409 and Submission.objects.count() == 1
    services.submission_screen(
        submission=submission, by=office, outcome="rejected", note="已列入明年调研。"
    )
    services.results_publish(call=call, by=office, summary="共收到1条。")
    after = client.get(link).content.decode()
    assert "不予采纳" in after and "已列入明年调研。" in after


def test_the_public_form_takes_files_and_says_which_one_is_refused(client, call):
    url = reverse("calls:detail", args=[call.pk])
    bad = client.post(
        url,
        {
            "title": "关于夜间经济的议题",
            "reasons": "理由",
            "files": [SimpleUploadedFile("图片.png", b"not an image at all")],
        },
    )
    text = bad.content.decode()
    assert bad.status_code == 200 and "附件“图片.png”：不支持的文件类型" in text
    assert "关于夜间经济的议题" in text  # what was typed stays
    assert not Submission.objects.exists()
    good = client.post(url, {"title": "关于夜间经济的议题", "reasons": "理由", "files": [pdf()]})
    assert good.status_code == 302
    submission = Submission.objects.get()
    assert submission.files.count() == 1
    # The public pages and the API never mention the file.
    assert "说明.pdf" not in client.get(url).content.decode()
    assert "说明.pdf" not in client.get("/api/v1/calls/").content.decode()


def test_who_may_invite_and_download(client, call, office):
    other = DepartmentFactory()
    outsider = StaffFactory(department=other)
    submission = services.submission_submit(call=call, title="题目", reasons="理由", files=[pdf()])
    file_url = reverse("calls:submission_file", args=[submission.pk, submission.files.get().pk])
    client.force_login(outsider)
    assert client.get(reverse("calls:invitees", args=[call.pk])).status_code == 404
    assert client.get(file_url).status_code == 404
    # Passed to the outsider's department: now it may read the proposal and its file.
    services.submission_screen(
        submission=submission, by=office, outcome="transferred", transferred_to=other
    )
    assert client.get(file_url).status_code == 200
    assert client.get(reverse("calls:invitees", args=[call.pk])).status_code == 403
