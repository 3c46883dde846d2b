"""Stage-overdue reminders: the day after the planned end, then weekly, to the staff."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matters.models import Matter
from occasions.services import scan
from reminders.models import Reminder
from tests.factories import DepartmentFactory, LeaderFactory, StaffFactory, make_matter

from .conftest import at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


@pytest.fixture
def matter():
    department = DepartmentFactory(name="青岛市住房和城乡建设局", code="zjj")
    staff = StaffFactory(department=department, username="liuyang", full_name="刘洋")
    matter = make_matter(by=staff)
    Matter.objects.filter(pk=matter.pk).update(stage_due_on=datetime.date(2026, 1, 10))
    matter.refresh_from_db()
    return matter


def occasions():
    return sorted(set(Reminder.objects.filter(kind=Kind.STAGE_OVERDUE).values_list(
        "occasion", flat=True)))  # fmt: skip


def test_not_on_the_due_date_itself(run_scan, matter):
    run_scan(at(2026, 1, 10, hour=23, minute=59, second=59))
    assert occasions() == []


def test_the_day_after_then_weekly(run_scan, matter, mailoutbox):
    key = f"stage-{matter.stage}-20260110"
    run_scan(at(2026, 1, 11, hour=0, minute=0))
    assert occasions() == [key]
    run_scan(at(2026, 1, 17, hour=23, minute=59))
    assert occasions() == [key]
    assert len(mailoutbox) == 1
    run_scan(at(2026, 1, 18, hour=0, minute=0))
    assert occasions() == [key, f"{key}-7d"]
    run_scan(at(2026, 1, 18, hour=12))
    assert len(mailoutbox) == 2


def test_recipients_are_the_lead_departments_active_staff_with_email(run_scan, matter):
    dept = matter.department
    StaffFactory(department=dept, username="noemail", email="")
    gone = StaffFactory(department=dept, username="gone")
    gone.is_active = False
    gone.save()
    StaffFactory(username="other")  # another department
    LeaderFactory(department=dept, username="leader")  # a leader is not staff
    run_scan(at(2026, 1, 11))
    assert list(Reminder.objects.values_list("recipient", flat=True)) == ["liuyang@example.gov.cn"]


def test_email_links_to_the_matter_and_names_the_stage(run_scan, matter, mailoutbox):
    run_scan(at(2026, 1, 12))
    (message,) = mailoutbox
    link = settings.PORTAL_BASE_URL + reverse("matters:staff_detail", args=[matter.pk])
    assert message.to == ["liuyang@example.gov.cn"]
    assert matter.stage_label in message.subject
    assert "刘洋：" in message.body
    assert "已超过 2 天" in message.body
    assert link in message.body
    assert f'<a href="{link}">' in message.alternatives[0][0]


def test_a_new_stage_or_due_date_starts_again(run_scan, matter):
    run_scan(at(2026, 1, 11))
    Matter.objects.filter(pk=matter.pk).update(stage_due_on=datetime.date(2026, 1, 20))
    run_scan(at(2026, 1, 15))
    assert len(occasions()) == 1
    run_scan(at(2026, 1, 21))
    assert occasions() == [f"stage-{matter.stage}-20260110", f"stage-{matter.stage}-20260120"]


def test_no_due_date_no_reminder(run_scan, matter):
    Matter.objects.filter(pk=matter.pk).update(stage_due_on=None)
    run_scan(at(2026, 6, 1))
    assert occasions() == []


def test_queries_do_not_grow_with_matters():
    counts = []
    for n, day in [(5, 11), (40, 12)]:
        for _ in range(n):
            m = make_matter()
            Matter.objects.filter(pk=m.pk).update(stage_due_on=datetime.date(2026, 1, 1))
        with CaptureQueriesContext(connection) as queries:
            scan(now=at(2026, 1, day), batch_size=10_000)
        counts.append(len(queries))
    assert counts[0] == counts[1]
