"""Invitation e-mails never fail a request and are never lost (issue 19).

Staff invite 200 participants while the mail server is down: the page answers, every
invitation is recorded with its e-mail waiting in the outbox, and nothing says "sent".
When the mail server is back, the sweep delivers each e-mail exactly once, the personal
links in them work, and the outbox no longer holds any link. A real Celery worker on the
real Redis broker and PostgreSQL, as in ``test_worker``; nothing is mocked.
"""

import datetime
import email
import email.policy
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from participation.models import Invitation, Participant
from reminders.models import LINK_PLACEHOLDER, Reminder
from reminders.tasks import send_pending_reminders, send_reminder
from tests.factories import make_activity

from .test_worker import QUEUE, WAIT, Worker, broker
from .worker_support import MARKS, delete_queue, wait_for

pytestmark = MARKS

INVITEES = 200
LINK = re.compile(r"https?://\S+?/invitations/[\w-]+/")


@pytest.fixture
def worker(transactional_db, tmp_path):
    worker = Worker(tmp_path)
    try:
        yield worker
    finally:
        worker.stop()
        delete_queue(QUEUE)


class DownWorker(Worker):
    """The worker while the mail server refuses every message."""

    def environment(self) -> dict[str, str]:
        return {**super().environment(), "TEST_EMAIL_DOWN": "true"}


def delivered_links(worker) -> dict[str, list[str]]:
    """recipient => the personal links in the e-mails the worker wrote to them."""
    links: dict[str, list[str]] = {}
    for path in worker.mail_dir.glob("*.eml"):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                text = message.get_body(preferencelist=("plain",)).get_content()
                links.setdefault(str(message["To"]), []).extend(LINK.findall(text))
    return links


def test_smtp_down_during_an_invitation_batch_then_each_email_goes_out_once(
    worker, client, tmp_path
):
    activity = make_activity(starts_in=datetime.timedelta(days=20))
    staff = activity.matter.created_by
    for number in range(INVITEES):
        Participant.objects.create(
            name=f"受邀专家{number:03d}",
            category="expert",
            affiliation="青岛大学",
            email=f"expert{number:03d}@example.cn",
            created_by=staff,
        )
    (tmp_path / "down").mkdir()
    down = DownWorker(tmp_path / "down")
    down.start()
    try:
        with broker(settings.REDIS_URL):
            client.force_login(staff)
            url = reverse("participation:invitation_list", args=[activity.pk])
            deadline = timezone.localtime(activity.starts_at - datetime.timedelta(days=2))
            response = client.post(
                url,
                {"categories": ["expert"], "reply_deadline": f"{deadline:%Y-%m-%dT%H:%M}"},
            )
            assert response.status_code == 302, response.content.decode()[:2000]
            page = client.get(url)
            assert page.status_code == 200
            assert "邮件待发送" in page.content.decode()

            # Every send was tried once on the worker, failed, and was recorded for later.
            rows = Reminder.objects.filter(kind=Reminder.Kind.INVITATION)
            wait_for(
                lambda: rows.count() == INVITEES and not rows.filter(attempts=0).exists(),
                "every invitation e-mail to be tried once",
                timeout=WAIT,
                worker=down,
            )
    finally:
        down.stop()

    assert Invitation.objects.filter(activity=activity).count() == INVITEES
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()  # none says "sent"
    assert set(rows.values_list("status", "attempts")) == {(Reminder.Status.PENDING, 1)}
    assert all("SMTPServerDisconnected" in error for error in rows.values_list("last_error", flat=True))
    assert not list(down.mail_dir.glob("*.eml"))
    # The link waits in the row's secret, never in the body the outbox shows.
    assert all(LINK_PLACEHOLDER in body for body in rows.values_list("body_text", flat=True))
    assert rows.exclude(secret="").count() == INVITEES

    # Time passes; the mail server is back. The sweep runs (twice at once, as two beats
    # might) and each e-mail goes out exactly once.
    earlier = timezone.now() - datetime.timedelta(minutes=10)
    rows.update(created_at=earlier, next_attempt_at=earlier)
    worker.start()
    with broker(settings.REDIS_URL):
        sweeps = [send_pending_reminders.delay().id for _ in range(2)]
        wait_for(
            lambda: not rows.exclude(status=Reminder.Status.SENT).exists(),
            "every invitation e-mail to be sent",
            timeout=WAIT,
            worker=worker,
        )
        swept = worker.wait_finished(send_pending_reminders.name, ids=sweeps)
        worker.wait_finished(send_reminder.name, count=sum(int(swept[i]) for i in sweeps))

    links = delivered_links(worker)
    assert len(links) == INVITEES
    assert {len(found) for found in links.values()} == {1}, "an e-mail went out twice"
    assert set(rows.values_list("status", "attempts")) == {(Reminder.Status.SENT, 2)}
    assert not Invitation.objects.filter(activity=activity, sent_at__isnull=True).exists()
    # The outbox keeps no personal link once the e-mail is out...
    assert not rows.exclude(secret="").exists()
    assert not any(LINK.search(body) for body in rows.values_list("body_text", flat=True))
    # ... and the link the invitee received opens their invitation.
    recipient, (link,) = next(iter(links.items()))
    path = "/" + link.split("/", 3)[3]
    reply = client.get(path)
    assert reply.status_code == 200
    # E-mail addresses are encrypted at rest: found among the batch, not by a lookup.
    (invitee,) = [
        invitation.participant
        for invitation in Invitation.objects.filter(activity=activity).select_related(
            "participant"
        )
        if invitation.participant.email == recipient
    ]
    assert invitee.name in reply.content.decode()
    assert "Traceback" not in worker.log() + down.log()
