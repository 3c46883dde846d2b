"""Reminders of surveys: panel members who have not answered, three days and one day
before closing (to the minute), and the department when a survey has closed — each once,
never to a member who answered, never for a cancelled survey, never with a personal link."""

import datetime

import pytest

from reminders.models import Reminder
from surveys import services
from surveys.models import PanelMember, Response, Survey
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    StaffFactory,
    make_participant,
    make_survey,
    survey_answers,
)

from .conftest import at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
OPENS = at(2027, 3, 1, 9)
CLOSES = at(2027, 3, 15, 18, 30)
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def department():
    return DepartmentFactory(name="青岛市财政局", code="czj")


@pytest.fixture
def staff(department):
    return StaffFactory(department=department, username="zhaoli", email="zhaoli@example.gov.cn")


@pytest.fixture
def leader(department):
    return LeaderFactory(department=department, username="sunqi", email="sunqi@example.gov.cn")


@pytest.fixture
def survey(staff, leader):
    return make_survey(
        by=staff,
        department=staff.department,
        audience=Survey.Audience.BOTH,
        opens_at=OPENS,
        closes_at=CLOSES,
        title="2027年预算重点支出方向问卷",
    )


def seat(survey, name, email):
    participant = make_participant(name=name, category="npc_deputy", email=email)
    return PanelMember.objects.create(
        survey=survey,
        participant=participant,
        category=participant.category,
        token_hash=f"{name}".encode().hex().ljust(64, "0")[:64],
        created_by=survey.created_by,
    )


@pytest.fixture
def members(survey):
    return [
        seat(survey, "张代表", "zhang@example.cn"),
        seat(survey, "李代表", "li@example.cn"),
        seat(survey, "无邮箱", ""),
    ]


def rows(kind):
    return list(
        Reminder.objects.filter(kind=kind)
        .order_by("recipient", "occasion")
        .values_list("recipient", "occasion")
    )


def test_closing_reminders_three_days_and_one_day_before_to_the_minute(run_scan, survey, members):
    run_scan(CLOSES - 3 * DAY - MINUTE)
    assert rows(Kind.SURVEY_CLOSING) == []

    run_scan(CLOSES - 3 * DAY)
    three = [
        ("li@example.cn", "closing-202703151830-3d"),
        ("zhang@example.cn", "closing-202703151830-3d"),
    ]
    assert rows(Kind.SURVEY_CLOSING) == three

    run_scan(CLOSES - 2 * DAY)  # again, later: nothing new
    run_scan(CLOSES - DAY - MINUTE)
    assert rows(Kind.SURVEY_CLOSING) == three

    run_scan(CLOSES - DAY)
    run_scan(CLOSES - MINUTE)
    assert rows(Kind.SURVEY_CLOSING) == sorted(
        [
            *three,
            ("li@example.cn", "closing-202703151830-1d"),
            ("zhang@example.cn", "closing-202703151830-1d"),
        ]
    )

    run_scan(CLOSES)  # closed: no more closing reminders
    assert len(rows(Kind.SURVEY_CLOSING)) == 4


def test_closing_reminder_has_no_personal_link_and_points_to_the_invitation(
    run_scan, survey, members
):
    run_scan(CLOSES - 3 * DAY)

    reminder = Reminder.objects.get(kind=Kind.SURVEY_CLOSING, recipient="zhang@example.cn")
    assert (
        reminder.subject == "“2027年预算重点支出方向问卷”将于2027年3月15日 18:30结束，请您及时填写"
    )
    assert "张代表" in reminder.body_text
    assert "邀请邮件中的个人链接" in reminder.body_text
    assert reminder.link.endswith(f"/{survey.pk}/")
    assert "/panel/" not in reminder.body_text
    assert reminder.object_type == "surveys.panelmember"


def test_members_who_answered_are_not_reminded(run_scan, survey, members):
    services.response_submit(
        survey=survey,
        data=survey_answers(survey),
        channel=Response.Channel.PANEL,
        panel_member=members[0],
        now=CLOSES - 4 * DAY,
    )

    run_scan(CLOSES - 3 * DAY)

    assert rows(Kind.SURVEY_CLOSING) == [("li@example.cn", "closing-202703151830-3d")]


def test_cancelled_surveys_remind_nobody(run_scan, survey, members, staff):
    services.survey_cancel(survey=survey, by=staff, reason="调查内容调整", now=OPENS + DAY)

    run_scan(CLOSES - DAY)
    run_scan(CLOSES + MINUTE)

    assert rows(Kind.SURVEY_CLOSING) == []
    assert rows(Kind.SURVEY_CLOSED) == []


def test_a_member_invited_after_a_step_gets_only_the_later_one(run_scan, survey, members):
    late = seat(survey, "王委员", "wang@example.cn")
    PanelMember.objects.filter(pk=late.pk).update(created_at=CLOSES - 2 * DAY)

    run_scan(CLOSES - 2 * DAY + MINUTE)
    run_scan(CLOSES - DAY)

    assert [r for r in rows(Kind.SURVEY_CLOSING) if r[0] == "wang@example.cn"] == [
        ("wang@example.cn", "closing-202703151830-1d")
    ]


def test_a_later_closing_time_is_reminded_again(run_scan, survey, members, staff):
    run_scan(CLOSES - 3 * DAY)
    later = CLOSES + 5 * DAY
    services.survey_update(survey=survey, by=staff, closes_at=later, now=CLOSES - 3 * DAY)

    run_scan(later - 3 * DAY)

    assert {o for _r, o in rows(Kind.SURVEY_CLOSING)} == {
        "closing-202703151830-3d",
        "closing-202703201830-3d",
    }


def test_department_is_told_once_when_the_survey_closes(run_scan, survey, members, staff, leader):
    StaffFactory(department=staff.department, username="qianyu", email="qianyu@example.gov.cn")
    for n in range(3):
        services.response_submit(
            survey=survey, data=survey_answers(survey, field=n % 2), now=OPENS + DAY
        )

    run_scan(CLOSES - MINUTE)
    assert rows(Kind.SURVEY_CLOSED) == []

    run_scan(CLOSES)
    run_scan(CLOSES + DAY)

    assert rows(Kind.SURVEY_CLOSED) == [
        ("qianyu@example.gov.cn", "closed-202703151830"),
        ("zhaoli@example.gov.cn", "closed-202703151830"),
    ]
    reminder = Reminder.objects.get(kind=Kind.SURVEY_CLOSED, recipient="zhaoli@example.gov.cn")
    assert reminder.subject == "“2027年预算重点支出方向问卷”已结束，收回有效答卷3份"
    assert "共收回有效答卷 3 份" in reminder.body_text
    assert "青岛市财政局" in reminder.body_text
    assert f"/{survey.pk}/" in reminder.link


def test_surveys_closed_long_ago_are_not_announced(run_scan, survey):
    run_scan(CLOSES + 8 * DAY)

    assert rows(Kind.SURVEY_CLOSED) == []
