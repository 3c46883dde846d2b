"""Words that say what is true (issue 21, item 15)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.services.feedback import feedback_publish
from tests.factories import ReviewerFactory, make_plan
from tests.participation.test_feedback_report import closed_period, fill

pytestmark = pytest.mark.django_db


def test_a_filed_plan_has_no_version_yet_and_a_late_filing_gets_no_green_tick(client):
    late = make_plan(
        year=2026,
        status="submitted",
        submitted_at=datetime.datetime(2026, 4, 2, tzinfo=datetime.UTC),
    )
    assert late.is_late and late.version == 0
    client.force_login(ReviewerFactory())
    change = client.get(reverse("admin:annual_plans_annualplan_change", args=[late.pk]))
    listing = client.get(reverse("admin:annual_plans_annualplan_changelist"))
    for page in (change.content.decode(), listing.content.decode()):
        assert "尚未备案" in page
        assert "icon-yes.svg" not in page  # the admin's green tick for a True boolean
        assert "plan-badge-late" in page
    assert '<div class="readonly">0</div>' not in change.content.decode()


def test_no_opinions_shown_under_a_report_says_where_they_are(client):
    period = closed_period()
    fill(period)  # offline and online opinions, none shown individually
    feedback_publish(period=period, by=period.matter.created_by, summary="说明", now=timezone.now())
    text = client.get(reverse("participation:comment_period", args=[period.pk])).content.decode()
    assert "意见采纳情况说明" in text
    assert "暂无公开显示的意见" not in text
    assert "收到的意见及答复已列在上方的意见采纳情况说明中" in text
