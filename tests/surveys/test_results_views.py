"""The results pages: who reads them, what the filters change, the cross-tabulation, the
free-text answers (staff only, searchable, paged), and the public page that shows counts
only and only once the survey says its results are public."""

import pytest
from django.test import Client
from django.urls import reverse

from surveys.models import Survey
from tests.factories import make_survey, survey_answers
from tests.surveys.results_support import PRIVATE_NOTE, PRIVATE_TEXT, build, close, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build()


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


class TestStaffPage:
    def test_department_and_office_read_it_others_are_refused(self, w):
        url = reverse("surveys:staff_results", args=[w.survey.pk])
        assert client_for(w.staff).get(url).status_code == 200
        assert client_for(w.office).get(url).status_code == 200
        assert client_for(w.other).get(url).status_code == 403
        anonymous = client_for().get(url)
        assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    def test_page_shows_figures_charts_and_links(self, w):
        page = text(client_for(w.staff).get(reverse("surveys:staff_results", args=[w.survey.pk])))
        assert "有效答卷" in page and "5份" in page
        assert "网上答卷 3（60.0%）" in page and "纸质问卷 2（40.0%）" in page
        assert 'role="img"' in page and "<desc" in page  # accessible charts
        assert "多选题的百分比以本题作答人数为基数" in page
        assert "博达计分" in page
        # the 其他 notes and the free text are behind links, not on the page
        assert PRIVATE_NOTE not in page and PRIVATE_TEXT not in page
        first = w.specs[0]
        assert reverse("surveys:text_answers", args=[w.survey.pk, first.id]) in page
        assert reverse("surveys:responses_xlsx", args=[w.survey.pk]) in page
        assert "疑似重复答卷：0份" in page

    def test_channel_filter_changes_the_figures(self, w):
        url = reverse("surveys:staff_results", args=[w.survey.pk])
        page = text(client_for(w.staff).get(url, {"channel": "paper"}))
        assert "2份" in page and "纸质问卷 2（100.0%）" in page
        assert "网上答卷 3" not in page
        both = text(client_for(w.staff).get(url, {"channel": ["paper", "online"]}))
        assert "5份" in both
        ignored = text(client_for(w.staff).get(url, {"channel": "nonsense"}))
        assert "5份" in ignored

    def test_query_count_does_not_grow_with_responses(self, w, django_assert_max_num_queries):
        client = client_for(w.staff)
        url = reverse("surveys:staff_results", args=[w.survey.pk])
        client.get(url)
        for _n in range(5):
            submit(w.survey, survey_answers(w.survey))
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200

    def test_crosstab_counts_and_row_percentages(self, w):
        first, second = w.specs[0], w.specs[1]
        page = text(
            client_for(w.staff).get(
                reverse("surveys:staff_results", args=[w.survey.pk]),
                {"x": first.id, "y": second.id},
            )
        )
        # every response picked 公交 and 地铁: 教育 2 of 2, 养老 2 of 2, 其他 1 of 1
        assert "第1题（行）× 第2题（列）" in page
        assert '2 <span class="muted">(100.0%)</span>' in page
        assert '1 <span class="muted">(100.0%)</span>' in page
        assert '0 <span class="muted">(0.0%)</span>' in page  # nobody 自驾

    def test_crosstab_needs_two_different_choice_questions(self, w):
        url = reverse("surveys:staff_results", args=[w.survey.pk])
        page = text(client_for(w.staff).get(url, {"x": w.specs[0].id, "y": w.specs[0].id}))
        assert "请选择两道不同的题目" in page
        rating = next(s for s in w.specs if s.kind == "rating")
        page = text(client_for(w.staff).get(url, {"x": w.specs[0].id, "y": rating.id}))
        assert "请选择两道选择题" in page


class TestTextAnswers:
    def test_other_notes_and_free_text_for_staff_only(self, w):
        first, last = w.specs[0], w.specs[-1]
        notes = reverse("surveys:text_answers", args=[w.survey.pk, first.id])
        page = text(client_for(w.staff).get(notes))
        assert PRIVATE_NOTE in page and "共 1 条" in page
        free = reverse("surveys:text_answers", args=[w.survey.pk, last.id])
        assert PRIVATE_TEXT in text(client_for(w.office).get(free))
        assert client_for(w.other).get(free).status_code == 403
        assert client_for().get(free).status_code == 302

    def test_a_question_without_text_has_no_answers_page(self, w):
        rating = next(s for s in w.specs if s.kind == "rating")
        url = reverse("surveys:text_answers", args=[w.survey.pk, rating.id])
        assert client_for(w.staff).get(url).status_code == 404
        other_survey = build().survey
        url = reverse("surveys:text_answers", args=[other_survey.pk, w.specs[-1].id])
        assert client_for(w.staff).get(url).status_code in (403, 404)

    def test_search_and_pages(self, w):
        school = next(s for s in w.specs if s.kind == "text" and s.shown_if)
        for n in range(25):
            submit(
                w.survey,
                survey_answers(w.survey, **{school.name: [f"第{n}中学"]}),
            )
        url = reverse("surveys:text_answers", args=[w.survey.pk, school.id])
        client = client_for(w.staff)
        first = text(client.get(url))
        assert "共 27 条" in first and "第 1 页，共 2 页" in first
        second = text(client.get(url, {"page": 2}))
        assert "第24中学" in second and "第0中学" not in second
        found = text(client.get(url, {"q": "第7中"}))
        assert "共 1 条" in found and "第7中学" in found
        assert "没有包含该文字的意见" in text(client.get(url, {"q": "不存在"}))


class TestPublicPage:
    def url(self, survey):
        return reverse("surveys:public_results", args=[survey.pk])

    def test_after_close_shows_a_message_before_and_results_after(self, w):
        page = text(client_for().get(self.url(w.survey)))
        assert "结果将于调查结束后公布" in page and "5份" not in page
        pdf = reverse("surveys:public_results_pdf", args=[w.survey.pk])
        assert client_for().get(pdf).status_code == 404
        close(w.survey)
        page = text(client_for().get(self.url(w.survey)))
        assert "5份" in page and 'role="img"' in page
        assert "文字意见不公开显示" in page

    def test_no_free_text_notes_or_duplicates_on_the_public_page(self, w):
        close(w.survey)
        page = text(client_for().get(self.url(w.survey)))
        assert PRIVATE_NOTE not in page and PRIVATE_TEXT not in page and "青岛二中" not in page
        assert "疑似重复" not in page
        assert "注明的内容不公开显示" in page
        assert "/results/text/" not in page

    def test_staff_only_results_are_never_public(self):
        w = build(results_shown=Survey.ResultsShown.STAFF_ONLY)
        close(w.survey)
        page = text(client_for().get(self.url(w.survey)))
        assert "不向社会公开" in page and "5份" not in page
        assert client_for(w.staff).get(self.url(w.survey)).status_code == 200

    def test_while_open_results_are_public_during_the_survey(self):
        w = build(results_shown=Survey.ResultsShown.WHILE_OPEN)
        page = text(client_for().get(self.url(w.survey)))
        assert "5份" in page and "结果随答卷实时更新" in page

    def test_an_unpublished_survey_has_no_results_page(self):
        draft = make_survey(publish=False, results_shown=Survey.ResultsShown.WHILE_OPEN)
        assert client_for().get(self.url(draft)).status_code == 404
        pdf = reverse("surveys:public_results_pdf", args=[draft.pk])
        assert client_for().get(pdf).status_code == 404


def test_panel_category_filter():
    from surveys.models import PanelMember
    from surveys.services import response_submit
    from tests.factories import make_participant

    w = build(audience=Survey.Audience.BOTH)
    for n, category in enumerate(["npc_deputy", "npc_deputy", "cppcc_member"]):
        member = PanelMember.objects.create(
            survey=w.survey,
            participant=make_participant(by=w.staff, name=f"参与人{n}", category=category),
            category=category,
            token_hash=f"hash-{n}",
            created_by=w.staff,
        )
        response_submit(
            survey=w.survey,
            data=survey_answers(w.survey),
            channel="panel",
            panel_member=member,
            browser="",
        )
    url = reverse("surveys:staff_results", args=[w.survey.pk])
    client = client_for(w.staff)
    page = text(client.get(url))
    assert "8份" in page and "受邀答卷 3" in page
    assert '<option value="npc_deputy"' in page and "人大代表" in page
    filtered = text(client.get(url, {"category": "npc_deputy"}))
    assert "2份" in filtered and "受邀答卷 2（100.0%）" in filtered
    assert "8份" in text(client.get(url, {"category": "unknown"}))  # ignored
