"""Ledger (台账) rows of expert argumentation: one function per thing that happened,
called by the services inside their transaction."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.dates import shown_date
from matters.events import record

from .models import Addressee, Argumentation, Expert, Solicitation


class Action(models.TextChoices):
    ARGUMENTATION_CREATED = "argumentation_created", pgettext_lazy("ledger", "组织专家论证")
    EXPERT_CHOSEN = "argumentation_expert_chosen", pgettext_lazy("ledger", "选定论证专家")
    EXPERT_DECLARED = "argumentation_expert_declared", pgettext_lazy("ledger", "专家回避声明")
    OPINION_ENTERED = "argumentation_opinion_entered", pgettext_lazy("ledger", "录入专家意见")
    ARGUMENTATION_COMPLETED = "argumentation_completed", pgettext_lazy("ledger", "专家论证完成")
    SOLICITATION_CREATED = "solicitation_created", pgettext_lazy("ledger", "拟写征求意见函")
    SOLICITATION_UPDATED = "solicitation_updated", pgettext_lazy("ledger", "修改征求意见函")
    ADDRESSEES_ADDED = "solicitation_addressees_added", pgettext_lazy("ledger", "选定征求意见对象")
    ADDRESSEE_REMOVED = (
        "solicitation_addressee_removed",
        pgettext_lazy("ledger", "移除征求意见对象"),
    )
    SOLICITATION_SENT = "solicitation_sent", pgettext_lazy("ledger", "发出征求意见函")
    ANSWER_PREPARED = "solicitation_answer_prepared", pgettext_lazy("ledger", "起草反馈意见")
    ANSWER_GIVEN = "solicitation_answer_given", pgettext_lazy("ledger", "反馈征求意见")
    ANSWER_DEEMED = "solicitation_answer_deemed", pgettext_lazy("ledger", "逾期视为无意见")
    SOLICITATION_CLOSED = "solicitation_closed", pgettext_lazy("ledger", "书面征求意见结束")


def _row(parent: Argumentation | Solicitation, *, action, summary, by, obj=None, after=None):
    """A row about an argumentation or a letter (or ``obj``, one of its parts), filed under
    its matter and summarised after the parent's title."""
    target = obj or parent
    return record(
        action=action,
        summary=f"{parent.title}：{summary}",
        department_id=parent.matter.department_id,
        object_type=target._meta.model_name,
        object_id=target.pk,
        actor=by,
        matter=parent.matter,
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


def _letter_fields(solicitation: Solicitation) -> dict:
    return {
        "reference_number": solicitation.reference_number,
        "deadline": solicitation.deadline.isoformat(),
        "deemed_no_opinion": solicitation.deemed_no_opinion,
        "draft": solicitation.draft.number if solicitation.draft else None,
    }


def solicitation_created(solicitation: Solicitation, *, by):
    return _row(
        solicitation,
        action=Action.SOLICITATION_CREATED,
        summary=_("拟写征求意见函，反馈截止日期%(date)s")
        % {"date": shown_date(solicitation.deadline)},
        by=by,
        after=_letter_fields(solicitation),
    )


def solicitation_updated(solicitation: Solicitation, *, by):
    return _row(
        solicitation,
        action=Action.SOLICITATION_UPDATED,
        summary=_("修改征求意见函，反馈截止日期%(date)s")
        % {"date": shown_date(solicitation.deadline)},
        by=by,
        after=_letter_fields(solicitation),
    )


def addressees_added(solicitation: Solicitation, *, by, addressees: list[Addressee]):
    role = addressees[0].get_role_display()
    return _row(
        solicitation,
        action=Action.ADDRESSEES_ADDED,
        summary=_("%(role)s%(n)d个单位和个人：%(names)s")
        % {
            "role": role,
            "n": len(addressees),
            "names": "、".join(a.name for a in addressees[:10])
            + ("……" if len(addressees) > 10 else ""),
        },
        by=by,
        after={"role": addressees[0].role, "addressees": [a.pk for a in addressees]},
    )


def addressee_removed(solicitation: Solicitation, *, by, addressee: Addressee):
    return _row(
        solicitation,
        action=Action.ADDRESSEE_REMOVED,
        summary=_("移除%(name)s") % {"name": addressee.name},
        by=by,
        after={"addressee": addressee.pk, "name": addressee.name},
    )


def solicitation_sent(solicitation: Solicitation, *, by, addressees: list[Addressee]):
    main = sum(1 for a in addressees if a.role == Addressee.Role.MAIN)
    return _row(
        solicitation,
        action=Action.SOLICITATION_SENT,
        summary=_("发出征求意见函（%(number)s），主送%(main)d个、抄送%(copy)d个，%(date)s前反馈")
        % {
            "number": solicitation.reference_number or _("无文号"),
            "main": main,
            "copy": len(addressees) - main,
            "date": shown_date(solicitation.deadline),
        },
        by=by,
        after={**_letter_fields(solicitation), "addressees": len(addressees)},
    )


def answer_prepared(solicitation: Solicitation, *, addressee: Addressee, by, items: int):
    return _row(
        solicitation,
        action=Action.ANSWER_PREPARED,
        summary=_("%(name)s起草反馈（%(answer)s，%(n)d条）")
        % {"name": addressee.name, "answer": addressee.get_answer_display(), "n": items},
        by=by,
        obj=addressee,
        after={"answer": addressee.answer, "items": items},
    )


def answer_given(solicitation: Solicitation, *, addressee: Addressee, by, previous, items):
    summary = _("%(name)s反馈：%(answer)s（%(via)s，%(signer)s签署）") % {
        "name": addressee.name,
        "answer": addressee.get_answer_display(),
        "via": addressee.get_via_display(),
        "signer": addressee.signer_name,
    }
    if items:
        summary += _("，%(n)d条意见登记入意见库") % {"n": len(items)}
    if addressee.is_late:
        summary += _("，逾期反馈")
    return _row(
        solicitation,
        action=Action.ANSWER_GIVEN,
        summary=summary,
        by=by,
        obj=addressee,
        after={
            "answer": addressee.answer,
            "via": addressee.via,
            "signer": addressee.signer_name,
            "late": addressee.is_late,
            "previous": previous,
            "opinions": [item.opinion_id for item in items],
        },
    )


def answer_deemed(solicitation: Solicitation, *, addressee: Addressee):
    return _row(
        solicitation,
        action=Action.ANSWER_DEEMED,
        summary=_("%(name)s截至%(date)s未反馈，视为无意见")
        % {"name": addressee.name, "date": shown_date(solicitation.deadline)},
        by=None,
        obj=addressee,
        after={"status": addressee.status},
    )


def solicitation_closed(solicitation: Solicitation, *, counts: dict[str, int]):
    return _row(
        solicitation,
        action=Action.SOLICITATION_CLOSED,
        summary=_(
            "书面征求意见结束：主送%(sent)d个，反馈%(answered)d个，视为无意见%(deemed)d个，"
            "逾期未反馈%(no_reply)d个"
        )
        % counts,
        by=None,
        after=counts,
    )
