"""The demo's letters of solicitation (``solicitations.demo``): the evidence hooks
``matters.demo`` calls for 书面征求意见 and 征求党外人士意见 send a real letter through the
services, have the addressed bodies' staff draft and their leaders sign, people answer by
link or on paper, and close it after its deadline, which puts the steps on record."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from accounts import demo as accounts_demo
from accounts.roles import Role
from matters import services
from matters.procedures import StepType
from participation.models import Opinion
from solicitations import demo as solicitations_demo
from solicitations.models import Addressee, AnswerItem, Solicitation
from tests.factories import make_matter

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
THEN = datetime.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)
DAY = datetime.date(2026, 3, 20)
A = Addressee.Status


@pytest.fixture
def users():
    departments = accounts_demo.seed_departments()
    return {user.username: user for user in accounts_demo.seed_users(departments)}


def published(by, **fields):
    matter = make_matter(by=by, now=THEN, **{"kind": "legislative", **fields})
    return services.matter_publish(matter=matter, by=by, now=THEN + datetime.timedelta(hours=1))


def hook(source, matter, by):
    return source(
        matter=matter,
        by=by,
        occurred_on=DAY,
        now=datetime.datetime.combine(DAY, datetime.time(17), tzinfo=SHANGHAI),
    )


def test_solicit_records_the_written_solicitation_from_a_closed_letter(users):
    staff = users["hyfzj_songtao"]  # 市海洋发展局
    matter = published(staff)

    step = hook(solicitations_demo.solicit, matter, staff)

    assert (step.step_type, step.occurred_on, step.stage) == (
        StepType.WRITTEN_SOLICITATION,
        DAY,
        matter.stage,
    )
    letter = step.solicitation
    assert letter.status == Solicitation.Status.CLOSED
    assert (letter.sent_by, letter.deadline) == (staff, DAY)
    assert letter.closed_at > datetime.datetime.combine(
        DAY + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI
    )
    addressees = list(letter.addressees.select_related("signed_by", "prepared_by"))
    assert Counter(a.status for a in addressees) == {A.ANSWERED: 5, A.DEEMED: 1}
    assert not any(a.is_late for a in addressees)
    assert {a.via for a in addressees if a.status == A.ANSWERED} == set(Addressee.Via.values)
    for addressee in addressees:
        assert addressee.department_id != matter.department_id
        if addressee.via == Addressee.Via.BODY:
            # Drafted by the body's staff, signed by its leader.
            assert addressee.prepared_by.department_id == addressee.department_id
            assert addressee.signed_by.department_id == addressee.department_id
            assert Role.DEPARTMENT_LEADER in addressee.signed_by.roles
    # Not a non-party matter: no democratic party is asked, no 征求党外人士意见 recorded.
    assert not any(a.category in Addressee.NON_PARTY_CATEGORIES for a in addressees)
    assert letter.non_party_step is None
    # The written opinions are in the round's register, disposed of, and the round's
    # report is out (it ended long before today).
    items = AnswerItem.objects.filter(addressee__solicitation=letter)
    opinions = Opinion.objects.filter(period=letter.period, channel=Opinion.Channel.WRITTEN)
    assert opinions.count() == items.count() >= 3
    assert not opinions.filter(disposition="").exists()
    assert letter.period.report_published_at is not None


def test_a_non_party_matters_letter_also_records_the_non_party_consultation(users):
    staff = users["hyfzj_songtao"]
    matter = published(staff, seeks_non_party_opinions=True)

    step = hook(solicitations_demo.solicit, matter, staff)

    letter = step.solicitation
    non_party = letter.non_party_step
    assert non_party.step_type == StepType.NON_PARTY_CONSULTATION
    answered = {
        a.name
        for a in letter.addressees.filter(status=A.ANSWERED)
        if a.category in Addressee.NON_PARTY_CATEGORIES
    }
    assert answered == {"民建青岛市委", "青岛市工商业联合会"}
    assert non_party.occurred_on <= DAY
    # Before the decision stage the non-party hook finds it and sends nothing more.
    assert hook(solicitations_demo.solicit_non_party, matter, staff) == non_party
    assert Solicitation.objects.filter(matter=matter).count() == 1


def test_solicit_non_party_writes_to_non_party_addressees_only(users):
    staff = users["jtj_hanxue"]  # 市交通运输局
    matter = published(staff, kind="decision", seeks_non_party_opinions=True)

    step = hook(solicitations_demo.solicit_non_party, matter, staff)

    assert step.step_type == StepType.NON_PARTY_CONSULTATION
    letter = step.non_party_solicitation
    assert letter.status == Solicitation.Status.CLOSED
    categories = set(letter.addressees.values_list("category", flat=True))
    assert categories <= Addressee.NON_PARTY_CATEGORIES
    # A letter answered is a written solicitation as well.
    assert letter.step.step_type == StepType.WRITTEN_SOLICITATION


def test_a_matter_whose_round_participation_opens_gets_no_letter_from_the_hook(users):
    staff = users["mzj_liuyang"]
    matter = published(staff, title=solicitations_demo.ELDERLY_CARE)

    assert hook(solicitations_demo.solicit, matter, staff) is None
    assert not Solicitation.objects.exists()


def test_a_letter_needs_a_public_matter(users):
    staff = users["hyfzj_songtao"]
    matter = make_matter(by=staff, kind="legislative", now=THEN)

    with pytest.raises(ValueError, match="publish the matter first"):
        hook(solicitations_demo.solicit, matter, staff)
