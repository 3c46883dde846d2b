"""What every occasion is made of: a ``Due`` reminder and the calendar arithmetic of
Shanghai days."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import User
from annual_plans.deadlines import SHANGHAI


def portal_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(SHANGHAI).date()


def last_day(ends_at: datetime.datetime) -> datetime.date:
    """The last calendar day of something ending at ``ends_at`` (a midnight end excluded)."""
    return local_date(ends_at - datetime.timedelta(microseconds=1))


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Due:
    """One reminder that is due now, not yet rendered (most turn out to be recorded already)."""

    kind: str
    object_type: str
    object_id: int
    recipient: str
    occasion: str
    due_at: datetime.datetime
    subject: str
    link: str
    template: str
    context: dict = field(default_factory=dict)
    user: User | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.object_type, self.object_id, self.recipient, self.occasion)


def to_people(users: Iterable[User]) -> Iterator[User]:
    """Users with an address, each address once."""
    seen = set()
    for user in users:
        address = user.email.strip().lower()
        if address and address not in seen:
            seen.add(address)
            yield user
