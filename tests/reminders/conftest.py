import datetime
from zoneinfo import ZoneInfo

import pytest

from occasions.services import scan

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=9, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def run_scan(django_capture_on_commit_callbacks):
    """Scan at a moment and run the after-commit sends, as a real transaction would."""

    def run(now, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return scan(now=now, **kwargs)

    return run
