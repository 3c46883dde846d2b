"""Catalog items carried out as matters (目录事项落实为协商事项): the writes that tie an
item of a catalog in force to its matter, each with its ledger row in the same transaction.

A catalog in force — accepted (已备案) or published (已公示) — is carried out matter by
matter: its department starts an item's matter in one step (kind, title, department, year,
planned period and the flags carried over from the item) or links a matter it already
runs. An item has at most one matter, and a matter carries out at most one item of a
catalog year. Amendments keep the link by the item's title (``services``).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import TransitionError
from matters.models import Matter
from matters.services import matter_create

from . import events
from .models import AnnualPlan, PlanItem

IN_FORCE = (AnnualPlan.Status.ACCEPTED, AnnualPlan.Status.PUBLISHED)


def _lock_item(item: PlanItem) -> PlanItem:
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan__department", "matter")
        .get(pk=item.pk)
    )
    if item.plan.status not in IN_FORCE:
        raise TransitionError(
            _("目录备案或公示后，才能据此启动协商事项；该目录当前状态为“%(status)s”。")
            % {"status": item.plan.get_status_display()}
        )
    if item.matter_id is not None:
        raise TransitionError(
            _("该目录事项已对应协商事项%(reference)s。") % {"reference": item.matter.reference}
        )
    return item


@transaction.atomic
def plan_item_start_matter(*, item: PlanItem, by, now: datetime.datetime | None = None) -> Matter:
    """Start the item's matter: its kind, title, department, year, planned period and
    flags carried over; the matter then names the item it carries out."""
    now = now or timezone.now()
    item = _lock_item(item)
    plan = item.plan
    matter = matter_create(
        by=by,
        department=plan.department,
        title=item.title,
        kind=item.kind,
        year=plan.year,
        summary=_("落实%(year)d年度政府协商计划目录第%(order)d项（责任处室：%(office)s）。")
        % {"year": plan.year, "order": item.order, "office": item.responsible_office},
        planned_start=item.planned_start,
        planned_end=item.planned_end,
        is_major_decision=item.is_major_decision,
        seeks_non_party_opinions=item.seeks_non_party_opinions,
        now=now,
    )
    item.matter = matter
    item.save(update_fields=["matter"])
    events.item_matter_started(item, matter=matter, by=by)
    return matter


def matters_to_link(item: PlanItem):
    """The department's matters of the catalog's year that carry out no item of it yet."""
    plan = item.plan
    return (
        Matter.objects.filter(department_id=plan.department_id, year=plan.year)
        .exclude(plan_items__plan__year=plan.year)
        .order_by("reference")
    )


@transaction.atomic
def plan_item_link_matter(*, item: PlanItem, matter: Matter, by) -> PlanItem:
    """Tie the item to a matter its department already runs for that year."""
    item = _lock_item(item)
    plan = item.plan
    if matter.department_id != plan.department_id:
        raise TransitionError(_("只能关联本部门的协商事项。"))
    if matter.year != plan.year:
        raise TransitionError(
            _("只能关联%(year)d年度的协商事项：%(reference)s属于%(other)d年度。")
            % {"year": plan.year, "reference": matter.reference, "other": matter.year}
        )
    other = PlanItem.objects.filter(matter=matter, plan__year=plan.year).exclude(pk=item.pk).first()
    if other is not None:
        raise TransitionError(
            _("协商事项%(reference)s已对应目录事项“%(title)s”。")
            % {"reference": matter.reference, "title": other.title}
        )
    item.matter = matter
    item.save(update_fields=["matter"])
    events.item_matter_linked(item, matter=matter, by=by)
    return item


@dataclass(frozen=True)
class MatterEffect:
    """What an amendment does to one matter carrying out an item of the catalog."""

    title: str
    matter: Matter
    kept: bool

    @property
    def text(self) -> str:
        if self.kept:
            return _("“%(title)s”保留，协商事项%(reference)s继续落实该目录事项。") % {
                "title": self.title,
                "reference": self.matter.reference,
            }
        return _(
            "“%(title)s”调整后不在目录中（删除或更名）：协商事项%(reference)s继续办理，"
            "但不再落实本目录事项，不计入目录执行情况；如属更名，调整通过后可在目录页面"
            "将其关联到新的事项。"
        ) % {"title": self.title, "reference": self.matter.reference}


def amendment_matter_effects(amendment) -> list[MatterEffect]:
    """For each item of the catalog that has its matter: whether the amendment keeps it
    (an item is kept by its title) or leaves its matter carrying out nothing. Two
    queries."""
    proposed = set(amendment.items.values_list("title", flat=True))
    return [
        MatterEffect(title=item.title, matter=item.matter, kept=item.title in proposed)
        for item in amendment.plan.items.exclude(matter=None)
        .select_related("matter")
        .order_by("order", "pk")
    ]
