"""Surveys on the supervision dashboard: the year's published surveys and valid responses
per organising department, the responses by channel, the links to the staff's list, the
export's sheet — exact figures, and two queries whatever the departments."""

import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from supervision.surveys import survey_block
from surveys import services
from surveys.links import staff_list_path
from surveys.models import PanelMember, Response, Survey
from tests.factories import (
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_participant,
    make_survey,
    survey_answers,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENS = datetime.datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)


def closes():
    return timezone.now() + datetime.timedelta(days=7)


def survey_of(staff, **fields):
    return make_survey(by=staff, department=staff.department, opens_at=OPENS, closes_at=closes(),
                       **fields)  # fmt: skip


def answer(survey, n=1, **kw):
    return [
        services.response_submit(survey=survey, data=survey_answers(survey, field=i % 2), **kw)
        for i in range(n)
    ]


@pytest.fixture
def city():
    education = DepartmentFactory(
        name="青岛市教育局", short_name="教育局", code="jyj", sort_order=1
    )
    finance = DepartmentFactory(name="青岛市财政局", short_name="财政局", code="czj", sort_order=2)
    teacher = StaffFactory(department=education)
    clerk = StaffFactory(department=finance)

    both = survey_of(teacher, audience=Survey.Audience.BOTH, one_response_per_person=False)
    online = answer(both, 2)
    answer(both, channel=Response.Channel.PAPER, entered_by=teacher)
    answer(both, channel=Response.Channel.PHONE, entered_by=teacher)
    deputy = make_participant(name="代表甲", category="npc_deputy", email="a@example.cn")
    seat = PanelMember.objects.create(survey=both, participant=deputy, category="npc_deputy",
                                      token_hash="1" * 64, created_by=teacher)  # fmt: skip
    answer(both, channel=Response.Channel.PANEL, panel_member=seat)
    services.response_void(response=online[0], by=teacher, reason="测试答卷")

    public = survey_of(teacher, title="校园安全问卷")
    answer(public, 1)
    cancelled = survey_of(teacher, title="已撤销的问卷")
    answer(cancelled, 3)
    services.survey_cancel(survey=cancelled, by=teacher, reason="重复")
    survey_of(teacher, title="草稿", publish=False)
    offline = survey_of(teacher, title="线下")
    Survey.objects.filter(pk=offline.pk).update(is_offline_record=True, response_count=0)

    survey_of(clerk, title="财政问卷")
    last_year = make_survey(by=clerk, department=finance, title="去年的问卷",
                            opens_at=datetime.datetime(2025, 12, 1, tzinfo=SHANGHAI),
                            closes_at=closes())  # fmt: skip
    answer(last_year, 2)
    return {"education": education, "finance": finance}


def test_figures_per_department_and_city_wide(city):
    block = survey_block(year=2026)

    assert [line.label for line in block.lines] == ["教育局", "财政局"]
    education, finance = block.lines
    assert education.cells == [
        ("surveys", 2),
        ("polls", 0),
        ("with_panel", 1),
        ("responses", 5),
        ("online", 2),
        ("panel", 1),
        ("paper", 1),
        ("phone", 1),
        ("offline", 1),
    ]
    assert dict(finance.cells) == {
        "surveys": 1, "polls": 0, "with_panel": 0, "responses": 0, "online": 0, "panel": 0,
        "paper": 0, "phone": 0, "offline": 0,
    }  # fmt: skip
    assert dict(block.total.cells)["surveys"] == 3
    assert dict(block.total.cells)["responses"] == 5
    assert education.url == staff_list_path(department=city["education"].pk, year=2026)
    assert f"department={city['education'].pk}" in education.url
    assert "year=2026" in education.url

    other = survey_block(year=2025)
    assert [(line.label, dict(line.cells)["responses"]) for line in other.lines] == [("财政局", 2)]


def test_the_responses_by_channel_add_up_to_the_valid_responses(city):
    for line in [*survey_block(year=2026).lines]:
        figures = dict(line.cells)
        assert figures["responses"] == sum(
            figures[c] for c in ("online", "panel", "paper", "phone")
        )


@pytest.mark.parametrize("count", [2, 12])
def test_two_queries_whatever_the_departments(count, django_assert_num_queries):
    for n in range(count):
        staff = StaffFactory(department=DepartmentFactory(code=f"d{n}", sort_order=n))
        answer(survey_of(staff, title=f"问卷{n}"))

    with django_assert_num_queries(2):
        block = survey_block(year=2026)

    assert len(block.lines) == count
    assert dict(block.total.cells)["online"] == count


def test_the_dashboard_shows_the_table_with_links(client, city):
    client.force_login(ReviewerFactory())

    page = client.get(reverse("dashboard"), {"year": 2026}).content.decode()

    assert "问卷调查和民意测验" in page
    href = staff_list_path(department=city["education"].pk, year=2026).replace("&", "&amp;")
    assert f'<a href="{href}">教育局</a>' in page


def test_an_empty_year_says_so(client):
    client.force_login(ReviewerFactory())

    page = client.get(reverse("dashboard"), {"year": 2026}).content.decode()

    assert "2026年度还没有发布的问卷调查。" in page


def test_the_export_has_a_survey_sheet(client, city):
    client.force_login(ReviewerFactory())

    response = client.get(reverse("dashboard_export"), {"year": 2026})

    sheet = load_workbook(BytesIO(response.content))["问卷调查"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["部门", "问卷调查", "其中民意测验", "其中面向受邀参与主体", "有效答卷",
                       "网上答卷", "受邀答卷", "纸质问卷", "电话访谈", "线下调查记录"]  # fmt: skip
    assert rows[1] == ["青岛市教育局", 2, 0, 1, 5, 2, 1, 1, 1, 1]
    assert rows[2] == ["青岛市财政局", 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert rows[3] == ["全市合计", 3, 0, 1, 5, 2, 1, 1, 1, 1]
