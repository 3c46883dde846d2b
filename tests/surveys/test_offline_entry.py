"""Staff type in paper questionnaires and phone interviews: the same questions on one
page, the channel chosen, a blank form for the next paper; refused for everyone else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matters.models import LedgerEntry
from surveys.models import Response, Survey
from tests.factories import ReviewerFactory, StaffFactory, make_survey, survey_answers

pytestmark = pytest.mark.django_db


def enter_url(survey):
    return reverse("surveys:enter_responses", args=[survey.pk])


@pytest.fixture
def survey():
    return make_survey()


def test_staff_enter_a_paper_questionnaire(client, survey):
    client.force_login(survey.created_by)
    page = client.get(enter_url(survey))
    text = page.content.decode()
    assert page.status_code == 200
    assert "纸质问卷" in text and "电话访谈" in text
    assert "第8题" in text  # every page on one page
    response = client.post(
        enter_url(survey), {**survey_answers(survey), "channel": "paper"}, follow=True
    )
    text = response.content.decode()
    assert "已录入第1号答卷" in text
    assert 'value="1200"' not in text  # a blank form for the next paper
    entered = Response.objects.get()
    assert entered.channel == Response.Channel.PAPER and entered.entered_by == survey.created_by
    assert entered.client_hash == "" and entered.browser_hash == ""
    assert LedgerEntry.objects.filter(summary__contains="第1号").exists()


def test_phone_interview_after_closing_is_taken(client, survey):
    Survey.objects.filter(pk=survey.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(survey.created_by)
    response = client.post(enter_url(survey), {**survey_answers(survey), "channel": "phone"})
    assert response.status_code == 302
    assert Response.objects.get().channel == Response.Channel.PHONE


def test_errors_are_shown_with_the_answers_kept(client, survey):
    client.force_login(survey.created_by)
    response = client.post(
        enter_url(survey), {**survey_answers(survey, amount="99999"), "channel": "paper"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in text and "不能大于5000万元" in text and 'value="99999"' in text
    assert Response.objects.count() == 0


def test_channel_is_required(client, survey):
    client.force_login(survey.created_by)
    response = client.post(enter_url(survey), survey_answers(survey))
    assert "请选择答卷渠道" in response.content.decode()
    assert Response.objects.count() == 0


def test_planned_survey_refuses_entry(client):
    now = timezone.now()
    survey = make_survey(
        opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=3)
    )
    client.force_login(survey.created_by)
    response = client.post(enter_url(survey), {**survey_answers(survey), "channel": "paper"})
    assert response.status_code == 409 and "尚未开始" in response.content.decode()


def test_refused_for_others(client, survey):
    assert client.get(enter_url(survey)).status_code == 302  # to the login page
    client.force_login(StaffFactory())  # another department
    assert client.get(enter_url(survey)).status_code == 403
    assert (
        client.post(enter_url(survey), {**survey_answers(survey), "channel": "paper"}).status_code
        == 403
    )
    client.force_login(ReviewerFactory())
    assert client.get(enter_url(survey)).status_code == 403
    assert Response.objects.count() == 0
