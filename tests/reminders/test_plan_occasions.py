"""Annual plan reminders at the exact edges of each step (deadline 2026-03-31 23:59:59+08)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Department
from annual_plans.models import AnnualPlan
from reminders.models import Reminder
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
    make_plan,
)

from .conftest import at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


@pytest.fixture
def department():
    return DepartmentFactory(name="青岛市司法局", short_name="市司法局", code="sfj")


@pytest.fixture
def staff(department):
    return StaffFactory(department=department, username="wangli", full_name="王丽")


@pytest.fixture
def leader(department):
    return LeaderFactory(department=department, username="zhaoqiang", full_name="赵强")


def occasions(kind=None, recipient=None):
    rows = Reminder.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if recipient:
        rows = rows.filter(recipient=recipient)
    return sorted(set(rows.values_list("occasion", flat=True)))


@pytest.mark.parametrize(
    ("day", "occasion"),
    [
        ((2026, 3, 1), "deadline-30d"),
        ((2026, 3, 17), "deadline-14d"),
        ((2026, 3, 24), "deadline-7d"),
        ((2026, 3, 28), "deadline-3d"),
        ((2026, 3, 30), "deadline-1d"),
        ((2026, 3, 31), "day-of"),
    ],
)
def test_each_step_fires_on_its_shanghai_date(run_scan, staff, day, occasion):
    # Just after midnight in Shanghai is still the previous day in UTC.
    run_scan(at(*day, hour=0, minute=5))
    assert occasions(Kind.PLAN_DEADLINE) == [occasion]


def test_thirty_days_before_is_not_sent_the_day_before(run_scan, staff, mailoutbox):
    run_scan(at(2026, 2, 28, hour=23, minute=59, second=59))
    assert Reminder.objects.count() == 0
    assert mailoutbox == []
    run_scan(at(2026, 3, 1, hour=0, minute=0, second=0))
    assert occasions() == ["deadline-30d"]


def test_a_step_goes_out_once_and_the_next_step_follows(run_scan, staff, mailoutbox):
    run_scan(at(2026, 3, 1))
    run_scan(at(2026, 3, 2))
    run_scan(at(2026, 3, 16, hour=23, minute=59))
    assert len(mailoutbox) == 1
    run_scan(at(2026, 3, 17, hour=0, minute=1))
    assert occasions() == ["deadline-14d", "deadline-30d"]
    assert len(mailoutbox) == 2


def test_a_missed_step_is_caught_up_by_the_next_scan(run_scan, staff, mailoutbox):
    # The workers were down on 1 March: the 30-day step still goes out on the 5th.
    run_scan(at(2026, 3, 5))
    assert occasions() == ["deadline-30d"]
    assert "还有 26 天" in mailoutbox[0].body


def test_day_of_stops_at_the_deadline_second(run_scan, staff):
    run_scan(at(2026, 3, 31, hour=23, minute=59, second=59))
    assert occasions() == ["day-of"]
    Reminder.objects.all().delete()
    run_scan(at(2026, 4, 1, hour=0, minute=0, second=0))
    assert occasions(Kind.PLAN_DEADLINE) == []
    assert occasions(Kind.PLAN_OVERDUE) == ["overdue-2026-W14"]


def test_a_moved_deadline_moves_the_steps(run_scan, staff):
    from annual_plans.models import FilingDeadline

    FilingDeadline.objects.create(
        year=2026,
        deadline=at(2026, 4, 10, hour=17),
        reason="清明节假期顺延",
        set_by=ReviewerFactory(),
    )
    run_scan(at(2026, 3, 31))
    assert occasions() == ["deadline-14d"]
    run_scan(at(2026, 4, 10, hour=16, minute=59))
    assert "day-of" in occasions()
    run_scan(at(2026, 4, 10, hour=17, minute=0, second=1))
    assert occasions(Kind.PLAN_OVERDUE) == ["overdue-2026-W15"]


def test_overdue_notice_is_weekly_by_iso_week(run_scan, staff, mailoutbox):
    run_scan(at(2026, 4, 1))  # Wednesday, week 14
    run_scan(at(2026, 4, 5, hour=23, minute=59))  # Sunday, still week 14
    assert occasions(Kind.PLAN_OVERDUE) == ["overdue-2026-W14"]
    run_scan(at(2026, 4, 6, hour=0, minute=1))  # Monday, week 15
    assert occasions(Kind.PLAN_OVERDUE) == ["overdue-2026-W14", "overdue-2026-W15"]
    assert mailoutbox[0].subject == "2026年度政府协商计划目录已逾期未报送"


def test_a_department_that_submitted_is_never_reminded(run_scan, staff):
    make_plan(department=staff.department, by=staff, status="submitted",
              submitted_at=at(2026, 2, 1))  # fmt: skip
    for moment in [at(2026, 3, 1), at(2026, 3, 31), at(2026, 4, 2), at(2026, 4, 20)]:
        run_scan(moment)
    assert Reminder.objects.exclude(kind=Kind.OFFICE_DIGEST).count() == 0


def test_a_draft_or_a_signed_off_catalog_still_counts_as_not_submitted(run_scan, staff):
    make_plan(department=staff.department, by=staff, status="draft")
    run_scan(at(2026, 3, 28))
    plan = AnnualPlan.objects.get()
    row = Reminder.objects.get()
    assert row.link == settings.PORTAL_BASE_URL + reverse(
        "annual_plans:staff_detail", args=[plan.pk]
    )


def test_a_late_filer_stops_getting_overdue_notices_once_filed(run_scan, staff, mailoutbox):
    run_scan(at(2026, 4, 1))
    assert len(mailoutbox) == 1
    make_plan(department=staff.department, by=staff, status="submitted",
              submitted_at=at(2026, 4, 8))  # fmt: skip
    run_scan(at(2026, 4, 13))  # week 16
    run_scan(at(2026, 4, 20))  # week 17
    assert occasions(Kind.PLAN_OVERDUE) == ["overdue-2026-W14"]


def test_recipients_are_the_departments_staff_and_leaders_only(run_scan, staff, leader):
    other = StaffFactory(department=DepartmentFactory(code="fgw"), username="other")
    StaffFactory(department=staff.department, username="noemail", email="")
    UserFactory(department=staff.department, username="noroles", roles=[])
    inactive = StaffFactory(department=staff.department, username="gone")
    inactive.is_active = False
    inactive.save()
    ReviewerFactory(username="reviewer")
    run_scan(at(2026, 3, 28))
    mine = Reminder.objects.filter(object_id=staff.department.pk)
    assert sorted(mine.values_list("recipient", flat=True)) == [
        "wangli@example.gov.cn",
        "zhaoqiang@example.gov.cn",
    ]
    theirs = Reminder.objects.filter(object_id=other.department.pk)
    assert list(theirs.values_list("recipient", flat=True)) == ["other@example.gov.cn"]
    assert Reminder.objects.count() == 3


def test_the_general_office_and_inactive_departments_are_not_reminded(run_scan, staff):
    ReviewerFactory(username="reviewer")
    closed = DepartmentFactory(code="closed", is_active=False)
    StaffFactory(department=closed, username="closedstaff")
    run_scan(at(2026, 3, 28))
    assert list(Reminder.objects.values_list("recipient", flat=True)) == ["wangli@example.gov.cn"]


def test_deadline_email_has_chinese_text_and_the_staff_list_link(run_scan, staff, mailoutbox):
    run_scan(at(2026, 3, 28))
    (message,) = mailoutbox
    link = settings.PORTAL_BASE_URL + reverse("annual_plans:staff_list")
    assert message.to == ["wangli@example.gov.cn"]
    assert message.subject == "2026年度政府协商计划目录报送还有3天截止"
    assert "王丽：" in message.body
    assert "青岛市司法局2026年度政府协商计划目录应于 2026年3月31日 23:59 前" in message.body
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">' in html


def test_office_digest_lists_missing_and_late_departments_daily(run_scan, staff, mailoutbox):
    reviewer = ReviewerFactory(username="reviewer")
    late = DepartmentFactory(name="青岛市财政局", code="czj")
    make_plan(department=late, status="submitted", submitted_at=at(2026, 4, 1, hour=10))
    on_time = DepartmentFactory(name="青岛市教育局", code="jyj")
    make_plan(department=on_time, status="submitted", submitted_at=at(2026, 3, 2))
    run_scan(at(2026, 3, 31, hour=23, minute=59, second=59))
    assert not Reminder.objects.filter(kind=Kind.OFFICE_DIGEST).exists()
    mailoutbox.clear()
    run_scan(at(2026, 4, 2, hour=8))
    run_scan(at(2026, 4, 2, hour=18))
    digest = Reminder.objects.get(kind=Kind.OFFICE_DIGEST)
    assert digest.recipient == reviewer.email
    assert digest.occasion == "digest-2026-04-02"
    (message,) = [m for m in mailoutbox if m.to == [reviewer.email]]
    assert "未报送（1个部门）" in message.body
    assert "青岛市司法局" in message.body
    assert "逾期报送（1个部门）" in message.body
    assert "青岛市财政局（2026年4月1日 10:00 报送）" in message.body
    assert "青岛市教育局" not in message.body
    overview = settings.PORTAL_BASE_URL + reverse("admin:annual_plans_annualplan_overview")
    assert f"{overview}?year=2026" in message.body
    run_scan(at(2026, 4, 3, hour=0, minute=1))
    assert occasions(Kind.OFFICE_DIGEST) == ["digest-2026-04-02", "digest-2026-04-03"]


def test_no_digest_once_every_department_has_filed(run_scan, staff):
    ReviewerFactory(username="reviewer")
    make_plan(department=staff.department, by=staff, status="submitted",
              submitted_at=at(2026, 4, 3))  # fmt: skip
    run_scan(at(2026, 4, 4))
    assert Reminder.objects.count() == 0


def test_returned_catalog_is_reminded_every_seven_days_until_resubmitted(run_scan, staff):
    plan = make_plan(department=staff.department, by=staff, status="returned",
                     submitted_at=at(2026, 3, 10))  # fmt: skip
    AnnualPlan.objects.filter(pk=plan.pk).update(reviewed_at=at(2026, 3, 12, hour=15))
    run_scan(at(2026, 3, 19, hour=14, minute=59))
    assert occasions(Kind.PLAN_RETURNED) == []
    run_scan(at(2026, 3, 19, hour=15))
    run_scan(at(2026, 3, 25))
    assert occasions(Kind.PLAN_RETURNED) == ["returned-20260312150000-7d"]
    run_scan(at(2026, 3, 26, hour=15))
    assert occasions(Kind.PLAN_RETURNED) == [
        "returned-20260312150000-14d",
        "returned-20260312150000-7d",
    ]
    row = Reminder.objects.filter(kind=Kind.PLAN_RETURNED).first()
    assert row.object_type == "annual_plans.annualplan"
    assert row.object_id == plan.pk
    assert "请补充各事项拟采取的协商形式。" in row.body_text
    assert row.link == settings.PORTAL_BASE_URL + reverse(
        "annual_plans:staff_detail", args=[plan.pk]
    )
    # Filed on time at first: no deadline or overdue reminders for the returned catalog.
    assert occasions(Kind.PLAN_DEADLINE) == []


def test_a_resubmitted_catalog_is_no_longer_reminded(run_scan, staff):
    from annual_plans import services as plan_services

    plan = make_plan(department=staff.department, by=staff, status="returned")
    AnnualPlan.objects.filter(pk=plan.pk).update(reviewed_at=at(2026, 3, 12, hour=15))
    plan.refresh_from_db()
    plan = plan_services.plan_sign_off(plan=plan, by=LeaderFactory(department=staff.department))
    plan_services.plan_submit(plan=plan, by=staff)
    run_scan(at(2026, 3, 30))
    assert occasions(Kind.PLAN_RETURNED) == []


def test_departments_of_a_kind_that_files_are_all_included(run_scan):
    for kind in [Department.Kind.DISTRICT, Department.Kind.FUNCTIONAL_AREA,
                 Department.Kind.AFFILIATED_UNIT]:  # fmt: skip
        StaffFactory(department=DepartmentFactory(kind=kind))
    run_scan(at(2026, 3, 28))
    assert Reminder.objects.count() == 3


def test_due_at_is_the_start_of_the_steps_day(run_scan, staff):
    run_scan(at(2026, 3, 29, hour=12))
    row = Reminder.objects.get()
    assert row.occasion == "deadline-3d"
    assert row.due_at == at(2026, 3, 28, hour=0)
    assert row.created_at == at(2026, 3, 29, hour=12)
    assert row.sent_at is not None
    assert row.due_at < row.created_at < row.created_at + datetime.timedelta(seconds=1)
