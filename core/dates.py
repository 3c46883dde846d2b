"""Dates and times as people in Qingdao write them: 2026年3月31日, 2026年3月31日 23:59.

Through Django's formats of the active language (``DATE_FORMAT``, ``DATETIME_FORMAT``), so
English pages read "March 31, 2026". Times in Asia/Shanghai. Machine formats stay where
machines read them: ``<time datetime>``, CSV/JSON, form inputs and the ledger's data.
"""

import datetime

from django.utils import formats, timezone


def shown_date(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


def shown_datetime(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")
