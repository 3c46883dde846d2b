"""Public calls (公开征集): the period at its edges, proposals from the public and on
paper, each screening outcome with what it needs and links to, the result published only
when all are screened, the look-up by receipt number, and the ledger."""

import datetime

import pytest

from annual_plans.deadlines import SHANGHAI
from calls import services
from calls.models import Call, Submission
from calls.selectors import calls_public, outcome_counts
from core.exceptions import TransitionError
from matters.models import LedgerEntry
from matters.selectors import ledger_entries
from tests.factories import (
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_plan,
)

pytestmark = pytest.mark.django_db

Outcome = Submission.Outcome


def at(day: int, hour: int = 9, month: int = 11, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


STARTS, ENDS = at(1, 0), at(30, 18)


@pytest.fixture
def office():
    return ReviewerFactory()


@pytest.fixture
def call(office):
    call = services.call_create(
        by=office,
        department=office.department,
        kind=Call.Kind.TOPICS,
        title="2027年度政府协商议题公开征集",
        year=2027,
        scope="涉及全市经济社会发展的重大事项。",
        guidance="请写明议题、理由和建议。",
        starts_at=STARTS,
        ends_at=ENDS,
    )
    return services.call_publish(call=call, by=office, now=at(1, 0) - datetime.timedelta(days=2))


def propose(call, title="关于加快老旧小区加装电梯的议题", *, now=None):
    return services.submission_submit(
        call=call,
        title=title,
        reasons="老旧小区老年人上下楼困难。",
        measures="简化审批，财政补贴。",
        author_name="张先生",
        contact="zhang@example.cn",
        client_hash="x",
        now=now or at(10),
    )


def rows(call):
    return list(
        LedgerEntry.objects.filter(object_type="call", object_id=call.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


class TestPeriod:
    def test_open_from_its_start_until_its_end(self, call):
        with pytest.raises(TransitionError, match="尚未开始"):
            propose(call, now=STARTS - datetime.timedelta(seconds=1))
        assert propose(call, now=STARTS).receipt.startswith("ZJ-")
        assert propose(call, now=ENDS - datetime.timedelta(seconds=1))
        with pytest.raises(TransitionError, match="已结束"):
            propose(call, now=ENDS)
        assert call.status(STARTS - datetime.timedelta(seconds=1)) == "upcoming"
        assert call.status(STARTS) == "open" and call.status(ENDS) == "screening"

    def test_a_draft_call_takes_nothing_and_a_past_one_is_not_published(self, office):
        draft = services.call_create(
            by=office,
            department=office.department,
            kind=Call.Kind.LEGISLATION,
            title="2027年度立法项目建议征集",
            year=2027,
            scope="地方性法规和政府规章。",
            guidance="请写明立法的必要性。",
            starts_at=STARTS,
            ends_at=ENDS,
        )
        with pytest.raises(TransitionError):
            propose(draft)
        with pytest.raises(TransitionError, match="截止时间已过"):
            services.call_publish(call=draft, by=office, now=ENDS)
        with pytest.raises(TransitionError, match="晚于开始时间"):
            services.call_update(call=draft, by=office, ends_at=STARTS)

    def test_a_published_call_keeps_its_kind_and_start(self, call, office):
        with pytest.raises(TransitionError, match="类别和年度"):
            services.call_update(call=call, by=office, year=2028)
        services.call_update(call=call, by=office, ends_at=ENDS + datetime.timedelta(days=7))
        assert rows(call) == ["call_created", "call_published", "call_edited"]

    def test_paper_proposals_are_dated_within_the_period(self, call, office):
        with pytest.raises(TransitionError, match="征集期间内"):
            services.submission_enter(
                call=call,
                by=office,
                received_on=datetime.date(2026, 12, 1),
                title="书面建议",
                reasons="理由",
            )
        entered = services.submission_enter(
            call=call,
            by=office,
            received_on=datetime.date(2026, 11, 30),
            title="书面建议",
            reasons="理由",
        )
        assert entered.channel == Submission.Channel.PAPER and entered.entered_by == office
        assert rows(call)[-1] == "call_submission_entered"


class TestScreening:
    def test_adopted_into_an_item_of_the_calls_year(self, call, office):
        department = DepartmentFactory()
        staff = StaffFactory(department=department)
        plan = make_plan(department=department, by=staff, year=2027, items=2)
        item = plan.items.order_by("order").first()
        proposal = propose(call)
        with pytest.raises(TransitionError, match="目录事项或协商事项"):
            services.submission_screen(submission=proposal, by=office, outcome=Outcome.ADOPTED)
        other_year = make_plan(department=DepartmentFactory(), year=2026, items=1).items.get()
        with pytest.raises(TransitionError, match="2027年度计划目录"):
            services.submission_screen(
                submission=proposal, by=office, outcome=Outcome.ADOPTED, plan_item=other_year
            )
        services.submission_screen(
            submission=proposal, by=office, outcome=Outcome.ADOPTED, plan_item=item
        )
        proposal.refresh_from_db()
        assert proposal.outcome == Outcome.ADOPTED and proposal.plan_item == item
        entry = LedgerEntry.objects.filter(action="call_submission_screened").get()
        assert entry.after["outcome"] == "采纳" and item.title in entry.after["plan_item"]
        assert entry.before == {"outcome": "待遴选"}

    def test_adopted_into_a_matter_of_the_calls_year(self, call, office):
        matter = make_matter(year=2027, title="2027年议题")
        proposal = propose(call)
        services.submission_screen(
            submission=proposal, by=office, outcome=Outcome.ADOPTED, matter=matter
        )
        with pytest.raises(TransitionError, match="2027年度的协商事项"):
            services.submission_screen(
                submission=proposal,
                by=office,
                outcome=Outcome.ADOPTED,
                matter=make_matter(year=2026),
            )

    def test_merged_rejected_and_transferred(self, call, office):
        first, second, third = (propose(call, title=f"建议{n}") for n in range(3))
        with pytest.raises(TransitionError, match="合并到的建议"):
            services.submission_screen(submission=first, by=office, outcome=Outcome.MERGED)
        services.submission_screen(
            submission=second, by=office, outcome=Outcome.MERGED, merged_into=first
        )
        with pytest.raises(TransitionError, match="已经合并"):
            services.submission_screen(
                submission=third, by=office, outcome=Outcome.MERGED, merged_into=second
            )
        with pytest.raises(TransitionError, match="不能再把它合并出去"):
            services.submission_screen(
                submission=first, by=office, outcome=Outcome.MERGED, merged_into=third
            )
        with pytest.raises(TransitionError, match="写明理由"):
            services.submission_screen(submission=third, by=office, outcome=Outcome.REJECTED)
        services.submission_screen(
            submission=third, by=office, outcome=Outcome.REJECTED, note="已列入今年议题。"
        )
        with pytest.raises(TransitionError, match="征集单位自己"):
            services.submission_screen(
                submission=first,
                by=office,
                outcome=Outcome.TRANSFERRED,
                transferred_to=office.department,
            )
        housing = DepartmentFactory(name="青岛市住房和城乡建设局")
        services.submission_screen(
            submission=first, by=office, outcome=Outcome.TRANSFERRED, transferred_to=housing
        )
        # The department it was passed to takes it into its own catalog.
        housing_staff = StaffFactory(department=housing)
        item = make_plan(department=housing, by=housing_staff, year=2027).items.get()
        services.submission_screen(
            submission=first, by=housing_staff, outcome=Outcome.ADOPTED, plan_item=item
        )
        first.refresh_from_db()
        assert first.outcome == Outcome.ADOPTED and first.transferred_to == housing


class TestResults:
    def test_published_only_after_the_end_and_with_everything_screened(self, call, office):
        first, second = propose(call, title="甲"), propose(call, title="乙")
        with pytest.raises(TransitionError, match="征集结束后"):
            services.results_publish(call=call, by=office, summary="结果", now=at(20))
        services.submission_screen(
            submission=first, by=office, outcome=Outcome.REJECTED, note="不属于政府协商范围。"
        )
        with pytest.raises(TransitionError, match="还有1条建议尚未遴选"):
            services.results_publish(call=call, by=office, summary="结果", now=at(30, 19))
        services.submission_screen(
            submission=second, by=office, outcome=Outcome.MERGED, merged_into=first
        )
        services.results_publish(call=call, by=office, summary="共收到2条。", now=at(30, 19))
        call.refresh_from_db()
        assert call.status(at(30, 19)) == "results"
        assert outcome_counts(call) == {
            "total": 2,
            "pending": 0,
            "adopted": 0,
            "merged": 1,
            "rejected": 1,
            "transferred": 0,
        }
        # The counts a list reads in its own query are the same.
        assert outcome_counts(calls_public().get(pk=call.pk)) == outcome_counts(call)
        entry = LedgerEntry.objects.get(action="call_results_published")
        assert entry.after["total"] == 2 and entry.after["summary"] == "共收到2条。"
        assert ledger_entries(year=2027).filter(object_type="call").count() == len(rows(call))

    def test_the_receipt_finds_only_its_own_proposal(self, call):
        proposal = propose(call)
        typed = proposal.receipt.lower().replace("-", " ")
        assert services.submission_by_receipt(call, typed) == proposal
        assert services.submission_by_receipt(call, "ZJ-0000-0000") is None
        assert services.submission_by_receipt(call, "nonsense") is None


def test_contacts_are_deleted_once_kept_long_enough(call, settings):
    settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS = 180
    proposal = propose(call)
    assert proposal.contact == "zhang@example.cn"
    kept_until = ENDS + datetime.timedelta(days=180)
    assert services.contacts_expire(now=kept_until) == 0  # at that very second, still kept
    assert services.contacts_expire(now=kept_until + datetime.timedelta(seconds=1)) == 1
    proposal.refresh_from_db()
    assert proposal.contact == "" and proposal.author_name == "张先生"
    assert services.contacts_expire(now=kept_until + datetime.timedelta(days=1)) == 0
    entry = LedgerEntry.objects.get(action="call_contacts_deleted")
    assert entry.after == {"count": 1} and entry.actor is None
