"""A small city whose supervision figures were counted by hand, built through the services.

Four departments file catalogs for 2026 (A on time at the last second, B late at the next
instant, C returned, D missing) and the general office does not. Their 2026 matters, comment
periods and opinions are below, with what each figure must be written out in ``EXPECTED``.
Times that the page judges against the real clock (a stage overdue, a report overdue) are
far enough from it to hold whenever the suite runs; the edges are tested against a fixed
``now`` in the selector tests.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Department
from matters import services as matter_services
from matters.procedures import EVIDENCED_STEPS
from participation.models import Opinion
from participation.services import comments as comment_services
from participation.services.feedback import feedback_publish
from tests.factories import (
    DepartmentFactory,
    GeneralOfficeFactory,
    StaffFactory,
    make_matter,
    make_plan,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_SECOND = datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=SHANGHAI)
NEXT_INSTANT = datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=SHANGHAI)
PAST_DUE = datetime.date(2026, 5, 1)
FAR_DUE = datetime.date(2099, 12, 31)
PERIOD_START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
K = Department.Kind
S = matter_services
C = Opinion.Channel
D = Opinion.Disposition


def shanghai(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@dataclass
class City:
    a: Department
    b: Department
    c: Department
    d: Department
    staff: dict
    matters: dict
    periods: dict


def _step(matter, by, step_type, day=datetime.date(2026, 5, 10)):
    S.step_record(
        matter=matter,
        by=by,
        step_type=step_type,
        occurred_on=day,
        responsible_person="王丽",
        summary="已按规定完成。",
        # 专家论证 typed in before the portal held argumentations: still on record.
        evidenced=step_type in EVIDENCED_STEPS,
    )


def _advance(matter, by, times: int):
    for _n in range(times):
        matter = S.matter_advance_stage(matter=matter, by=by)
    return matter


def _period(matter, by, *, ends_at, title):
    if not matter.is_published:
        S.matter_publish(matter=matter, by=by)
    return comment_services.comment_period_open(
        matter=matter,
        by=by,
        title=title,
        starts_at=PERIOD_START,
        ends_at=ends_at,
        shortened_reason="按计划安排。",
        now=PERIOD_START - datetime.timedelta(days=1),
    )


def _online(period, day: datetime.datetime):
    return comment_services.opinion_submit(period=period, content="建议进一步明确标准。", now=day)


def _offline(period, by, channel, day: datetime.date):
    return comment_services.opinion_record(
        period=period, by=by, channel=channel, received_on=day, content="来信提出修改建议。"
    )


def _dispose(period, by, opinion, disposition):
    comment_services.opinions_dispose(
        period=period,
        by=by,
        opinion_ids=[opinion.pk],
        disposition=disposition,
        response="" if disposition == D.ADOPTED else "已研究，理由见说明。",
    )


def build_city(*, name_of_b: str = "青岛市乙局") -> City:
    now = timezone.now()
    GeneralOfficeFactory()
    a = DepartmentFactory(code="a", name="青岛市甲区", short_name="甲区", kind=K.DISTRICT,
                          sort_order=1)  # fmt: skip
    b = DepartmentFactory(code="b", name=name_of_b, short_name=name_of_b, sort_order=2)
    c = DepartmentFactory(code="c", name="青岛市丙局", short_name="丙局", sort_order=3)
    d = DepartmentFactory(code="d", name="青岛市丁中心", short_name="丁中心",
                          kind=K.AFFILIATED_UNIT, sort_order=4)  # fmt: skip
    staff = {
        code: StaffFactory(department=dept) for code, dept in zip("abcd", (a, b, c, d), strict=True)
    }

    # Catalog filing: on time to the last second, late from the next instant, returned, none.
    make_plan(department=a, by=staff["a"], status="submitted", submitted_at=LAST_SECOND)
    make_plan(department=b, by=staff["b"], status="submitted", submitted_at=NEXT_INSTANT)
    make_plan(department=c, by=staff["c"], status="returned",
              submitted_at=shanghai(2026, 3, 20, 9, 0))  # fmt: skip
    make_plan(department=d, by=staff["d"], year=2025, status="accepted",
              submitted_at=shanghai(2025, 3, 20, 9, 0))  # fmt: skip

    matters = {}
    # A: a legislative draft in review, overdue there; a key matter just started, not due.
    legislative = make_matter(department=a, by=staff["a"], kind="legislative",
                              title="甲区物业管理条例")  # fmt: skip
    legislative = _advance(legislative, staff["a"], 1)
    _step(legislative, staff["a"], "draft_publication")
    legislative = _advance(legislative, staff["a"], 1)
    legislative = S.matter_update(matter=legislative, by=staff["a"], stage_due_on=PAST_DUE)
    matters["a_legislative"] = legislative
    matters["a_key"] = make_matter(department=a, by=staff["a"], kind="key_matter",
                                   title="甲区老旧小区改造", stage_due_on=FAR_DUE)  # fmt: skip

    # B: a decision carried out, then listed as a major decision with no legality review on
    # record; and a major decision now in legality review (not missing anything yet).
    decided = make_matter(department=b, by=staff["b"], kind="decision", title="乙局收费调整")
    for step in ("public_participation", "expert_argumentation", "risk_assessment"):
        _step(decided, staff["b"], step)
    decided = _advance(decided, staff["b"], 5)  # to collective_decision
    _step(decided, staff["b"], "collective_decision")
    decided = _advance(decided, staff["b"], 1)  # to implementation
    decided = S.matter_update(matter=decided, by=staff["b"], is_major_decision=True)
    matters["b_decided"] = decided
    pending = make_matter(department=b, by=staff["b"], kind="decision", title="乙局规划方案",
                          is_major_decision=True)  # fmt: skip
    for step in ("public_participation", "expert_argumentation", "risk_assessment"):
        _step(pending, staff["b"], step)
    matters["b_pending"] = _advance(pending, staff["b"], 4)  # to legality_review

    # C: a budget in drafting; and last year's matter, overdue, which 2026 does not count.
    matters["c_budget"] = make_matter(department=c, by=staff["c"], kind="budget",
                                      title="丙局部门预算")  # fmt: skip
    matters["c_2025"] = make_matter(department=c, by=staff["c"], kind="budget", year=2025,
                                    title="丙局上年预算", planned_start=datetime.date(2025, 3, 1),
                                    planned_end=datetime.date(2025, 12, 31),
                                    stage_due_on=datetime.date(2025, 6, 1))  # fmt: skip

    periods = {}
    # A: closed 31 days ago, no report (overdue); online adopted + online not adopted (June),
    # a letter partly adopted (July).
    p = _period(legislative, staff["a"], ends_at=now - datetime.timedelta(days=31),
                title="甲区物业管理条例征求意见")  # fmt: skip
    _dispose(p, staff["a"], _online(p, shanghai(2026, 6, 2, 10, 0)), D.ADOPTED)
    _dispose(p, staff["a"], _online(p, shanghai(2026, 6, 2, 11, 0)), D.NOT_ADOPTED)
    _dispose(p, staff["a"], _offline(p, staff["a"], C.LETTER, datetime.date(2026, 7, 15)),
             D.PARTLY_ADOPTED)  # fmt: skip
    periods["a"] = p
    # B: closed 29 days ago, no report yet (not overdue); hotline out of scope (July), one
    # online not yet disposed of (June).
    p = _period(decided, staff["b"], ends_at=now - datetime.timedelta(days=29),
                title="乙局收费调整征求意见")  # fmt: skip
    _dispose(p, staff["b"], _offline(p, staff["b"], C.HOTLINE, datetime.date(2026, 7, 20)),
             D.OUT_OF_SCOPE)  # fmt: skip
    _online(p, shanghai(2026, 6, 3, 10, 0))
    periods["b"] = p
    # C: closed 40 days ago with its report published; a symposium opinion adopted (August).
    p = _period(matters["c_budget"], staff["c"], ends_at=now - datetime.timedelta(days=40),
                title="丙局部门预算征求意见")  # fmt: skip
    _dispose(p, staff["c"], _offline(p, staff["c"], C.SYMPOSIUM, datetime.date(2026, 8, 5)),
             D.ADOPTED)  # fmt: skip
    feedback_publish(period=p, by=staff["c"], summary="意见已全部采纳。")
    periods["c"] = p
    # Last year's matter: closed long ago without a report, not a 2026 figure.
    periods["c_2025"] = _period(matters["c_2025"], staff["c"],
                                ends_at=now - datetime.timedelta(days=100),
                                title="丙局上年预算征求意见")  # fmt: skip
    return City(a=a, b=b, c=c, d=d, staff=staff, matters=matters, periods=periods)


# Counted by hand from the story above: per department and city-wide.
EXPECTED = {
    "filing": {"a": "on_time", "b": "late", "c": "returned", "d": "missing"},
    "filing_counts": {"on_time": 1, "late": 1, "returned": 1, "missing": 1, "pending": 0},
    "matters": {
        "a": {"total": 2, "overdue": 1, "missing": 0,
              "stages": {("legislative", "review"): 1, ("key_matter", "topic_selection"): 1}},
        "b": {"total": 2, "overdue": 0, "missing": 1,
              "stages": {("decision", "implementation"): 1, ("decision", "legality_review"): 1}},
        "c": {"total": 1, "overdue": 0, "missing": 0, "stages": {("budget", "drafting"): 1}},
        "d": {"total": 0, "overdue": 0, "missing": 0, "stages": {}},
    },
    "matters_by_kind": {"legislative": 1, "decision": 2, "key_matter": 1, "budget": 1},
    "matters_total": {"total": 5, "overdue": 1, "missing": 1},
    "reports": {"a": 1, "b": 0, "c": 0, "d": 0},
    "reports_total": 1,
    # total, adopted, partly, not adopted, out of scope, undisposed, rate shown
    "opinions": {
        "a": (3, 1, 1, 1, 0, 0, "66.7%"),
        "b": (2, 0, 0, 0, 1, 1, "—"),
        "c": (1, 1, 0, 0, 0, 0, "100.0%"),
        "d": (0, 0, 0, 0, 0, 0, "—"),
    },
    "opinions_total": (6, 2, 1, 1, 1, 1, "75.0%"),
    "channels": {
        "a": {"online": 2, "letter": 1},
        "b": {"online": 1, "hotline": 1},
        "c": {"symposium": 1},
    },
    # channel: (count, rate shown)
    "channel_totals": {
        "online": (3, "50.0%"),
        "letter": (1, "100.0%"),
        "hotline": (1, "—"),
        "symposium": (1, "100.0%"),
    },
    "months": {6: 3, 7: 2, 8: 1},
}  # fmt: skip
