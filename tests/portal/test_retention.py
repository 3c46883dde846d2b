"""Personal data past its retention period is deleted (participation/services/retention.py): at the last
second of the period it is kept, one second later it is gone, with one ledger row per
comment period or activity counting what was deleted; a second run changes nothing."""

import datetime

import pytest
from django.utils import timezone

from matters.models import LedgerEntry
from participation.models import Opinion, Registration
from participation.services import comments as comment_services
from participation.services import registrations as registration_services
from participation.services import retention
from portal.tasks import expire_personal_data
from tests.factories import make_activity, make_period, make_published_matter

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def closed_period(settings):
    settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS = 365
    now = timezone.now()
    period = make_period(starts_at=now - 500 * DAY, ends_at=now - 450 * DAY)
    during = period.starts_at + DAY
    for content, contact in [
        ("意见一", "13900000001"),
        ("意见二", "li@example.com"),
        ("意见三", ""),
    ]:
        comment_services.opinion_submit(
            period=period, content=content, author_name="李华", contact=contact, now=during
        )
    return period


def _contacts(period) -> list[str]:
    return list(period.opinions.order_by("pk").values_list("contact", flat=True))


def _rows(action: str):
    return LedgerEntry.objects.filter(action=action)


def test_opinion_contacts_are_kept_to_the_last_second_of_the_period(closed_period):
    last_second = closed_period.ends_at + 365 * DAY
    result = retention.personal_data_expire(now=last_second)
    assert result.opinion_contacts == 0
    assert _contacts(closed_period) == ["13900000001", "li@example.com", ""]
    assert not _rows(retention.OPINION_CONTACTS_DELETED).exists()


def test_opinion_contacts_are_deleted_once_the_period_has_passed(closed_period):
    result = retention.personal_data_expire(now=closed_period.ends_at + 365 * DAY + SECOND)
    assert result.opinion_contacts == 2
    assert _contacts(closed_period) == ["", "", ""]
    # The opinion itself stays: it is the record of the consultation.
    assert list(closed_period.opinions.values_list("content", "author_name").order_by("pk")) == [
        ("意见一", "李华"),
        ("意见二", "李华"),
        ("意见三", "李华"),
    ]
    row = _rows(retention.OPINION_CONTACTS_DELETED).get()
    assert (row.object_type, row.object_id, row.matter_id) == (
        "commentperiod",
        closed_period.pk,
        closed_period.matter_id,
    )
    assert row.actor is None
    assert row.summary == "征求意见截止已满365天，删除2条意见的联系方式"
    assert row.after == {"contacts_deleted": 2, "retention_days": 365}
    assert row.action_label == "删除期满的意见联系方式"

    # Run again: nothing left, nothing written.
    again = retention.personal_data_expire(now=closed_period.ends_at + 400 * DAY)
    assert again.opinion_contacts == 0
    assert _rows(retention.OPINION_CONTACTS_DELETED).count() == 1


def test_an_open_period_keeps_its_contacts(settings):
    settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS = 0
    period = make_period()
    comment_services.opinion_submit(period=period, content="意见", contact="13900000009")
    expire_personal_data()
    assert _contacts(period) == ["13900000009"]


@pytest.fixture
def past_hearing(settings):
    settings.PORTAL_REGISTRATION_RETENTION_DAYS = 180
    now = timezone.now()
    starts_at = now - 400 * DAY
    activity = make_activity(
        matter=make_published_matter("青岛市养老服务条例"),
        kind="hearing",
        status="notice_published",
        starts_at=starts_at,
        now=starts_at - 20 * DAY,
        capacity=10,
        accepts_registrations=True,
        registration_closes_at=starts_at - 3 * DAY,
    )
    for name, phone in [("孙丽", "13912345678"), ("钱伟", "13812345678")]:
        registration_services.registration_create(
            activity=activity,
            name=name,
            phone=phone,
            email=f"{phone}@example.com",
            position="oppose",
            statement="收费标准应与服务质量挂钩。",
            now=starts_at - 4 * DAY,
        )
    return activity


def _registrations(activity):
    return list(
        Registration.objects.filter(activity=activity)
        .order_by("pk")
        .values_list("pk", "name", "phone", "email", "statement")
    )


def test_registrations_are_kept_to_the_last_second_of_the_period(past_hearing):
    before = _registrations(past_hearing)
    result = retention.personal_data_expire(now=past_hearing.ends_at + 180 * DAY)
    assert result.registrations == 0
    assert _registrations(past_hearing) == before


def test_registrations_lose_name_phone_and_email_once_the_period_has_passed(past_hearing):
    now = past_hearing.ends_at + 180 * DAY + SECOND
    assert retention.personal_data_expire(now=now).registrations == 2
    assert _registrations(past_hearing) == [
        (pk, "已删除", f"已删除-{pk}", "", "收费标准应与服务质量挂钩。")
        for pk, *_rest in _registrations(past_hearing)
    ]
    row = _rows(retention.REGISTRATIONS_ANONYMISED).get()
    assert (row.object_type, row.object_id) == ("activity", past_hearing.pk)
    assert row.summary == "活动举行已满180天，删除2份报名的姓名、电话和电子邮箱"
    assert retention.personal_data_expire(now=now + DAY).registrations == 0
    assert _rows(retention.REGISTRATIONS_ANONYMISED).count() == 1


def test_the_nightly_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["portal-expire-personal-data"]
    assert schedule["task"] == expire_personal_data.name == "portal.tasks.expire_personal_data"


def test_opinion_model_is_untouched_by_an_empty_run():
    assert retention.personal_data_expire() == retention.RetentionResult(0, 0)
    assert not Opinion.objects.exists()
