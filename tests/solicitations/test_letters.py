"""Written solicitation (书面征求意见): the deadline is the end of the deadline day in
Beijing; closing deems outstanding main addressees to have no opinion where the letter
says so (never copies); late answers are still taken; a body answers through its staff
and its leader's signature; a person by a personal link that answers once; paper answers
are typed in by the sending department; a closed letter puts 书面征求意见 (and, for an
answer from a democratic party, the federation of commerce or a non-party person,
征求党外人士意见) on the matter's record."""

import datetime

import pytest
from django.db.models import Count

from core.dates import day_end
from core.exceptions import TransitionError
from matters import services as matter_services
from matters.models import LedgerEntry, Matter, ProcedureStep
from matters.procedures import StepType
from participation.models import CommentPeriod, Opinion, Participant
from participation.tokens import token_hash
from solicitations.events import Action
from solicitations.models import Addressee, AnswerItem, Solicitation
from solicitations.rules import letters_to_answer, visible_solicitations
from solicitations.services import letters
from tests.factories import DepartmentFactory, StaffFactory, make_period

from .letters_support import (
    BEFORE_DEADLINE,
    DEADLINE,
    DRAFTED_AT,
    LAST_MINUTE,
    MIDNIGHT_AFTER,
    SENT_AT,
    UTC,
    add,
    at,
    body,
    by_link,
    draft_letter,
    letter,
    letter_emails,
    no_opinion,
    opinions,
    person,
    refreshed,
    send,
    token_of,
)

pytestmark = pytest.mark.django_db

Status = Addressee.Status
Category = Participant.Category


@pytest.fixture
def staff():
    department = DepartmentFactory(name="青岛市住房和城乡建设局", code="zjj", short_name="市住建局")
    return StaffFactory(department=department, username="liuyang", full_name="刘洋")


@pytest.fixture
def period(staff):
    return make_period(by=staff, title="《青岛市既有住宅加装电梯管理办法》征求意见")


@pytest.fixture
def finance():
    return body("青岛市财政局", "czj")


@pytest.fixture
def district():
    return body("青岛市市南区人民政府", "snq", kind="district")


@pytest.fixture
def party(staff):
    return person(
        staff,
        "民建青岛市委员会",
        Category.DEMOCRATIC_PARTY,
        email="mj@example.cn",
        is_organisation=True,
    )


@pytest.fixture
def expert(staff):
    return person(staff, "张立新", Category.EXPERT, email="zhanglx@example.cn")


@pytest.fixture
def on_paper(staff):
    """A person without an e-mail: answers on paper only."""
    return person(staff, "王建国", Category.NPC_DEPUTY)


@pytest.fixture
def sent(period, staff, finance, expert, on_paper):
    """A sent letter: main to the finance bureau, an expert (by link) and a deputy (on
    paper); copied to the Shinan district government."""
    solicitation = draft_letter(period, staff)
    add(solicitation, staff, departments=[finance[0]], participants=[expert, on_paper])
    return solicitation


def addressee(solicitation, *, department=None, participant=None) -> Addressee:
    if department is not None:
        return solicitation.addressees.get(department=department)
    return solicitation.addressees.get(participant=participant)


def ledger(action, **filters):
    return LedgerEntry.objects.filter(action=action, **filters).order_by("pk")


# ------------------------------------------------------------------ deadline edges


class TestDeadlineEdges:
    def test_the_deadline_is_the_end_of_the_day_in_beijing(self):
        end = day_end(DEADLINE)
        assert end == at(2027, 3, 16, 0, 0)
        assert end == datetime.datetime(2027, 3, 15, 16, 0, tzinfo=UTC)

    @pytest.mark.parametrize(
        "moment",
        [
            LAST_MINUTE,
            at(2027, 3, 15, 23, 59, 59),
            # 23:59 Beijing is 15:59 UTC the same day.
            datetime.datetime(2027, 3, 15, 15, 59, tzinfo=UTC),
        ],
        ids=["23:59", "23:59:59", "15:59-utc"],
    )
    def test_an_answer_on_the_deadline_day_is_on_time(self, sent, staff, expert, moment):
        send(sent, staff)
        answered = by_link(addressee(sent, participant=expert), moment)
        assert answered.status == Status.ANSWERED
        assert answered.is_late is False

    @pytest.mark.parametrize(
        "moment",
        [
            MIDNIGHT_AFTER,
            # 16:00 UTC on the deadline day is already the next day in Beijing.
            datetime.datetime(2027, 3, 15, 16, 0, tzinfo=UTC),
            # Still the 15th in UTC, 04:00 on the 16th in Beijing.
            datetime.datetime(2027, 3, 15, 20, 0, tzinfo=UTC),
        ],
        ids=["00:00", "16:00-utc", "20:00-utc"],
    )
    def test_an_answer_after_midnight_is_late_and_still_taken(
        self, sent, staff, expert, period, moment
    ):
        send(sent, staff)
        answered = by_link(addressee(sent, participant=expert), moment)
        assert answered.status == Status.ANSWERED
        assert answered.is_late is True
        assert Opinion.objects.filter(period=period, channel=Opinion.Channel.WRITTEN).count() == 1
        (given,) = ledger(Action.ANSWER_GIVEN, object_id=answered.pk)
        assert given.after["late"] is True
        assert "逾期反馈" in given.summary

    @pytest.mark.parametrize(
        "moment",
        [
            at(2027, 3, 15, 23, 59, 59),
            datetime.datetime(2027, 3, 15, 15, 59, 59, tzinfo=UTC),
        ],
        ids=["beijing", "utc"],
    )
    def test_not_closed_at_the_last_second_of_the_deadline_day(self, sent, staff, moment):
        send(sent, staff)
        assert letters.close_due_solicitations(now=moment) == 0
        sent.refresh_from_db()
        assert sent.status == Solicitation.Status.SENT
        assert sent.closed_at is None
        assert not sent.addressees.exclude(status=Status.OUTSTANDING).exists()

    @pytest.mark.parametrize(
        "moment",
        [MIDNIGHT_AFTER, datetime.datetime(2027, 3, 15, 16, 0, tzinfo=UTC)],
        ids=["beijing", "utc"],
    )
    def test_closed_at_midnight_after_the_deadline_day(self, sent, staff, moment):
        send(sent, staff)
        assert letters.close_due_solicitations(now=moment) == 1
        sent.refresh_from_db()
        assert sent.status == Solicitation.Status.CLOSED
        assert sent.closed_at == moment
        assert letters.close_due_solicitations(now=moment + datetime.timedelta(hours=1)) == 0

    def test_an_answer_before_the_deadline_does_not_close_while_others_are_outstanding(
        self, sent, staff, expert
    ):
        send(sent, staff)
        by_link(addressee(sent, participant=expert), LAST_MINUTE)
        assert refreshed(sent).status == Solicitation.Status.SENT


# ------------------------------------------------------------------ deemed answers


class TestDeemedAnswers:
    def test_outstanding_main_addressees_are_deemed_copies_never(
        self, period, staff, finance, district, expert, on_paper
    ):
        solicitation = draft_letter(period, staff, deemed_no_opinion=True)
        add(solicitation, staff, departments=[finance[0]], participants=[expert, on_paper])
        add(solicitation, staff, departments=[district[0]], role=Addressee.Role.COPY)
        send(solicitation, staff)
        answered = by_link(addressee(solicitation, participant=expert), BEFORE_DEADLINE)

        letters.close_due_solicitations(now=MIDNIGHT_AFTER)

        statuses = dict(solicitation.addressees.values_list("name", "status"))
        assert statuses == {
            "青岛市财政局": Status.DEEMED,
            "王建国": Status.DEEMED,
            "张立新": Status.ANSWERED,
            "青岛市市南区人民政府": Status.NO_REPLY,
        }
        deemed = ledger(Action.ANSWER_DEEMED)
        assert sorted(deemed.values_list("object_id", flat=True)) == sorted(
            solicitation.addressees.filter(status=Status.DEEMED).values_list("pk", flat=True)
        )
        assert all(row.object_type == "addressee" and row.actor is None for row in deemed)
        assert not deemed.filter(object_id=answered.pk).exists()
        (closed,) = ledger(Action.SOLICITATION_CLOSED)
        assert closed.after["sent"] == 3  # the copy is not counted
        assert closed.after[Status.DEEMED] == 2 and closed.after[Status.ANSWERED] == 1

    def test_closing_again_adds_no_ledger_rows(self, sent, staff):
        send(sent, staff)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER + datetime.timedelta(days=1))
        letters.solicitation_close_due(solicitation=sent, now=MIDNIGHT_AFTER)
        per_addressee = ledger(Action.ANSWER_DEEMED).values("object_id").annotate(n=Count("pk"))
        assert [row["n"] for row in per_addressee] == [1, 1, 1]
        assert ledger(Action.SOLICITATION_CLOSED).count() == 1

    def test_without_deemed_no_opinion_they_did_not_reply(
        self, period, staff, finance, district, expert
    ):
        solicitation = draft_letter(period, staff, deemed_no_opinion=False)
        add(solicitation, staff, departments=[finance[0]], participants=[expert])
        add(solicitation, staff, departments=[district[0]], role=Addressee.Role.COPY)
        send(solicitation, staff)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        assert set(solicitation.addressees.values_list("status", flat=True)) == {Status.NO_REPLY}
        assert not ledger(Action.ANSWER_DEEMED).exists()

    def test_when_every_main_addressee_answered_the_letter_closes_and_copies_may_still_answer(
        self, period, staff, finance, district, expert
    ):
        solicitation = draft_letter(period, staff)
        add(solicitation, staff, participants=[expert])
        district_department, district_staff, district_leader = district
        add(solicitation, staff, departments=[district_department], role=Addressee.Role.COPY)
        send(solicitation, staff)
        by_link(addressee(solicitation, participant=expert), BEFORE_DEADLINE)
        solicitation.refresh_from_db()
        assert solicitation.status == Solicitation.Status.CLOSED
        copy = addressee(solicitation, department=district_department)
        assert copy.status == Status.OUTSTANDING
        assert not ledger(Action.ANSWER_DEEMED).exists()
        letters.body_answer_prepare(
            addressee=copy, by=district_staff, answer=no_opinion(), now=BEFORE_DEADLINE
        )
        given = letters.body_answer_sign(addressee=copy, by=district_leader, now=BEFORE_DEADLINE)
        assert given.status == Status.ANSWERED and not given.is_late


# ------------------------------------------------------------------ late answers


class TestLateAnswersAfterClose:
    def test_a_deemed_person_answering_later_is_answered_late(self, sent, staff, expert, period):
        send(sent, staff)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        place = addressee(sent, participant=expert)
        assert place.status == Status.DEEMED

        answered = by_link(place, at(2027, 3, 18, 10))

        assert answered.status == Status.ANSWERED
        assert answered.is_late is True
        assert refreshed(sent).status == Solicitation.Status.CLOSED
        (given,) = ledger(Action.ANSWER_GIVEN, object_id=place.pk)
        assert given.after["previous"] == Status.DEEMED
        assert given.after["late"] is True
        (opinion,) = Opinion.objects.filter(period=period, channel=Opinion.Channel.WRITTEN)
        assert given.after["opinions"] == [opinion.pk]
        assert opinion.received_on == datetime.date(2027, 3, 18)

    def test_a_deemed_body_can_still_prepare_and_sign(self, sent, staff, finance):
        department, body_staff, leader = finance
        send(sent, staff)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        place = addressee(sent, department=department)
        assert place.status == Status.DEEMED
        later = at(2027, 3, 17, 11)
        letters.body_answer_prepare(
            addressee=place, by=body_staff, answer=opinions(("", "资金安排另行研究。")), now=later
        )
        given = letters.body_answer_sign(addressee=place, by=leader, now=later)
        assert given.status == Status.ANSWERED and given.is_late
        (row,) = ledger(Action.ANSWER_GIVEN, object_id=place.pk)
        assert row.after["previous"] == Status.DEEMED

    def test_an_answered_addressee_cannot_answer_again(self, sent, staff, expert):
        send(sent, staff)
        place = addressee(sent, participant=expert)
        by_link(place, BEFORE_DEADLINE)
        with pytest.raises(TransitionError, match="已经反馈"):
            by_link(place, BEFORE_DEADLINE, answer=no_opinion())


# ------------------------------------------------------------------ a body's answer


class TestBodyAnswer:
    def test_staff_prepare_and_the_leader_signs_into_the_register(
        self, sent, staff, finance, period
    ):
        department, body_staff, leader = finance
        send(sent, staff)
        place = addressee(sent, department=department)
        prepared = letters.body_answer_prepare(
            addressee=place,
            by=body_staff,
            answer=opinions(
                ("第五条", "建议明确财政补助资金的拨付时限。"),
                ("第十二条", "建议删除“原则上”三字。"),
                ("", "   "),  # an empty line is left out
            ),
            now=BEFORE_DEADLINE,
        )
        assert prepared.status == Status.OUTSTANDING
        assert prepared.prepared_by == body_staff
        assert not Opinion.objects.filter(period=period).exists()

        given = letters.body_answer_sign(addressee=place, by=leader, now=BEFORE_DEADLINE)

        assert given.status == Status.ANSWERED
        assert given.via == Addressee.Via.BODY
        assert given.signed_by == leader and given.signer_name == leader.display_name
        assert given.is_late is False
        items = list(AnswerItem.objects.filter(addressee=place).order_by("pk"))
        assert [(i.article, i.content) for i in items] == [
            ("第五条", "建议明确财政补助资金的拨付时限。"),
            ("第十二条", "建议删除“原则上”三字。"),
        ]
        registered = Opinion.objects.filter(period=period).order_by("pk")
        assert [i.opinion_id for i in items] == [o.pk for o in registered]
        for item, opinion in zip(items, registered, strict=True):
            assert opinion.channel == Opinion.Channel.WRITTEN
            assert opinion.article == item.article
            assert opinion.content == item.content
            assert opinion.author_name == "青岛市财政局"
            assert opinion.matter_id == period.matter_id
            assert opinion.received_on == BEFORE_DEADLINE.date()
        (row,) = ledger(Action.ANSWER_GIVEN, object_id=place.pk)
        assert row.actor == leader and row.after["previous"] == Status.OUTSTANDING

    def test_a_prepared_answer_may_be_redrafted_before_signing(self, sent, staff, finance):
        department, body_staff, leader = finance
        send(sent, staff)
        place = addressee(sent, department=department)
        letters.body_answer_prepare(
            addressee=place, by=body_staff, answer=opinions(("第一条", "初稿")), now=SENT_AT
        )
        letters.body_answer_prepare(
            addressee=place, by=body_staff, answer=no_opinion(), now=BEFORE_DEADLINE
        )
        assert not place.items.exists()
        given = letters.body_answer_sign(addressee=place, by=leader, now=BEFORE_DEADLINE)
        assert given.answer == Addressee.Answer.NONE
        assert not Opinion.objects.exists()

    def test_signing_without_a_prepared_answer_is_refused(self, sent, staff, finance):
        department, _body_staff, leader = finance
        send(sent, staff)
        place = addressee(sent, department=department)
        with pytest.raises(TransitionError, match="尚未起草"):
            letters.body_answer_sign(addressee=place, by=leader, now=BEFORE_DEADLINE)
        assert refreshed(place).status == Status.OUTSTANDING
        assert not ledger(Action.ANSWER_GIVEN).exists()

    def test_a_draft_letter_cannot_be_answered(self, sent, finance):
        department, body_staff, _leader = finance
        place = addressee(sent, department=department)
        with pytest.raises(TransitionError, match="尚未发出"):
            letters.body_answer_prepare(
                addressee=place, by=body_staff, answer=no_opinion(), now=BEFORE_DEADLINE
            )

    def test_a_person_does_not_answer_as_a_body(self, sent, staff, expert, finance):
        send(sent, staff)
        with pytest.raises(TransitionError, match="只有单位"):
            letters.body_answer_prepare(
                addressee=addressee(sent, participant=expert),
                by=finance[1],
                answer=no_opinion(),
                now=BEFORE_DEADLINE,
            )

    def test_a_letter_not_yet_sent_gives_the_body_nothing_to_answer(self, sent, finance):
        department, body_staff, leader = finance
        place = addressee(sent, department=department)
        assert not body_staff.has_perm("solicitations.prepare_answer", place)
        assert not leader.has_perm("solicitations.sign_answer", place)

    def test_permissions(self, sent, staff, finance, district):
        department, body_staff, leader = finance
        _other, other_staff, other_leader = district
        send(sent, staff)
        sent.refresh_from_db()  # the rules read the letter's status
        place = addressee(sent, department=department)

        assert body_staff.has_perm("solicitations.prepare_answer", place)
        assert leader.has_perm("solicitations.prepare_answer", place)
        assert not body_staff.has_perm("solicitations.sign_answer", place)
        assert leader.has_perm("solicitations.sign_answer", place)
        for outsider in (other_staff, other_leader, staff):
            assert not outsider.has_perm("solicitations.prepare_answer", place)
            assert not outsider.has_perm("solicitations.sign_answer", place)

        assert staff.has_perm("solicitations.manage_solicitation", sent)
        assert not body_staff.has_perm("solicitations.manage_solicitation", sent)
        assert not leader.has_perm("solicitations.manage_solicitation", sent)
        assert not other_staff.has_perm("solicitations.manage_solicitation", sent)

    def test_an_addressed_body_sees_the_letter_once_sent(self, sent, staff, finance, district):
        _department, body_staff, leader = finance
        _other, other_staff, _other_leader = district
        assert list(visible_solicitations(body_staff)) == []
        assert not body_staff.has_perm("solicitations.view_solicitation", sent)
        assert list(letters_to_answer(body_staff)) == []
        assert list(visible_solicitations(staff)) == [sent]

        sent = send(sent, staff)

        assert list(visible_solicitations(body_staff)) == [sent]
        assert list(visible_solicitations(leader)) == [sent]
        assert body_staff.has_perm("solicitations.view_solicitation", sent)
        assert [a.pk for a in letters_to_answer(body_staff)] == [
            addressee(sent, department=_department).pk
        ]
        assert list(visible_solicitations(other_staff)) == []
        assert list(visible_solicitations(staff)) == [sent]


# ------------------------------------------------------------------ link answers


class TestLinkAnswer:
    def test_the_token_is_found_only_after_sending(self, sent, staff, expert):
        place = addressee(sent, participant=expert)
        assert place.token_hash == ""
        assert letters.addressee_by_token("") is None
        assert not letter_emails(place).exists()

        send(sent, staff)

        token = token_of(place)
        assert letters.addressee_by_token(token) == place
        assert refreshed(place).token_hash == token_hash(token)
        assert not Addressee.objects.filter(token_hash=token).exists()  # kept only as a hash
        assert letters.addressee_by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert letters.addressee_by_token("x" * 101) is None

    def test_a_link_answers_once(self, sent, staff, expert, period):
        send(sent, staff)
        place = addressee(sent, participant=expert)
        token = token_of(place)
        found = letters.addressee_by_token(token)
        answered = letters.link_answer(
            addressee=found,
            answer=opinions(("第五条", "建议明确补助资金的拨付时限。")),
            signer_name="  张立新  ",
            now=BEFORE_DEADLINE,
        )
        assert answered.via == Addressee.Via.LINK
        assert answered.signer_name == "张立新"
        assert answered.signed_by is None
        assert letters.addressee_by_token(token) is None
        assert refreshed(place).token_hash == ""
        (opinion,) = Opinion.objects.filter(period=period)
        assert opinion.author_name == "张立新" and opinion.article == "第五条"
        with pytest.raises(TransitionError, match="已经反馈"):
            letters.link_answer(
                addressee=place, answer=no_opinion(), signer_name="张立新", now=BEFORE_DEADLINE
            )

    def test_no_opinion_with_items_is_refused(self, sent, staff, expert):
        send(sent, staff)
        place = addressee(sent, participant=expert)
        answer = letters.Answer(answer=Addressee.Answer.NONE, items=[("第一条", "其实有意见")])
        with pytest.raises(TransitionError, match="不需要填写意见内容"):
            by_link(place, BEFORE_DEADLINE, answer=answer)
        assert refreshed(place).status == Status.OUTSTANDING
        assert letters.addressee_by_token(token_of(place)) == place

    @pytest.mark.parametrize("items", [[], [("第一条", "   ")]], ids=["none", "blank"])
    def test_opinions_without_items_are_refused(self, sent, staff, expert, items):
        send(sent, staff)
        place = addressee(sent, participant=expert)
        answer = letters.Answer(answer=Addressee.Answer.OPINIONS, items=items)
        with pytest.raises(TransitionError, match="至少填写一条意见"):
            by_link(place, BEFORE_DEADLINE, answer=answer)
        assert refreshed(place).status == Status.OUTSTANDING

    def test_a_signature_is_required(self, sent, staff, expert):
        send(sent, staff)
        with pytest.raises(TransitionError, match="签名"):
            by_link(addressee(sent, participant=expert), BEFORE_DEADLINE, signer="  ")

    def test_an_unknown_answer_is_refused(self, sent, staff, expert):
        send(sent, staff)
        with pytest.raises(TransitionError, match="有意见"):
            by_link(
                addressee(sent, participant=expert),
                BEFORE_DEADLINE,
                answer=letters.Answer(answer="maybe", items=[]),
            )


class TestAfterTheFeedbackReport:
    """Once the round's adoption report is public its register takes no new opinion."""

    def publish_report(self, period):
        CommentPeriod.objects.filter(pk=period.pk).update(report_published_at=SENT_AT)

    def test_opinions_are_refused_and_no_opinion_is_taken(
        self, sent, staff, expert, finance, period
    ):
        send(sent, staff)
        self.publish_report(period)
        place = addressee(sent, participant=expert)
        with pytest.raises(TransitionError, match="采纳情况已经公开"):
            by_link(place, BEFORE_DEADLINE)
        assert refreshed(place).status == Status.OUTSTANDING
        assert not place.items.exists()
        assert not Opinion.objects.exists()
        assert by_link(place, BEFORE_DEADLINE, no_opinion()).status == Status.ANSWERED

    def test_a_letter_is_not_sent(self, sent, staff, period):
        self.publish_report(period)
        with pytest.raises(TransitionError, match="采纳情况已经公开"):
            send(sent, staff)


# ------------------------------------------------------------------ paper answers


class TestPaperAnswer:
    def enter(self, place, staff, *, received_on, now, answer=None, signer=""):
        return letters.paper_answer_enter(
            addressee=place,
            by=staff,
            answer=answer or opinions(("第三条", "建议增加业主协商程序。")),
            received_on=received_on,
            signer_name=signer,
            now=now,
        )

    def test_received_on_in_the_future_is_refused(self, sent, staff, on_paper):
        send(sent, staff)
        place = addressee(sent, participant=on_paper)
        with pytest.raises(TransitionError, match="不能晚于今天"):
            self.enter(place, staff, received_on=datetime.date(2027, 3, 11), now=BEFORE_DEADLINE)
        assert refreshed(place).status == Status.OUTSTANDING

    def test_received_before_the_letter_was_sent_is_refused(self, sent, staff, on_paper):
        send(sent, staff)
        place = addressee(sent, participant=on_paper)
        with pytest.raises(TransitionError, match="不能早于发函日期"):
            self.enter(place, staff, received_on=datetime.date(2027, 2, 28), now=BEFORE_DEADLINE)

    def test_received_on_the_day_it_was_sent(self, sent, staff, on_paper, period):
        send(sent, staff)
        place = addressee(sent, participant=on_paper)
        given = self.enter(place, staff, received_on=SENT_AT.date(), now=BEFORE_DEADLINE)
        assert given.via == Addressee.Via.PAPER
        assert given.signer_name == "王建国"  # the addressee's name when none is typed
        assert given.signed_by is None
        (opinion,) = Opinion.objects.filter(period=period)
        assert opinion.received_on == SENT_AT.date()
        assert opinion.recorded_by == staff
        assert opinion.channel == Opinion.Channel.WRITTEN

    def test_received_on_the_deadline_day_and_typed_in_after_close_is_not_late(
        self, sent, staff, on_paper
    ):
        send(sent, staff)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        place = addressee(sent, participant=on_paper)
        assert place.status == Status.DEEMED
        given = self.enter(place, staff, received_on=DEADLINE, now=at(2027, 3, 19, 10))
        assert given.status == Status.ANSWERED
        assert given.is_late is False
        (row,) = ledger(Action.ANSWER_GIVEN, object_id=place.pk)
        assert row.after["previous"] == Status.DEEMED and row.after["late"] is False

    def test_received_the_day_after_is_late(self, sent, staff, on_paper):
        send(sent, staff)
        place = addressee(sent, participant=on_paper)
        given = self.enter(
            place, staff, received_on=datetime.date(2027, 3, 16), now=at(2027, 3, 16, 9)
        )
        assert given.is_late is True


# ------------------------------------------------------------------ sending and addressing


class TestSendingAndAddressing:
    def test_sending_without_a_main_addressee_is_refused(self, period, staff, finance):
        solicitation = draft_letter(period, staff)
        with pytest.raises(TransitionError, match="至少选择一个主送"):
            send(solicitation, staff)
        add(solicitation, staff, departments=[finance[0]], role=Addressee.Role.COPY)
        with pytest.raises(TransitionError, match="至少选择一个主送"):
            send(solicitation, staff)
        assert refreshed(solicitation).status == Solicitation.Status.DRAFT
        assert not ledger(Action.SOLICITATION_SENT).exists()

    def test_sending_after_the_deadline_day_is_refused(self, sent, staff):
        with pytest.raises(TransitionError, match="截止日期已过"):
            send(sent, staff, now=MIDNIGHT_AFTER)
        assert refreshed(sent).status == Solicitation.Status.DRAFT
        # The last minute of the deadline day is still in time.
        assert send(sent, staff, now=LAST_MINUTE).status == Solicitation.Status.SENT

    def test_a_deadline_before_today_is_refused_when_drafting(self, period, staff):
        with pytest.raises(TransitionError, match="不能早于今天"):
            letters.solicitation_create(
                matter=period.matter,
                period=period,
                by=staff,
                letter=letter(deadline=DRAFTED_AT.date() - datetime.timedelta(days=1)),
                now=DRAFTED_AT,
            )
        # today itself will do
        assert draft_letter(period, staff, deadline=DRAFTED_AT.date()).deadline == DRAFTED_AT.date()

    def test_a_sent_letter_cannot_be_changed(self, sent, staff, district):
        send(sent, staff)
        with pytest.raises(TransitionError, match="已经发出"):
            add(sent, staff, departments=[district[0]])
        with pytest.raises(TransitionError, match="已经发出"):
            letters.solicitation_update(solicitation=sent, by=staff, letter=letter(), now=SENT_AT)
        with pytest.raises(TransitionError, match="已经发出"):
            send(sent, staff)

    def test_the_matters_own_department_is_not_addressed(self, period, staff):
        solicitation = draft_letter(period, staff)
        with pytest.raises(TransitionError, match="不需要向本部门征求意见"):
            add(solicitation, staff, departments=[staff.department])
        assert not solicitation.addressees.exists()

    def test_a_category_adds_each_active_participant_once(self, period, staff, party):
        solicitation = draft_letter(period, staff)
        others = [
            person(staff, "民革青岛市委员会", Category.DEMOCRATIC_PARTY, is_organisation=True),
            person(staff, "九三学社青岛市委员会", Category.DEMOCRATIC_PARTY, is_organisation=True),
        ]
        retired = person(staff, "已停用的党派", Category.DEMOCRATIC_PARTY, is_organisation=True)
        Participant.objects.filter(pk=retired.pk).update(is_active=False)
        person(staff, "李明", Category.NON_PARTY)  # another category

        added = letters.addressees_add(
            solicitation=solicitation,
            by=staff,
            participants=[party],  # chosen and in the category: once
            categories=[Category.DEMOCRATIC_PARTY],
        )

        expected = set(
            Participant.objects.filter(
                category=Category.DEMOCRATIC_PARTY, is_active=True
            ).values_list("pk", flat=True)
        )
        assert {party.pk, *(p.pk for p in others)} <= expected
        assert retired.pk not in expected
        assert sorted(a.participant_id for a in added) == sorted(expected)
        assert solicitation.addressees.count() == len(expected)
        assert all(a.category == Category.DEMOCRATIC_PARTY for a in added)
        assert all(a.role == Addressee.Role.MAIN for a in added)
        # Adding the category again adds nobody.
        again = letters.addressees_add(
            solicitation=solicitation, by=staff, categories=[Category.DEMOCRATIC_PARTY]
        )
        assert again == []
        assert solicitation.addressees.count() == len(expected)

    def test_a_district_is_grouped_as_a_district(self, period, staff, district, finance):
        solicitation = draft_letter(period, staff)
        add(solicitation, staff, departments=[district[0], finance[0]])
        assert dict(solicitation.addressees.values_list("name", "category")) == {
            "青岛市市南区人民政府": Addressee.DISTRICT,
            "青岛市财政局": Addressee.DEPARTMENT,
        }


# ------------------------------------------------------------------ steps on the record


def steps(matter, step_type):
    return ProcedureStep.objects.filter(matter=matter, step_type=step_type)


class TestSteps:
    def test_closing_with_answers_records_written_solicitation_once(
        self, sent, staff, expert, on_paper
    ):
        send(sent, staff)
        by_link(addressee(sent, participant=expert), BEFORE_DEADLINE)
        assert not steps(sent.matter, StepType.WRITTEN_SOLICITATION).exists()

        letters.close_due_solicitations(now=MIDNIGHT_AFTER)

        (step,) = steps(sent.matter, StepType.WRITTEN_SOLICITATION)
        assert refreshed(sent).step == step
        assert step.occurred_on == DEADLINE
        assert step.recorded_by == staff
        assert "1个反馈" in step.summary
        # A late answer, another close: still one.
        letters.paper_answer_enter(
            addressee=addressee(sent, participant=on_paper),
            by=staff,
            answer=no_opinion(),
            received_on=datetime.date(2027, 3, 17),
            signer_name="",
            now=at(2027, 3, 18),
        )
        letters.close_due_solicitations(now=at(2027, 3, 20))
        assert steps(sent.matter, StepType.WRITTEN_SOLICITATION).count() == 1

    def test_every_main_addressee_answering_records_it_at_once(
        self, period, staff, expert, district
    ):
        solicitation = draft_letter(period, staff)
        add(solicitation, staff, participants=[expert])
        add(solicitation, staff, departments=[district[0]], role=Addressee.Role.COPY)
        send(solicitation, staff)
        by_link(addressee(solicitation, participant=expert), BEFORE_DEADLINE)
        (step,) = steps(solicitation.matter, StepType.WRITTEN_SOLICITATION)
        assert step.occurred_on == BEFORE_DEADLINE.date()

    def test_a_letter_nobody_answered_without_deemed_answers_records_nothing(
        self, period, staff, expert
    ):
        solicitation = draft_letter(period, staff, deemed_no_opinion=False)
        add(solicitation, staff, participants=[expert])
        send(solicitation, staff)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        assert refreshed(solicitation).status == Solicitation.Status.CLOSED
        assert not ProcedureStep.objects.filter(matter=solicitation.matter).exists()

    def test_a_typed_written_solicitation_step_is_refused(self, period, staff):
        with pytest.raises(TransitionError, match="“书面征求意见”中发函"):
            matter_services.step_record(
                matter=period.matter,
                by=staff,
                step_type=StepType.WRITTEN_SOLICITATION,
                occurred_on=datetime.date(2026, 12, 1),
                responsible_person="刘洋",
                summary="向有关部门发函征求意见。",
            )
        with pytest.raises(TransitionError, match="党外人士"):
            matter_services.step_record(
                matter=period.matter,
                by=staff,
                step_type=StepType.NON_PARTY_CONSULTATION,
                occurred_on=datetime.date(2026, 12, 1),
                responsible_person="刘洋",
                summary="征求民主党派意见。",
            )
        assert not ProcedureStep.objects.filter(matter=period.matter).exists()

    def test_a_deemed_party_is_not_a_non_party_consultation(self, period, staff, party, expert):
        solicitation = draft_letter(period, staff)
        add(solicitation, staff, participants=[party, expert])
        send(solicitation, staff)
        by_link(addressee(solicitation, participant=expert), BEFORE_DEADLINE)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        assert addressee(solicitation, participant=party).status == Status.DEEMED
        assert steps(solicitation.matter, StepType.WRITTEN_SOLICITATION).count() == 1
        assert not steps(solicitation.matter, StepType.NON_PARTY_CONSULTATION).exists()
        assert refreshed(solicitation).non_party_step is None

        # The party's late answer puts it on record.
        by_link(addressee(solicitation, participant=party), at(2027, 3, 17, 10))
        (step,) = steps(solicitation.matter, StepType.NON_PARTY_CONSULTATION)
        assert step.occurred_on == datetime.date(2027, 3, 17)
        assert "民建青岛市委员会" in step.summary
        assert refreshed(solicitation).non_party_step == step
        assert steps(solicitation.matter, StepType.WRITTEN_SOLICITATION).count() == 1

    @pytest.mark.parametrize(
        "category", [Category.DEMOCRATIC_PARTY, Category.FEDERATION_OF_COMMERCE, Category.NON_PARTY]
    )
    def test_an_answer_from_each_non_party_category_counts(self, period, staff, category):
        someone = person(staff, f"{category}代表", category, email="np@example.cn")
        solicitation = draft_letter(period, staff)
        add(solicitation, staff, participants=[someone])
        send(solicitation, staff)
        by_link(addressee(solicitation, participant=someone), BEFORE_DEADLINE, no_opinion())
        assert steps(solicitation.matter, StepType.NON_PARTY_CONSULTATION).count() == 1

    def test_an_experts_answer_is_not_a_non_party_consultation(self, sent, staff, expert):
        send(sent, staff)
        by_link(addressee(sent, participant=expert), BEFORE_DEADLINE)
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        assert steps(sent.matter, StepType.WRITTEN_SOLICITATION).count() == 1
        assert not steps(sent.matter, StepType.NON_PARTY_CONSULTATION).exists()


class TestDecisionNeedsNonPartyOpinions:
    @pytest.fixture
    def listed(self, staff):
        """A decision matter listed for non-party opinions, in legality review."""
        period = make_period(by=staff, title="城市更新政策征求意见", seeks_non_party_opinions=True)
        matter = period.matter
        assert matter.kind == "decision" and not matter.is_major_decision
        while matter.stage != "legality_review":
            matter = matter_services.matter_advance_stage(matter=matter, by=staff)
        return period

    def test_no_decision_before_a_non_party_answer(self, listed, staff, party, expert):
        matter = Matter.objects.get(pk=listed.matter_id)
        (blocker,) = matter_services.advance_blockers(matter)
        assert "征求党外人士意见" in blocker
        with pytest.raises(TransitionError, match="征求党外人士意见"):
            matter_services.matter_advance_stage(matter=matter, by=staff, now=SENT_AT)

        solicitation = draft_letter(listed, staff)
        add(solicitation, staff, participants=[party, expert])
        send(solicitation, staff)
        by_link(addressee(solicitation, participant=party), BEFORE_DEADLINE)
        # The expert has not answered: the letter is still open, nothing on record yet.
        assert refreshed(solicitation).status == Solicitation.Status.SENT
        with pytest.raises(TransitionError, match="征求党外人士意见"):
            matter_services.matter_advance_stage(
                matter=matter, by=staff, now=BEFORE_DEADLINE + datetime.timedelta(hours=1)
            )
        assert Matter.objects.get(pk=matter.pk).stage == "legality_review"

        # Once the deadline day is over, advancing closes the letter first and may go on.
        matter = matter_services.matter_advance_stage(matter=matter, by=staff, now=MIDNIGHT_AFTER)

        assert matter.stage == "collective_decision"
        assert refreshed(solicitation).status == Solicitation.Status.CLOSED
        assert steps(matter, StepType.NON_PARTY_CONSULTATION).count() == 1
        assert steps(matter, StepType.WRITTEN_SOLICITATION).count() == 1

    def test_a_deemed_party_does_not_let_it_advance(self, listed, staff, party, expert):
        solicitation = draft_letter(listed, staff)
        add(solicitation, staff, participants=[party, expert])
        send(solicitation, staff)
        by_link(addressee(solicitation, participant=expert), BEFORE_DEADLINE)
        matter = Matter.objects.get(pk=listed.matter_id)
        with pytest.raises(TransitionError, match="征求党外人士意见"):
            matter_services.matter_advance_stage(matter=matter, by=staff, now=MIDNIGHT_AFTER)
        assert Matter.objects.get(pk=matter.pk).stage == "legality_review"
        # The refused advance rolled back with it the close it made; the scheduled close
        # deems the party, which still does not count.
        letters.close_due_solicitations(now=MIDNIGHT_AFTER)
        assert addressee(solicitation, participant=party).status == Status.DEEMED
        assert steps(matter, StepType.WRITTEN_SOLICITATION).count() == 1
        assert not steps(matter, StepType.NON_PARTY_CONSULTATION).exists()
        (blocker,) = matter_services.advance_blockers(Matter.objects.get(pk=matter.pk))
        assert "征求党外人士意见" in blocker
