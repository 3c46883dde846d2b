"""The staff's survey pages: who sees and changes what, the builder's form for every
question type, publishing with its problems, cancelling, the panel and the responses."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matters.models import LedgerEntry
from reminders.models import Reminder
from surveys import services
from surveys.models import PanelMember, Question, Survey
from surveys.services import QuestionInput
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_participant,
    make_survey,
    survey_answers,
)

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def staff(department):
    return StaffFactory(department=department)


@pytest.fixture
def client_a(staff):
    return as_user(staff)


@pytest.fixture
def draft(staff):
    return make_survey(by=staff, department=staff.department, every_kind=False, publish=False)


def local(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def create_data(**overrides):
    data = {
        "title": "社区养老服务满意度调查",
        "kind": "questionnaire",
        "matter": "",
        "introduction": "了解居民需求。",
        "opens_at": "2030-03-01T09:00",
        "closes_at": "2030-03-15T18:00",
        "audience": "public",
        "one_response_per_person": "on",
        "results_shown": "after_close",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------- the list


def test_department_members_see_their_department_s_surveys_only(staff, client_a):
    mine = make_survey(by=staff, department=staff.department, title="本局问卷")
    other = make_survey(title="外单位问卷")
    page = client_a.get(reverse("surveys:staff_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert mine.title in text and other.title not in text
    assert "新建问卷" in text
    assert client_a.get(reverse("surveys:staff_detail", args=[other.pk])).status_code == 404


def test_the_general_office_sees_every_survey_and_filters_by_department(staff):
    mine = make_survey(by=staff, department=staff.department, title="本局问卷")
    other = make_survey(title="外单位问卷")
    office = as_user(ReviewerFactory())
    text = office.get(reverse("surveys:staff_list")).content.decode()
    assert mine.title in text and other.title in text
    text = office.get(
        reverse("surveys:staff_list"), {"department": staff.department_id}
    ).content.decode()
    assert mine.title in text and other.title not in text
    # The office reads another department's survey but does not change it.
    assert office.get(reverse("surveys:staff_detail", args=[mine.pk])).status_code == 200
    assert office.get(reverse("surveys:staff_settings", args=[mine.pk])).status_code == 403


def test_status_tabs_and_empty_state(staff, client_a, draft):
    make_survey(by=staff, department=staff.department, title="进行中的问卷")
    text = client_a.get(reverse("surveys:staff_list"), {"status": "draft"}).content.decode()
    assert draft.title in text and "进行中的问卷" not in text
    text = client_a.get(reverse("surveys:staff_list"), {"status": "cancelled"}).content.decode()
    assert "没有符合条件的问卷" in text


def test_anonymous_and_accountless_are_refused():
    assert Client().get(reverse("surveys:staff_list")).status_code == 302
    outsider = as_user(AdministratorFactory(roles=[]))
    assert outsider.get(reverse("surveys:staff_list")).status_code == 403


# ----------------------------------------------------------------------------- creating


def test_create_a_survey_on_a_matter(staff, client_a):
    matter = make_matter(by=staff)
    page = client_a.get(reverse("surveys:staff_create"), {"matter": matter.pk})
    assert f'<option value="{matter.pk}" selected>' in page.content.decode()
    response = client_a.post(reverse("surveys:staff_create"), create_data(matter=matter.pk))
    survey = Survey.objects.get(title="社区养老服务满意度调查")
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:staff_detail", args=[survey.pk])
    assert survey.matter == matter and survey.department == staff.department
    assert timezone.localtime(survey.opens_at).hour == 9
    assert survey.opens_at == local("2030-03-01T09:00")
    assert survey.sections.count() == 1


def test_another_department_s_matter_is_not_offered(staff, client_a):
    foreign = make_matter()
    response = client_a.post(reverse("surveys:staff_create"), create_data(matter=foreign.pk))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Survey.objects.exists()


def test_bad_input_keeps_what_was_typed(client_a):
    response = client_a.post(
        reverse("surveys:staff_create"),
        create_data(closes_at="2030-02-01T09:00", title="保留的标题"),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in text
    assert 'value="保留的标题"' in text
    assert not Survey.objects.exists()


def test_the_general_office_creates_a_standalone_survey():
    office_user = ReviewerFactory()
    response = as_user(office_user).post(reverse("surveys:staff_create"), create_data())
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.matter is None and survey.department == office_user.department


# ------------------------------------------------------------------------------ building


QUESTION_POSTS = {
    "single": (
        {"options": "教育\n养老", "add_other": "on"},
        lambda q: (
            [(o.label, o.is_other) for o in q.options.all()]
            == [("教育", False), ("养老", False), ("其他（请注明）", True)]
        ),
    ),
    "multiple": (
        {"options": "公交\n地铁\n自驾", "min_picks": "1", "max_picks": "2"},
        lambda q: q.settings == {"min_picks": 1, "max_picks": 2} and q.options.count() == 3,
    ),
    "text": ({"long": "on"}, lambda q: q.settings == {"long": True}),
    "rating": (
        {"scale_min": "1", "scale_max": "5", "low_label": "很不满意", "high_label": "很满意"},
        lambda q: (
            q.settings
            == {"scale_min": 1, "scale_max": 5, "low_label": "很不满意", "high_label": "很满意"}
        ),
    ),
    "matrix": (
        {"options": "重要\n一般\n不重要", "rows": "社区养老\n学前教育"},
        lambda q: (
            [o.label for o in q.options.filter(is_row=True)] == ["社区养老", "学前教育"]
            and q.options.filter(is_row=False).count() == 3
        ),
    ),
    "ranking": (
        {"options": "老旧小区改造\n托育服务\n公交线网", "rank_count": "2"},
        lambda q: q.settings == {"rank_count": 2} and q.options.count() == 3,
    ),
    "number": (
        {"minimum": "0", "maximum": "5000.5", "decimals": "on", "unit": "万元"},
        lambda q: q.settings == {"minimum": 0, "maximum": "5000.5", "decimals": 2, "unit": "万元"},
    ),
}


def question_post(survey, kind, **fields):
    data = {
        "kind": kind,
        "text": f"{kind}题",
        "required": "on",
        "section": survey.sections.order_by("position").last().pk,
        "scale_min": "1",
        "scale_max": "5",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("kind", list(QUESTION_POSTS))
def test_the_builder_adds_every_question_type(client_a, draft, kind):
    fields, check = QUESTION_POSTS[kind]
    response = client_a.post(
        reverse("surveys:question_add", args=[draft.pk]), question_post(draft, kind, **fields)
    )
    assert response.status_code == 302, response.content.decode()
    question = Question.objects.get(survey=draft)
    assert question.kind == kind and question.required
    assert check(question)


def test_question_form_messages(client_a, draft):
    url = reverse("surveys:question_add", args=[draft.pk])
    text = client_a.post(url, question_post(draft, "single", options="只有一项")).content.decode()
    assert "请至少填写两个选项" in text
    text = client_a.post(
        url, question_post(draft, "rating", scale_min="5", scale_max="3")
    ).content.decode()
    assert "最高分须大于最低分" in text
    text = client_a.post(url, question_post(draft, "matrix", options="是\n否")).content.decode()
    assert "请至少填写一行" in text
    text = client_a.post(
        url, question_post(draft, "number", minimum="10", maximum="1")
    ).content.decode()
    assert "最大值须大于最小值" in text
    # The service's own check (more picks than options) comes back beside the form.
    text = client_a.post(
        url, question_post(draft, "multiple", options="甲\n乙", max_picks="3")
    ).content.decode()
    assert "最少和最多选择数" in text
    assert not Question.objects.filter(survey=draft).exists()


def test_condition_choices_name_earlier_choice_options(staff, client_a, draft):
    first = services.question_add(
        survey=draft,
        by=staff,
        data=QuestionInput(
            "single", "您最关注哪个领域？", options=[("教育", False), ("养老", False)]
        ),
    )
    services.question_add(survey=draft, by=staff, data=QuestionInput("text", "说明"))
    page = client_a.get(reverse("surveys:staff_detail", args=[draft.pk])).content.decode()
    education = first.options.get(label="教育")
    assert f'<option value="{education.pk}">第1题：教育</option>' in page
    response = client_a.post(
        reverse("surveys:question_add", args=[draft.pk]),
        question_post(draft, "text", text="孩子就读的学校", shown_if=education.pk),
    )
    assert response.status_code == 302
    question = Question.objects.get(text="孩子就读的学校")
    assert question.shown_if == education
    page = client_a.get(reverse("surveys:staff_detail", args=[draft.pk])).content.decode()
    assert "仅当第1题选择“教育”时显示" in page
    # Editing the first question offers no condition (nothing is before it).
    edit = client_a.get(
        reverse("surveys:question_edit", args=[draft.pk, first.pk])
    ).content.decode()
    assert "第1题：教育" not in edit


def test_edit_move_and_delete_a_question(staff, client_a, draft):
    one = services.question_add(survey=draft, by=staff, data=QuestionInput("text", "第一"))
    two = services.question_add(survey=draft, by=staff, data=QuestionInput("text", "第二"))
    url = reverse("surveys:question_edit", args=[draft.pk, two.pk])
    page = client_a.get(url)
    assert 'value="第二"' in page.content.decode()
    response = client_a.post(url, question_post(draft, "number", text="改为数值", unit="元"))
    assert response.status_code == 302
    two.refresh_from_db()
    assert two.kind == "number" and two.settings == {"unit": "元"}
    client_a.post(reverse("surveys:question_move", args=[draft.pk, two.pk]), {"direction": "up"})
    assert list(draft.questions.order_by("position").values_list("pk", flat=True)) == [
        two.pk,
        one.pk,
    ]
    client_a.post(reverse("surveys:question_delete", args=[draft.pk, one.pk]))
    assert list(draft.questions.values_list("pk", flat=True)) == [two.pk]


def test_pages_are_added_edited_and_deleted(client_a, draft):
    client_a.post(reverse("surveys:section_add", args=[draft.pk]), {"title": "预算安排"})
    section = draft.sections.get(position=2)
    assert section.title == "预算安排"
    client_a.post(
        reverse("surveys:section_edit", args=[draft.pk, section.pk]), {"title": "预算方向"}
    )
    section.refresh_from_db()
    assert section.title == "预算方向"
    client_a.post(reverse("surveys:section_delete", args=[draft.pk, section.pk]))
    assert draft.sections.count() == 1


def test_another_department_cannot_build(draft):
    other = as_user(StaffFactory())
    response = other.post(
        reverse("surveys:question_add", args=[draft.pk]), question_post(draft, "text")
    )
    assert response.status_code == 404
    leader_elsewhere = as_user(LeaderFactory())
    assert leader_elsewhere.get(reverse("surveys:staff_detail", args=[draft.pk])).status_code == 404


# ---------------------------------------------------------------- publishing, cancelling


def test_publish_problems_are_listed_and_publishing_is_refused(client_a, draft):
    page = client_a.get(reverse("surveys:staff_detail", args=[draft.pk])).content.decode()
    assert "发布前还须处理" in page and "问卷还没有题目。" in page
    response = client_a.post(reverse("surveys:publish", args=[draft.pk]), follow=True)
    assert "问卷还不能发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None


def test_publishing_opens_the_survey_and_fixes_its_questions(staff, client_a):
    now = timezone.now()
    survey = make_survey(
        by=staff,
        department=staff.department,
        publish=False,
        opens_at=now - datetime.timedelta(minutes=5),
    )
    response = client_a.post(reverse("surveys:publish", args=[survey.pk]), follow=True)
    assert "现在开始接受答卷" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    page = client_a.get(reverse("surveys:staff_detail", args=[survey.pk])).content.decode()
    assert "添加题目" not in page and "修改第1题" not in page
    settings_page = client_a.get(
        reverse("surveys:staff_settings", args=[survey.pk])
    ).content.decode()
    assert 'name="title"' in settings_page and 'name="closes_at"' in settings_page
    assert 'name="audience"' not in settings_page and 'name="opens_at"' not in settings_page


def test_cancel_needs_a_reason(staff, client_a):
    survey = make_survey(by=staff, department=staff.department)
    url = reverse("surveys:cancel", args=[survey.pk])
    response = client_a.post(url, {"reason": ""})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    client_a.post(url, {"reason": "题目有误，重新设计"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CANCELLED
    assert survey.cancel_reason == "题目有误，重新设计"


def test_settings_are_saved_through_the_service(client_a, draft):
    response = client_a.post(
        reverse("surveys:staff_settings", args=[draft.pk]),
        create_data(title="新的标题", audience="both") | {"kind": "poll"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "新的标题" and draft.audience == "both"
    assert draft.kind == Survey.Kind.QUESTIONNAIRE  # chosen once, when created


# ------------------------------------------------------------------------------- panel


@pytest.fixture
def panel_link(monkeypatch):
    # The personal answering page (surveys:panel_answer) is the public pages' to serve.
    monkeypatch.setattr(services, "panel_url", lambda token: f"http://testserver/s/{token}/")


def test_panel_invitations_create_members_and_outbox_rows(staff, client_a, panel_link):
    survey = make_survey(by=staff, department=staff.department, audience="panel")
    deputy = make_participant(category="npc_deputy", email="deputy@example.com")
    make_participant(category="expert", name="专家甲", email="expert@example.com")
    no_mail = make_participant(category="expert", name="专家乙", email="")
    url = reverse("surveys:panel", args=[survey.pk])
    response = client_a.post(
        url, {"participants": [deputy.pk], "categories": ["expert"]}, follow=True
    )
    text = response.content.decode()
    assert "已邀请3位参与主体" in text
    assert "专家乙" in text and "请电话联系" in text
    members = PanelMember.objects.filter(survey=survey)
    assert members.count() == 3
    assert {m.category for m in members} == {"npc_deputy", "expert"}
    mails = Reminder.objects.filter(kind=Reminder.Kind.SURVEY_INVITATION)
    assert mails.count() == 2
    mail = mails.get(recipient="deputy@example.com")
    assert mail.secret.startswith("http://testserver/s/")
    assert survey.title in mail.subject and survey.title in mail.body_text
    # The page never shows a personal link.
    for row in mails:
        assert row.secret not in text
    assert no_mail.name in text


def test_panel_page_needs_a_panel_survey_and_a_choice(staff, client_a, panel_link):
    public = make_survey(by=staff, department=staff.department)
    assert client_a.get(reverse("surveys:panel", args=[public.pk])).status_code == 404
    survey = make_survey(by=staff, department=staff.department, audience="both")
    response = client_a.post(reverse("surveys:panel", args=[survey.pk]), {})
    assert "请选择要邀请的参与主体或类别" in response.content.decode()
    office = as_user(ReviewerFactory())
    assert office.get(reverse("surveys:panel", args=[survey.pk])).status_code == 200
    assert office.post(reverse("surveys:panel", args=[survey.pk]), {}).status_code == 403


# --------------------------------------------------------------------------- responses


def test_responses_list_filters_and_shows_one(staff, client_a):
    survey = make_survey(by=staff, department=staff.department)
    services.response_submit(survey=survey, data=survey_answers(survey), client_hash="a")
    services.response_submit(survey=survey, data=survey_answers(survey, field=1), client_hash="a")
    services.response_submit(
        survey=survey, data=survey_answers(survey), channel="paper", entered_by=staff
    )
    url = reverse("surveys:staff_responses", args=[survey.pk])
    text = client_a.get(url).content.decode()
    assert "共 3 份" in text and "纸质问卷" in text
    text = client_a.get(url, {"suspected": "1"}).content.decode()
    assert "共 1 份" in text and "疑似重复" in text
    text = client_a.get(url, {"channel": "paper"}).content.decode()
    assert "共 1 份" in text
    text = client_a.get(url, {"number": 2}).content.decode()
    assert "第2号答卷" in text and "养老" in text and "万元" in text
    detail = client_a.get(reverse("surveys:staff_detail", args=[survey.pk])).content.decode()
    assert f"{url}?suspected=1" in detail


def test_void_needs_a_reason_and_writes_the_ledger(staff, client_a):
    survey = make_survey(by=staff, department=staff.department)
    response = services.response_submit(survey=survey, data=survey_answers(survey))
    url = reverse("surveys:response_void", args=[survey.pk, response.number])
    page = client_a.post(url, {"reason": ""})
    assert page.status_code == 200 and "该字段是必填项" in page.content.decode()
    assert client_a.post(url, {"reason": "测试答卷"}).status_code == 302
    response.refresh_from_db()
    survey.refresh_from_db()
    assert response.is_void and response.void_reason == "测试答卷"
    assert survey.response_count == 0
    assert LedgerEntry.objects.filter(summary__contains="作废第1号答卷：测试答卷").exists()
    office = as_user(ReviewerFactory())
    assert office.post(url, {"reason": "x"}).status_code == 403
    assert as_user(StaffFactory()).post(url, {"reason": "x"}).status_code == 404


# ----------------------------------------------------------------------- the matter page


def test_the_matter_staff_page_lists_its_surveys(staff, client_a):
    matter = make_matter(by=staff)
    survey = make_survey(matter=matter, by=staff, title="事项问卷")
    page = client_a.get(reverse("matters:staff_detail", args=[matter.pk])).content.decode()
    assert survey.title in page
    assert f"{reverse('surveys:staff_create')}?matter={matter.pk}" in page
    assert reverse("surveys:staff_list") in page  # in the navigation


def test_the_list_filters_by_matter_and_pages(staff, client_a):
    matter = make_matter(by=staff)
    on_matter = make_survey(
        matter=matter, by=staff, every_kind=False, publish=False, title="事项问卷"
    )
    for n in range(20):
        make_survey(by=staff, every_kind=False, publish=False, title=f"草稿{n}")
    url = reverse("surveys:staff_list")
    text = client_a.get(url, {"matter": matter.pk}).content.decode()
    assert on_matter.title in text and "草稿1<" not in text and "共 1 份问卷" in text
    text = client_a.get(url).content.decode()
    assert "共 21 份问卷" in text and "第 1 页，共 2 页" in text
    text = client_a.get(url, {"page": 2}).content.decode()
    assert "第 2 页，共 2 页" in text


def test_the_administrator_reads_but_does_not_create(staff):
    survey = make_survey(by=staff, department=staff.department)
    admin_client = as_user(AdministratorFactory())
    text = admin_client.get(reverse("surveys:staff_list")).content.decode()
    assert survey.title in text and "新建问卷" not in text
    assert admin_client.get(reverse("surveys:staff_create")).status_code == 403


def test_a_poll_has_no_pages_and_takes_one_choice_question(staff, client_a):
    poll = make_survey(by=staff, every_kind=False, publish=False, kind="poll", title="民意测验")
    page = client_a.get(reverse("surveys:staff_detail", args=[poll.pk])).content.decode()
    assert "增加一页" not in page and "民意测验只有一道单选题或多选题" in page
    response = client_a.post(
        reverse("surveys:question_add", args=[poll.pk]), question_post(poll, "text")
    )
    assert "民意测验的题目须是单选题或多选题" in response.content.decode()
    assert not poll.questions.exists()


def test_a_published_survey_s_questions_cannot_be_changed(staff, client_a):
    survey = make_survey(by=staff, department=staff.department)
    question = survey.questions.order_by("section__position", "position").first()
    url = reverse("surveys:question_edit", args=[survey.pk, question.pk])
    page = client_a.get(url).content.decode()
    assert "问卷发布后不能再修改题目" in page
    response = client_a.post(url, question_post(survey, "text", text="改过的题目"))
    assert "问卷发布后不能再修改题目" in response.content.decode()
    question.refresh_from_db()
    assert question.text == "您最关注哪个领域？"
    response = client_a.post(reverse("surveys:question_delete", args=[survey.pk, question.pk]))
    assert survey.questions.filter(pk=question.pk).exists()
