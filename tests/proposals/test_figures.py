"""The year's figures (办理情况统计): their arithmetic, and that every figure counts exactly
the items of the list it links to."""

import datetime

import pytest

from proposals import services
from proposals.models import Proposal
from proposals.selectors import FIGURES, figures, proposals_for_figure, share
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_proposal,
)

from .test_services import at, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_items(django_capture_on_commit_callbacks):
    """Two departments' year: returned and reassigned, late, classes, ratings, rounds."""
    office = ReviewerFactory()
    a = DepartmentFactory(name="青岛市民政局", code="mzj", sort_order=1)
    b = DepartmentFactory(name="青岛市教育局", code="jyj", sort_order=2)
    staff = {a: StaffFactory(department=a), b: StaffFactory(department=b)}
    leader = {a: LeaderFactory(department=a), b: LeaderFactory(department=b)}

    def handle(department, *, sign_on, reply_on=None, reply_class="A", rating=None):
        proposal = make_proposal(by=office)
        services.proposal_assign(proposal, by=office, department=department, now=at(2026, 3, 2))
        services.proposal_sign_for(proposal, by=staff[department], now=sign_on)
        if reply_on is None:
            return proposal
        services.contact_record(
            proposal,
            by=staff[department],
            contacted_on=datetime.date(2026, 3, 20),
            method="phone",
            note="电话沟通",
            now=at(2026, 3, 20),
        )
        reply = services.reply_save(
            proposal,
            by=staff[department],
            document_number="文号",
            body="答复",
            reply_class=reply_class,
            contact_person="联系人",
            contact_phone="0532-1",
            now=reply_on,
        )
        services.reply_sign_off(reply, by=leader[department], now=reply_on)
        with django_capture_on_commit_callbacks(execute=True):
            services.reply_send(reply, by=staff[department], now=reply_on)
        if rating:
            services.rating_submit(
                token_of(reply.ratings.get()), result=rating, now=reply_on + datetime.timedelta(1)
            )
        proposal.refresh_from_db()
        return proposal

    # Department A: window of 2 March 2026 ends 11 March.
    handle(a, sign_on=at(2026, 3, 5), reply_on=at(2026, 5, 20), reply_class="A", rating="satisfied")
    handle(
        a,
        sign_on=at(2026, 3, 5),
        reply_on=at(2026, 5, 25),
        reply_class="B",
        rating="basically_satisfied",
    )
    late = handle(
        a,
        sign_on=at(2026, 3, 12),
        reply_on=at(2026, 6, 10),
        reply_class="C",
        rating="dissatisfied",
    )
    overdue = handle(a, sign_on=at(2026, 3, 6))
    # Returned by B, reassigned to A: one assignment each.
    moved = make_proposal(by=office)
    services.proposal_assign(moved, by=office, department=b, now=at(2026, 3, 2))
    services.proposal_return(moved, by=staff[b], reason="职责不符", now=at(2026, 3, 3))
    services.proposal_assign(moved, by=office, department=a, now=at(2026, 3, 4))
    # Department B: one replied on time, evaluated.
    done = handle(b, sign_on=at(2026, 3, 3), reply_on=at(2026, 4, 1), reply_class="A")
    services.evaluation_record(
        done,
        by=office,
        verdict="completed",
        panel="青岛市社科院",
        evaluated_on=datetime.date(2026, 11, 1),
        now=at(2026, 11, 2),
    )
    return {"a": a, "b": b, "late": late, "overdue": overdue, "moved": moved, "done": done}


TODAY = datetime.date(2026, 7, 1)


def test_the_figures_of_each_department_and_the_city(year_of_items):
    rows, city = figures(2026, today=TODAY)
    a, b = rows
    assert a.department == year_of_items["a"] and b.department == year_of_items["b"]
    assert (a["assigned"], a["signed_on_time"], a["signed_late"], a["returned"]) == (5, 3, 1, 0)
    assert (b["assigned"], b["signed_on_time"], b["returned"]) == (2, 1, 1)
    assert (a["replied"], a["replied_on_time"], a["replied_late"]) == (3, 2, 1)
    # Due 2 June and 4 June, neither replied by 1 July (one not even signed for).
    assert a["overdue"] == 2
    assert (a["class_a"], a["class_b"], a["class_c"]) == (1, 1, 1)
    assert a.class_a_share == 33.3
    assert (a["rated"], a["satisfied"], a["dissatisfied"]) == (3, 2, 1)
    assert a.satisfied_share == 66.7
    assert a["second_round"] == 1  # the dissatisfied one
    assert a.on_time_share == 66.7
    assert b["verdict_completed"] == 1 and a["verdict_completed"] == 0
    # The city counts the reassigned item once.
    assert city["assigned"] == 6
    assert city["returned"] == 1
    assert city["replied"] == 4


def test_every_figure_counts_the_items_of_its_list(year_of_items):
    rows, city = figures(2026, today=TODAY)
    every = Proposal.objects.all()
    for row in rows:
        for key in FIGURES:
            listed = proposals_for_figure(every, key, department_id=row.department.pk, today=TODAY)
            assert listed.count() == row[key], (row.department, key)
    for key in FIGURES:
        assert proposals_for_figure(every, key, today=TODAY).count() == city[key], key


def test_a_share_of_nothing_is_no_share():
    assert share(0, 0) is None
    assert share(1, 3) == 33.3


def test_a_year_without_items_has_no_rows(db):
    assert figures(2019) == ([], figures(2019)[1])
    assert figures(2019)[1]["assigned"] == 0
