"""Ledger events of annual plan catalogs, written into the one ledger (matters' LedgerEntry)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import shown_datetime
from matters.events import record

from .models import Amendment, AnnualPlan, FilingDeadline


class Action(models.TextChoices):
    PLAN_CREATED = "plan_created", gettext_lazy("创建年度计划目录")
    PLAN_EDITED = "plan_edited", gettext_lazy("修改年度计划目录")
    PLAN_SIGNED_OFF = "plan_signed_off", gettext_lazy("负责人审签")
    PLAN_SUBMITTED = "plan_submitted", gettext_lazy("报送备案")
    PLAN_RETURNED = "plan_returned", gettext_lazy("退回修改")
    PLAN_ACCEPTED = "plan_accepted", gettext_lazy("同意备案")
    PLAN_PUBLISHED = "plan_published", gettext_lazy("向社会公示")
    AMENDMENT_STARTED = "amendment_started", gettext_lazy("拟定年中调整")
    AMENDMENT_EDITED = "amendment_edited", gettext_lazy("修改年中调整方案")
    AMENDMENT_REQUESTED = "amendment_requested", gettext_lazy("申请年中调整")
    AMENDMENT_ACCEPTED = "amendment_accepted", gettext_lazy("同意年中调整")
    AMENDMENT_REJECTED = "amendment_rejected", gettext_lazy("不同意年中调整")
    DEADLINE_MOVED = "deadline_moved", gettext_lazy("调整报送截止时间")
    ITEM_MATTER_STARTED = "plan_item_matter_started", gettext_lazy("目录事项启动协商事项")
    ITEM_MATTER_LINKED = "plan_item_matter_linked", gettext_lazy("目录事项关联协商事项")


def _plan(plan: AnnualPlan, *, action: str, summary: str, by, before=None, after=None):
    return record(
        action=action,
        summary=summary,
        department_id=plan.department_id,
        object_type="annualplan",
        object_id=plan.pk,
        actor=by,
        before=before,
        after=after,
    )


def plan_created(plan: AnnualPlan, *, by, copied_from: AnnualPlan | None):
    summary = _("创建%(year)d年度计划目录") % {"year": plan.year}
    if copied_from is not None:
        summary += _("（沿用%(year)d年度的%(count)d个事项）") % {
            "year": copied_from.year,
            "count": plan.items.count(),
        }
    return _plan(plan, action=Action.PLAN_CREATED, summary=summary, by=by)


def plan_edited(plan: AnnualPlan, *, by, before: dict, after: dict):
    return _plan(
        plan,
        action=Action.PLAN_EDITED,
        summary=_("修改%(year)d年度计划目录（%(count)d个事项）")
        % {"year": plan.year, "count": len(after.get("items", []))},
        by=by,
        before=before,
        after=after,
    )


def plan_signed_off(plan: AnnualPlan, *, by):
    return _plan(
        plan,
        action=Action.PLAN_SIGNED_OFF,
        summary=_("负责人%(name)s审签%(year)d年度计划目录")
        % {"name": by.display_name, "year": plan.year},
        by=by,
    )


def plan_submitted(plan: AnnualPlan, *, by, before_status: str):
    late = _("，逾期报送") if plan.is_late else ""
    return _plan(
        plan,
        action=Action.PLAN_SUBMITTED,
        summary=_("报送%(year)d年度计划目录备案%(late)s") % {"year": plan.year, "late": late},
        by=by,
        before={"status": before_status},
        after={"status": plan.status, "submitted_at": plan.submitted_at.isoformat()},
    )


def plan_returned(plan: AnnualPlan, *, by, item_comments: dict[int, str]):
    return _plan(
        plan,
        action=Action.PLAN_RETURNED,
        summary=_("退回%(year)d年度计划目录修改：%(comment)s")
        % {"year": plan.year, "comment": plan.review_comment},
        by=by,
        before={"status": AnnualPlan.Status.SUBMITTED},
        after={
            "status": plan.status,
            "comment": plan.review_comment,
            "item_comments": {str(k): v for k, v in item_comments.items()},
        },
    )


def plan_accepted(plan: AnnualPlan, *, by):
    return _plan(
        plan,
        action=Action.PLAN_ACCEPTED,
        summary=_("同意%(year)d年度计划目录备案（第%(version)d版）")
        % {"year": plan.year, "version": plan.version},
        by=by,
        before={"status": AnnualPlan.Status.SUBMITTED},
        after={"status": plan.status, "version": plan.version},
    )


def plan_published(plan: AnnualPlan, *, by):
    return _plan(
        plan,
        action=Action.PLAN_PUBLISHED,
        summary=_("向社会公示%(year)d年度计划目录") % {"year": plan.year},
        by=by,
        before={"status": AnnualPlan.Status.ACCEPTED},
        after={"status": plan.status},
    )


def amendment_started(amendment: Amendment, *, by):
    plan = amendment.plan
    return _plan(
        plan,
        action=Action.AMENDMENT_STARTED,
        summary=_("拟定%(year)d年度计划目录的年中调整：%(reason)s")
        % {"year": plan.year, "reason": amendment.reason},
        by=by,
        after={"amendment": amendment.pk},
    )


def amendment_edited(amendment: Amendment, *, by, before: dict, after: dict):
    plan = amendment.plan
    return _plan(
        plan,
        action=Action.AMENDMENT_EDITED,
        summary=_("修改%(year)d年度计划目录的年中调整方案（%(count)d个事项）")
        % {"year": plan.year, "count": len(after["items"])},
        by=by,
        before=before,
        after=after,
    )


def amendment_requested(amendment: Amendment, *, by):
    plan = amendment.plan
    return _plan(
        plan,
        action=Action.AMENDMENT_REQUESTED,
        summary=_("申请调整%(year)d年度计划目录：%(reason)s")
        % {"year": plan.year, "reason": amendment.reason},
        by=by,
        after={"amendment": amendment.pk, "items": amendment.items.count()},
    )


def amendment_decided(
    amendment: Amendment, *, by, before_items: list | None = None, released: list | None = None
):
    """``released``: the references of matters whose item the amendment dropped or renamed
    (they go on, carrying out no item of the catalog)."""
    plan = amendment.plan
    if amendment.status == Amendment.Status.ACCEPTED:
        action = Action.AMENDMENT_ACCEPTED
        summary = _("同意调整%(year)d年度计划目录（第%(version)d版）") % {
            "year": plan.year,
            "version": plan.version,
        }
    else:
        action = Action.AMENDMENT_REJECTED
        summary = _("不同意调整%(year)d年度计划目录：%(comment)s") % {
            "year": plan.year,
            "comment": amendment.decision_comment,
        }
    return _plan(
        plan,
        action=action,
        summary=summary,
        by=by,
        before={"items": before_items} if before_items is not None else None,
        after={
            "amendment": amendment.pk,
            "status": amendment.status,
            **({"released_matters": released} if released else {}),
        },
    )


def deadline_moved(deadline: FilingDeadline, *, by, department_id: int, before: str):
    return record(
        action=Action.DEADLINE_MOVED,
        summary=_("%(year)d年度计划目录报送截止时间调整为%(deadline)s，原因：%(reason)s")
        % {
            "year": deadline.year,
            "deadline": shown_datetime(timezone.localtime(deadline.deadline)),
            "reason": deadline.reason,
        },
        department_id=department_id,
        object_type="filingdeadline",
        object_id=deadline.pk,
        actor=by,
        before={"deadline": before},
        after={"deadline": deadline.deadline.isoformat()},
    )


def item_matter_started(item, *, matter, by):
    return _plan(
        item.plan,
        action=Action.ITEM_MATTER_STARTED,
        summary=_("%(year)d年度计划目录第%(order)d项“%(title)s”启动协商事项%(reference)s")
        % {
            "year": item.plan.year,
            "order": item.order,
            "title": item.title,
            "reference": matter.reference,
        },
        by=by,
        after={"item": item.pk, "matter": matter.pk, "reference": matter.reference},
    )


def item_matter_linked(item, *, matter, by):
    return _plan(
        item.plan,
        action=Action.ITEM_MATTER_LINKED,
        summary=_("%(year)d年度计划目录第%(order)d项“%(title)s”关联协商事项%(reference)s")
        % {
            "year": item.plan.year,
            "order": item.order,
            "title": item.title,
            "reference": matter.reference,
        },
        by=by,
        after={"item": item.pk, "matter": matter.pk, "reference": matter.reference},
    )
