"""The demo's expert argumentations: every demo matter's 专家论证 step is a completed
argumentation held in the portal — registry experts, one of them recused, three signed
opinions — whose 专家论证意见 renders; a second run changes nothing."""

from io import BytesIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from matters.models import ProcedureStep
from matters.procedures import StepType
from participation.models import Participant
from solicitations.models import Argumentation, Expert
from solicitations.pdf import argumentation_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds the whole demo


def _snapshot():
    return (
        sorted(Argumentation.objects.values_list("matter__title", "title", "status", "step")),
        sorted(Expert.objects.values_list("argumentation__title", "name", "declaration")),
        ProcedureStep.objects.filter(step_type=StepType.EXPERT_ARGUMENTATION).count(),
    )


def test_the_demo_argumentations(capsys):
    call_command("seed_demo", "--quiet-logins")
    assert "演示专家论证" in capsys.readouterr().out
    steps = ProcedureStep.objects.filter(step_type=StepType.EXPERT_ARGUMENTATION)
    assert steps.exists()
    for step in steps.select_related("argumentation"):
        argumentation = step.argumentation  # every one comes from an argumentation
        assert argumentation.status == Argumentation.Status.COMPLETED
        assert argumentation.held_on == step.occurred_on
        experts = list(argumentation.experts.select_related("participant"))
        assert 3 <= len(experts) <= 5
        assert all(e.participant.category == Participant.Category.EXPERT for e in experts)
        assert sum(e.is_recused for e in experts) == 1
        assert sum(e.has_opinion for e in experts) == len(experts) - 1
    first = Argumentation.objects.order_by("pk").first()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(argumentation_pdf(first))).pages)
    assert "专家论证意见" in text and "专家组结论" in text

    before = _snapshot()
    call_command("seed_demo", "--quiet-logins")
    assert _snapshot() == before
