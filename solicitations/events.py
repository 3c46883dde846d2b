"""Ledger (台账) rows of expert argumentation: one function per thing that happened,
called by the services inside their transaction."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.dates import shown_date
from matters.events import record

from .models import Argumentation, Expert


class Action(models.TextChoices):
    ARGUMENTATION_CREATED = "argumentation_created", pgettext_lazy("ledger", "组织专家论证")
    EXPERT_CHOSEN = "argumentation_expert_chosen", pgettext_lazy("ledger", "选定论证专家")
    EXPERT_DECLARED = "argumentation_expert_declared", pgettext_lazy("ledger", "专家回避声明")
    OPINION_ENTERED = "argumentation_opinion_entered", pgettext_lazy("ledger", "录入专家意见")
    ARGUMENTATION_COMPLETED = "argumentation_completed", pgettext_lazy("ledger", "专家论证完成")


def _row(argumentation: Argumentation, *, action, summary, by, obj=None, after=None):
    target = obj or argumentation
    return record(
        action=action,
        summary=f"{argumentation.title}：{summary}",
        department_id=argumentation.matter.department_id,
        object_type=target._meta.model_name,
        object_id=target.pk,
        actor=by,
        matter=argumentation.matter,
        after=after,
    )


def argumentation_created(argumentation: Argumentation, *, by):
    return _row(
        argumentation,
        action=Action.ARGUMENTATION_CREATED,
        summary=_("组织%(form)s，论证日期%(date)s")
        % {"form": argumentation.get_form_display(), "date": shown_date(argumentation.held_on)},
        by=by,
        after={
            "form": argumentation.form,
            "held_on": argumentation.held_on.isoformat(),
            "draft": argumentation.draft.number if argumentation.draft else None,
        },
    )


def expert_chosen(expert: Expert, *, by):
    return _row(
        expert.argumentation,
        action=Action.EXPERT_CHOSEN,
        summary=_("选定专家%(name)s（%(affiliation)s）")
        % {"name": expert.name, "affiliation": expert.affiliation or _("无单位")},
        by=by,
        obj=expert,
        after={"participant": expert.participant_id, "name": expert.name},
    )


def expert_declared(expert: Expert, *, by):
    return _row(
        expert.argumentation,
        action=Action.EXPERT_DECLARED,
        summary=_("%(name)s声明：%(declaration)s")
        % {"name": expert.name, "declaration": expert.get_declaration_display()},
        by=by,
        obj=expert,
        after={"declaration": expert.declaration, "note": expert.conflict_note},
    )


def opinion_entered(expert: Expert, *, by):
    return _row(
        expert.argumentation,
        action=Action.OPINION_ENTERED,
        summary=_("录入%(name)s的论证意见（%(conclusion)s，%(date)s签名）")
        % {
            "name": expert.name,
            "conclusion": expert.get_conclusion_display(),
            "date": shown_date(expert.signed_on),
        },
        by=by,
        obj=expert,
        after={"conclusion": expert.conclusion, "signed_on": expert.signed_on.isoformat()},
    )


def argumentation_completed(argumentation: Argumentation, *, by, experts: int):
    return _row(
        argumentation,
        action=Action.ARGUMENTATION_COMPLETED,
        summary=_("论证完成，%(n)d位专家出具意见，专家组结论：%(conclusion)s")
        % {"n": experts, "conclusion": argumentation.get_conclusion_display()},
        by=by,
        after={"conclusion": argumentation.conclusion, "experts": experts},
    )
