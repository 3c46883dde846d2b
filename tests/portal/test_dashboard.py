"""The supervision dashboard: every figure against the hand-counted city in ``city.py``, per
department and city-wide; the edges (the last second of 31 March, a moved deadline, 30 days
after a close, due today); a constant number of queries; who may see it; the charts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from annual_plans.selectors import FilingState
from annual_plans.services import deadline_move
from core import charts
from matters.models import Matter
from matters.selectors import major_decisions_missing_steps, matter_stage_counts
from participation.selectors.supervision import overdue_report_counts
from participation.services.comments import opinion_submit
from supervision.dashboard import build_dashboard
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
    make_matter,
    make_period,
    make_plan,
)

from .city import EXPECTED, NEXT_INSTANT, build_city, shanghai

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")


@pytest.fixture
def city():
    return build_city()


def lines_by_code(board):
    return {line.department.code: line for line in board.lines}


def tally_tuple(tally):
    return (tally.total, tally.adopted, tally.partly, tally.not_adopted, tally.out_of_scope,
            tally.undisposed, tally.rate_display)  # fmt: skip


# --- the figures -------------------------------------------------------------------------


def test_catalog_filing_per_department_and_city_wide(city):
    board = build_dashboard(year=2026)

    lines = lines_by_code(board)
    assert {code: lines[code].filing.state for code in "abcd"} == EXPECTED["filing"]
    assert board.filing.counts == EXPECTED["filing_counts"]
    assert board.filing.total == 4  # the general office files no catalog
    assert "bgt" not in lines


def test_a_filing_at_23_59_59_on_31_march_is_on_time_and_the_next_instant_late(city):
    board = build_dashboard(year=2026)

    lines = lines_by_code(board)
    assert lines["a"].filing.plan.first_submitted_at == shanghai(2026, 3, 31, 23, 59, 59)
    assert lines["a"].filing.state == FilingState.ON_TIME
    assert lines["b"].filing.plan.first_submitted_at == NEXT_INSTANT
    assert lines["b"].filing.state == FilingState.LATE


def test_a_moved_deadline_rejudges_the_filings(city):
    reviewer = ReviewerFactory()
    deadline_move(
        year=2026,
        deadline=shanghai(2026, 4, 3, 23, 59, 59),
        reason="清明节假期顺延",
        by=reviewer,
        department_id=reviewer.department_id,
    )

    board = build_dashboard(year=2026)

    assert board.filing.deadline == shanghai(2026, 4, 3, 23, 59, 59)
    assert lines_by_code(board)["b"].filing.state == FilingState.ON_TIME
    assert board.filing.counts == {**EXPECTED["filing_counts"], "on_time": 2, "late": 0}
    # Before the moved deadline, a department without a catalog is not yet missing.
    early = build_dashboard(year=2026, now=shanghai(2026, 4, 2, 12, 0))
    assert lines_by_code(early)["d"].filing.state == FilingState.PENDING
    assert early.filing.counts["missing"] == 0


def test_matters_by_kind_and_stage_overdue_and_missing_steps(city):
    board = build_dashboard(year=2026)

    lines = lines_by_code(board)
    for code, expected in EXPECTED["matters"].items():
        row = lines[code].matters
        assert row.total == expected["total"], code
        assert row.overdue == expected["overdue"], code
        assert row.missing_steps == expected["missing"], code
        assert {key: n for key, n in row.by_stage.items() if n} == expected["stages"], code
    total = board.matters.total
    assert {k: n for k, _label, n in total.by_kind} == EXPECTED["matters_by_kind"]
    assert (total.total, total.overdue, total.missing_steps) == tuple(
        EXPECTED["matters_total"].values()
    )


def test_the_missing_step_is_named(city):
    [found] = build_dashboard(year=2026).matters.missing

    assert found.matter == city.matters["b_decided"]
    assert found.steps_display == "合法性审查"


def test_a_major_decision_still_before_its_decision_stage_is_not_missing_anything(city):
    found = major_decisions_missing_steps(Matter.objects.filter(department=city.b))

    assert [item.matter.pk for item in found] == [city.matters["b_decided"].pk]


def test_a_stage_due_today_is_not_yet_overdue(city):
    today = datetime.date(2026, 5, 1)  # the legislative draft's stage is due that day

    due_today = matter_stage_counts(year=2026, today=today, department_id=city.a.pk)
    day_after = matter_stage_counts(year=2026, today=today + datetime.timedelta(days=1),
                                    department_id=city.a.pk)  # fmt: skip

    assert sum(row.overdue for row in due_today) == 0
    assert sum(row.overdue for row in day_after) == 1


def test_feedback_reports_overdue_after_30_days_not_29(city):
    board = build_dashboard(year=2026)

    lines = lines_by_code(board)
    assert {code: lines[code].reports_overdue for code in "abcd"} == EXPECTED["reports"]
    assert board.reports.total == EXPECTED["reports_total"]


def test_a_report_is_due_exactly_30_days_after_the_close(city):
    closed = city.periods["b"].ends_at

    on_the_day = overdue_report_counts(year=2026, now=closed + datetime.timedelta(days=30))
    a_second_later = overdue_report_counts(
        year=2026, now=closed + datetime.timedelta(days=30, seconds=1)
    )

    assert city.b.pk not in on_the_day
    assert a_second_later[city.b.pk] == 1


def test_opinions_by_department_channel_and_adoption_rate(city):
    board = build_dashboard(year=2026)

    lines = lines_by_code(board)
    for code, expected in EXPECTED["opinions"].items():
        assert tally_tuple(lines[code].opinions.tally) == expected, code
    for code, expected in EXPECTED["channels"].items():
        assert {k: n for k, _label, n in lines[code].opinions.by_channel if n} == expected
    assert tally_tuple(board.opinions.total.tally) == EXPECTED["opinions_total"]
    assert {
        row.channel: (row.tally.total, row.tally.rate_display) for row in board.opinions.channels
    } == EXPECTED["channel_totals"]
    assert {m.month.month: m.count for m in board.opinions.months if m.count} == EXPECTED["months"]
    assert board.opinions.other_months == 0


def test_another_year_has_its_own_figures(city):
    board = build_dashboard(year=2025)

    lines = lines_by_code(board)
    assert lines["d"].filing.state == FilingState.ON_TIME
    assert lines["c"].matters.total == 1
    assert lines["c"].matters.overdue == 1
    assert lines["c"].reports_overdue == 1
    assert board.opinions.total.tally.total == 0


def test_the_department_summary_has_only_its_own_figures(city):
    board = build_dashboard(year=2026, department=city.b)

    [line] = board.lines
    assert line.department == city.b
    assert line.filing.state == FilingState.LATE
    assert (line.matters.total, line.matters.missing_steps) == (2, 1)
    assert tally_tuple(line.opinions.tally) == EXPECTED["opinions"]["b"]
    assert board.filing.counts["on_time"] == 0  # A's filing is not in B's summary
    assert board.opinions.total.tally.total == 2


# --- queries ------------------------------------------------------------------------------


def _departments_with_work(count: int) -> None:
    """``count`` departments, each with a catalog, an overdue matter and a comment period
    with an opinion."""
    for n in range(count):
        department = DepartmentFactory(code=f"q{n}", sort_order=n)
        staff = StaffFactory(department=department)
        make_plan(department=department, by=staff, status="submitted",
                  submitted_at=shanghai(2026, 3, 1 + n % 28, 9, 0))  # fmt: skip
        make_matter(department=department, by=staff, is_major_decision=n % 2 == 0,
                    stage_due_on=datetime.date(2026, 5, 1))  # fmt: skip
        period = make_period(by=staff, title=f"征求意见{n}", starts_at=shanghai(2026, 6, 1, 9, 0),
                             ends_at=shanghai(2026, 8, 1, 9, 0))  # fmt: skip
        opinion_submit(period=period, content="意见", now=shanghai(2026, 6, 2, 9, 0))


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_costs_nine_queries_whatever_the_departments(
    count, django_assert_num_queries
):
    _departments_with_work(count)

    with django_assert_num_queries(9):
        board = build_dashboard(year=2026)

    assert len(board.lines) == count
    assert board.matters.total.overdue == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_page_costs_the_same_queries_for_3_or_30_departments(
    client, count, django_assert_num_queries
):
    _departments_with_work(count)
    reviewer = ReviewerFactory()
    client.force_login(reviewer)

    # session, user, roles; the dashboard's nine; the years (plans, matters); the model
    # permissions the navigation reads (three); the proposals' figures (four: three grouped
    # counts and one of the city-wide assignments; their departments when there are any);
    # the surveys' figures (two: the surveys by department, the responses by channel); the
    # catalogs carried out (one); the 督办 orders by department (one)
    with django_assert_num_queries(25):
        response = client.get(URL, {"year": 2026})

    assert response.status_code == 200
    assert response.content.decode().count('role="img"') == 5


@pytest.mark.parametrize("count", [3, 30])
def test_the_department_summary_costs_the_same_queries(count, django_assert_num_queries):
    _departments_with_work(count)
    department = DepartmentFactory(code="mine")

    with django_assert_num_queries(8):
        build_dashboard(year=2026, department=department)


# --- the page ------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (URL, reverse("dashboard_export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("factory", "status"),
    [
        (StaffFactory, 403),
        (LeaderFactory, 403),
        (UserFactory, 403),
        (ReviewerFactory, 200),
        (AdministratorFactory, 200),
    ],
)
def test_only_the_general_office_and_administrators_see_the_dashboard(client, factory, status):
    client.force_login(factory())

    assert client.get(URL).status_code == status
    assert client.get(reverse("dashboard_export")).status_code == status


def test_the_page_shows_the_figures_of_the_chosen_year(client, city):
    client.force_login(ReviewerFactory())

    response = client.get(URL, {"year": 2026})

    text = response.content.decode()
    assert "2026年度政府协商工作督查统计" in text
    assert "2026年3月31日 23:59:59" in text
    board = response.context["board"]
    assert board.year == 2026
    assert tally_tuple(board.opinions.total.tally) == EXPECTED["opinions_total"]
    assert "75.0%" in text
    assert "合法性审查" in text  # the missing step, named
    assert 2026 in response.context["years"] and 2025 in response.context["years"]


def test_a_bad_year_shows_this_year_with_a_message(client, city):
    client.force_login(ReviewerFactory())

    response = client.get(URL, {"year": "20x6"})

    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert "年度“20x6”无效" in response.content.decode()
    assert client.get(reverse("dashboard_export"), {"year": "1"}).status_code == 400


def test_the_dashboard_is_linked_from_the_office_workbench_and_the_navigation(client):
    client.force_login(ReviewerFactory())

    text = client.get(reverse("workbench")).content.decode()

    assert text.count(f'href="{URL}"') == 2


def test_department_staff_get_no_link_to_the_dashboard(client):
    client.force_login(StaffFactory())

    assert f'href="{URL}"' not in client.get(reverse("workbench")).content.decode()


def test_empty_year_shows_empty_states(client):
    client.force_login(ReviewerFactory())

    text = client.get(URL, {"year": 2031}).content.decode()

    assert "2031年度还没有协商事项" in text
    assert "还没有收到意见" in text
    assert "没有阶段逾期、缺少法定程序或采纳情况逾期未公开的问题" in text


# --- the charts ---------------------------------------------------------------------------


def test_charts_are_accessible_inline_svg(client, city):
    client.force_login(ReviewerFactory())

    text = client.get(URL, {"year": 2026}).content.decode()

    svgs = re.findall(r"<svg[^>]*>", text)
    assert len(svgs) == 5
    for tag in svgs:
        assert 'role="img"' in tag
        ids = re.search(r'aria-labelledby="([^"]+)"', tag).group(1).split()
        for element_id in ids:
            assert f'id="{element_id}"' in text
    assert "<script" not in text.split("<main", 1)[1]
    assert "http://" not in "".join(re.findall(r"<svg.*?</svg>", text, re.S)).replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_a_department_name_with_markup_is_drawn_as_text(client):
    build_city(name_of_b='<script>alert("乙")</script>')
    client.force_login(ReviewerFactory())

    text = client.get(URL, {"year": 2026}).content.decode()

    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&quot;乙&quot;)&lt;/script&gt;" in text


def test_bar_chart_scales_to_whole_numbers_and_patterns_every_series():
    svg = charts.bar_chart(
        chart_id="chart-test",
        title="标题",
        description="说明",
        series=[charts.Series("甲"), charts.Series("乙")],
        bars=[charts.Bar("部门", [charts.Segment(3, "/a/?x=1&y=2"), charts.Segment(4)])],
    )

    assert '<pattern id="chart-test-p0"' in svg and '<pattern id="chart-test-p1"' in svg
    assert 'href="/a/?x=1&amp;y=2" tabindex="-1"' in svg
    assert ">7<" in svg  # the total after the bar
    assert re.findall(r'text-anchor="middle">(\d+)</text>', svg) == ["0", "2", "4", "6", "8"]


def test_chart_ids_must_be_slugs():
    with pytest.raises(ValueError, match="slugs"):
        charts.line_chart(chart_id='x" onload="alert(1)', title="", description="",
                          labels=[], lines=[])  # fmt: skip


def test_scale_has_at_most_five_whole_steps():
    assert charts.scale(0) == (1, 1)
    assert charts.scale(3) == (3, 1)
    assert charts.scale(7) == (8, 2)
    assert charts.scale(45) == (50, 10)
    assert charts.scale(101) == (150, 50)


def test_the_month_line_chart_links_each_month(client, city):
    client.force_login(ReviewerFactory())

    text = client.get(URL, {"year": 2026}).content.decode()

    months_svg = re.search(r'<svg[^>]*aria-labelledby="chart-months-title.*?</svg>', text, re.S)
    assert months_svg
    assert "month=2026-06" in months_svg.group(0)
    assert "6月3条" in months_svg.group(0)  # the description carries the numbers


def test_the_filing_chart_counts_by_kind_of_department(city):
    board = build_dashboard(year=2026)

    assert dict(board.filing.by_department_kind) == {
        "区市政府": {**dict.fromkeys(FilingState.LABELS, 0), "on_time": 1},
        "市政府部门": {**dict.fromkeys(FilingState.LABELS, 0), "late": 1, "returned": 1},
        "市直单位": {**dict.fromkeys(FilingState.LABELS, 0), "missing": 1},
    }


def test_now_is_used_for_everything_relative(city):
    long_after = build_dashboard(year=2026, now=timezone.now() + datetime.timedelta(days=2))

    # Two days on, B's period (closed 29 days ago) is overdue too.
    assert long_after.reports.total == 2
