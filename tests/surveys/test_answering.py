"""Answering a survey in the browser's way: every question type through the views, the
error summary, display conditions, pages held in the session (nothing in the database
before the final submit), the personal link, "save and continue", the time edges, the
public list and the matter page."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation import tokens
from surveys import services
from surveys.answering import pages_of
from surveys.models import Answer, PanelMember, Response, ResumeDraft, Survey
from surveys.services import QuestionInput
from surveys.tallies import specs_of
from tests.factories import make_participant, make_published_matter, make_survey, survey_answers

pytestmark = pytest.mark.django_db


def url(survey):
    return reverse("surveys:public_detail", args=[survey.pk])


def page_fields(survey, number, data=None):
    """The fields of page ``number`` (1-based) of a complete answer."""
    data = data if data is not None else survey_answers(survey)
    page = pages_of(survey)[number - 1]
    names = {spec.name for spec in page.specs}
    return {k: v for k, v in data.items() if k.split("_")[0] in names}


def answer_all(client, survey, data=None, **extra):
    data = data if data is not None else survey_answers(survey)
    first = client.post(url(survey), {**page_fields(survey, 1, data), "page": 0, "action": "next"})
    assert first.status_code == 200, first.content.decode()[:500]
    return client.post(
        url(survey), {**page_fields(survey, 2, data), "page": 1, "action": "submit", **extra}
    )


@pytest.fixture
def survey():
    return make_survey()


class TestForm:
    def test_page_one_renders_every_type_accessibly(self, client, survey):
        text = client.get(url(survey)).content.decode()
        assert "<fieldset" in text and "<legend>" in text
        assert "第1题" in text and "（必答）" in text
        assert "其他（请注明）：请注明" in text
        assert "最多选2项" in text
        # A condition on the same page: rendered for the script to hide.
        assert 'data-shown-if-question="' in text
        assert 'name="q' in text and 'type="radio"' in text
        assert "下一页" in text and "提交答卷" not in text
        assert "2026年" in text or "年" in text
        assert 'name="website"' in text

    def test_page_two_has_matrix_table_ranking_selects_and_number(self, client, survey):
        response = client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
        text = response.content.decode()
        assert '<table class="matrix">' in text and 'scope="row"' in text
        assert text.count('<span class="visually-hidden">社区养老：</span>') == 3
        assert "第1位" in text and "第3位" in text and "<select" in text
        assert 'inputmode="decimal"' in text and "万元" in text
        assert "上一页" in text and "提交答卷" in text

    def test_the_form_with_answers_so_far_is_not_kept_by_the_browser(self, client, survey):
        response = client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
        assert "no-store" in response["Cache-Control"]

    def test_the_browser_mark_is_a_signed_http_only_cookie(self, client, survey):
        response = client.get(url(survey))
        cookie = response.cookies["survey_mark"]
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
        assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
        assert ":" in cookie.value  # signed


class TestPages:
    def test_nothing_is_stored_until_the_final_submit(self, client, survey):
        client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
        assert Response.objects.count() == 0 and Answer.objects.count() == 0
        response = client.post(
            url(survey), {**page_fields(survey, 2), "page": 1, "action": "submit"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("surveys:thanks", args=[survey.pk])
        stored = Response.objects.get()
        assert stored.channel == Response.Channel.ONLINE
        assert Answer.objects.filter(response=stored).count() > 8
        thanks = client.get(response["Location"]).content.decode()
        assert "第1号" in thanks
        # Shown once.
        assert "第1号" not in client.get(response["Location"]).content.decode()

    def test_previous_keeps_what_was_typed(self, client, survey):
        client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
        number = next(s for s in specs_of(survey) if s.kind == "number")
        back = client.post(url(survey), {number.name: "321", "page": 1, "action": "previous"})
        assert "下一页" in back.content.decode()
        again = client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
        assert 'value="321"' in again.content.decode()

    def test_a_page_is_checked_when_it_is_left_with_an_error_summary(self, client, survey):
        response = client.post(url(survey), {"page": 0, "action": "next"})
        text = response.content.decode()
        assert response.status_code == 200
        assert 'role="alert"' in text and "有3道题需要修改" in text
        assert 'href="#id_q' in text and "此题为必答题" in text
        assert 'aria-invalid="true"' in text
        assert "下一页" in text and "提交答卷" not in text  # still page one

    def test_invalid_answers_on_page_two_keep_the_answers(self, client, survey):
        data = survey_answers(survey, amount="99999")
        client.post(url(survey), {**page_fields(survey, 1, data), "page": 0, "action": "next"})
        response = client.post(
            url(survey), {**page_fields(survey, 2, data), "page": 1, "action": "submit"}
        )
        text = response.content.decode()
        assert "不能大于5000万元" in text and 'value="99999"' in text
        assert Response.objects.count() == 0

    def test_each_type_is_checked(self, client, survey):
        specs = {s.kind: s for s in specs_of(survey) if not s.shown_if}
        data = survey_answers(survey)
        multiple = specs["multiple"]
        data[multiple.name] = [str(c.id) for c in multiple.choices]  # three of at most two
        single = specs["single"]
        data[single.name] = [str(single.choices[2].id)]  # 其他 without a note
        response = client.post(
            url(survey), {**page_fields(survey, 1, data), "page": 0, "action": "next"}
        )
        text = response.content.decode()
        assert "最多只能选择2项" in text and "请注明具体内容" in text
        data = survey_answers(survey)
        client.post(url(survey), {**page_fields(survey, 1, data), "page": 0, "action": "next"})
        ranking, matrix = specs["ranking"], specs["matrix"]
        broken = page_fields(survey, 2, data)
        for choice in ranking.choices:
            broken[f"{ranking.name}_o{choice.id}"] = ["1"]
        broken.pop(f"{matrix.name}_r{matrix.rows[0].id}")
        text = client.post(url(survey), {**broken, "page": 1, "action": "submit"}).content.decode()
        assert "每个名次只能给一个选项" in text and "请对每一行作答" in text

    def test_other_with_its_note_is_taken(self, client, survey):
        single = specs_of(survey)[0]
        data = survey_answers(
            survey, **{single.name: [str(single.choices[2].id)], f"{single.name}_other": ["体育"]}
        )
        assert answer_all(client, survey, data).status_code == 302
        assert Answer.objects.filter(question_id=single.id, text="体育").exists()


class TestConditions:
    def test_conditional_question_is_required_when_shown(self, client, survey):
        conditional = next(s for s in specs_of(survey) if s.shown_if)
        data = page_fields(survey, 1, survey_answers(survey, field=0))
        data.pop(conditional.name)
        text = client.post(url(survey), {**data, "page": 0, "action": "next"}).content.decode()
        assert "此题为必答题" in text and "下一页" in text

    def test_conditional_question_hidden_is_dropped(self, client, survey):
        conditional = next(s for s in specs_of(survey) if s.shown_if)
        data = survey_answers(survey, field=1)  # 养老: the school question is not asked
        data[conditional.name] = ["不该保存"]
        assert answer_all(client, survey, data).status_code == 302
        assert not Answer.objects.filter(question_id=conditional.id).exists()

    def test_condition_on_an_earlier_page_is_decided_on_the_server(self, client):
        survey = make_survey(publish=False)
        first = specs_of(survey)[0]
        page_two = survey.sections.order_by("position").last()
        services.question_add(
            survey=survey,
            by=survey.created_by,
            section=page_two,
            data=QuestionInput(
                "text",
                "养老服务的具体需求",
                required=False,
                shown_if=survey.questions.get(pk=first.id).options.get(label="养老"),
            ),
        )
        survey = services.survey_publish(survey=survey, by=survey.created_by)
        data = survey_answers(survey, field=0)
        text = client.post(
            url(survey), {**page_fields(survey, 1, data), "page": 0, "action": "next"}
        ).content.decode()
        assert "养老服务的具体需求" not in text
        client.post(url(survey), {"page": 1, "action": "previous"})
        data = survey_answers(survey, field=1)
        text = client.post(
            url(survey), {**page_fields(survey, 1, data), "page": 0, "action": "next"}
        ).content.decode()
        assert "养老服务的具体需求" in text


class TestTimeEdges:
    def test_planned_survey_has_no_form(self, client):
        now = timezone.now()
        survey = make_survey(
            opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=5)
        )
        text = client.get(url(survey)).content.decode()
        assert "将于" in text and '<form method="post" action="/surveys' not in text
        assert client.post(url(survey), survey_answers(survey)).status_code == 409
        assert Response.objects.count() == 0

    def test_closed_survey_has_no_form(self, client, survey):
        Survey.objects.filter(pk=survey.pk).update(
            opens_at=timezone.now() - datetime.timedelta(days=3),
            closes_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        text = client.get(url(survey)).content.decode()
        assert "问卷调查已结束" in text and "提交答卷" not in text and "下一页" not in text

    def test_survey_closing_between_pages_says_so(self, client, survey):
        client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "next"})
        Survey.objects.filter(pk=survey.pk).update(
            closes_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        response = client.post(
            url(survey), {**page_fields(survey, 2), "page": 1, "action": "submit"}
        )
        assert response.status_code == 409
        assert "问卷调查已结束" in response.content.decode()

    def test_draft_and_cancelled_surveys_are_not_found(self, client):
        draft = make_survey(publish=False)
        assert client.get(url(draft)).status_code == 404
        survey = make_survey()
        services.survey_cancel(survey=survey, by=survey.created_by, reason="调查方案调整")
        assert client.get(url(survey)).status_code == 404


class TestList:
    def test_open_first_then_closed_with_filters(self, client):
        now = timezone.now()
        closed = make_survey(
            title="结束问卷乙",
            opens_at=now - datetime.timedelta(days=9),
            closes_at=now + datetime.timedelta(days=1),
        )
        Survey.objects.filter(pk=closed.pk).update(closes_at=now - datetime.timedelta(days=1))
        make_survey(title="开放问卷甲")
        draft = make_survey(title="草稿调查", publish=False)
        text = client.get(reverse("surveys:public_list")).content.decode()
        assert text.index("开放问卷甲") < text.index("结束问卷乙")
        assert draft.title not in text
        text = client.get(reverse("surveys:public_list"), {"status": "closed"}).content.decode()
        assert "结束问卷乙" in text and "开放问卷甲" not in text
        text = client.get(
            reverse("surveys:public_list"),
            {"department": closed.department_id, "year": closed.year},
        ).content.decode()
        assert "结束问卷乙" in text and "开放问卷甲" not in text  # another department's

    def test_empty_state(self, client):
        assert "暂无公开的问卷调查" in client.get(reverse("surveys:public_list")).content.decode()


def _panel_survey():
    survey = make_survey(audience=Survey.Audience.PANEL)
    participant = make_participant(category="npc_deputy", email="deputy@example.cn")
    token = tokens.new_token()
    # As ``services.panel_invite`` seats a member (its e-mail template is another page's).
    member = PanelMember.objects.create(
        survey=survey,
        participant=participant,
        category=participant.category,
        token_hash=tokens.token_hash(token),
        created_by=survey.created_by,
    )
    return survey, member, token


class TestPanel:
    def test_unknown_token_is_404(self, client):
        assert client.get(reverse("surveys:panel_answer", args=["nope"])).status_code == 404

    def test_answer_once_by_link_with_private_headers(self, client):
        survey, member, token = _panel_survey()
        link = reverse("surveys:panel_answer", args=[token])
        response = client.get(link)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response.content.decode()
        data = survey_answers(survey)
        client.post(link, {**page_fields(survey, 1, data), "page": 0, "action": "next"})
        done = client.post(link, {**page_fields(survey, 2, data), "page": 1, "action": "submit"})
        assert done.status_code == 200 and "第1号" in done.content.decode()
        stored = Response.objects.get()
        assert stored.channel == Response.Channel.PANEL and stored.panel_member == member
        again = client.get(link)
        assert again.status_code == 409
        assert "每个链接只能提交一次" in again.content.decode()
        assert Client().get(link).status_code == 409

    def test_panel_only_survey_refuses_the_public_form(self, client):
        survey, _member, _token = _panel_survey()
        text = client.get(url(survey)).content.decode()
        assert "个人链接" in text and "下一页" not in text

    def test_closed_survey_by_link_says_so(self, client):
        survey, _member, token = _panel_survey()
        Survey.objects.filter(pk=survey.pk).update(
            closes_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        response = client.get(reverse("surveys:panel_answer", args=[token]))
        assert response.status_code == 200 and "问卷调查已结束" in response.content.decode()

    def test_panel_member_saves_and_continues_by_the_same_link(self, client):
        survey, member, token = _panel_survey()
        Survey.objects.filter(pk=survey.pk).update(allow_resume=True)
        link = reverse("surveys:panel_answer", args=[token])
        data = survey_answers(survey)
        saved = client.post(link, {**page_fields(survey, 1, data), "page": 0, "action": "save"})
        assert "再次打开邀请邮件中的个人链接" in saved.content.decode()
        assert ResumeDraft.objects.get().panel_member == member
        other = Client()  # another device, the same personal link
        assert "checked" in other.get(link).content.decode()
        other.post(link, {**page_fields(survey, 1, data), "page": 0, "action": "next"})
        done = other.post(link, {**page_fields(survey, 2, data), "page": 1, "action": "submit"})
        assert done.status_code == 200
        assert ResumeDraft.objects.count() == 0


class TestResume:
    def test_save_and_continue_by_link(self, client):
        survey = make_survey(allow_resume=True)
        text = client.get(url(survey)).content.decode()
        assert "保存，稍后继续" in text
        data = survey_answers(survey)
        saved = client.post(
            url(survey), {**page_fields(survey, 1, data), "page": 0, "action": "save"}
        )
        text = saved.content.decode()
        assert "no-store" in saved["Cache-Control"] and saved["Referrer-Policy"] == "no-referrer"
        link = re.search(r'href="(http[^"]*/surveys/resume/[^"]+)"', text).group(1)
        assert ResumeDraft.objects.count() == 1 and Response.objects.count() == 0
        other = Client()
        resumed = other.get(
            link.split("testserver")[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
        )
        assert resumed.status_code == 302
        assert resumed["Referrer-Policy"] == "no-referrer"
        page = other.get(url(survey)).content.decode()
        assert "checked" in page
        assert answer_all(other, survey, data).status_code == 302
        assert Response.objects.count() == 1
        assert ResumeDraft.objects.count() == 0  # deleted when the response is in

    def test_no_save_button_unless_allowed(self, client, survey):
        assert "保存，稍后继续" not in client.get(url(survey)).content.decode()
        response = client.post(url(survey), {**page_fields(survey, 1), "page": 0, "action": "save"})
        assert "不支持保存" in response.content.decode()
        assert ResumeDraft.objects.count() == 0

    def test_unknown_resume_link_is_404(self, client):
        assert client.get(reverse("surveys:resume", args=["nope"])).status_code == 404


def _poll(matter, **fields):
    poll = make_survey(
        matter=matter,
        every_kind=False,
        publish=False,
        kind=Survey.Kind.POLL,
        title="公交线路调整民意测验",
        **fields,
    )
    services.question_add(
        survey=poll,
        by=poll.created_by,
        data=QuestionInput(
            "single", "您是否赞成调整302路线路？", options=[("赞成", False), ("反对", False)]
        ),
    )
    return services.survey_publish(survey=poll, by=poll.created_by)


class TestMatterPage:
    def test_open_poll_is_answered_on_the_matter_page(self, client):
        matter = make_published_matter("关于优化公交线网的协商事项")
        poll = _poll(matter)
        text = client.get(reverse("matters:public_detail", args=[matter.pk])).content.decode()
        assert "公交线路调整民意测验" in text and "您是否赞成调整302路线路" in text
        assert f'action="{url(poll)}"' in text
        spec = specs_of(poll)[0]
        response = client.post(
            url(poll), {spec.name: [str(spec.choices[0].id)], "page": 0, "action": "submit"}
        )
        assert response.status_code == 302
        assert Response.objects.filter(survey=poll).count() == 1

    def test_closed_poll_shows_its_counts(self, client):
        matter = make_published_matter("关于优化公交线网的协商事项")
        poll = _poll(matter, results_shown=Survey.ResultsShown.AFTER_CLOSE)
        spec = specs_of(poll)[0]
        for choice in (0, 0, 0, 1):
            services.response_submit(survey=poll, data={spec.name: [str(spec.choices[choice].id)]})
        Survey.objects.filter(pk=poll.pk).update(
            closes_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        text = client.get(reverse("matters:public_detail", args=[matter.pk])).content.decode()
        assert "（4人作答）" in text and "75" in text and "25" in text
        assert "您是否赞成调整302路线路" in text and "投票" not in text

    def test_offline_record_shows_its_reported_figure(self, client):
        matter = make_published_matter("关于优化公交线网的协商事项")
        Survey.objects.create(
            matter=matter,
            department=matter.department,
            kind="questionnaire",
            year=matter.year,
            title="问卷调查（线下调查记录）",
            opens_at=timezone.now() - datetime.timedelta(days=2),
            closes_at=timezone.now() - datetime.timedelta(days=1),
            published_at=timezone.now(),
            is_offline_record=True,
            reported_responses=1200,
            created_by=matter.created_by,
        )
        text = client.get(reverse("matters:public_detail", args=[matter.pk])).content.decode()
        assert "线下调查记录：据记录收回有效问卷1200份" in text
        assert (
            "问卷调查（线下调查记录）"
            not in client.get(reverse("surveys:public_list")).content.decode()
        )
