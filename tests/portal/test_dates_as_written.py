"""Dates where people read them are written as they write them: 2026年3月31日 23:59, not
2026-03-31 23:59 (issue 21, item 14). Machine formats stay in attributes, inputs, data."""

import datetime
import re

import pytest
from django.urls import reverse

from matters import services
from tests.factories import ReviewerFactory, make_matter, make_plan

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _visible_text(html: str) -> str:
    """What a reader sees: no tags, so no <time datetime>, input values or URLs."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_step_in_the_picker_and_the_ledger_reads_as_a_chinese_date():
    matter = make_matter(title="老旧小区改造")
    step = services.step_record(
        matter=matter,
        by=matter.created_by,
        step_type="public_participation",
        occurred_on=datetime.date(2026, 3, 31),
        responsible_person="王丽",
        summary="网上征求意见",
    )
    assert str(step) == "公众参与（2026年3月31日）"  # the step picker's label
    entry = matter.ledger_entries.get(action="step_recorded")
    assert "2026年3月31日" in entry.summary
    assert entry.after["occurred_on"] == "2026-03-31"  # the data stays ISO


def test_plan_pages_of_staff_and_review_show_no_iso_dates(client):
    plan = make_plan(year=2027, status="submitted")
    reviewer = ReviewerFactory()
    client.force_login(reviewer)
    review = client.get(reverse("admin:annual_plans_annualplan_review", args=[plan.pk]))
    text = _visible_text(review.content.decode())
    assert "2027年4月1日" in text  # the item's planned start
    assert not ISO_DATE.search(text), ISO_DATE.search(text).group()

    overview = client.get(reverse("admin:annual_plans_annualplan_overview"), {"year": 2027})
    assert not ISO_DATE.search(_visible_text(overview.content.decode()))

    client.force_login(plan.created_by)
    detail = client.get(reverse("annual_plans:staff_detail", args=[plan.pk]))
    assert not ISO_DATE.search(_visible_text(detail.content.decode()))
