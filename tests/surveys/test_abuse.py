"""What stands between a public survey and abuse: CSRF, the honeypot, the per-address rate
limit, the browser mark (one response per browser) and the address window (a suspected
duplicate is taken and flagged, not refused)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from surveys.models import Response, Survey
from tests.factories import make_survey, survey_answers
from tests.surveys.test_answering import answer_all, page_fields, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return make_survey()


def test_csrf_is_enforced(survey):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
    assert response.status_code == 403


def test_honeypot_gets_the_same_thanks_and_nothing_is_stored(client, survey):
    response = answer_all(client, survey, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[survey.pk])
    assert "感谢您参与问卷调查" in client.get(response["Location"]).content.decode()
    assert Response.objects.count() == 0


def test_rate_limit_returns_429_with_retry_after_and_keeps_the_answers(settings, survey):
    settings.PORTAL_SURVEY_RATE = 2
    Survey.objects.filter(pk=survey.pk).update(one_response_per_person=False)
    for _ in range(2):
        assert answer_all(Client(REMOTE_ADDR="10.0.0.7"), survey).status_code == 302
    client = Client(REMOTE_ADDR="10.0.0.7")
    data = survey_answers(survey, amount="4321")
    response = answer_all(client, survey, data)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    text = response.content.decode()
    assert "提交的答卷过多" in text and 'value="4321"' in text
    assert Response.objects.count() == 2
    # Another address is not held up.
    assert answer_all(Client(REMOTE_ADDR="10.0.0.8"), survey).status_code == 302
    cache.clear()  # the window has passed: the answers held are sent as they were
    again = client.post(
        url(survey), {"page": 1, "action": "submit", **page_fields(survey, 2, data)}
    )
    assert again.status_code == 302
    assert Response.objects.filter(answers__number=4321).exists()


def test_browser_mark_refuses_a_second_response(client, survey):
    assert answer_all(client, survey).status_code == 302
    first = Response.objects.get()
    assert first.browser_hash
    again = client.get(url(survey)).content.decode()
    assert "您已经在这个浏览器上提交过本问卷" in again and "下一页" not in again
    second = client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
    assert second.status_code == 409
    assert "每人只能提交一次" in second.content.decode()
    assert Response.objects.count() == 1


def test_the_service_refuses_a_second_response_from_one_mark(client, survey):
    # Two tabs (two sessions, one browser mark) both on page two before either is sent.
    client.get(url(survey))
    other_tab = Client()
    other_tab.cookies["survey_mark"] = client.cookies["survey_mark"].value
    for tab in (client, other_tab):
        tab.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
    last = {**page_fields(survey, 2), "page": 1, "action": "submit"}
    assert client.post(url(survey), last).status_code == 302
    refused = other_tab.post(url(survey), last)
    assert refused.status_code == 409
    assert "每人只能提交一次" in refused.content.decode()
    assert Response.objects.count() == 1


def test_a_tampered_mark_is_replaced(client, survey):
    client.cookies["survey_mark"] = "forged"
    response = client.get(url(survey))
    assert response.cookies["survey_mark"].value != "forged"


def test_another_browser_at_the_same_address_is_flagged_not_refused(survey):
    assert answer_all(Client(REMOTE_ADDR="10.0.0.9"), survey).status_code == 302
    assert answer_all(Client(REMOTE_ADDR="10.0.0.9"), survey).status_code == 302
    first, second = Response.objects.order_by("number")
    assert not first.suspected_duplicate and second.suspected_duplicate
    survey.refresh_from_db()
    assert survey.suspected_duplicates == 1 and survey.response_count == 2


def test_the_small_print_says_what_the_guard_can_and_cannot_stop(client, survey):
    text = client.get(url(survey)).content.decode()
    assert "清除Cookie或换用其他浏览器" in text and "疑似重复" in text


def test_saving_for_later_counts_against_the_rate_limit(settings):
    from surveys.models import ResumeDraft

    settings.PORTAL_SURVEY_RATE = 1
    survey = make_survey(allow_resume=True)
    client = Client(REMOTE_ADDR="10.0.0.10")
    save = {**page_fields(survey, 1), "page": 0, "action": "save"}
    assert client.post(url(survey), save).status_code == 200
    refused = client.post(url(survey), save)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert ResumeDraft.objects.count() == 1
