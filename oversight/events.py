"""Ledger (台账) rows of supervision orders: one function per thing that happened, called
by the services inside their transaction. Every row is filed under its order (object type
``order``), so the order's history and the year's ledger find them together."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.dates import shown_date
from matters.events import ledger_value, record

from .models import Answer, Order, Urging


class Action(models.TextChoices):
    ORDER_ISSUED = "order_issued", pgettext_lazy("ledger", "发出督办通知")
    ORDER_ANSWER_DRAFTED = "order_answer_drafted", pgettext_lazy("ledger", "起草办理情况")
    ORDER_ANSWER_EDITED = "order_answer_edited", pgettext_lazy("ledger", "修改办理情况")
    ORDER_ANSWER_SIGNED = "order_answer_signed", pgettext_lazy("ledger", "签发报送办理情况")
    ORDER_ACCEPTED = "order_accepted", pgettext_lazy("ledger", "督办办结")
    ORDER_RETURNED = "order_returned", pgettext_lazy("ledger", "退回办理情况")
    ORDER_URGED = "order_urged", pgettext_lazy("ledger", "催办")
    ORDER_WITHDRAWN = "order_withdrawn", pgettext_lazy("ledger", "撤销督办")


def _row(order: Order, *, action, summary, by, before=None, after=None):
    return record(
        action=action,
        summary=f"{order.reference}：{summary}",
        department_id=order.department_id,
        object_type="order",
        object_id=order.pk,
        actor=by,
        before=before,
        after={key: ledger_value(value) for key, value in (after or {}).items()},
    )


def order_issued(order: Order, *, by):
    return _row(
        order,
        action=Action.ORDER_ISSUED,
        summary=_("向%(department)s督办“%(title)s”，%(date)s前报送办理情况")
        % {
            "department": order.department.name,
            "title": order.title,
            "date": shown_date(order.due_date),
        },
        by=by,
        after={
            "about": order.get_about_display(),
            "title": order.title,
            "requirement": order.requirement,
            "due_date": order.due_date,
        },
    )


def answer_saved(answer: Answer, *, by, before: str | None):
    order = answer.order
    drafted = before is None
    return _row(
        order,
        action=Action.ORDER_ANSWER_DRAFTED if drafted else Action.ORDER_ANSWER_EDITED,
        summary=(_("起草第%(round)d轮办理情况") if drafted else _("修改第%(round)d轮办理情况"))
        % {"round": answer.round},
        by=by,
        before=None if drafted else {"body": before},
        after={"round": answer.round, "body": answer.body},
    )


def answer_signed(answer: Answer, *, by):
    order = answer.order
    late = _("（逾期报送）") if answer.is_late else ""
    return _row(
        order,
        action=Action.ORDER_ANSWER_SIGNED,
        summary=_("签发并报送第%(round)d轮办理情况%(late)s")
        % {"round": answer.round, "late": late},
        by=by,
        after={"round": answer.round, "late": answer.is_late},
    )


def answer_decided(answer: Answer, *, by, accepted: bool, due_before=None):
    order = answer.order
    if accepted:
        return _row(
            order,
            action=Action.ORDER_ACCEPTED,
            summary=_("认可第%(round)d轮办理情况，督办办结") % {"round": answer.round},
            by=by,
            after={"round": answer.round, "note": answer.decision_note},
        )
    after = {"round": answer.round, "reason": answer.decision_note, "due_date": order.due_date}
    return _row(
        order,
        action=Action.ORDER_RETURNED,
        summary=_("退回第%(round)d轮办理情况，请于%(date)s前重新报送")
        % {"round": answer.round, "date": shown_date(order.due_date)},
        by=by,
        before={"due_date": ledger_value(due_before)} if due_before != order.due_date else None,
        after=after,
    )


def order_urged(urging: Urging, *, by):
    order = urging.order
    return _row(
        order,
        action=Action.ORDER_URGED,
        summary=_("第%(count)d次催办") % {"count": order.urge_count},
        by=by,
        after={"note": urging.note, "urge_count": order.urge_count, "overdue": urging.was_overdue},
    )


def order_withdrawn(order: Order, *, by, status_before: str):
    return _row(
        order,
        action=Action.ORDER_WITHDRAWN,
        summary=_("撤销督办：%(reason)s") % {"reason": order.withdraw_reason},
        by=by,
        before={"status": status_before},
        after={"reason": order.withdraw_reason},
    )
