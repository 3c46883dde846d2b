"""The scale data's survey (``bench/scale/surveys.py``) at a tiny scale: 500 valid
responses across the channels, answers that read back as what was drawn, tallies that
agree with them, no ledger row; replaced with the rest of the scale data."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from bench import scale as city
from bench.scale.rows import scale_surveys
from matters.models import LedgerEntry
from surveys import tallies
from surveys.models import Answer, Response, Survey, Tally
from surveys.results import survey_results

pytestmark = pytest.mark.django_db

SCALE = 0.001


def _seed(*extra):
    call_command("seed_scale", "--scale", str(SCALE), "--allow-sqlite", "--yes", *extra)


def test_the_scale_survey_has_its_responses_and_right_tallies(capsys):
    ledger_before = LedgerEntry.objects.count()
    _seed()

    survey = scale_surveys().get()
    wanted = city.sizes(SCALE)["survey_responses"]
    assert wanted == 500
    assert survey.response_count == survey.received == wanted
    assert survey.status == Survey.Status.OPEN
    assert survey.results_public
    assert len(tallies.specs_of(survey)) == 12
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == wanted
    channels = dict(responses.values_list("channel").annotate(n=Count("pk")))
    assert set(channels) == {"online", "paper", "phone"}
    assert channels["online"] > channels["paper"] > channels["phone"]
    assert sorted(responses.values_list("number", flat=True)) == list(range(1, wanted + 1))
    assert Answer.objects.filter(response__survey=survey).count() > wanted * 10
    assert tallies.differences(survey) == []
    results = survey_results(survey)
    assert results.respondents == wanted
    assert results.questions[0].answered == wanted
    assert LedgerEntry.objects.count() == ledger_before
    assert "survey responses" in capsys.readouterr().out


def test_the_scale_survey_is_replaced_with_the_scale_data(capsys):
    _seed()
    first = scale_surveys().get().pk

    _seed("--replace")

    assert scale_surveys().count() == 1
    assert scale_surveys().get().pk != first
    assert not Response.objects.filter(survey_id=first).exists()
    assert not Tally.objects.filter(survey_id=first).exists()
