"""The filing deadline: 23:59:59 on 31 March of the plan's year, Asia/Shanghai, unless the
general office moved it for that year."""

import datetime

from core.dates import SHANGHAI

from .models import FilingDeadline


def default_deadline(year: int) -> datetime.datetime:
    return datetime.datetime(year, 3, 31, 23, 59, 59, tzinfo=SHANGHAI)


def deadline_for(year: int) -> datetime.datetime:
    moved = FilingDeadline.objects.filter(year=year).values_list("deadline", flat=True).first()
    return moved or default_deadline(year)


def is_late(submitted_at: datetime.datetime | None, deadline: datetime.datetime) -> bool:
    """A filing is on time through the whole of the deadline's last second (23:59:59.999…),
    late from the next second on."""
    if submitted_at is None:
        return False
    return submitted_at >= deadline.replace(microsecond=0) + datetime.timedelta(seconds=1)
