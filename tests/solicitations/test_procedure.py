"""专家论证 on the matter's record: only a completed argumentation puts it there (a typed
note is refused, and the manual step form does not offer it); the completed argumentation
satisfies the rule that a major decision is argued by experts before the collective
decision; a typed 专家论证 step recorded before the change still counts."""

import datetime

import pytest

from core.exceptions import TransitionError
from matters import services
from matters.forms import StepForm
from matters.models import Matter, ProcedureStep
from matters.procedures import EVIDENCED_STEPS, StepType
from tests.factories import StaffFactory, make_matter
from tests.solicitations.support import HELD_ON, completed_argumentation

pytestmark = pytest.mark.django_db

DAY = HELD_ON - datetime.timedelta(days=10)


@pytest.fixture
def staff():
    return StaffFactory()


def major_decision_at_legality_review(staff) -> Matter:
    """A major decision with every step but 专家论证 on record, in legality review."""
    matter = make_matter(by=staff, kind="decision", is_major_decision=True)
    for step_type in (StepType.PUBLIC_PARTICIPATION, StepType.RISK_ASSESSMENT):
        services.step_record(
            matter=matter,
            by=staff,
            step_type=step_type,
            occurred_on=DAY,
            responsible_person="王丽",
            summary="已按规定完成。",
        )
    while matter.stage != "legality_review":
        matter = services.matter_advance_stage(matter=matter, by=staff)
    services.step_record(
        matter=matter,
        by=staff,
        step_type=StepType.LEGALITY_REVIEW,
        occurred_on=DAY,
        responsible_person="王丽",
        summary="司法局出具合法性审查意见。",
    )
    return Matter.objects.get(pk=matter.pk)


def test_expert_argumentation_is_an_evidenced_step():
    assert StepType.EXPERT_ARGUMENTATION in EVIDENCED_STEPS
    assert "专家论证" in str(EVIDENCED_STEPS[StepType.EXPERT_ARGUMENTATION])


def test_a_typed_note_is_refused(staff):
    matter = make_matter(by=staff, kind="decision")
    with pytest.raises(TransitionError, match="“专家论证”中组织"):
        services.step_record(
            matter=matter,
            by=staff,
            step_type=StepType.EXPERT_ARGUMENTATION,
            occurred_on=DAY,
            responsible_person="王丽",
            summary="召开专家论证会。",
        )
    assert not matter.steps.exists()


def test_the_manual_step_form_does_not_offer_it():
    offered = {value for value, _label in StepForm().fields["step_type"].choices}
    assert StepType.EXPERT_ARGUMENTATION not in offered
    assert StepType.RISK_ASSESSMENT in offered


def test_a_completed_argumentation_lets_the_major_decision_go_to_collective_decision(staff):
    matter = major_decision_at_legality_review(staff)
    blockers = services.advance_blockers(matter)
    assert len(blockers) == 1 and "专家论证" in blockers[0]
    with pytest.raises(TransitionError, match="专家论证"):
        services.matter_advance_stage(matter=matter, by=staff)

    argumentation = completed_argumentation(matter, staff)

    matter = Matter.objects.get(pk=matter.pk)
    assert argumentation.step.step_type == StepType.EXPERT_ARGUMENTATION
    assert services.advance_blockers(matter) == []
    matter = services.matter_advance_stage(matter=matter, by=staff)
    assert matter.stage == "collective_decision"


def test_a_typed_step_recorded_before_the_change_still_counts(staff):
    matter = major_decision_at_legality_review(staff)
    # As the database holds it from before 专家论证 was held in the portal.
    ProcedureStep.objects.create(
        matter=matter,
        step_type=StepType.EXPERT_ARGUMENTATION,
        stage="expert_argumentation",
        occurred_on=DAY,
        responsible_person="王丽",
        summary="召开专家论证会，五位专家出具书面意见。",
        recorded_by=staff,
    )
    assert services.advance_blockers(matter) == []
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "collective_decision"
