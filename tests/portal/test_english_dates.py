"""Dates as their readers write them (issue 27, item 5): 2026年3月31日 in Chinese pages,
31 March 2026 in English ones, times on the 24-hour clock in both."""

import datetime

import pytest
from django.utils import translation

from core.dates import shown_date, shown_datetime
from tests.factories import make_published_matter

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 3, 31, 17, 5, tzinfo=datetime.UTC)  # 1 April 01:05 in Qingdao


@pytest.mark.parametrize(
    ("language", "date", "datetime_"),
    [
        ("zh-hans", "2026年3月31日", "2026年4月1日 01:05"),
        ("en", "31 March 2026", "1 April 2026, 01:05"),
    ],
)
def test_dates_and_times_in_each_language(language, date, datetime_):
    with translation.override(language):
        assert shown_date(datetime.date(2026, 3, 31)) == date
        assert shown_datetime(WHEN) == datetime_


def test_an_english_page_writes_its_dates_the_british_way(client):
    matter = make_published_matter("城市更新", planned_start=datetime.date(2026, 3, 1))
    client.cookies["django_language"] = "en"
    html = client.get(f"/matters/{matter.pk}/").content.decode()
    assert "1 March 2026" in html
    assert "Mar. 1, 2026" not in html and "March 1, 2026" not in html
