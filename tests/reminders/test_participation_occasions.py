"""Comment period, feedback report, activity and invitation reminders at their edges."""

import pytest
from django.conf import settings
from django.urls import reverse

from participation.models import CommentPeriod, Invitation
from reminders.models import Reminder
from tests.factories import (
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_activity,
    make_participant,
    make_period,
)

from .conftest import at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


def occasions(kind):
    return sorted(set(Reminder.objects.filter(kind=kind).values_list("occasion", flat=True)))


@pytest.fixture
def staff():
    department = DepartmentFactory(name="青岛市司法局", code="sfj")
    return StaffFactory(department=department, username="wangli", full_name="王丽")


@pytest.fixture
def period(staff):
    # Last day 20 January (Shanghai); the report is due 30 days later, 19 February.
    return make_period(by=staff, starts_at=at(2026, 1, 1, hour=0),
                       ends_at=at(2026, 1, 20, hour=17))  # fmt: skip


def test_period_closing_three_days_before_its_last_day(run_scan, period, mailoutbox):
    run_scan(at(2026, 1, 16, hour=23, minute=59, second=59))
    assert occasions(Kind.PERIOD_CLOSING) == []
    run_scan(at(2026, 1, 17, hour=0))
    run_scan(at(2026, 1, 19))
    assert occasions(Kind.PERIOD_CLOSING) == ["closing-20260120-3d"]
    (message,) = mailoutbox
    link = settings.PORTAL_BASE_URL + reverse("participation:staff_period", args=[period.pk])
    assert message.to == ["wangli@example.gov.cn"]
    assert "王丽：" in message.body and link in message.body
    assert f'<a href="{link}">' in message.alternatives[0][0]


def test_period_recipients_creator_first_never_others(run_scan, period, staff):
    StaffFactory(department=staff.department, username="anna")
    StaffFactory(department=staff.department, username="noemail", email="")
    gone = StaffFactory(department=staff.department, username="gone")
    gone.is_active = False
    gone.save()
    StaffFactory(username="other")
    run_scan(at(2026, 1, 18))
    rows = Reminder.objects.filter(kind=Kind.PERIOD_CLOSING).order_by("pk")
    assert list(rows.values_list("recipient", flat=True)) == [
        "wangli@example.gov.cn",
        "anna@example.gov.cn",
    ]


def test_no_closing_reminder_after_the_close(run_scan, period):
    run_scan(at(2026, 1, 20, hour=17))
    assert occasions(Kind.PERIOD_CLOSING) == []


def test_feedback_due_on_its_day_then_weekly_and_in_the_digest(run_scan, period, mailoutbox):
    reviewer = ReviewerFactory(username="reviewer")
    run_scan(at(2026, 2, 18, hour=23, minute=59))
    assert occasions(Kind.FEEDBACK_DUE) == []
    run_scan(at(2026, 2, 19, hour=0))
    assert occasions(Kind.FEEDBACK_DUE) == ["feedback-20260219-due"]
    assert not Reminder.objects.filter(kind=Kind.OFFICE_DIGEST).exists()
    link = settings.PORTAL_BASE_URL + reverse("participation:feedback_edit", args=[period.pk])
    assert link in mailoutbox[0].body
    run_scan(at(2026, 2, 20, hour=8))
    run_scan(at(2026, 2, 20, hour=18))
    digest = Reminder.objects.get(kind=Kind.OFFICE_DIGEST)
    assert digest.recipient == reviewer.email
    assert "征求意见采纳情况逾期未公开（1项）" in digest.body_text
    assert "已逾期 1 天" in digest.body_text
    run_scan(at(2026, 2, 25, hour=23, minute=59))
    assert occasions(Kind.FEEDBACK_DUE) == ["feedback-20260219-due"]
    run_scan(at(2026, 2, 26, hour=0))
    assert occasions(Kind.FEEDBACK_DUE) == [
        "feedback-20260219-due",
        "feedback-20260219-overdue-7d",
    ]


def test_no_feedback_reminder_once_published(run_scan, period):
    CommentPeriod.objects.filter(pk=period.pk).update(report_published_at=at(2026, 2, 1))
    run_scan(at(2026, 2, 19))
    run_scan(at(2026, 3, 1))
    assert occasions(Kind.FEEDBACK_DUE) == []


def _invite(activity, status, email="expert@example.com", deadline=None):
    participant = make_participant(by=activity.created_by, email=email)
    return Invitation.objects.create(
        activity=activity,
        participant=participant,
        token_hash=f"{participant.pk:064d}",
        reply_deadline=deadline or at(2026, 1, 10, hour=17),
        status=status,
        created_by=activity.created_by,
    )


@pytest.fixture
def activity(staff):
    return make_activity(by=staff, starts_at=at(2026, 1, 15, hour=9),
                         status="notice_published", now=at(2025, 12, 1))  # fmt: skip


def test_activity_three_and_one_day_before(run_scan, activity, mailoutbox):
    _invite(activity, Invitation.Status.ACCEPTED, "a@example.com")
    _invite(activity, Invitation.Status.DECLINED, "d@example.com")
    _invite(activity, Invitation.Status.PENDING, "")
    run_scan(at(2026, 1, 11, hour=23, minute=59))
    assert occasions(Kind.ACTIVITY_UPCOMING) == []
    run_scan(at(2026, 1, 12, hour=0))
    run_scan(at(2026, 1, 13))
    assert occasions(Kind.ACTIVITY_UPCOMING) == ["activity-202601150900-3d"]
    run_scan(at(2026, 1, 14, hour=0))
    assert occasions(Kind.ACTIVITY_UPCOMING) == [
        "activity-202601150900-1d",
        "activity-202601150900-3d",
    ]
    assert set(Reminder.objects.values_list("recipient", flat=True)) == {"a@example.com"}
    assert len(mailoutbox) == 2


def test_no_reminder_for_a_held_activity(run_scan, activity):
    _invite(activity, Invitation.Status.ACCEPTED)
    activity.status = "held"
    activity.save()
    run_scan(at(2026, 1, 14))
    assert occasions(Kind.ACTIVITY_UPCOMING) == []


def test_pending_invitee_reminded_two_days_before_reply_deadline(run_scan, activity):
    _invite(activity, Invitation.Status.PENDING, "p@example.com")
    _invite(activity, Invitation.Status.ACCEPTED, "a@example.com")
    run_scan(at(2026, 1, 7, hour=23, minute=59))
    assert occasions(Kind.INVITATION_REPLY) == []
    run_scan(at(2026, 1, 8, hour=0))
    run_scan(at(2026, 1, 9))
    rows = Reminder.objects.filter(kind=Kind.INVITATION_REPLY)
    assert [(r.recipient, r.occasion) for r in rows] == [("p@example.com", "reply-202601101700-2d")]
