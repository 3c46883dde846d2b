"""Two people acting on one item at once: the row lock lets one win and the other is told;
one change, one ledger row. A rating link used twice at once records one rating.

Threads need PostgreSQL's row locks (SQLite locks the whole file).
"""

import datetime
import time

import pytest
from django.db.models import Max

from matters.models import LedgerEntry
from proposals import events, services
from proposals.models import Proposal, Rating
from tests.annual_plans.test_concurrency import HOLD, race
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_proposal,
)

from .test_services import at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def hold_the_lock(monkeypatch, *names):
    """The named ledger events sleep first, so the winner keeps its row lock while the
    loser reaches ``select_for_update``."""
    for name in names:
        original = getattr(events, name)

        def slow(*args, _original=original, **kwargs):
            time.sleep(HOLD)
            return _original(*args, **kwargs)

        monkeypatch.setattr(events, name, slow)


def ledger_since(mark):
    return list(
        LedgerEntry.objects.filter(pk__gt=mark).order_by("pk").values_list("action", flat=True)
    )


def test_sign_for_and_return_at_once(monkeypatch):
    office = ReviewerFactory()
    lead = DepartmentFactory(name="青岛市民政局", code="mzj")
    first, second = StaffFactory(department=lead), StaffFactory(department=lead)
    proposal = make_proposal(by=office)
    services.proposal_assign(proposal, by=office, department=lead, now=at(2026, 6, 1))
    hold_the_lock(monkeypatch, "proposal_signed_for", "proposal_returned")
    mark = LedgerEntry.objects.aggregate(last=Max("pk"))["last"]

    winner, _loser, _outcomes = race(
        sign=lambda: services.proposal_sign_for(proposal, by=first, now=at(2026, 6, 2)),
        ret=lambda: services.proposal_return(
            proposal, by=second, reason="不属于本单位职责", now=at(2026, 6, 2)
        ),
    )

    proposal.refresh_from_db()
    if winner == "sign":
        assert proposal.status == Proposal.Status.HANDLING
        assert ledger_since(mark) == ["proposal_signed_for"]
    else:
        assert proposal.status == Proposal.Status.RETURNED
        assert ledger_since(mark) == ["proposal_returned"]
    assert proposal.assignments.count() == 1


def test_one_rating_link_submitted_twice_at_once_records_one_rating(monkeypatch):
    office = ReviewerFactory()
    lead = DepartmentFactory(name="青岛市民政局", code="mzj")
    staff, leader = StaffFactory(department=lead), LeaderFactory(department=lead)
    proposal = make_proposal(by=office)
    services.proposal_assign(proposal, by=office, department=lead, now=at(2026, 6, 1))
    services.proposal_sign_for(proposal, by=staff, now=at(2026, 6, 2))
    services.contact_record(
        proposal,
        by=staff,
        contacted_on=datetime.date(2026, 6, 3),
        method="phone",
        note="电话沟通",
        now=at(2026, 6, 3),
    )
    reply = services.reply_save(
        proposal,
        by=staff,
        document_number="青民建字〔2026〕1号",
        body="答复",
        reply_class="A",
        contact_person="李明",
        contact_phone="0532-1",
        now=at(2026, 6, 4),
    )
    services.reply_sign_off(reply, by=leader)
    services.reply_send(reply, by=staff, now=at(2026, 6, 5))
    # The token only ever travels in the e-mail; give the rating a known one.
    token = "a-known-token-for-the-race-0123456789"
    Rating.objects.filter(reply=reply).update(token_hash=services.tokens.token_hash(token))
    hold_the_lock(monkeypatch, "proposal_rated")

    race(
        one=lambda: services.rating_submit(token, result="satisfied", now=at(2026, 6, 6)),
        two=lambda: services.rating_submit(token, result="dissatisfied", now=at(2026, 6, 6)),
    )

    rating = Rating.objects.get(reply=reply)
    assert rating.result in ("satisfied", "dissatisfied")
    assert LedgerEntry.objects.filter(action="proposal_rated").count() == 1
