import datetime
import zoneinfo

import pytest
from django.utils import timezone

from core.exceptions import TransitionError
from matters.models import LedgerEntry
from matters.services import draft_add, draft_publish, matter_publish
from participation.events import Action
from participation.models import Opinion
from participation.selectors.comments import (
    comment_periods_open,
    days_left,
    period_is_closed,
    period_is_open,
)
from participation.services.comments import (
    comment_period_open,
    opinion_record,
    opinion_submit,
    opinions_dispose,
    opinions_moderate,
)
from tests.factories import make_matter, make_period

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)


def published_matter(**overrides):
    matter = make_matter(**overrides)
    return matter_publish(matter=matter, by=matter.created_by)


def open_period(matter, *, duration, reason=""):
    return comment_period_open(
        matter=matter,
        by=matter.created_by,
        title="公开征求意见",
        starts_at=START,
        ends_at=START + duration,
        shortened_reason=reason,
    )


@pytest.mark.parametrize(
    "overrides", [{"kind": "legislative"}, {"kind": "decision", "is_major_decision": True}]
)
def test_thirty_days_exactly_is_accepted_and_one_second_less_refused(overrides):
    matter = published_matter(**overrides)
    with pytest.raises(TransitionError, match="不少于30日"):
        open_period(matter, duration=datetime.timedelta(days=30) - datetime.timedelta(seconds=1))
    period = open_period(matter, duration=datetime.timedelta(days=30))
    assert period.ends_at - period.starts_at == datetime.timedelta(days=30)


def test_shorter_period_with_reason_is_kept():
    matter = published_matter(kind="legislative")
    period = open_period(matter, duration=datetime.timedelta(days=10), reason="上级督办，时间紧迫")
    assert period.shortened_reason == "上级督办，时间紧迫"
    entry = LedgerEntry.objects.get(action=Action.COMMENT_PERIOD_OPENED, object_id=period.pk)
    assert entry.after["shortened_reason"] == "上级督办，时间紧迫"


def test_ordinary_matter_may_have_a_short_period():
    matter = published_matter(kind="decision", is_major_decision=False)
    period = open_period(matter, duration=datetime.timedelta(days=7))
    assert period.pk


def test_end_must_be_after_start():
    matter = published_matter()
    with pytest.raises(TransitionError, match="截止时间必须晚于开始时间"):
        open_period(matter, duration=datetime.timedelta(0))


def test_unpublished_matter_is_refused():
    matter = make_matter()
    with pytest.raises(TransitionError, match="尚未向社会公开"):
        open_period(matter, duration=datetime.timedelta(days=30))


def test_draft_must_belong_to_matter_and_be_published():
    matter = published_matter()
    other = published_matter()
    draft = draft_add(
        matter=matter, by=matter.created_by, title="草案", text="第一条", change_note="初稿"
    )
    foreign = draft_add(
        matter=other, by=other.created_by, title="草案", text="第一条", change_note="初稿"
    )
    kwargs = {
        "matter": matter,
        "by": matter.created_by,
        "title": "征求意见",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(days=30),
    }
    with pytest.raises(TransitionError, match="不属于该事项"):
        comment_period_open(draft=foreign, **kwargs)
    with pytest.raises(TransitionError, match="尚未公开"):
        comment_period_open(draft=draft, **kwargs)
    draft_publish(draft=draft, by=matter.created_by)
    assert comment_period_open(draft=draft, **kwargs).draft == draft


def test_open_and_closed_at_the_exact_edges():
    period = open_period(published_matter(), duration=datetime.timedelta(days=30))
    tick = datetime.timedelta(microseconds=1)
    assert not period_is_open(period, now=START - tick)
    assert period_is_open(period, now=START)
    assert period_is_open(period, now=period.ends_at - tick)
    assert not period_is_open(period, now=period.ends_at)
    assert period_is_closed(period, now=period.ends_at)
    assert list(comment_periods_open(now=START)) == [period]
    assert list(comment_periods_open(now=period.ends_at)) == []
    assert list(comment_periods_open(now=START - tick)) == []


def test_days_left_counts_shanghai_calendar_days():
    period = open_period(published_matter(), duration=datetime.timedelta(days=30))
    # Ends 2026-12-31 09:00 Shanghai (01:00 UTC): the 31st is the last day.
    assert days_left(period, now=datetime.datetime(2026, 12, 31, 0, 30, tzinfo=SHANGHAI)) == 0
    # 2026-12-30 23:30 in Shanghai is still the 30th there although it is the 30th 15:30 UTC.
    late = datetime.datetime(2026, 12, 30, 23, 30, tzinfo=SHANGHAI)
    assert days_left(period, now=late) == 1
    assert days_left(period, now=START) == 30


def test_submission_only_while_open():
    period = open_period(published_matter(), duration=datetime.timedelta(days=30))
    with pytest.raises(TransitionError, match="已结束或尚未开始"):
        opinion_submit(period=period, content="意见", now=period.ends_at)
    opinion = opinion_submit(period=period, content="意见", contact="13800000000", now=START)
    assert opinion.moderation == Opinion.Moderation.PENDING
    assert opinion.channel == Opinion.Channel.ONLINE


def test_too_long_content_is_refused():
    period = make_period()
    with pytest.raises(TransitionError, match="不能超过5000"):
        opinion_submit(period=period, content="字" * 5001)


def test_offline_opinion_records_who_and_writes_ledger():
    period = make_period()
    staff = period.matter.created_by
    opinion = opinion_record(
        period=period,
        by=staff,
        channel=Opinion.Channel.LETTER,
        received_on=timezone.localdate(),
        content="建议增加公共停车位。",
        author_name="张三",
        contact="0532-1234567",
    )
    assert opinion.recorded_by == staff
    assert LedgerEntry.objects.filter(action=Action.OPINION_RECORDED, matter=period.matter).exists()
    with pytest.raises(TransitionError, match="线下"):
        opinion_record(
            period=period,
            by=staff,
            channel=Opinion.Channel.ONLINE,
            received_on=timezone.localdate(),
            content="x",
        )


def _opinions(period, n):
    return [opinion_submit(period=period, content=f"意见{i}") for i in range(n)]


def test_bulk_moderation_writes_one_ledger_row_with_ids():
    period = make_period()
    opinions = _opinions(period, 3)
    ids = [o.pk for o in opinions[:2]]
    count = opinions_moderate(
        period=period, by=period.matter.created_by, opinion_ids=ids, moderation="shown"
    )
    assert count == 2
    assert set(Opinion.objects.filter(moderation="shown").values_list("pk", flat=True)) == set(ids)
    entry = LedgerEntry.objects.get(action=Action.OPINIONS_MODERATED)
    assert entry.after["count"] == 2 and entry.after["ids"] == sorted(ids)


def test_disposition_needs_reason_unless_adopted():
    period = make_period()
    opinions = _opinions(period, 3)
    staff = period.matter.created_by
    ids = [o.pk for o in opinions]
    with pytest.raises(TransitionError, match="须填写答复和理由"):
        opinions_dispose(period=period, by=staff, opinion_ids=ids, disposition="not_adopted")
    assert (
        opinions_dispose(period=period, by=staff, opinion_ids=ids[:1], disposition="adopted") == 1
    )
    count = opinions_dispose(
        period=period,
        by=staff,
        opinion_ids=ids[1:],
        disposition="not_adopted",
        response="与上位法规定不一致。",
    )
    assert count == 2
    assert set(Opinion.objects.filter(pk__in=ids[1:]).values_list("response", flat=True)) == {
        "与上位法规定不一致。"
    }
    entries = LedgerEntry.objects.filter(action=Action.OPINIONS_DISPOSED).order_by("pk")
    assert [e.after["count"] for e in entries] == [1, 2]


def test_opinions_of_another_period_are_refused():
    period = make_period()
    other = make_period()
    foreign = _opinions(other, 1)[0]
    with pytest.raises(TransitionError, match="不属于本次征求意见"):
        opinions_moderate(
            period=period,
            by=period.matter.created_by,
            opinion_ids=[foreign.pk],
            moderation="shown",
        )
