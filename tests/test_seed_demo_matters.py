"""The demo consultation matters that `seed_demo` writes through the services."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from matters.demo import MATTERS, plan
from matters.models import DraftVersion, LedgerEntry, Matter, ProcedureStep, StageChange
from matters.procedures import Kind, procedure_for

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "matters": Matter.objects.count(),
        "steps": ProcedureStep.objects.count(),
        "stage_changes": StageChange.objects.count(),
        "drafts": DraftVersion.objects.count(),
        "ledger": LedgerEntry.objects.count(),
        "published": Matter.objects.filter(is_published=True).count(),
    }


@pytest.fixture
def seeded(capsys):
    call_command("seed_demo", "--quiet-logins")
    return capsys.readouterr().out


def test_seed_demo_twice_writes_nothing_twice(seeded, capsys):
    first = _counts()
    references = sorted(Matter.objects.values_list("reference", "title", "stage"))
    call_command("seed_demo", "--quiet-logins")
    assert _counts() == first
    assert sorted(Matter.objects.values_list("reference", "title", "stage")) == references


def test_seed_demo_reports_the_matters(seeded):
    assert f"演示协商事项：{Matter.objects.count()} 个。" in seeded


def test_there_are_enough_matters_of_every_kind(seeded):
    assert Matter.objects.count() >= 35
    assert set(Matter.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert Matter.objects.values("department").distinct().count() >= 20


def test_some_are_published_contested_major_and_sensitive(seeded):
    assert Matter.objects.filter(is_published=True).count() >= 10
    assert Matter.objects.filter(is_published=False).exists()
    assert Matter.objects.filter(is_contested=True).count() >= 3
    assert Matter.objects.filter(is_major_decision=True).count() >= 3
    assert Matter.objects.filter(affects_stability=True).exists()


def test_matters_reach_many_stages_the_procedure_allows(seeded):
    stages = set()
    for matter in Matter.objects.all():
        procedure = procedure_for(matter.kind)
        assert matter.stage in procedure.codes
        stages.add((matter.kind, matter.stage))
    assert len(stages) >= 20
    # A matter past its first stage got there by recorded advances.
    moved = Matter.objects.exclude(stage_changes=None)
    assert moved.count() >= 25


def test_the_examples_the_office_expects_are_there(seeded):
    expected = {
        ("《青岛市养老服务条例（草案）》", "mzj", Kind.LEGISLATIVE),
        ("2026年市级预算草案", "czj", Kind.BUDGET),
        ("城市更新中的老旧小区改造", "zjj", Kind.KEY_MATTER),
        ("青岛市住宅物业服务收费标准调整", "fgw", Kind.DECISION),
    }
    found = set(Matter.objects.values_list("title", "department__code", "kind"))
    assert expected <= found
    fees = Matter.objects.get(title="青岛市住宅物业服务收费标准调整")
    assert fees.is_major_decision and fees.is_contested


def test_no_step_is_dated_in_the_future(seeded):
    today = timezone.localdate()
    assert not ProcedureStep.objects.filter(occurred_on__gt=today).exists()


def test_every_matter_is_in_the_ledger_by_the_staff_of_its_department(seeded):
    for matter in Matter.objects.select_related("created_by"):
        assert matter.created_by.department_id == matter.department_id
        assert LedgerEntry.objects.filter(
            matter=matter, action=LedgerEntry.Action.MATTER_CREATED
        ).exists()


def test_a_withdrawn_matter_is_not_public_and_its_reason_is_kept(seeded):
    withdrawn = LedgerEntry.objects.filter(action=LedgerEntry.Action.MATTER_WITHDRAWN)
    assert withdrawn.exists()
    assert not withdrawn.first().matter.is_published


def test_the_plans_end_at_each_specs_stage():
    for spec in MATTERS:
        procedure = procedure_for(spec.kind)
        advances = sum(1 for action, _value in plan(spec) if action == "advance")
        assert advances == procedure.index(spec.stage), spec.title
