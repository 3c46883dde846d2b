"""The demo year of suggestions and proposals: at least 40 items of both kinds in every
state, built through the services, and the same after a second run."""

import pytest
from django.core.management import call_command

from matters.models import LedgerEntry
from proposals.models import Extension, Proposal, Reply

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds the whole demo


def test_the_demo_has_a_year_of_items_in_every_state(capsys):
    call_command("seed_demo", quiet_logins=True)
    items = Proposal.objects.filter(year=2026)
    assert items.count() >= 40
    assert set(items.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert set(items.values_list("kind", flat=True)) == set(Proposal.Kind.values)
    assert set(Extension.objects.values_list("status", flat=True)) == set(Extension.Status.values)
    # Returned and reassigned, and returned awaiting reassignment.
    assert items.filter(assignments__outcome="returned").distinct().count() >= 3
    assert items.filter(status="returned").exists()
    # 不满意 opens a second round; one of them has been replied again.
    assert items.filter(satisfaction="dissatisfied", round=2).exists()
    assert Reply.objects.filter(round=2, status="sent").exists()
    assert items.filter(status="handling", contacts__isnull=False).exists()
    assert len(set(items.exclude(verdict="").values_list("verdict", flat=True))) >= 4
    assert items.filter(is_key=True).exclude(leading_leader="").exists()
    assert items.filter(is_public=True).count() > items.count() * 3 / 4
    assert "演示建议提案" in capsys.readouterr().out


def test_a_second_run_changes_nothing(capsys):
    call_command("seed_demo", quiet_logins=True)
    before = (Proposal.objects.count(), LedgerEntry.objects.count(), Reply.objects.count())
    call_command("seed_demo", quiet_logins=True)
    assert (Proposal.objects.count(), LedgerEntry.objects.count(), Reply.objects.count()) == before
