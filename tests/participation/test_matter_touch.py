"""Comment periods, opinions, feedback reports and activities move their matter's
``updated_at``: the API's ``modified`` time and ``modified_since`` filter rely on it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matters.models import Matter
from matters.services import matter_publish
from participation.models import Activity, Opinion
from participation.services import activities
from participation.services.comments import (
    comment_period_open,
    opinion_record,
    opinion_submit,
    opinions_dispose,
    opinions_moderate,
)
from participation.services.feedback import feedback_publish
from tests.factories import make_activity, make_matter, make_period

pytestmark = pytest.mark.django_db


def updated_at(matter) -> datetime.datetime:
    return Matter.objects.values_list("updated_at", flat=True).get(pk=matter.pk)


def set_back(matter) -> datetime.datetime:
    """Put the matter's ``updated_at`` a month into the past; return the moment to beat."""
    Matter.objects.filter(pk=matter.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    return timezone.now()


def assert_touched(matter, since: datetime.datetime) -> None:
    assert updated_at(matter) >= since


def matter_updates(queries) -> list[str]:
    table = Matter._meta.db_table
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(f'UPDATE "{table}"'.upper())
    ]


def submitted(period, n):
    return [opinion_submit(period=period, content=f"意见{i}") for i in range(n)]


# --- comment periods and opinions ---------------------------------------------------


def test_comment_period_open_touches_the_matter():
    matter = make_matter()
    matter = matter_publish(matter=matter, by=matter.created_by)
    since = set_back(matter)
    now = timezone.now()
    comment_period_open(
        matter=matter,
        by=matter.created_by,
        title="公开征求意见",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=30),
    )
    assert_touched(matter, since)


def test_opinion_submit_touches_the_matter():
    period = make_period()
    since = set_back(period.matter)
    opinion_submit(period=period, content="建议增加公共停车位。")
    assert_touched(period.matter, since)


def test_opinion_record_touches_the_matter():
    period = make_period()
    since = set_back(period.matter)
    opinion_record(
        period=period,
        by=period.matter.created_by,
        channel=Opinion.Channel.LETTER,
        received_on=timezone.localdate(),
        content="建议增加公共停车位。",
    )
    assert_touched(period.matter, since)


def test_opinions_moderate_touches_the_matter_once():
    period = make_period()
    ids = [opinion.pk for opinion in submitted(period, 3)]
    since = set_back(period.matter)
    with CaptureQueriesContext(connection) as queries:
        opinions_moderate(
            period=period, by=period.matter.created_by, opinion_ids=ids, moderation="shown"
        )
    assert_touched(period.matter, since)
    assert len(matter_updates(queries.captured_queries)) == 1


def test_opinions_dispose_touches_the_matter_once():
    period = make_period()
    ids = [opinion.pk for opinion in submitted(period, 3)]
    since = set_back(period.matter)
    with CaptureQueriesContext(connection) as queries:
        opinions_dispose(
            period=period,
            by=period.matter.created_by,
            opinion_ids=ids,
            disposition="not_adopted",
            response="与上位法规定不一致。",
        )
    assert_touched(period.matter, since)
    assert len(matter_updates(queries.captured_queries)) == 1


def test_feedback_publish_touches_the_matter():
    period = make_period()
    ids = [opinion.pk for opinion in submitted(period, 2)]
    opinions_dispose(
        period=period, by=period.matter.created_by, opinion_ids=ids, disposition="adopted"
    )
    since = set_back(period.matter)
    feedback_publish(period=period, by=period.matter.created_by, summary="说明", now=period.ends_at)
    assert_touched(period.matter, since)


# --- activities ---------------------------------------------------------------------


def test_activity_schedule_touches_the_matter():
    matter = make_matter()
    since = set_back(matter)
    starts_at = timezone.now() + datetime.timedelta(days=20)
    activities.activity_schedule(
        matter=matter,
        by=matter.created_by,
        kind=Activity.Kind.SYMPOSIUM,
        title="城市更新政策座谈会",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="市政府第一会议室",
    )
    assert_touched(matter, since)


def test_activity_update_touches_the_matter():
    activity = make_activity()
    since = set_back(activity.matter)
    activities.activity_update(activity=activity, by=activity.created_by, title="新名称座谈会")
    assert_touched(activity.matter, since)


def test_activity_update_that_changes_nothing_leaves_the_matter_alone():
    activity = make_activity()
    set_back(activity.matter)
    untouched = updated_at(activity.matter)
    activities.activity_update(activity=activity, by=activity.created_by, title=activity.title)
    assert updated_at(activity.matter) == untouched


def test_activity_publish_notice_touches_the_matter():
    activity = make_activity()
    since = set_back(activity.matter)
    activities.activity_publish_notice(activity=activity, by=activity.created_by)
    assert_touched(activity.matter, since)


def test_activity_mark_held_touches_the_matter():
    activity = make_activity(starts_in=-datetime.timedelta(days=1))
    since = set_back(activity.matter)
    activities.activity_mark_held(activity=activity, by=activity.created_by)
    assert_touched(activity.matter, since)


def test_activity_publish_minutes_touches_the_matter():
    # Text minutes only: no document is attached, so the touch is the service's own.
    activity = make_activity(status="held", starts_in=-datetime.timedelta(days=1))
    since = set_back(activity.matter)
    activities.activity_publish_minutes(
        activity=activity, by=activity.created_by, minutes="与会代表对草案提出了修改意见。"
    )
    assert_touched(activity.matter, since)
