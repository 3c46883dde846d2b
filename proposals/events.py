"""Ledger (台账) rows of suggestions and proposals: one function per thing that happened,
called by the services inside their transaction, written into the one ledger."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import Department
from core.dates import shown_date
from matters.events import ledger_value, record

from .models import Assignment, Contact, Evaluation, Extension, Proposal, Rating, Reply


class Action(models.TextChoices):
    PROPOSAL_REGISTERED = "proposal_registered", pgettext_lazy("ledger", "登记建议提案")
    PROPOSAL_EDITED = "proposal_edited", pgettext_lazy("ledger", "修改建议提案")
    PROPOSAL_ASSIGNED = "proposal_assigned", pgettext_lazy("ledger", "交办建议提案")
    PROPOSAL_SIGNED_FOR = "proposal_signed_for", pgettext_lazy("ledger", "签收建议提案")
    PROPOSAL_RETURNED = "proposal_returned", pgettext_lazy("ledger", "退回建议提案")
    ATTACHMENT_ADDED = "proposal_attachment_added", pgettext_lazy("ledger", "上传建议提案附件")
    CONTACT_RECORDED = "proposal_contact_recorded", pgettext_lazy("ledger", "记录沟通联系")
    CO_OPINION_SUBMITTED = "proposal_co_opinion", pgettext_lazy("ledger", "提交协办意见")
    EXTENSION_REQUESTED = "proposal_extension_requested", pgettext_lazy("ledger", "申请延期")
    EXTENSION_APPROVED = "proposal_extension_approved", pgettext_lazy("ledger", "同意延期")
    EXTENSION_REFUSED = "proposal_extension_refused", pgettext_lazy("ledger", "不同意延期")
    REPLY_DRAFTED = "proposal_reply_drafted", pgettext_lazy("ledger", "拟定答复")
    REPLY_EDITED = "proposal_reply_edited", pgettext_lazy("ledger", "修改答复")
    REPLY_SIGNED_OFF = "proposal_reply_signed_off", pgettext_lazy("ledger", "审签答复")
    REPLY_COUNTERSIGNED = "proposal_reply_countersigned", pgettext_lazy("ledger", "会签答复")
    REPLY_SENT = "proposal_reply_sent", pgettext_lazy("ledger", "发出答复")
    REPLY_DELIVERED = "proposal_reply_delivered", pgettext_lazy("ledger", "答复送达")
    PROPOSAL_RATED = "proposal_rated", pgettext_lazy("ledger", "满意度测评")
    SECOND_ROUND_OPENED = "proposal_second_round", pgettext_lazy("ledger", "启动二次办理")
    FURTHER_ROUND_ALLOWED = "proposal_further_round", pgettext_lazy("ledger", "决定再次办理")
    PROPOSAL_CLOSED = "proposal_closed", pgettext_lazy("ledger", "办结建议提案")
    PROPOSAL_EVALUATED = "proposal_evaluated", pgettext_lazy("ledger", "第三方评估")


def _row(proposal: Proposal, *, action, summary, by, obj=None, before=None, after=None):
    department_id = proposal.lead_department_id or getattr(by, "department_id", None)
    target = obj or proposal
    return record(
        action=action,
        summary=f"{proposal.reference}：{summary}",
        department_id=department_id,
        object_type=target._meta.model_name,
        object_id=target.pk,
        actor=by,
        before=before,
        after={key: ledger_value(value) for key, value in (after or {}).items()},
    )


def snapshot(proposal: Proposal) -> dict:
    return {
        "kind": proposal.kind,
        "year": proposal.year,
        "number": proposal.number,
        "session": proposal.session,
        "source": proposal.source,
        "title": proposal.title,
        "policy_area": proposal.policy_area_id,
        "is_public": proposal.is_public,
        "is_key": proposal.is_key,
        "leading_leader": proposal.leading_leader,
        "authors": [
            f"{author.participant.name}（{author.get_role_display()}）"
            for author in proposal.authors.select_related("participant")
        ],
    }


def proposal_registered(proposal: Proposal, *, by, imported: bool = False):
    how = _("（由名单导入）") if imported else ""
    return _row(
        proposal,
        action=Action.PROPOSAL_REGISTERED,
        summary=_("登记“%(title)s”%(how)s") % {"title": proposal.title, "how": how},
        by=by,
        after=snapshot(proposal),
    )


def proposal_edited(proposal: Proposal, *, by, before: dict, after: dict):
    return _row(
        proposal,
        action=Action.PROPOSAL_EDITED,
        summary=_("修改登记信息"),
        by=by,
        before=before,
        after=after,
    )


def _codes(co_departments: list[dict]) -> list[str]:
    ids = [entry["department"] for entry in co_departments]
    codes = dict(Department.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [codes[pk] for pk in ids if pk in codes]


def proposal_assigned(proposal: Proposal, assignment: Assignment, *, by, co_names: list[str]):
    summary = _("交办%(department)s主办，%(due)s前答复") % {
        "department": assignment.department.name,
        "due": shown_date(assignment.due_date),
    }
    if co_names:
        summary += _("，协办：%(names)s") % {"names": "、".join(co_names)}
    return _row(
        proposal,
        action=Action.PROPOSAL_ASSIGNED,
        summary=summary,
        by=by,
        obj=assignment,
        after={
            # Department codes, as every ledger row names departments (the ledger page
            # shows their names); the roles are in the summary.
            "department": assignment.department.code,
            "co_departments": _codes(assignment.co_departments),
            "sign_for_deadline": assignment.sign_for_deadline,
            "due_date": assignment.due_date,
            "is_key": proposal.is_key,
            "leading_leader": proposal.leading_leader,
        },
    )


def proposal_signed_for(proposal: Proposal, assignment: Assignment, *, by):
    late = "" if assignment.on_time else _("（超过签收期限）")
    return _row(
        proposal,
        action=Action.PROPOSAL_SIGNED_FOR,
        summary=_("%(department)s签收%(late)s")
        % {"department": assignment.department.name, "late": late},
        by=by,
        obj=assignment,
        after={"signed_at": assignment.answered_at, "on_time": assignment.on_time},
    )


def proposal_returned(proposal: Proposal, assignment: Assignment, *, by):
    return _row(
        proposal,
        action=Action.PROPOSAL_RETURNED,
        summary=_("%(department)s退回：%(reason)s")
        % {"department": assignment.department.name, "reason": assignment.return_reason},
        by=by,
        obj=assignment,
        after={"reason": assignment.return_reason, "returned_at": assignment.answered_at},
    )


def attachment_added(proposal: Proposal, attachment, *, by):
    return _row(
        proposal,
        action=Action.ATTACHMENT_ADDED,
        summary=_("上传附件“%(title)s”") % {"title": attachment.title},
        by=by,
        obj=attachment,
        after={"sha256": attachment.sha256, "size": attachment.size},
    )


def contact_recorded(proposal: Proposal, contact: Contact, *, by):
    return _row(
        proposal,
        action=Action.CONTACT_RECORDED,
        summary=_("%(date)s以%(method)s方式与提出人沟通")
        % {"date": shown_date(contact.contacted_on), "method": contact.get_method_display()},
        by=by,
        obj=contact,
        after={
            "contacted_on": contact.contacted_on,
            "method": contact.method,
            "round": contact.round,
        },
    )


def co_opinion_submitted(proposal: Proposal, co_department, *, by):
    late = _("（逾期）") if co_department.opinion_at.date() > co_department.opinion_due else ""
    return _row(
        proposal,
        action=Action.CO_OPINION_SUBMITTED,
        summary=_("%(department)s提交协办意见%(late)s")
        % {"department": co_department.department.name, "late": late},
        by=by,
        obj=co_department,
        after={"opinion_due": co_department.opinion_due},
    )


def extension_requested(proposal: Proposal, extension: Extension, *, by):
    return _row(
        proposal,
        action=Action.EXTENSION_REQUESTED,
        summary=_("申请延期至%(date)s：%(reason)s")
        % {"date": shown_date(extension.requested_due_date), "reason": extension.reason},
        by=by,
        obj=extension,
        after={"reason": extension.reason, "due_date": extension.requested_due_date},
    )


def extension_decided(proposal: Proposal, extension: Extension, *, by):
    approved = extension.status == Extension.Status.APPROVED
    summary = (_("同意延期至%(date)s") if approved else _("不同意延期至%(date)s")) % {
        "date": shown_date(extension.requested_due_date)
    }
    if extension.decision_note:
        summary += f"：{extension.decision_note}"
    return _row(
        proposal,
        action=Action.EXTENSION_APPROVED if approved else Action.EXTENSION_REFUSED,
        summary=summary,
        by=by,
        obj=extension,
        before={"due_date": ledger_value(extension.previous_due_date)},
        after={"due_date": proposal.due_date, "comment": extension.decision_note},
    )


def reply_drafted(proposal: Proposal, reply: Reply, *, by, edited: bool):
    return _row(
        proposal,
        action=Action.REPLY_EDITED if edited else Action.REPLY_DRAFTED,
        summary=(
            _("修改第%(round)d轮答复（%(number)s）")
            if edited
            else _("拟定第%(round)d轮答复（%(number)s）")
        )
        % {"round": reply.round, "number": reply.document_number},
        by=by,
        obj=reply,
        after={"reply_class": reply.reply_class, "document_number": reply.document_number},
    )


def reply_signed_off(proposal: Proposal, reply: Reply, *, by):
    return _row(
        proposal,
        action=Action.REPLY_SIGNED_OFF,
        summary=_("负责人%(name)s审签答复（%(number)s）")
        % {"name": by.display_name, "number": reply.document_number},
        by=by,
        obj=reply,
    )


def reply_countersigned(proposal: Proposal, reply: Reply, department, *, by):
    return _row(
        proposal,
        action=Action.REPLY_COUNTERSIGNED,
        summary=_("%(department)s会签答复") % {"department": department.name},
        by=by,
        obj=reply,
        after={"department": department.code},
    )


def reply_sent(proposal: Proposal, reply: Reply, *, by):
    late = "" if reply.on_time else _("，超过答复期限")
    return _row(
        proposal,
        action=Action.REPLY_SENT,
        summary=_("发出第%(round)d轮答复，%(label)s%(late)s")
        % {"round": reply.round, "label": reply.reply_class_label, "late": late},
        by=by,
        obj=reply,
        after={
            "reply_class": reply.reply_class,
            "sent_at": reply.sent_at,
            "due_date": reply.due_date,
            "on_time": reply.on_time,
        },
    )


DELIVERY_LABELS = {
    "authors": gettext_lazy("提出人"),
    "body": gettext_lazy("交办机构"),
    "office": gettext_lazy("市政府办公厅"),
}


def reply_delivered(proposal: Proposal, reply: Reply, *, to: str, by):
    return _row(
        proposal,
        action=Action.REPLY_DELIVERED,
        summary=_("第%(round)d轮答复已送达%(to)s")
        % {"round": reply.round, "to": DELIVERY_LABELS[to]},
        by=by,
        obj=reply,
        after={"to": to},
    )


def proposal_rated(proposal: Proposal, rating: Rating, *, by):
    summary = _("%(name)s测评第%(round)d轮答复：%(result)s") % {
        "name": rating.author.participant.name,
        "round": rating.reply.round,
        "result": rating.get_result_display(),
    }
    if rating.wants_second_round:
        summary += _("，要求二次办理")
    if rating.channel == Rating.Channel.PAPER:
        summary += _("（纸质测评表录入）")
    return _row(
        proposal,
        action=Action.PROPOSAL_RATED,
        summary=summary,
        by=by,
        obj=rating,
        after={
            "result": rating.result,
            "channel": rating.channel,
            "wants_second_round": rating.wants_second_round,
        },
    )


def second_round_opened(proposal: Proposal, *, by, reason: str):
    return _row(
        proposal,
        action=Action.SECOND_ROUND_OPENED,
        summary=_("启动第%(round)d轮办理，%(due)s前答复（%(reason)s）")
        % {"round": proposal.round, "due": shown_date(proposal.due_date), "reason": reason},
        by=by,
        after={"round": proposal.round, "due_date": proposal.due_date, "reason": reason},
    )


def further_round_allowed(proposal: Proposal, *, by, reason: str):
    return _row(
        proposal,
        action=Action.FURTHER_ROUND_ALLOWED,
        summary=_("办公厅决定可再次办理：%(reason)s") % {"reason": reason},
        by=by,
        after={"reason": reason, "rounds_allowed": proposal.rounds_allowed},
    )


def proposal_closed(proposal: Proposal, *, by, reason: str):
    return _row(
        proposal,
        action=Action.PROPOSAL_CLOSED,
        summary=_("办结：%(reason)s") % {"reason": reason},
        by=by,
        after={"satisfaction": proposal.satisfaction, "reason": reason},
    )


def proposal_evaluated(proposal: Proposal, evaluation: Evaluation, *, by, before: str):
    return _row(
        proposal,
        action=Action.PROPOSAL_EVALUATED,
        summary=_("第三方评估（%(panel)s，%(date)s）：%(verdict)s")
        % {
            "panel": evaluation.panel,
            "date": shown_date(evaluation.evaluated_on),
            "verdict": evaluation.get_verdict_display(),
        },
        by=by,
        obj=evaluation,
        before={"verdict": before} if before else None,
        after={"verdict": evaluation.verdict, "panel": evaluation.panel},
    )
