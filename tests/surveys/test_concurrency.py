"""Responses arriving at once (PostgreSQL row locks; SQLite locks the whole file): every
one is numbered once and counted once, and one personal link still takes one response."""

import threading

import pytest
from django.db import connection

from core.exceptions import TransitionError
from participation import tokens
from surveys import services, tallies
from surveys.models import PanelMember, Response, Survey
from tests.factories import make_participant, make_survey, survey_answers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(**calls) -> dict:
    """Run the calls in threads released together: {name: (outcome, value)}."""
    barrier = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, call):
        try:
            barrier.wait(timeout=10)
            try:
                outcomes[name] = ("done", call())
            except TransitionError as error:
                outcomes[name] = ("refused", str(error))
        except Exception as error:  # surfaced by the assertions, not lost in the thread
            outcomes[name] = ("crashed", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_simultaneous_public_responses_are_each_numbered_and_counted():
    survey = make_survey()
    data = survey_answers(survey)
    outcomes = race(
        **{
            f"r{n}": lambda n=n: services.response_submit(
                survey=survey, data=data, browser=f"mark-{n}", client_hash=f"h{n}"
            )
            for n in range(4)
        }
    )
    assert {kind for kind, _value in outcomes.values()} == {"done"}
    numbers = sorted(Response.objects.filter(survey=survey).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
    assert Survey.objects.get(pk=survey.pk).response_count == 4
    assert tallies.differences(survey) == []


def test_one_personal_link_used_twice_at_once_records_one_response():
    survey = make_survey(audience=Survey.Audience.PANEL)
    participant = make_participant(by=survey.created_by, category="npc_deputy")
    member = PanelMember.objects.create(
        survey=survey,
        participant=participant,
        category=participant.category,
        token_hash=tokens.token_hash(tokens.new_token()),
        created_by=survey.created_by,
    )
    data = survey_answers(survey)

    def answer():
        return services.response_submit(
            survey=survey, data=data, channel=Response.Channel.PANEL, panel_member=member
        )

    outcomes = race(first=answer, second=answer)
    kinds = sorted(kind for kind, _value in outcomes.values())
    assert kinds == ["done", "refused"], outcomes
    refused = next(value for kind, value in outcomes.values() if kind == "refused")
    assert "每个链接只能提交一次" in refused
    assert Response.objects.filter(survey=survey).count() == 1
    assert Survey.objects.get(pk=survey.pk).response_count == 1
