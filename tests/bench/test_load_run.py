"""manage.py load_run (issue 10, "load without loss"): what counts as a stored submission,
the accounting that finds a lost or an extra opinion, and a short run against gunicorn."""

import os

import pytest

from bench.cases import loadrun
from bench.cases.loadrun import Outcome, Report, Tally, submission_outcome
from participation.models import Opinion
from participation.services.comments import opinion_submit
from tests.factories import make_period

THANKS = "/consultations/7/thanks/"


@pytest.mark.parametrize(
    ("status", "location", "expected"),
    [
        (302, THANKS, Outcome.SUCCESS),
        (302, f"https://127.0.0.1:8000{THANKS}", Outcome.SUCCESS),
        (302, "/accounts/login/", Outcome.OTHER),
        (200, "", Outcome.FORM_AGAIN),
        (403, "", Outcome.REFUSED),
        (429, "", Outcome.REFUSED),
        (500, "", Outcome.SERVER_ERROR),
        (502, "", Outcome.SERVER_ERROR),
        (None, "", Outcome.NO_ANSWER),
    ],
)
def test_only_a_redirect_to_the_thank_you_page_is_a_success(status, location, expected):
    assert submission_outcome(status, location, THANKS) is expected


def tally_of(*, successes=(), others=(), statuses=(200,)) -> Tally:
    tally = Tally()
    for status in statuses:
        tally.request("home page", status, 10.0)
    for marker in successes:
        tally.request(loadrun.SUBMIT_KIND, 302, 20.0)
        tally.submission(marker, Outcome.SUCCESS, 302)
    for marker, outcome, status in others:
        tally.request(loadrun.SUBMIT_KIND, status, 30.0)
        tally.submission(marker, outcome, status)
    return tally


def test_every_success_stored_once_passes():
    tally = tally_of(successes=["R-001-1", "R-002-1"], others=[("R-003-1", Outcome.REFUSED, 429)])
    report = Report(seconds=2.0, tally=tally, stored=["R-002-1", "R-001-1"])

    assert report.passed
    assert report.missing == [] and report.extra == []
    text = "\n".join(report.lines())
    assert "submissions answered with success: 2" in text
    assert "opinions stored with this run's markers: 2" in text
    assert "refused (4xx): 1 (429: 1)" in text
    assert "result: PASS" in text


def test_a_success_not_stored_is_missing_and_fails_the_run():
    report = Report(
        seconds=2.0, tally=tally_of(successes=["R-001-1", "R-001-2"]), stored=["R-001-1"]
    )

    assert report.missing == ["R-001-2"]
    assert not report.passed
    text = "\n".join(report.lines())
    assert "missing (answered success, not stored): 1" in text
    assert "  missing: R-001-2" in text
    assert "result: FAIL: 1 opinions stored for 2 successful submissions (1 missing, 0 extra)" in (
        text
    )


def test_stored_without_a_success_or_twice_is_extra_and_fails_the_run():
    tally = tally_of(successes=["R-001-1"], others=[("R-002-1", Outcome.NO_ANSWER, None)])
    report = Report(seconds=2.0, tally=tally, stored=["R-001-1", "R-001-1", "R-002-1"])

    assert report.missing == []
    assert report.extra == ["R-001-1", "R-002-1"]
    assert not report.passed


def test_a_5xx_or_an_unanswered_request_fails_the_run_even_without_loss():
    tally = tally_of(successes=["R-001-1"], statuses=(200, 503, None))
    report = Report(seconds=1.0, tally=tally, stored=["R-001-1"])

    assert report.tally.server_errors == 1
    assert report.tally.connection_errors == 1
    assert report.failures() == ["1 answers with 5xx", "1 requests without an answer"]
    table = "\n".join(report.lines())
    assert "5xx answers: 1" in table
    assert "requests without an answer (connection error, timeout): 1" in table


def test_a_run_without_any_successful_submission_fails():
    # As when the per-address limit refuses every submission: nothing lost, nothing proven.
    tally = tally_of(others=[("R-001-1", Outcome.REFUSED, 429), ("R-002-1", Outcome.REFUSED, 429)])
    report = Report(seconds=1.0, tally=tally, stored=[])

    assert report.failures() == ["no submission answered with success: the run proves nothing"]


def test_table_gives_requests_rate_and_latency_per_kind():
    tally = Tally()
    for ms in (10.0, 20.0, 30.0, 40.0):
        tally.request("search", 200, ms)
    lines = Report(seconds=2.0, tally=tally, stored=[]).lines()

    search = next(line for line in lines if line.startswith("search"))
    assert search.split()[:6] == ["search", "4", "2.0", "20", "40", "40"]


@pytest.mark.django_db
def test_stored_markers_reads_this_runs_opinions_one_per_row():
    period = make_period()
    for content in (
        "意见 RUN1-001-000001 甲",
        "意见 RUN1-002-000001",
        "意见 RUN1-002-000001",
        "意见 RUN2-001-000001",
    ):
        opinion_submit(period=period, content=content)

    assert sorted(loadrun.stored_markers("RUN1")) == [
        "RUN1-001-000001",
        "RUN1-002-000001",
        "RUN1-002-000001",
    ]


@pytest.mark.postgres  # gunicorn cannot share an SQLite test database (in memory)
@pytest.mark.redis  # the load run needs the real Redis that REDIS_URL names
@pytest.mark.slow  # gunicorn started, loaded for 3 seconds, stopped
# gunicorn reads the rows from its own connections: they must be committed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_short_run_against_gunicorn_stores_every_successful_submission():
    period = make_period()
    survey = _poll()

    report = loadrun.run(
        seconds=3, clients=4, workers=2, redis=os.environ["REDIS_URL"], log=lambda line: None
    )

    successes = report.tally.successes
    assert successes, "\n".join(report.lines())
    assert report.tally.server_errors == 0, "\n".join(report.lines())
    assert report.tally.connection_errors == 0, "\n".join(report.lines())
    assert Opinion.objects.filter(period=period).count() == len(successes)
    assert sorted(report.stored) == sorted(successes)
    assert report.passed
    assert {"home page", "matter page", loadrun.FORM_KIND, loadrun.THANKS_KIND} <= set(
        report.tally.latencies
    )
    # The open survey is answered too, and every answer answered with success is stored.
    answered = report.tally.answers[Outcome.SUCCESS]
    assert answered > 0, "\n".join(report.lines())
    assert report.answers_stored == answered == survey.responses.count()


def _poll():
    """An open public survey of one question, as the demo's poll is."""
    from surveys import services
    from surveys.services import QuestionInput
    from tests.factories import make_survey

    survey = make_survey(every_kind=False, publish=False, title="负载测试问卷")
    services.question_add(
        survey=survey,
        by=survey.created_by,
        data=QuestionInput("single", "您是否支持？", options=[("支持", False), ("不支持", False)]),
    )
    return services.survey_publish(survey=survey, by=survey.created_by)


def test_survey_answers_must_all_be_stored():
    tally = tally_of(successes=["R-001-1"])
    for _ in range(3):
        tally.answer(Outcome.SUCCESS)
    tally.answer(Outcome.REFUSED)

    assert Report(seconds=1.0, tally=tally, stored=["R-001-1"], answers_stored=3).passed
    short = Report(seconds=1.0, tally=tally, stored=["R-001-1"], answers_stored=2)
    assert short.failures() == ["the survey gained 2 responses for 3 answers answered with success"]
    text = "\n".join(short.lines())
    assert "survey answers posted: 4" in text
    assert "survey responses stored during the run: 2" in text


def test_answers_alone_make_a_run_that_proves_something():
    tally = Tally()
    tally.answer(Outcome.SUCCESS)

    assert Report(seconds=1.0, tally=tally, stored=[], answers_stored=1).passed


@pytest.mark.django_db
def test_taking_back_a_runs_responses_restores_the_survey_and_its_tallies():
    from surveys import services, tallies
    from surveys.models import Response
    from tests.factories import make_survey, survey_answers

    survey = make_survey()
    services.response_submit(survey=survey, data=survey_answers(survey), client_hash="a")
    survey.refresh_from_db()
    before = {
        "received": survey.received,
        "counted": survey.response_count,
        "suspected": survey.suspected_duplicates,
    }
    kept = tallies.stored(survey)
    for field in (0, 1, 1):  # the last one from the same address: a suspected duplicate
        services.response_submit(
            survey=survey, data=survey_answers(survey, field=field), client_hash="b"
        )

    removed = loadrun.take_back_responses(survey.pk, **before)

    survey.refresh_from_db()
    assert removed == 3
    assert Response.objects.filter(survey=survey).count() == 1
    assert (survey.received, survey.response_count, survey.suspected_duplicates) == (1, 1, 0)
    assert tallies.stored(survey) == kept
    assert tallies.differences(survey) == []


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow  # gunicorn started, loaded for a few seconds twice, stopped
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_answering_under_gunicorn_stores_every_answer_then_takes_them_back():
    from surveys.models import Response
    from tests.factories import make_survey

    survey = make_survey()
    home = loadrun.Target("home page", "/")

    report = loadrun.answering_run(
        survey=survey,
        targets=[home],
        seconds=3,
        clients=3,
        pause=0.05,
        workers=2,
        redis=os.environ["REDIS_URL"],
        log=lambda line: None,
    )

    answered = report.tally.answers[Outcome.SUCCESS]
    assert answered > 0, "\n".join(report.lines())
    assert report.answers_stored == answered
    assert report.passed, "\n".join(report.lines())
    assert len(report.tally.latencies[loadrun.SURVEY_PAGE_KIND]) >= answered
    assert len(report.tally.latencies[loadrun.SURVEY_SUBMIT_KIND]) >= answered
    # Taken back: the survey is as it was before the run.
    survey.refresh_from_db()
    assert Response.objects.filter(survey=survey).count() == 0
    assert (survey.received, survey.response_count) == (0, 0)
