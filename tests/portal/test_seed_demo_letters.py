"""The demo's letters of solicitation: every demo matter's 书面征求意见 and 征求党外人士意见
step comes from a letter sent from the portal and closed after its deadline — bodies'
answers drafted by their staff and signed by their leaders, a silent district deemed to
have no opinion, a democratic party's answer behind 征求党外人士意见 — and the elderly-care
round holds a letter still running; a second run changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from matters.models import ProcedureStep
from matters.procedures import StepType
from participation.demo import ELDERLY_CARE
from participation.models import Opinion
from solicitations.models import Addressee, Solicitation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds the whole demo

A = Addressee.Status


def _snapshot():
    return (
        sorted(Solicitation.objects.values_list("matter__title", "title", "status", "step")),
        sorted(Addressee.objects.values_list("solicitation__title", "name", "status", "via")),
        ProcedureStep.objects.filter(
            step_type__in=[StepType.WRITTEN_SOLICITATION, StepType.NON_PARTY_CONSULTATION]
        ).count(),
        Opinion.objects.filter(channel=Opinion.Channel.WRITTEN).count(),
    )


def test_the_demo_letters():
    call_command("seed_demo", "--quiet-logins")

    written = ProcedureStep.objects.filter(step_type=StepType.WRITTEN_SOLICITATION)
    assert written.count() >= 5
    for step in written.select_related("solicitation"):
        letter = step.solicitation  # every one comes from a letter
        assert letter.status == Solicitation.Status.CLOSED
        assert step.occurred_on == letter.deadline < timezone.localdate(letter.closed_at)
        statuses = set(letter.addressees.values_list("status", flat=True))
        assert A.ANSWERED in statuses and A.OUTSTANDING not in statuses
    non_party = ProcedureStep.objects.filter(step_type=StepType.NON_PARTY_CONSULTATION)
    assert non_party.exists()
    for step in non_party.select_related("non_party_solicitation"):
        answered = step.non_party_solicitation.addressees.filter(status=A.ANSWERED)
        assert {a.category for a in answered} & Addressee.NON_PARTY_CATEGORIES
    assert Addressee.objects.filter(status=A.DEEMED).exists()
    for addressee in Addressee.objects.filter(via=Addressee.Via.BODY).select_related("signed_by"):
        assert addressee.signed_by.department_id == addressee.department_id
        assert addressee.prepared_by.department_id == addressee.department_id
    # Answers with opinions joined their round's register.
    assert Opinion.objects.filter(channel=Opinion.Channel.WRITTEN).exists()

    # The elderly-care round, still open for public comment, holds a letter still running.
    running = Solicitation.objects.get(matter__title=ELDERLY_CARE, status=Solicitation.Status.SENT)
    assert running.deadline > timezone.localdate()
    assert running.period.ends_at > timezone.now()
    assert running.period.opinions.filter(channel=Opinion.Channel.ONLINE).exists()
    statuses = list(running.addressees.values_list("status", flat=True))
    assert A.ANSWERED in statuses and A.OUTSTANDING in statuses

    before = _snapshot()
    call_command("seed_demo", "--quiet-logins")
    assert _snapshot() == before
