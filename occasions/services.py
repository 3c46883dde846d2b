"""Recording due reminders: each scan evaluates every occasion (``due.py``) and records
what is due in the outbox (``reminders``), in the same transaction that decided it; the
outbox sends each after commit, exactly once.

This app sits above the others: it reads matters, catalogs and participation to decide
what is due, while the outbox below them all is what any app sends its e-mail through.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reminders.models import Reminder
from reminders.services import KEY_FIELDS, outbox_record, text_to_html

from .due import OCCASIONS, Due, Snapshot

BATCH_SIZE = 500


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


def _render(due: Due, *, now: datetime.datetime) -> Reminder:
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
        created_at=now,
    )


@transaction.atomic
def _record_batch(batch: tuple[Due, ...], *, now: datetime.datetime) -> list[tuple[int, str]]:
    """Three queries whatever the batch: which keys exist, insert the rest, read them back
    (``reminders.services.outbox_record``)."""
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
    return outbox_record([_render(due, now=now) for due in fresh.values()])


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
