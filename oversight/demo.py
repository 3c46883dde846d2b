"""Demo supervision orders (督办), for the workbench, the list and the dashboard: one a
department is still drafting its report on, one whose report its leader signed and the
office has to review, one returned and reported again, then accepted, and one past its
due date that the office has urged. Built once: run again, it changes nothing.
Everything goes through ``oversight.services``."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from annual_plans.models import AnnualPlan, PlanItem
from matters.models import Matter
from proposals.models import Proposal

from . import services
from .models import Order

REQUIREMENTS = {
    "plan_item": "该事项已到年度计划目录确定的开始时间，尚未启动协商。请明确启动时间和工作安排，"
    "按程序启动协商事项，并报送办理情况。",
    "matter": "请对照协商规则，抓紧完成本阶段工作，明确下一阶段的时间安排，并报送办理情况。",
    "proposal": "请按期与代表委员沟通联系，抓紧答复，并报送办理情况。",
}


def _people(users, department_id):
    staff = next(
        (u for u in users if u.department_id == department_id and Role.DEPARTMENT_STAFF in u.roles),
        None,
    )
    leader = next(
        (
            u
            for u in users
            if u.department_id == department_id and Role.DEPARTMENT_LEADER in u.roles
        ),
        None,
    )
    return staff, leader


def _targets(department_ids):
    """(about, object) candidates in departments that have demo staff and leaders."""
    item = (
        PlanItem.objects.filter(
            plan__status__in=(AnnualPlan.Status.ACCEPTED, AnnualPlan.Status.PUBLISHED),
            plan__department_id__in=department_ids,
            matter__isnull=True,
        )
        .order_by("-plan__year", "plan__department_id", "order")
        .first()
    )
    matters = list(
        Matter.objects.filter(department_id__in=department_ids).order_by("-year", "pk")[:3]
    )
    proposal = (
        Proposal.objects.filter(lead_department_id__in=department_ids)
        .exclude(status=Proposal.Status.CLOSED)
        .order_by("-year", "pk")
        .first()
    )
    found = []
    if item is not None:
        found.append(("plan_item", item))
    found += [("matter", matter) for matter in matters]
    if proposal is not None:
        found.append(("proposal", proposal))
    return found


@transaction.atomic
def seed_orders(by_name: dict) -> dict:
    if Order.objects.exists():
        return {"orders": Order.objects.count()}
    office = by_name.get("bgt_wangli")
    users = list(by_name.values())
    with_both = {
        u.department_id for u in users if u.department_id and all(_people(users, u.department_id))
    }
    if office is None or not with_both:
        return {"orders": 0}
    today = timezone.localdate()
    now = timezone.now()
    scripts = ("drafting", "to_review", "accepted", "overdue", "drafting")
    for (about, obj), script in zip(_targets(with_both), scripts, strict=False):
        target = services.target_of(about, obj.pk)
        staff, leader = _people(users, target.department_id)
        issued = now - datetime.timedelta(days=20 if script == "overdue" else 6)
        due = today + datetime.timedelta(days=10)
        order = services.order_issue(
            target=target,
            requirement=REQUIREMENTS[about],
            due_date=due,
            by=office,
            now=min(issued, now),
        )
        if script == "overdue":
            # Issued with a short time that has now passed.
            Order.objects.filter(pk=order.pk).update(due_date=today - datetime.timedelta(days=3))
            order.refresh_from_db()
            services.order_urge(
                order=order, note="已超过办理时限，请于本周内报送办理情况。", by=office, now=now
            )
            continue
        services.answer_save(
            order=order,
            body="已召开专题会议研究，明确了责任处室和时间安排，正在按程序推进。",
            by=staff,
            now=now - datetime.timedelta(days=2),
        )
        if script == "drafting":
            continue
        services.answer_sign(order=order, by=leader, now=now - datetime.timedelta(days=2))
        if script == "accepted":
            services.answer_decide(
                order=order,
                accept=False,
                note="请写明下一阶段的具体时间节点。",
                by=office,
                now=now - datetime.timedelta(days=1),
            )
            services.answer_save(
                order=order,
                body="已于本周启动，计划下月中旬完成征求意见，月底前提交集体讨论。",
                by=staff,
                now=now - datetime.timedelta(hours=20),
            )
            services.answer_sign(order=order, by=leader, now=now - datetime.timedelta(hours=18))
            services.answer_decide(order=order, accept=True, note="同意办结。", by=office, now=now)
    return {"orders": Order.objects.count()}
