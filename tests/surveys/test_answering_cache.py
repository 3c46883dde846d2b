"""What answering keeps in the cache: a published survey's pages (its questions no longer
change) and the markup of a page nobody has typed on yet. Both are kept under the content
generation, so a change to a question shows at once; nothing one visitor typed is ever
kept or shown to another."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.content_cache import kept
from surveys import answering
from surveys.models import Option, Question
from tests.factories import make_survey

pytestmark = pytest.mark.django_db


def url(survey):
    return reverse("surveys:public_detail", args=[survey.pk])


def test_kept_computes_once_per_generation():
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    assert kept("test:kept", compute) == {"n": 1}
    assert kept("test:kept", compute) == {"n": 1}
    assert len(calls) == 1


def test_a_published_surveys_pages_are_read_from_the_database_once():
    survey = make_survey()
    first = answering.pages_of(survey)

    with CaptureQueriesContext(connection) as queries:
        again = answering.pages_of(survey)

    assert len(queries) == 0
    assert [[spec.id for spec in page.specs] for page in again] == [
        [spec.id for spec in page.specs] for page in first
    ]
    assert [q.text for _spec, q in again[0].items] == [q.text for _spec, q in first[0].items]


def test_a_draft_is_read_afresh_every_time():
    survey = make_survey(publish=False)
    answering.pages_of(survey)

    with CaptureQueriesContext(connection) as queries:
        answering.pages_of(survey)

    assert len(queries) > 0


def test_a_changed_question_or_option_shows_at_once():
    """However it is changed (the admin, a data fix), a saved row retires the kept pages."""
    survey = make_survey()
    answering.pages_of(survey)
    question = Question.objects.get(survey=survey, text="您最关注哪个领域？")
    question.text = "您最关注哪个领域？（已更正）"
    question.save()
    option = Option.objects.get(question=question, label="养老")
    option.label = "养老服务（已更正）"
    option.save()

    spec, shown = answering.pages_of(survey)[0].items[0]

    assert shown.text == "您最关注哪个领域？（已更正）"
    assert [choice.label for choice in spec.choices][1] == "养老服务（已更正）"
    page = Client().get(url(survey)).content.decode()
    assert "您最关注哪个领域？（已更正）" in page and "养老服务（已更正）" in page


def test_the_blank_page_is_the_same_markup_kept_or_not(client, settings):
    survey = make_survey()
    fresh = client.get(url(survey)).content.decode()
    kept_page = Client().get(url(survey)).content.decode()

    def questions(text):
        start = text.index('<input type="hidden" name="page"')
        return text[start : text.index('name="website"')]

    assert questions(fresh) == questions(kept_page)
    assert "checked" not in questions(kept_page)


def test_what_one_visitor_typed_is_never_shown_to_another():
    survey = make_survey()
    spec = answering.pages_of(survey)[0].specs[0]
    other = next(choice for choice in spec.choices if choice.is_other)
    one, two = Client(), Client()
    one.get(url(survey))
    # The first visitor leaves a required question out: the page comes back with the
    # error and what they typed.
    refused = one.post(
        url(survey),
        {spec.name: [str(other.id)], f"{spec.name}_other": ["本人填写的说明-甲"], "page": 0,
         "action": "next"},
    )  # fmt: skip
    assert refused.status_code == 200
    assert "本人填写的说明-甲" in refused.content.decode()

    shown_to_two = two.get(url(survey)).content.decode()
    shown_to_one = one.get(url(survey)).content.decode()

    assert "本人填写的说明-甲" in shown_to_one
    assert "本人填写的说明-甲" not in shown_to_two
    assert "checked" not in shown_to_two.split('name="page"')[1].split('name="website"')[0]


def test_the_kept_markup_follows_the_language():
    survey = make_survey()
    chinese = Client().get(url(survey)).content.decode()
    english = Client(headers={"Accept-Language": "en"})
    english.cookies["django_language"] = "en"
    text = english.get(url(survey)).content.decode()

    assert "最多选2项" in chinese
    assert "最多选2项" not in text
