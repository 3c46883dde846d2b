"""Surveys at their edges: building and publishing, the response rules (time window,
one per browser, suspected duplicates, voiding, offline entry), tallies that always agree
with the answers, the results arithmetic, and the procedure step a closed survey puts on
its matter's record."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import TransitionError
from matters import services as matter_services
from matters.forms import StepForm
from matters.models import LedgerEntry, ProcedureStep
from surveys import services, tallies
from surveys.legacy import record_offline_surveys, reported_figure
from surveys.models import Answer, Response, Survey
from surveys.results import crosstab, median, survey_results, text_answers
from surveys.services import AnswersInvalid, QuestionInput
from tests.factories import make_matter, make_survey, survey_answers

pytestmark = pytest.mark.django_db


def submit(survey, data=None, **kw):
    kw.setdefault("browser", "")
    return services.response_submit(survey=survey, data=data or survey_answers(survey), **kw)


@pytest.fixture
def survey():
    return make_survey()


class TestBuilding:
    def test_poll_has_exactly_one_choice_question(self):
        poll = make_survey(
            every_kind=False, publish=False, kind=Survey.Kind.POLL, title="公交线路调整"
        )
        by = poll.created_by
        with pytest.raises(TransitionError, match="单选题或多选题"):
            services.question_add(survey=poll, by=by, data=QuestionInput("text", "说说看"))
        with pytest.raises(TransitionError, match="没有题目"):
            services.survey_publish(survey=poll, by=by)
        services.question_add(
            survey=poll,
            by=by,
            data=QuestionInput("single", "是否赞成？", options=[("赞成", False), ("反对", False)]),
        )
        with pytest.raises(TransitionError, match="只有一道题"):
            services.question_add(
                survey=poll,
                by=by,
                data=QuestionInput("single", "再问", options=[("是", False), ("否", False)]),
            )
        assert services.survey_publish(survey=poll, by=by).published_at is not None

    def test_condition_must_point_back_to_a_choice_option(self):
        survey = make_survey(publish=False)
        by = survey.created_by
        rating = survey.questions.get(kind="rating")
        ranking = survey.questions.get(kind="ranking")
        later = services.question_add(
            survey=survey,
            by=by,
            section=ranking.section,
            data=QuestionInput(
                "single", "是否愿意参加座谈", options=[("愿意", False), ("不愿意", False)]
            ),
        )

        def condition_on(option):
            return services.question_update(
                question=rating,
                by=by,
                data=QuestionInput(
                    "rating", rating.text, settings=rating.settings, shown_if=option
                ),
            )

        with pytest.raises(TransitionError, match="单选题或多选题"):
            condition_on(ranking.options.first())
        with pytest.raises(TransitionError, match="之前"):
            condition_on(later.options.first())
        earlier = survey.questions.get(kind="multiple").options.first()
        assert condition_on(earlier).shown_if == earlier

    def test_published_questions_are_fixed(self, survey):
        question = survey.questions.first()
        with pytest.raises(TransitionError, match="发布后不能再修改题目"):
            services.question_delete(question=question, by=survey.created_by)
        with pytest.raises(TransitionError, match="只能修改"):
            services.survey_update(
                survey=survey, by=survey.created_by, audience=Survey.Audience.PANEL
            )
        later = survey.closes_at + datetime.timedelta(days=3)
        updated = services.survey_update(survey=survey, by=survey.created_by, closes_at=later)
        assert updated.closes_at == later
        row = LedgerEntry.objects.filter(action="survey_edited").latest("pk")
        assert "closes_at" in row.after

    def test_bad_settings_are_refused_with_their_reason(self):
        survey = make_survey(every_kind=False, publish=False)
        with pytest.raises(TransitionError, match="至少需要两个选项"):
            services.question_add(
                survey=survey,
                by=survey.created_by,
                data=QuestionInput("single", "只有一项", options=[("是", False)]),
            )
        with pytest.raises(TransitionError, match="下限须小于上限"):
            services.question_add(
                survey=survey,
                by=survey.created_by,
                data=QuestionInput("number", "金额", settings={"minimum": 10, "maximum": 5}),
            )

    def test_publishing_writes_the_ledger(self, survey):
        actions = list(
            LedgerEntry.objects.filter(object_type="survey", object_id=survey.pk)
            .order_by("pk")
            .values_list("action", flat=True)
        )
        assert actions[0] == "survey_created"
        assert actions[-1] == "survey_published"


class TestResponses:
    def test_a_response_is_stored_and_counted(self, survey):
        response = submit(survey)
        survey.refresh_from_db()
        assert response.number == 1
        assert survey.response_count == 1
        # 1 + 2 picks + the conditional text + rating + 2 matrix rows + 3 places + number + text
        assert Answer.objects.filter(response=response).count() == 12
        assert tallies.differences(survey) == []

    def test_invalid_answers_store_nothing_and_name_each_question(self, survey):
        data = survey_answers(survey, amount="99999")
        ranking = survey.questions.get(kind="ranking")
        for option in ranking.options.all():
            data[f"q{ranking.pk}_o{option.pk}"] = ["1"]
        with pytest.raises(AnswersInvalid) as caught:
            submit(survey, data)
        number = survey.questions.get(kind="number")
        assert set(caught.value.errors) == {ranking.pk, number.pk}
        assert Response.objects.count() == 0

    def test_time_window_edges(self):
        now = timezone.now()
        survey = make_survey(
            opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1)
        )
        data = survey_answers(survey)
        with pytest.raises(TransitionError, match="尚未开始"):
            submit(survey, data, now=survey.opens_at - datetime.timedelta(microseconds=1))
        submit(survey, data, now=survey.opens_at)
        submit(survey, data, now=survey.closes_at - datetime.timedelta(microseconds=1))
        with pytest.raises(TransitionError, match="已结束"):
            submit(survey, data, now=survey.closes_at)

    def test_one_response_per_browser(self, survey):
        submit(survey, browser="mark-a")
        with pytest.raises(TransitionError, match="只能提交一次"):
            submit(survey, browser="mark-a")
        submit(survey, browser="mark-b")
        assert Response.objects.filter(survey=survey).count() == 2

    def test_browser_rule_off_when_the_survey_allows_several(self):
        survey = make_survey(one_response_per_person=False)
        submit(survey, browser="mark-a")
        submit(survey, browser="mark-a")
        assert Response.objects.filter(survey=survey).count() == 2

    def test_same_address_within_the_window_is_taken_and_flagged(self, survey, settings):
        settings.PORTAL_SURVEY_DUPLICATE_WINDOW = 3600
        now = timezone.now()
        first = submit(survey, client_hash="h1", browser="a", now=now)
        second = submit(
            survey, client_hash="h1", browser="b", now=now + datetime.timedelta(minutes=59)
        )
        third = submit(survey, client_hash="h1", browser="c", now=now + datetime.timedelta(hours=3))
        other = submit(
            survey, client_hash="h2", browser="d", now=now + datetime.timedelta(minutes=1)
        )
        assert [r.suspected_duplicate for r in (first, second, third, other)] == [
            False,
            True,
            False,
            False,
        ]
        survey.refresh_from_db()
        assert survey.suspected_duplicates == 1
        assert survey.response_count == 4

    def test_public_answers_are_refused_on_a_panel_survey(self):
        survey = make_survey(audience=Survey.Audience.PANEL)
        with pytest.raises(TransitionError, match="个人链接"):
            submit(survey)

    def test_void_takes_the_response_out_of_every_count(self, survey):
        keep = submit(survey, survey_answers(survey, field=0), client_hash="h", browser="a")
        dup = submit(survey, survey_answers(survey, field=1), client_hash="h", browser="b")
        assert dup.suspected_duplicate
        with pytest.raises(TransitionError, match="说明原因"):
            services.response_void(response=dup, by=survey.created_by, reason=" ")
        services.response_void(response=dup, by=survey.created_by, reason="同一人重复提交")
        survey.refresh_from_db()
        assert (survey.response_count, survey.suspected_duplicates) == (1, 0)
        assert tallies.differences(survey) == []
        first = survey_results(survey).questions[0]
        assert [o.count for o in first.options] == [1, 0, 0]
        with pytest.raises(TransitionError, match="已经作废"):
            services.response_void(response=dup, by=survey.created_by, reason="再次")
        row = LedgerEntry.objects.get(action="survey_response_voided")
        assert "同一人重复提交" in row.summary and row.object_id == dup.pk
        assert keep.voided_at is None

    def test_offline_answers_after_closing_by_staff_only(self):
        survey = make_survey()
        after = survey.closes_at + datetime.timedelta(days=1)
        with pytest.raises(TransitionError, match="已结束"):
            submit(survey, now=after)
        with pytest.raises(TransitionError, match="工作人员录入"):
            submit(survey, channel=Response.Channel.PAPER, now=after)
        response = submit(
            survey, channel=Response.Channel.PAPER, entered_by=survey.created_by, now=after
        )
        assert response.channel == "paper" and response.entered_by == survey.created_by
        assert LedgerEntry.objects.filter(
            action="survey_response_entered", object_id=response.pk
        ).exists()

    def test_rebuild_restores_tampered_tallies(self, survey):
        submit(survey)
        from surveys.models import Tally

        Tally.objects.filter(survey_id=survey.pk, question_id=0).update(count=99)
        assert tallies.differences(survey)
        tallies.rebuild(survey)
        assert tallies.differences(survey) == []


class TestResults:
    def test_arithmetic(self, survey):
        single = survey.questions.get(kind="single")
        other = single.options.get(is_other=True)
        submit(survey, survey_answers(survey, field=0, amount="1000"))
        submit(
            survey,
            survey_answers(
                survey,
                field=1,
                amount="2000",
                **{f"q{survey.questions.get(kind='rating').pk}": ["2"]},
            ),
        )
        reversed_ranks = survey_answers(survey, amount="4000")
        ranking = survey.questions.get(kind="ranking")
        options = list(ranking.options.order_by("position"))
        for place, option in zip((3, 2, 1), options, strict=True):
            reversed_ranks[f"q{ranking.pk}_o{option.pk}"] = [str(place)]
        reversed_ranks[f"q{single.pk}"] = [str(other.pk)]
        reversed_ranks[f"q{single.pk}_other"] = ["文化设施"]
        submit(survey, reversed_ranks, channel=Response.Channel.PHONE, entered_by=survey.created_by)

        results = survey_results(survey)
        assert results.respondents == 3
        assert results.by_channel == {"online": 2, "phone": 1}
        first = results.question(single.pk)
        assert [(o.count, o.percent) for o in first.options] == [
            (1, Decimal("33.3")),
            (1, Decimal("33.3")),
            (1, Decimal("33.3")),
        ]
        conditional = results.question(survey.questions.get(kind="text", shown_if__isnull=False).pk)
        assert conditional.answered == 1  # asked only of the one who chose 教育
        rating = results.question(survey.questions.get(kind="rating").pk)
        assert rating.mean == Decimal("3.33") and rating.median == Decimal(4)
        assert [n for _v, n, _p in rating.distribution] == [0, 1, 0, 2, 0]
        number = results.question(survey.questions.get(kind="number").pk)
        assert (number.mean, number.median) == (Decimal("2333.33"), Decimal(2000))
        assert (number.minimum, number.maximum) == (Decimal(1000), Decimal(4000))
        ranks = results.question(ranking.pk).ranking
        # 老旧小区改造: 1st, 1st, 3rd → 3+3+1 = 7 points, mean rank 1.67
        top = ranks[0]
        assert (top.choice.label, top.points, top.mean_rank, top.by_place) == (
            "老旧小区改造",
            7,
            Decimal("1.67"),
            [2, 0, 1],
        )
        assert [r.points for r in ranks] == [7, 6, 5]
        matrix = results.question(survey.questions.get(kind="matrix").pk)
        assert [total for _row, _cells, total in matrix.matrix] == [3, 3]
        phone_only = survey_results(survey, channels=["phone"])
        assert phone_only.respondents == 1
        notes = list(text_answers(survey, single.pk))
        assert [n.text for n in notes] == ["文化设施"]
        assert list(text_answers(survey, single.pk, search="图书")) == []

    def test_crosstab(self, survey):
        single = tallies.specs_of(survey)[0]
        multiple = tallies.specs_of(survey)[1]
        submit(survey, survey_answers(survey, field=0))
        submit(survey, survey_answers(survey, field=1))
        cells, rows, columns = crosstab(survey, single, multiple)
        assert cells[(single.choices[0].id, multiple.choices[0].id)] == 1
        assert rows[single.choices[1].id] == 2  # 1 respondent × 2 picks
        assert columns[multiple.choices[2].id] == 0

    def test_median(self):
        assert median([(Decimal(1), 1), (Decimal(3), 1)]) == Decimal(2)
        assert median([(Decimal(5), 3)]) == Decimal(5)
        assert median([]) is None


class TestProcedure:
    def budget_matter_in_consultation(self):
        matter = make_matter(kind="budget", title="2027年区级预算安排协商")
        matter_services.matter_advance_stage(matter=matter, by=matter.created_by)
        return matter

    def test_typed_note_no_longer_satisfies_a_questionnaire(self):
        matter = self.budget_matter_in_consultation()
        with pytest.raises(TransitionError, match="自动记录"):
            matter_services.step_record(
                matter=matter,
                by=matter.created_by,
                step_type="questionnaire",
                occurred_on=timezone.localdate(),
                responsible_person="张三",
                summary="开展问卷调查",
            )
        form = StepForm()
        assert "questionnaire" not in dict(form.fields["step_type"].choices)
        assert "opinion_poll" not in dict(form.fields["step_type"].choices)

    def test_a_closed_survey_with_a_response_is_the_step(self):
        matter = self.budget_matter_in_consultation()
        now = timezone.now()
        survey = make_survey(matter=matter, closes_at=now + datetime.timedelta(hours=1))
        with pytest.raises(TransitionError, match="问卷调查"):
            matter_services.matter_advance_stage(matter=matter, by=matter.created_by)
        submit(survey)
        # Still open: no step yet.
        with pytest.raises(TransitionError):
            matter_services.matter_advance_stage(matter=matter, by=matter.created_by)
        later = now + datetime.timedelta(hours=2)
        matter_services.matter_advance_stage(matter=matter, by=matter.created_by, now=later)
        matter.refresh_from_db()
        assert matter.stage == "decision"
        survey.refresh_from_db()
        step = survey.step
        assert step.step_type == "questionnaire" and "有效答卷1份" in step.summary
        assert LedgerEntry.objects.filter(action="survey_closed", object_id=survey.pk).exists()
        # Recording again does nothing.
        assert services.record_closed_surveys(now=later) == 0

    def test_no_response_or_cancelled_is_not_the_step(self):
        matter = self.budget_matter_in_consultation()
        now = timezone.now()
        empty = make_survey(matter=matter, closes_at=now + datetime.timedelta(minutes=5))
        cancelled = make_survey(matter=matter, closes_at=now + datetime.timedelta(minutes=5))
        submit(cancelled)
        services.survey_cancel(survey=cancelled, by=matter.created_by, reason="题目有误")
        assert services.record_closed_surveys(now=now + datetime.timedelta(hours=1)) == 0
        empty.refresh_from_db()
        assert empty.step is None


class TestLegacy:
    def test_typed_notes_become_offline_survey_records(self):
        matter = make_matter(kind="budget")
        step = matter_services.step_record(
            matter=matter,
            by=matter.created_by,
            step_type="opinion_poll",
            occurred_on=datetime.date(2026, 3, 2),
            responsible_person="李四",
            summary="委托第三方开展民意测验，有效样本980人。",
            evidenced=True,
        )
        assert record_offline_surveys(Survey=Survey, ProcedureStep=ProcedureStep) == 1
        assert record_offline_surveys(Survey=Survey, ProcedureStep=ProcedureStep) == 0
        record = Survey.objects.get(step=step)
        assert record.is_offline_record and record.kind == "poll"
        assert record.reported_responses == 980
        assert record.status == Survey.Status.CLOSED
        assert not record.results_public
        assert timezone.localdate(record.closes_at) == datetime.date(2026, 3, 2)

    def test_reported_figure(self):
        assert reported_figure("开展网上问卷调查，回收有效问卷1,200份。") == 1200
        assert reported_figure("座谈") is None


def test_tallies_command_checks_and_rebuilds(survey):
    from django.core.management import CommandError, call_command

    from surveys.models import Tally

    submit(survey)
    call_command("survey_tallies", "--check")
    Tally.objects.filter(survey_id=survey.pk, question_id=0).update(count=5)
    with pytest.raises(CommandError, match="1 survey"):
        call_command("survey_tallies", "--check")
    call_command("survey_tallies", "--rebuild", str(survey.pk))
    call_command("survey_tallies", "--check")
