"""The search page's 问卷调查 section: published surveys found by their title or
introduction; drafts, cancelled surveys, offline records and surveys of unpublished
matters never; no response or respondent in a hit."""

import pytest
from django.urls import reverse

from matters.services import matter_publish
from search.sections import sections_for
from surveys import services
from surveys.links import public_path
from surveys.models import Survey
from tests.factories import StaffFactory, make_matter, make_survey, survey_answers

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def surveys():
    matter = make_matter(title="老旧小区改造实施方案")
    matter = matter_publish(matter=matter, by=matter.created_by)
    on_matter = make_survey(
        matter=matter,
        title="老旧小区加装电梯意愿调查",
        introduction="了解居民对加装电梯的意愿和出资方式。",
    )
    services.response_submit(
        survey=on_matter, data=survey_answers(on_matter, q_long="电梯秘密答案13800000000")
    )
    by_intro = make_survey(title="社区服务满意度问卷", introduction="包括加装电梯在内的社区服务。")
    make_survey(title="加装电梯草稿问卷", publish=False)
    cancelled = make_survey(title="加装电梯已撤销问卷")
    services.survey_cancel(survey=cancelled, by=cancelled.created_by, reason="重复")
    make_survey(matter=make_matter(), title="加装电梯未公开事项问卷")
    offline = make_survey(title="加装电梯线下调查")
    Survey.objects.filter(pk=offline.pk).update(is_offline_record=True)
    return {"on_matter": on_matter, "by_intro": by_intro}


def test_the_public_finds_published_surveys_by_title_and_introduction(client, surveys):
    html = page(client, q="电梯", type="surveys")

    assert 'id="group-surveys"' in html
    assert "老旧小区加装<mark>电梯</mark>意愿调查" in html
    assert "社区服务满意度问卷" in html  # found by its introduction
    assert "包括加装<mark>电梯</mark>在内" in html
    for hidden in ("草稿问卷", "已撤销问卷", "未公开事项问卷", "线下调查"):
        assert hidden not in html
    assert f'href="{public_path(surveys["on_matter"].pk)}"' in html
    assert "协商事项：老旧小区改造实施方案" in html
    assert "问卷调查" in html and "进行中" in html


def test_the_overview_counts_surveys_beside_the_other_kinds(client, surveys):
    html = page(client, q="电梯")

    assert '问卷调查 <span class="count">2</span>' in html


def test_no_answer_text_in_the_hits(client, surveys):
    for params in ({"q": "电梯"}, {"q": "电梯", "type": "surveys"}, {"q": "秘密答案"}):
        html = page(client, **params)
        assert "电梯秘密答案" not in html
        assert "13800000000" not in html


def test_staff_search_the_public_surveys_too(client, surveys):
    staff = StaffFactory()
    client.force_login(staff)

    html = page(client, q="电梯", type="surveys")

    assert "加装电梯草稿问卷" not in html
    assert "surveys" in [section.code for section in sections_for(staff)]
