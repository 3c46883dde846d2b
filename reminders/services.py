"""Recording due reminders and sending them, each exactly once.

``scan`` evaluates every occasion and records what is due in the outbox, in the same
transaction that decided it; the send task is enqueued after commit. ``reminder_send``
locks the row and sends only a pending one, so a second scan, a redelivered task or the
periodic sweep of pending rows sends nothing more.
"""

import datetime
import logging
import re
import uuid
from smtplib import SMTPException
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from kombu.exceptions import OperationalError as BrokerError

from .models import LINK_PLACEHOLDER, Reminder

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A pending row older than this was not sent straight after commit (a crash, a lost task).
SWEEP_AFTER = datetime.timedelta(minutes=1)
MAX_ATTEMPTS = 8
SEND_ERRORS = (SMTPException, OSError)

KEY_FIELDS = ("kind", "object_type", "object_id", "recipient", "occasion")


WEB_ADDRESS = re.compile(r"https?://\S+")


def text_to_html(text: str, *, subject: str) -> str:
    """The HTML alternative of a plain-text e-mail: a paragraph for each block of lines,
    every line escaped, a line that is a web address made a link.

    One template per reminder instead of two: rendering both took most of a scan of
    10,000 reminders, and the two said the same thing in two places."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:
            paragraphs.append("<p>" + "<br>".join(_html_line(line) for line in lines) + "</p>")
    return (
        '<!DOCTYPE html>\n<html lang="zh-hans"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head>\n<body>\n"
        + "\n".join(paragraphs)
        + "\n</body></html>\n"
    )


def _html_line(line: str) -> str:
    if WEB_ADDRESS.fullmatch(line):
        return f'<a href="{escape(line)}">{escape(line)}</a>'
    return escape(line)


def outbox_record(rows: list[Reminder]) -> list[tuple[int, str]]:
    """Record e-mails in the outbox, in the caller's transaction; each is sent after commit.

    ``rows`` are unsaved ``Reminder`` objects. A row whose key (kind, object, recipient,
    occasion) is recorded already is left out, so recording is idempotent. Returns the
    (pk, kind) of the rows this call recorded."""
    if not rows:
        return []
    scan_id = uuid.uuid4()
    for row in rows:
        row.scan_id = scan_id
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    # Another transaction may have won a race for some keys; only the rows carrying this
    # call's id are ours to send.
    created = list(Reminder.objects.filter(scan_id=scan_id).values_list("pk", "kind"))
    ids = [pk for pk, _kind in created]
    # A lambda, not a partial: a robust callback that fails is logged by its __qualname__.
    transaction.on_commit(lambda: enqueue_sends(ids), robust=True)
    return created


def outbox_row(
    *,
    kind: str,
    obj,
    recipient: str,
    occasion: str,
    subject: str,
    template: str,
    context: dict,
    user=None,
    secret: str = "",
    now: datetime.datetime | None = None,
) -> Reminder:
    """The outbox row of an e-mail a change causes (``template``.txt and .html rendered
    with ``context``), for ``outbox_record``: sent after commit, retried by the sweep.

    A personal link is passed as ``secret`` and put in the context as ``link``: the body
    keeps ``LINK_PLACEHOLDER`` in its place, and the row the link itself only until the
    e-mail is sent."""
    now = now or timezone.now()
    context = {**context, "link": LINK_PLACEHOLDER if secret else context.get("link", "")}
    return Reminder(
        kind=kind,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        recipient=recipient,
        user=user,
        occasion=occasion,
        subject=subject[:255],
        body_text=render_to_string(f"{template}.txt", context),
        body_html=render_to_string(f"{template}.html", context),
        link="" if secret else context["link"],
        secret=secret,
        due_at=now,
        next_attempt_at=now,
        created_at=now,
    )


@transaction.atomic
def outbox_cancel(*, kind: str, obj) -> int:
    """Give up the e-mails of ``kind`` about ``obj`` not yet sent (an invitation sent again
    with a new link: the old link no longer opens anything). Returns how many."""
    return Reminder.objects.filter(
        kind=kind,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        status=Reminder.Status.PENDING,
    ).update(status=Reminder.Status.CANCELLED, secret="")


# What a higher app wants to hear when one of its e-mails has gone out (participation marks
# the invitation sent): object_type -> callable(ids, sent_at). Registered from its
# AppConfig.ready(), so the outbox imports no app above it.
_on_sent: dict[str, object] = {}


def on_sent(object_type: str, callback) -> None:
    _on_sent[object_type] = callback


def message_id(reminder: Reminder) -> str:
    """One Message-ID per reminder, the same on every attempt. If a worker dies after the
    mail server accepted a message but before the row was marked sent, the sweep sends it
    again; mail systems that drop repeated Message-IDs deliver it once."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"<reminder-{reminder.pk}@{host}>"


def _message(reminder: Reminder) -> EmailMultiAlternatives:
    def body(text: str) -> str:
        return text.replace(LINK_PLACEHOLDER, reminder.secret) if reminder.secret else text

    message = EmailMultiAlternatives(
        subject=reminder.subject,
        body=body(reminder.body_text),
        to=[reminder.recipient],
        headers={"Message-ID": message_id(reminder)},
    )
    if reminder.body_html:
        message.attach_alternative(body(reminder.body_html), "text/html")
    return message


def retry_delay(attempts: int) -> datetime.timedelta:
    """2, 4, 8, ... minutes, at most six hours, before the sweep tries a failed row again."""
    return datetime.timedelta(minutes=min(2**attempts, 360))


def reminder_send(*, reminder_id: int, now: datetime.datetime | None = None) -> bool:
    """Send one pending e-mail; True when this call sent it.

    A row someone else is sending (locked) or that is no longer pending is left alone. A
    failure is recorded (attempts, last error, next attempt) and committed: the periodic
    sweep tries again when the next attempt is due, the one retry clock there is. After
    ``MAX_ATTEMPTS`` the row is marked failed. A personal link is forgotten once the row is
    sent or failed.
    """
    failure: Exception | None = None
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True).filter(pk=reminder_id).first()
        )
        if reminder is None or reminder.status != Reminder.Status.PENDING:
            return False
        now = now or timezone.now()
        reminder.attempts += 1
        try:
            _message(reminder).send()
        except SEND_ERRORS as exc:
            failure = exc
            reminder.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            reminder.next_attempt_at = now + retry_delay(reminder.attempts)
            if reminder.attempts >= MAX_ATTEMPTS:
                reminder.status = Reminder.Status.FAILED
            logger.warning("reminder %s not sent: %s", reminder.pk, reminder.last_error)
        else:
            reminder.status = Reminder.Status.SENT
            reminder.sent_at = now
            reminder.last_error = ""
            if callback := _on_sent.get(reminder.object_type):
                callback([reminder.object_id], now)
        if reminder.status != Reminder.Status.PENDING:
            reminder.secret = ""
        reminder.save(
            update_fields=[
                "attempts",
                "last_error",
                "next_attempt_at",
                "status",
                "sent_at",
                "secret",
            ]
        )
    return failure is None


def pending_due(*, now: datetime.datetime | None = None, limit: int = BATCH_SIZE) -> list[int]:
    """Pending rows the after-commit send did not deliver, whose next attempt has come."""
    now = now or timezone.now()
    return list(
        Reminder.objects.filter(
            status=Reminder.Status.PENDING,
            created_at__lte=now - SWEEP_AFTER,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# The send task, found by its registered name: reminders.tasks imports this module, not
# the other way round.
SEND_TASK = "reminders.tasks.send_reminder"


def enqueue_sends(ids: list[int]) -> int:
    """Enqueue a send task per reminder; returns how many were enqueued.

    The outbox row is the source of truth: when the broker is unreachable the rest are left
    pending for the periodic sweep, and the caller (a page, a scan) carries on.
    """
    for enqueued, pk in enumerate(ids):
        try:
            current_app.tasks[SEND_TASK].delay(pk)
        except BrokerError as exc:
            logger.warning(
                "broker unreachable, %d reminder(s) left pending for the sweep: %s",
                len(ids) - enqueued,
                exc,
            )
            return enqueued
    return len(ids)


def send_pending(*, now: datetime.datetime | None = None) -> int:
    """Enqueue a send for every pending row that is due; returns how many."""
    return enqueue_sends(pending_due(now=now))
