"""Dates and times as people in Qingdao write them: 2026年3月31日, 2026年3月31日 23:59.

Through Django's formats of the active language (``DATE_FORMAT``, ``DATETIME_FORMAT``), so
English pages read "March 31, 2026". Times in Asia/Shanghai. Machine formats stay where
machines read them: ``<time datetime>``, CSV/JSON, form inputs and the ledger's data.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def day_end(day: datetime.date) -> datetime.datetime:
    """The end of ``day`` in Beijing (24:00, the next day's first moment): what is due by
    that day is late from then on."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, SHANGHAI)


def shown_date(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


def shown_datetime(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")
