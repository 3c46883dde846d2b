import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.exceptions import TransitionError
from matters.models import Document, LedgerEntry
from participation.events import Action
from participation.models import Activity
from participation.services import activities as services
from tests.factories import StaffFactory, make_activity, make_matter

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A hearing at 09:00 Beijing time; every edge is computed from it.
START = datetime.datetime(2030, 3, 10, 9, 0, tzinfo=SHANGHAI)
EARLY = START - datetime.timedelta(days=40)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def matter(staff):
    return make_matter(by=staff)


def schedule(matter, by, **overrides):
    fields = {
        "kind": Activity.Kind.HEARING,
        "title": "公共停车场收费价格调整听证会",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=3),
        "place": "市政府第一会议室",
        "notice_published_at": START - datetime.timedelta(days=10),
        "materials_published_at": START - datetime.timedelta(days=5),
        "now": EARLY,
        **overrides,
    }
    return services.activity_schedule(matter=matter, by=by, **fields)


def test_hearing_with_notice_exactly_ten_days_and_materials_exactly_five_days_before_is_scheduled(
    matter, staff
):
    activity = schedule(matter, staff)
    assert activity.status == Activity.Status.PLANNED
    entry = LedgerEntry.objects.get(action=Action.ACTIVITY_SCHEDULED)
    assert entry.object_id == activity.pk and entry.matter == matter
    assert entry.department_id == matter.department_id


def test_hearing_notice_one_second_late_is_refused_naming_rule_and_dates(matter, staff):
    with pytest.raises(TransitionError) as caught:
        schedule(matter, staff, notice_published_at=START - datetime.timedelta(days=10) + SECOND)
    message = str(caught.value)
    assert "至少在举行前 10 日" in message
    assert "2030年3月10日 09:00" in message  # the start, in Beijing time
    assert "2030年2月28日 09:00" in message  # the latest notice time
    assert not Activity.objects.exists()
    assert not LedgerEntry.objects.filter(action=Action.ACTIVITY_SCHEDULED).exists()


def test_hearing_materials_one_second_late_is_refused(matter, staff):
    with pytest.raises(TransitionError) as caught:
        schedule(matter, staff, materials_published_at=START - datetime.timedelta(days=5) + SECOND)
    assert "听证材料应至少在举行前 5 日公开" in str(caught.value)
    assert "2030年3月5日 09:00" in str(caught.value)


def test_hearing_without_planned_times_is_refused(matter, staff):
    with pytest.raises(TransitionError) as caught:
        schedule(matter, staff, notice_published_at=None, materials_published_at=None)
    assert "未填写" in str(caught.value)


def test_edges_are_counted_in_beijing_time_across_midnight_utc(matter, staff):
    # 07:00 Beijing is 23:00 UTC the day before: the rule counts 24-hour days, not dates.
    start = datetime.datetime(2030, 3, 10, 7, 0, tzinfo=SHANGHAI)
    notice = datetime.datetime(2030, 2, 27, 23, 0, tzinfo=datetime.UTC)  # = 02-28 07:00 CST
    activity = schedule(
        matter,
        staff,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        notice_published_at=notice,
        materials_published_at=start - datetime.timedelta(days=5),
    )
    assert activity.pk


def test_override_reason_allows_a_late_hearing_and_is_kept_in_the_ledger(matter, staff):
    activity = schedule(
        matter,
        staff,
        notice_published_at=START - datetime.timedelta(days=3),
        materials_published_at=START - datetime.timedelta(days=2),
        override_reason="  台风过境后紧急调整收费方案，须尽快听取意见。 ",
    )
    assert activity.schedule_override_reason == "台风过境后紧急调整收费方案，须尽快听取意见。"
    entry = LedgerEntry.objects.get(action=Action.ACTIVITY_SCHEDULED)
    assert "台风过境" in entry.summary
    assert entry.after["schedule_override_reason"].startswith("台风过境")


def test_symposium_needs_no_advance_notice(matter, staff):
    activity = schedule(
        matter,
        staff,
        kind=Activity.Kind.SYMPOSIUM,
        notice_published_at=None,
        materials_published_at=None,
    )
    assert activity.kind == Activity.Kind.SYMPOSIUM


def test_end_before_start_is_refused(matter, staff):
    with pytest.raises(TransitionError, match="结束时间不能早于开始时间"):
        schedule(matter, staff, ends_at=START - SECOND)


def test_end_equal_to_start_is_allowed(matter, staff):
    assert schedule(matter, staff, ends_at=START).pk


def test_activity_in_the_past_is_refused(matter, staff):
    with pytest.raises(TransitionError, match="开始时间须晚于现在"):
        schedule(matter, staff, now=START + SECOND)


def test_publish_notice_exactly_ten_days_before_is_allowed(matter, staff):
    activity = schedule(matter, staff)
    moment = START - datetime.timedelta(days=10)
    activity = services.activity_publish_notice(activity=activity, by=staff, now=moment)
    assert activity.status == Activity.Status.NOTICE_PUBLISHED
    assert activity.notice_published_at == moment
    entry = LedgerEntry.objects.get(action=Action.ACTIVITY_NOTICE_PUBLISHED)
    assert entry.before["status"] == "planned"
    assert entry.after["status"] == "notice_published"


def test_publish_notice_one_second_late_is_refused_unless_overridden(matter, staff):
    activity = schedule(matter, staff)
    late = START - datetime.timedelta(days=10) + SECOND
    with pytest.raises(TransitionError, match="至少在举行前 10 日"):
        services.activity_publish_notice(activity=activity, by=staff, now=late)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED
    activity = services.activity_update(
        activity=activity, by=staff, override_reason="上级部署调整，时间紧迫。"
    )
    assert LedgerEntry.objects.filter(action=Action.ACTIVITY_UPDATED).exists()
    activity = services.activity_publish_notice(activity=activity, by=staff, now=late)
    assert activity.status == Activity.Status.NOTICE_PUBLISHED


def test_publish_notice_twice_is_refused(matter, staff):
    activity = schedule(matter, staff)
    services.activity_publish_notice(activity=activity, by=staff, now=EARLY)
    with pytest.raises(TransitionError, match="只有计划中的活动"):
        services.activity_publish_notice(activity=activity, by=staff, now=EARLY)


def test_mark_held_before_start_is_refused_and_at_start_allowed(matter, staff):
    activity = schedule(matter, staff)
    with pytest.raises(TransitionError, match="尚未开始"):
        services.activity_mark_held(activity=activity, by=staff, now=START - SECOND)
    activity = services.activity_mark_held(activity=activity, by=staff, now=START)
    assert activity.status == Activity.Status.HELD
    assert LedgerEntry.objects.filter(action=Action.ACTIVITY_HELD, object_id=activity.pk).exists()
    with pytest.raises(TransitionError, match="已登记为已举行"):
        services.activity_mark_held(activity=activity, by=staff, now=START)


def test_minutes_need_a_held_activity_and_some_content(matter, staff):
    activity = schedule(matter, staff)
    with pytest.raises(TransitionError, match="已举行后才能公开纪要"):
        services.activity_publish_minutes(activity=activity, by=staff, minutes="纪要")
    services.activity_mark_held(activity=activity, by=staff, now=START)
    with pytest.raises(TransitionError, match="请填写纪要内容或上传纪要文件"):
        services.activity_publish_minutes(activity=activity, by=staff, minutes="  ")


def test_minutes_text_and_document_are_published(matter, staff):
    activity = schedule(matter, staff)
    services.activity_mark_held(activity=activity, by=staff, now=START)
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    activity = services.activity_publish_minutes(
        activity=activity, by=staff, minutes="会议听取了 12 位代表的意见。", upload=pdf
    )
    assert activity.status == Activity.Status.MINUTES_PUBLISHED
    assert activity.minutes_document.category == Document.Category.MINUTES
    assert activity.minutes_document.matter == matter
    entry = LedgerEntry.objects.get(action=Action.MINUTES_PUBLISHED)
    assert entry.after["minutes_document"] == activity.minutes_document.pk
    with pytest.raises(TransitionError, match="纪要已经公开"):
        services.activity_publish_minutes(activity=activity, by=staff, minutes="再次")


def test_held_activity_can_no_longer_be_rescheduled(matter, staff):
    activity = make_activity(
        matter=matter, by=staff, status="held", starts_in=-datetime.timedelta(days=1)
    )
    with pytest.raises(TransitionError, match="不能再修改安排"):
        services.activity_update(activity=activity, by=staff, title="新名称")


def test_make_activity_walks_to_minutes_published(matter, staff):
    activity = make_activity(matter=matter, by=staff, kind="hearing", status="minutes_published")
    assert activity.status == Activity.Status.MINUTES_PUBLISHED
    actions = set(
        LedgerEntry.objects.filter(object_type="activity", object_id=activity.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == {
        Action.ACTIVITY_SCHEDULED,
        Action.ACTIVITY_NOTICE_PUBLISHED,
        Action.ACTIVITY_HELD,
        Action.MINUTES_PUBLISHED,
    }
