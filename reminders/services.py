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
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from smtplib import SMTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from kombu.exceptions import OperationalError as BrokerError

from . import tasks
from .models import Reminder
from .occasions import OCCASIONS, Due, Snapshot

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A pending row older than this was not sent straight after commit (a crash, a lost task).
SWEEP_AFTER = datetime.timedelta(minutes=1)
MAX_ATTEMPTS = 8
SEND_ERRORS = (SMTPException, OSError)

KEY_FIELDS = ("kind", "object_type", "object_id", "recipient", "occasion")


@dataclass
class ScanResult:
    due: int = 0
    recorded: list[int] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {"due": self.due, "recorded": len(self.recorded), "by_kind": dict(self.by_kind)}


def _batched(items, size):
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch


# E-mails whose HTML is more than the text's paragraphs (headings, lists) keep an HTML
# template; every other reminder's HTML is made from its text (``text_to_html``).
HTML_TEMPLATES = frozenset({"reminders/office_digest"})
WEB_ADDRESS = re.compile(r"https?://\S+")


def text_to_html(text: str, *, subject: str) -> str:
    """The HTML alternative of a plain-text e-mail: a paragraph for each block of lines,
    every line escaped, a line that is a web address made a link.

    One template per reminder instead of two: rendering both took most of a scan of
    10,000 reminders (issue 9), and the two said the same thing in two places."""
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


def _render(due: Due, *, scan_id: uuid.UUID, now: datetime.datetime) -> Reminder:
    context = {**due.context, "user": due.user, "link": due.link, "subject": due.subject}
    body_text = render_to_string(f"{due.template}.txt", context)
    if due.template in HTML_TEMPLATES:
        body_html = render_to_string(f"{due.template}.html", context)
    else:
        body_html = text_to_html(body_text, subject=due.subject)
    return Reminder(
        kind=due.kind,
        object_type=due.object_type,
        object_id=due.object_id,
        recipient=due.recipient,
        user=due.user,
        occasion=due.occasion,
        subject=due.subject,
        body_text=body_text,
        body_html=body_html,
        link=due.link,
        due_at=due.due_at,
        next_attempt_at=now,
        scan_id=scan_id,
        created_at=now,
    )


@transaction.atomic
def _record_batch(batch: tuple[Due, ...], *, now: datetime.datetime) -> list[tuple[int, str]]:
    """Three queries whatever the batch: which keys exist, insert the rest, read them back."""
    existing = set(
        Reminder.objects.filter(
            kind__in={due.kind for due in batch},
            object_id__in={due.object_id for due in batch},
            recipient__in={due.recipient for due in batch},
            occasion__in={due.occasion for due in batch},
        ).values_list(*KEY_FIELDS)
    )
    fresh: dict[tuple, Due] = {}
    for due in batch:
        if due.key not in existing:
            fresh.setdefault(due.key, due)
    if not fresh:
        return []
    scan_id = uuid.uuid4()
    Reminder.objects.bulk_create(
        [_render(due, scan_id=scan_id, now=now) for due in fresh.values()],
        ignore_conflicts=True,
    )
    # Another scan may have won a race for some keys; only the rows carrying this scan's id
    # are ours to send.
    created = list(Reminder.objects.filter(scan_id=scan_id).values_list("pk", "kind"))
    ids = [pk for pk, _kind in created]
    # A lambda, not a partial: a robust callback that fails is logged by its __qualname__.
    transaction.on_commit(lambda: enqueue_sends(ids), robust=True)
    return created


def scan(*, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> ScanResult:
    """Record every reminder due at ``now``; each is sent after its batch commits."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        snapshot = Snapshot(now)
        dues = [due for occasion in OCCASIONS for due in occasion(snapshot)]
        result = ScanResult(due=len(dues))
        for batch in _batched(dues, batch_size):
            for pk, kind in _record_batch(batch, now=now):
                result.recorded.append(pk)
                result.by_kind[kind] += 1
    return result


def message_id(reminder: Reminder) -> str:
    """One Message-ID per reminder, the same on every attempt. If a worker dies after the
    mail server accepted a message but before the row was marked sent, the sweep sends it
    again; mail systems that drop repeated Message-IDs deliver it once."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"<reminder-{reminder.pk}@{host}>"


def _message(reminder: Reminder) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=reminder.subject,
        body=reminder.body_text,
        to=[reminder.recipient],
        headers={"Message-ID": message_id(reminder)},
    )
    if reminder.body_html:
        message.attach_alternative(reminder.body_html, "text/html")
    return message


def retry_delay(attempts: int) -> datetime.timedelta:
    """2, 4, 8, ... minutes, at most six hours, before the sweep tries a failed row again."""
    return datetime.timedelta(minutes=min(2**attempts, 360))


def reminder_send(
    *, reminder_id: int, now: datetime.datetime | None = None, raise_errors: bool = True
) -> bool:
    """Send one pending reminder; True when this call sent it.

    A row someone else is sending (locked) or that is no longer pending is left alone. A
    failure is recorded (attempts, last error, next attempt) and committed, then re-raised
    so the task can retry with back-off; after ``MAX_ATTEMPTS`` the row is marked failed.
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
        reminder.save(
            update_fields=["attempts", "last_error", "next_attempt_at", "status", "sent_at"]
        )
    if failure is not None and raise_errors:
        raise failure
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


def enqueue_sends(ids: list[int]) -> int:
    """Enqueue a send task per reminder; returns how many were enqueued.

    The outbox row is the source of truth: when the broker is unreachable the rest are left
    pending for the periodic sweep, and the caller (a page, a scan) carries on.
    """
    for enqueued, pk in enumerate(ids):
        try:
            tasks.send_reminder.delay(pk)
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
