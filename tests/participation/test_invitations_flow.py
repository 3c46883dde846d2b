"""Invitations: sending, personal links, replies, resend, attendance, permissions."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import TransitionError
from matters.models import LedgerEntry
from participation import tokens
from participation.events import Action
from participation.models import Activity, Invitation, Participant
from participation.services import invitations as services
from tests.factories import ReviewerFactory, StaffFactory, make_matter

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://portal\.example\.gov\.cn/invitations/([A-Za-z0-9_\-]+)/")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"


def _activity(*, staff=None, days=20, **fields) -> Activity:
    staff = staff or StaffFactory()
    matter = make_matter(by=staff)
    starts = timezone.now() + datetime.timedelta(days=days)
    values = {
        "matter": matter,
        "kind": Activity.Kind.SYMPOSIUM,
        "title": "城市更新政策座谈会",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "place": "市政府第一会议室",
        "agenda": "一、介绍草案\n二、听取意见",
        "created_by": staff,
        **fields,
    }
    return Activity.objects.create(**values)


def _participant(by, *, name="张伟", category=Participant.Category.EXPERT, **fields):
    values = {
        "name": name,
        "category": category,
        "affiliation": f"{name}所在单位",
        "email": f"{abs(hash(name)) % 10**8}@example.com",
        "phone": "13800000000",
        "created_by": by,
        **fields,
    }
    return Participant.objects.create(**values)


def _invite(activity, staff, participants, mailoutbox, capture, **kwargs):
    deadline = kwargs.pop("reply_deadline", activity.starts_at - datetime.timedelta(days=2))
    with capture(execute=True):
        batch = services.invitations_send(
            activity=activity,
            by=staff,
            reply_deadline=deadline,
            participants=participants,
            **kwargs,
        )
    return batch


def _token_from(mail) -> str:
    return LINK.search(mail.body).group(1)


@pytest.fixture
def setup(django_capture_on_commit_callbacks, mailoutbox):
    staff = StaffFactory()
    activity = _activity(staff=staff)
    expert = _participant(staff, name="张伟")
    return staff, activity, expert


def test_invitation_email_carries_a_working_personal_link(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    batch = _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    assert len(batch.created) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [expert.email]
    assert mail.subject == "邀请您参加“城市更新政策座谈会”"
    token = _token_from(mail)
    link = f"https://portal.example.gov.cn/invitations/{token}/"
    assert link in mail.body
    assert link in mail.alternatives[0][0]
    invitation = batch.created[0]
    # Only the hash is stored.
    assert invitation.token_hash == tokens.token_hash(token)
    assert token not in invitation.token_hash
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "城市更新政策座谈会" in text
    assert "市政府第一会议室" in text
    assert "听取意见" in text
    assert response["Referrer-Policy"] == "same-origin"
    ledger = LedgerEntry.objects.get(action=Action.INVITATIONS_SENT)
    assert ledger.actor == staff
    assert ledger.after["participants"] == [expert.pk]


def test_reply_page_does_not_show_other_invitees(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    other = _participant(staff, name="李娜", category=Participant.Category.NPC_DEPUTY)
    _invite(activity, staff, [expert, other], mailoutbox, django_capture_on_commit_callbacks)
    mail = next(m for m in mailoutbox if m.to == [expert.email])
    text = client.get(f"/invitations/{_token_from(mail)}/").content.decode()
    assert "张伟" in text
    assert "李娜" not in text
    assert other.email not in text


def test_wrong_token_is_404(client):
    assert client.get("/invitations/not-a-real-token/").status_code == 404
    assert client.post("/invitations/not-a-real-token/", {"answer": "accept"}).status_code == 404


def test_reply_can_be_changed_until_deadline_each_reply_in_ledger(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    url = f"/invitations/{_token_from(mailoutbox[0])}/"
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.ACCEPTED
    response = client.post(url, {"answer": "decline", "decline_reason": "当天有会"}, follow=True)
    assert "您的回复已收到" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.decline_reason == "当天有会"
    rows = LedgerEntry.objects.filter(action=Action.INVITATION_REPLIED).order_by("pk")
    assert [row.after["status"] for row in rows] == ["accepted", "declined"]
    assert all(row.actor is None for row in rows)
    assert rows[1].before["status"] == "accepted"


def test_decline_reason_is_optional(setup, mailoutbox, django_capture_on_commit_callbacks, client):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    client.post(f"/invitations/{_token_from(mailoutbox[0])}/", {"answer": "decline"})
    assert Invitation.objects.get().status == Invitation.Status.DECLINED


def test_expired_link_shows_expired_page_and_changes_nothing(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    token = _token_from(mailoutbox[0])
    Invitation.objects.update(reply_deadline=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert "回复期限已过" in response.content.decode()
    response = client.post(f"/invitations/{token}/", {"answer": "accept"})
    assert response.status_code == 410
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert not LedgerEntry.objects.filter(action=Action.INVITATION_REPLIED).exists()
    with pytest.raises(services.ReplyClosed):
        services.invitation_reply(token=token, accept=True)


def test_token_answers_only_its_own_invitation(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    other = _participant(staff, name="李娜")
    _invite(activity, staff, [expert, other], mailoutbox, django_capture_on_commit_callbacks)
    mine = Invitation.objects.get(participant=expert)
    theirs = Invitation.objects.get(participant=other)
    token = _token_from(next(m for m in mailoutbox if m.to == [expert.email]))
    # Extra fields naming another invitation are ignored: the token alone decides.
    client.post(
        f"/invitations/{token}/",
        {"answer": "accept", "invitation": theirs.pk, "pk": theirs.pk, "id": theirs.pk},
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Invitation.Status.ACCEPTED
    assert theirs.status == Invitation.Status.PENDING
    # The same token on another activity's invitation is impossible: hashes are unique.
    second = _activity(staff=staff, title="第二场座谈会")
    _invite(second, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    assert Invitation.objects.filter(token_hash=tokens.token_hash(token)).count() == 1


def test_resend_gives_new_link_and_old_one_stops_working(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    old = _token_from(mailoutbox[0])
    invitation = Invitation.objects.get()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participation:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    new = _token_from(mailoutbox[1])
    assert new != old
    client.logout()
    assert client.get(f"/invitations/{old}/").status_code == 404
    assert client.get(f"/invitations/{new}/").status_code == 200
    assert LedgerEntry.objects.filter(action=Action.INVITATIONS_SENT).count() == 2


def test_reinviting_is_reported_not_an_error(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    client.force_login(staff)
    deadline = timezone.localtime(activity.starts_at - datetime.timedelta(days=3))
    response = client.post(
        reverse("participation:invitation_list", args=[activity.pk]),
        {"participants": [expert.pk], "reply_deadline": deadline.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert response.status_code == 200
    assert "已经邀请过" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1


def test_category_invitation_picks_only_active_participants_of_those_categories(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    staff, activity, expert = setup
    deputy = _participant(staff, name="王芳", category=Participant.Category.NPC_DEPUTY)
    _participant(staff, name="停用代表", category=Participant.Category.NPC_DEPUTY, is_active=False)
    _participant(staff, name="政协委员甲", category=Participant.Category.CPPCC_MEMBER)
    no_mail = _participant(staff, name="刘强", category=Participant.Category.NPC_DEPUTY, email="")
    batch = _invite(
        activity,
        staff,
        [],
        mailoutbox,
        django_capture_on_commit_callbacks,
        categories=[Participant.Category.NPC_DEPUTY, Participant.Category.EXPERT],
    )
    invited = set(Invitation.objects.values_list("participant__name", flat=True))
    assert invited == {"张伟", "王芳", "刘强"}
    assert batch.without_email == [no_mail]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([expert.email, deputy.email])
    assert Invitation.objects.get(participant=no_mail).sent_at is None


def test_deadline_after_activity_start_is_refused(setup):
    staff, activity, expert = setup
    with pytest.raises(TransitionError, match="不能晚于活动开始时间"):
        services.invitations_send(
            activity=activity,
            by=staff,
            reply_deadline=activity.starts_at + datetime.timedelta(hours=1),
            participants=[expert],
        )


def test_staff_page_shows_counts_and_category_balance(
    setup, mailoutbox, django_capture_on_commit_callbacks, client, django_assert_max_num_queries
):
    staff, activity, expert = setup
    deputy = _participant(staff, name="王芳", category=Participant.Category.NPC_DEPUTY)
    _invite(activity, staff, [expert, deputy], mailoutbox, django_capture_on_commit_callbacks)
    token = _token_from(next(m for m in mailoutbox if m.to == [deputy.email]))
    services.invitation_reply(token=token, accept=True)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("participation:invitation_list", args=[activity.pk]))
    assert response.status_code == 200
    balance = {row["label"]: row for row in response.context["balance"]}
    assert balance["人大代表"]["invited"] == 1 and balance["人大代表"]["accepted"] == 1
    assert balance["专家"]["accepted"] == 0
    assert response.context["counts"]["accepted"] == 1
    assert response.context["counts"]["pending"] == 1
    assert deputy.phone in response.content.decode()


def test_attendance_recorded_after_the_activity(
    mailoutbox, django_capture_on_commit_callbacks, client
):
    staff = StaffFactory()
    activity = _activity(staff=staff)
    one = _participant(staff, name="张伟")
    two = _participant(staff, name="李娜")
    _invite(activity, staff, [one, two], mailoutbox, django_capture_on_commit_callbacks)
    first = Invitation.objects.get(participant=one)
    url = reverse("participation:invitation_attendance", args=[activity.pk])
    client.force_login(staff)
    response = client.post(url, {"attended": [first.pk]})
    assert "活动尚未开始" in response.content.decode()
    assert not Invitation.objects.filter(attended__isnull=False).exists()
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = client.post(url, {"attended": [first.pk]})
    assert response.status_code == 302
    assert dict(Invitation.objects.values_list("participant__name", "attended")) == {
        "张伟": True,
        "李娜": False,
    }
    row = LedgerEntry.objects.get(action=Action.ATTENDANCE_RECORDED)
    assert row.after["attended"] == [first.pk]
    assert row.actor == staff


@pytest.mark.parametrize("name", ["invitation_list", "invitation_attendance", "invitation_resend"])
def test_staff_pages_refuse_other_department_and_anonymous(
    name, setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    pk = Invitation.objects.get().pk if name == "invitation_resend" else activity.pk
    url = reverse(f"participation:{name}", args=[pk])
    response = client.post(url, {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(StaffFactory())
    assert client.get(url).status_code in (403, 405)
    assert client.post(url, {}).status_code == 403
    assert len(mailoutbox) == 1


def test_general_office_reads_but_cannot_invite(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    client.force_login(ReviewerFactory())
    url = reverse("participation:invitation_list", args=[activity.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "张伟" in response.content.decode()
    assert "发出邀请" not in response.content.decode()
    assert client.post(url, {"participants": [expert.pk]}).status_code == 403
    invitation = Invitation.objects.get()
    assert (
        client.post(reverse("participation:invitation_resend", args=[invitation.pk])).status_code
        == 403
    )
    attendance = reverse("participation:invitation_attendance", args=[activity.pk])
    assert client.get(attendance).status_code == 403


def test_admin_lists_invitations_read_only_for_general_office(
    setup, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff, activity, expert = setup
    _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    client.force_login(ReviewerFactory())
    response = client.get("/admin/participation/invitation/?status__exact=pending")
    assert response.status_code == 200
    assert "张伟" in response.content.decode()
    invitation = Invitation.objects.get()
    response = client.post(
        f"/admin/participation/invitation/{invitation.pk}/change/", {"status": "accepted"}
    )
    assert response.status_code == 403
    client.force_login(staff)
    assert client.get("/admin/participation/invitation/").status_code in (302, 403)


FAILING_SMTP = "tests.reminders.backends.FailingBackend"


def test_with_smtp_down_inviting_succeeds_and_nothing_says_sent(
    setup, mailoutbox, django_capture_on_commit_callbacks, client, settings
):
    from reminders.models import LINK_PLACEHOLDER, Reminder

    staff, activity, expert = setup
    settings.EMAIL_BACKEND = FAILING_SMTP
    client.force_login(staff)
    deadline = timezone.localtime(activity.starts_at - datetime.timedelta(days=2))
    url = reverse("participation:invitation_list", args=[activity.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"participants": [expert.pk], "reply_deadline": f"{deadline:%Y-%m-%dT%H:%M}"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None
    email = Reminder.objects.get(kind=Reminder.Kind.INVITATION)
    assert email.status == Reminder.Status.PENDING and email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    # The personal link waits on the row, not in the body anyone reading the outbox sees.
    assert LINK_PLACEHOLDER in email.body_text and "/invitations/" not in email.body_text
    assert "/invitations/" in email.secret
    page = client.get(url).content.decode()
    assert "邮件待发送" in page and "邮件发送于" not in page

    # The mail server is back and the sweep runs: sent once, marked sent, link forgotten.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from reminders import services as outbox

    later = email.next_attempt_at + datetime.timedelta(minutes=1)
    assert outbox.send_pending(now=later) == 1
    assert len(mailoutbox) == 1 and _token_from(mailoutbox[0])
    email.refresh_from_db()
    invitation.refresh_from_db()
    assert email.status == Reminder.Status.SENT and email.secret == ""
    assert invitation.sent_at is not None
    assert client.get(f"/invitations/{_token_from(mailoutbox[0])}/").status_code == 200
    assert outbox.send_pending(now=later + datetime.timedelta(hours=1)) == 0


def test_a_resend_gives_up_the_unsent_email_with_the_old_link(
    setup, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from reminders.models import Reminder

    staff, activity, expert = setup
    settings.EMAIL_BACKEND = FAILING_SMTP
    batch = _invite(activity, staff, [expert], mailoutbox, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=batch.created[0], by=staff)
    first, second = Reminder.objects.filter(kind=Reminder.Kind.INVITATION).order_by("pk")
    assert first.status == Reminder.Status.CANCELLED and first.secret == ""
    assert second.status == Reminder.Status.SENT
    assert len(mailoutbox) == 1  # only the e-mail with the link that works
    assert Invitation.objects.get().token_hash == tokens.token_hash(_token_from(mailoutbox[0]))
