"""The demo consultation matters that `seed_demo` writes through the services."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from annual_plans.models import AnnualPlan
from core import content_cache
from matters.demo import MATTERS, plan
from matters.models import (
    Document,
    DraftVersion,
    LedgerEntry,
    Matter,
    ProcedureStep,
    StageChange,
)
from matters.procedures import Kind, procedure_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each test seeds the whole demo


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
def seeded(capsys, monkeypatch):
    # Seeding saves thousands of rows, each bumping the content generation: run after run,
    # the count outpaces the millisecond clock a restarted generation begins from, and a
    # later test of the content cache finds a restart below the last value. Nothing here
    # reads a page cached before, and every test begins on a new generation (conftest).
    with monkeypatch.context() as patch:
        patch.setattr(content_cache, "bump_generation", lambda: None)
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


def test_every_matter_moves_through_its_stages_after_the_steps_and_before_now(seeded):
    now = timezone.now()
    moved = 0
    for matter in Matter.objects.prefetch_related("stage_changes", "steps"):
        changes = list(matter.stage_changes.order_by("pk"))
        times = [change.changed_at for change in changes]
        assert times == sorted(times), matter.title
        assert all(matter.created_at <= time <= now for time in times), matter.title
        assert matter.created_at <= now
        if changes:
            assert matter.stage_entered_at == changes[-1].changed_at
        for change in changes:
            # The steps recorded in the stage being left are what the move needed.
            needed = [s.occurred_on for s in matter.steps.all() if s.stage == change.from_stage]
            if needed:
                moved += 1
                assert timezone.localdate(change.changed_at) >= max(needed), (
                    matter.title,
                    change.to_stage,
                )
            # The steps recorded in the stage entered were done after it was entered.
            done = [s.occurred_on for s in matter.steps.all() if s.stage == change.to_stage]
            if done:
                assert timezone.localdate(change.changed_at) <= min(done), (
                    matter.title,
                    change.to_stage,
                )
        for step in matter.steps.all():
            assert step.created_at <= now
            assert timezone.localdate(step.created_at) >= step.occurred_on
    assert moved >= 25


def test_no_demo_time_is_on_the_day_of_seeding_or_later(seeded):
    today = timezone.localdate()
    for matter in Matter.objects.all():
        assert timezone.localdate(matter.created_at) < today, matter.title
        if matter.published_at:
            assert timezone.localdate(matter.published_at) < today, matter.title
    for change in StageChange.objects.all():
        assert timezone.localdate(change.changed_at) < today
    for draft in DraftVersion.objects.exclude(published_at=None):
        assert draft.created_at <= draft.published_at
        assert timezone.localdate(draft.published_at) < today


def test_every_published_matter_has_a_public_document(seeded):
    published = Matter.objects.filter(published_at__isnull=False)
    assert published.count() >= 10
    for matter in published:
        documents = Document.objects.filter(matter=matter, is_public=True, is_removed=False)
        assert documents.exists(), matter.title
        document = documents.first()
        assert document.extension == "pdf"
        assert document.file.read(5) == b"%PDF-"
        assert document.uploaded_at <= matter.published_at


def test_every_filed_catalog_was_signed_off_before_it_was_filed(seeded):
    # A returned catalog loses its sign-off: it is signed again when it is filed again.
    filed = AnnualPlan.objects.exclude(submitted_at=None).exclude(status=AnnualPlan.Status.RETURNED)
    assert filed.count() >= 10
    for catalog in filed:
        assert catalog.signed_off_at is not None, catalog
        assert catalog.signed_off_at < catalog.submitted_at, catalog
        assert catalog.signed_off_at < catalog.first_submitted_at, catalog


def test_a_published_matter_page_shows_its_document(seeded, client):
    matter = Matter.objects.filter(is_published=True).exclude(documents=None).first()
    document = matter.documents.get()
    response = client.get(reverse("matters:public_detail", args=[matter.pk]))
    assert response.status_code == 200
    assert document.title in response.content.decode()
    download = client.get(reverse("matters:document_download", args=[document.pk]))
    assert download.status_code == 200
