"""Supervision orders (督办): issue, answer, sign, accept or return, urge, withdraw.

Each service checks the state it needs and says, in the user's words, why it refuses; the
views check who may act (``oversight.rules``). E-mails go through the outbox in the same
transaction, so an order is never issued without its notice, nor a notice sent for an
order that was not.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import people_to_remind
from annual_plans.models import AnnualPlan, PlanItem
from core.dates import day_end, shown_date
from core.exceptions import TransitionError, require_text
from core.titles import quoted
from matters.models import Matter
from participation.models import CommentPeriod
from participation.tokens import absolute_url
from proposals.models import Proposal
from reminders.models import Reminder
from reminders.services import outbox_record, outbox_row

from . import events
from .models import TARGET_FIELDS, Answer, Order, Urging

About = Order.About
Status = Order.Status
IN_FORCE = (AnnualPlan.Status.ACCEPTED, AnnualPlan.Status.PUBLISHED)
# An order open on the same object blocks another: the office urges or returns instead.
LIVE = (Status.ISSUED, Status.ANSWERED, Status.RETURNED)


def is_overdue(order: Order, now: datetime.datetime) -> bool:
    """Waiting for the department past the end of its due day."""
    return order.is_open and now >= day_end(order.due_date)


@dataclass(frozen=True)
class Target:
    """What an order is about, with the department that must act and the default title."""

    about: str
    obj: object
    department_id: int
    title: str
    label: str


def target_of(about: str, pk) -> Target:
    """The object an order would be about, or TransitionError if it cannot be ordered."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise TransitionError(_("请从督办对象的页面发起督办。")) from None
    if about == About.PLAN_ITEM:
        item = PlanItem.objects.select_related("plan__department").filter(pk=pk).first()
        if item is None or item.plan.status not in IN_FORCE:
            raise TransitionError(_("只能督办已审核通过或已公开的年度计划目录中的事项。"))
        return Target(
            about,
            item,
            item.plan.department_id,
            _("关于督促落实年度计划目录事项%(title)s的通知") % {"title": quoted(item.title)},
            _("%(year)d年度计划目录第%(order)d项：%(title)s")
            % {"year": item.plan.year, "order": item.order, "title": item.title},
        )
    if about == About.MATTER:
        matter = Matter.objects.filter(pk=pk).first()
        if matter is None:
            raise TransitionError(_("没有这个协商事项。"))
        return Target(
            about,
            matter,
            matter.department_id,
            _("关于督促推进%(title)s的通知") % {"title": quoted(matter.title)},
            f"{matter.reference} {matter.title}",
        )
    if about == About.FEEDBACK:
        period = CommentPeriod.objects.select_related("matter").filter(pk=pk).first()
        if period is None:
            raise TransitionError(_("没有这次征求意见。"))
        if period.report_published_at is not None:
            raise TransitionError(_("这次征求意见的采纳情况已经公开，无需督办。"))
        return Target(
            about,
            period,
            period.matter.department_id,
            _("关于督促公开%(title)s意见采纳情况的通知") % {"title": quoted(period.title)},
            f"{period.matter.reference} {period.title}",
        )
    if about == About.PROPOSAL:
        proposal = Proposal.objects.filter(pk=pk).first()
        if proposal is None or proposal.lead_department_id is None:
            raise TransitionError(_("只能督办已交办的建议提案。"))
        if proposal.status == Proposal.Status.CLOSED:
            raise TransitionError(_("这件建议提案已经办结，无需督办。"))
        return Target(
            about,
            proposal,
            proposal.lead_department_id,
            _("关于督促办理%(reference)s%(title)s的通知")
            % {"reference": proposal.reference, "title": quoted(proposal.title)},
            f"{proposal.reference} {proposal.title}",
        )
    raise TransitionError(_("请从督办对象的页面发起督办。"))


def target_url(order: Order) -> str:
    """The staff page of what the order is about."""
    if order.about == About.PLAN_ITEM:
        return reverse("annual_plans:staff_detail", args=[order.plan_item.plan_id])
    if order.about == About.MATTER:
        return reverse("matters:staff_detail", args=[order.matter_id])
    if order.about == About.FEEDBACK:
        return reverse("matters:staff_detail", args=[order.period.matter_id])
    return reverse("proposals:staff_detail", args=[order.proposal_id])


def live_order_for(about: str, obj) -> Order | None:
    return (
        Order.objects.filter(about=about, status__in=LIVE, **{TARGET_FIELDS[about]: obj})
        .order_by("-pk")
        .first()
    )


def _check_due_date(due_date: datetime.date | None, now: datetime.datetime) -> None:
    if due_date is None:
        raise TransitionError(_("请填写办理时限。"))
    if due_date < timezone.localdate(now):
        raise TransitionError(_("办理时限不能早于今天。"))


def _lock(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",)).select_related("department").get(pk=order.pk)
    )


def _members(department_id: int, *, leaders_only: bool = False) -> list:
    people = people_to_remind().filter(department_id=department_id, in_department_role=True)
    if leaders_only:
        return [user for user in people if not user.in_staff_role] or list(people)
    return list(people)


def order_path(order: Order) -> str:
    return reverse("oversight:detail", args=[order.pk])


def _emails(order: Order, people, *, kind, occasion, subject, template, context, now) -> list:
    link = absolute_url(order_path(order))
    return [
        outbox_row(
            kind=kind,
            obj=order,
            recipient=user.email,
            user=user,
            occasion=occasion,
            subject=subject,
            template=template,
            context={
                "order": order,
                "due": shown_date(order.due_date),
                "link": link,
                "recipient": user,
                **context,
            },
            now=now,
        )
        for user in people
    ]


def _next_number(year: int) -> int:
    latest = Order.objects.filter(year=year).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


@transaction.atomic
def order_issue(
    *,
    target: Target,
    requirement: str,
    due_date: datetime.date,
    by,
    title: str = "",
    now: datetime.datetime | None = None,
) -> Order:
    """Issue a 督办通知 to the department that must act on ``target``; its staff and
    leaders are told by e-mail."""
    now = now or timezone.now()
    requirement = require_text(requirement, _("请写明督办事项及要求。"))
    _check_due_date(due_date, now)
    live = live_order_for(target.about, target.obj)
    if live is not None:
        raise TransitionError(
            _("%(reference)s 督办的正是这件事，尚未办结：请催办或审核，不要重复督办。")
            % {"reference": live.reference}
        )
    year = timezone.localdate(now).year
    order = Order(
        year=year,
        about=target.about,
        department_id=target.department_id,
        title=(title or "").strip() or target.title,
        requirement=requirement,
        due_date=due_date,
        issued_by=by,
        issued_at=now,
        **{TARGET_FIELDS[target.about]: target.obj},
    )
    # Two reviewers issuing at once take the same number: the second takes the next one.
    for _attempt in range(3):
        order.number = _next_number(year)
        try:
            with transaction.atomic():
                order.save()
            break
        except IntegrityError:
            order.pk = None
    else:
        raise TransitionError(_("督办编号冲突，请重试。"))
    order = Order.objects.select_related("department").get(pk=order.pk)
    outbox_record(
        _emails(
            order,
            _members(order.department_id),
            kind=Reminder.Kind.OVERSIGHT_ORDER,
            occasion="issued",
            subject=_("督办通知：%(title)s（请于%(date)s前报送办理情况）")
            % {"title": order.title, "date": shown_date(order.due_date)},
            template="oversight/emails/issued",
            context={},
            now=now,
        )
    )
    events.order_issued(order, by=by)
    return order


def current_answer(order: Order) -> Answer | None:
    return order.answers.filter(round=order.round).first()


@transaction.atomic
def answer_save(*, order: Order, body: str, by, now: datetime.datetime | None = None) -> Answer:
    """Draft (or redraft) the department's report of what it did, for its leader to sign."""
    now = now or timezone.now()
    order = _lock(order)
    if not order.is_open:
        raise TransitionError(_("这份督办通知不在办理中，不能修改办理情况。"))
    body = require_text(body, _("请填写办理情况。"))
    answer = current_answer(order)
    before = None
    if answer is None:
        answer = Answer(order=order, round=order.round, prepared_by=by, prepared_at=now)
    elif answer.status != Answer.Status.DRAFT:
        raise TransitionError(_("这一轮的办理情况已经报送。"))
    else:
        before = answer.body
        if before == body:
            return answer
    answer.body = body
    answer.prepared_by = by
    answer.prepared_at = now
    answer.save()
    events.answer_saved(answer, by=by, before=before)
    return answer


@transaction.atomic
def answer_sign(*, order: Order, by, now: datetime.datetime | None = None) -> Answer:
    """The department's leader signs the draft and so reports it to the office (签发报送)."""
    now = now or timezone.now()
    order = _lock(order)
    if not order.is_open:
        raise TransitionError(_("这份督办通知不在办理中。"))
    answer = current_answer(order)
    if answer is None or answer.status != Answer.Status.DRAFT:
        raise TransitionError(_("还没有待签发的办理情况，请先起草。"))
    answer.status = Answer.Status.SUBMITTED
    answer.signed_by = by
    answer.signed_at = now
    answer.is_late = now >= day_end(order.due_date)
    answer.save(update_fields=["status", "signed_by", "signed_at", "is_late"])
    order.status = Status.ANSWERED
    order.answered_at = now
    order.save(update_fields=["status", "answered_at"])
    issuer = people_to_remind().filter(pk=order.issued_by_id)
    outbox_record(
        _emails(
            order,
            issuer,
            kind=Reminder.Kind.OVERSIGHT_ANSWERED,
            occasion=f"answered-{answer.round}",
            subject=_("%(department)s已报送督办事项办理情况：%(title)s")
            % {"department": order.department.name, "title": order.title},
            template="oversight/emails/answered",
            context={"answer": answer},
            now=now,
        )
    )
    events.answer_signed(answer, by=by)
    return answer


@transaction.atomic
def answer_decide(
    *,
    order: Order,
    accept: bool,
    note: str,
    by,
    due_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Order:
    """The office accepts the report (督办办结) or returns it with its reason, for another
    round by the same or a new due date."""
    now = now or timezone.now()
    order = _lock(order)
    if order.status != Status.ANSWERED:
        raise TransitionError(_("这份督办通知没有待审核的办理情况。"))
    answer = current_answer(order)
    note = (note or "").strip()
    due_before = order.due_date
    if accept:
        answer.status = Answer.Status.ACCEPTED
        order.status = Status.ACCEPTED
        order.closed_at = now
    else:
        note = require_text(note, _("退回时请写明理由和要求。"))
        new_due = due_date or order.due_date
        if new_due < timezone.localdate(now):
            raise TransitionError(_("原办理时限已过，请重新确定办理时限。"))
        answer.status = Answer.Status.RETURNED
        order.status = Status.RETURNED
        order.round += 1
        order.due_date = new_due
    answer.decided_by = by
    answer.decided_at = now
    answer.decision_note = note
    answer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    order.save(update_fields=["status", "closed_at", "round", "due_date"])
    outbox_record(
        _emails(
            order,
            _members(order.department_id),
            kind=Reminder.Kind.OVERSIGHT_DECIDED,
            occasion=f"decided-{answer.round}",
            subject=(_("督办事项已办结：%(title)s") if accept else _("办理情况被退回：%(title)s"))
            % {"title": order.title},
            template="oversight/emails/decided",
            context={"answer": answer, "accepted": accept},
            now=now,
        )
    )
    events.answer_decided(answer, by=by, accepted=accept, due_before=due_before)
    return order


@transaction.atomic
def order_urge(*, order: Order, note: str, by, now: datetime.datetime | None = None) -> Urging:
    """催办: the office presses a department that has not answered; its leaders and staff
    are told, with the office's words."""
    now = now or timezone.now()
    order = _lock(order)
    if not order.is_open:
        raise TransitionError(_("只能催办尚未报送办理情况的督办事项。"))
    note = require_text(note, _("请写明催办意见。"))
    urging = Urging.objects.create(
        order=order, note=note, by=by, at=now, was_overdue=is_overdue(order, now)
    )
    order.urge_count += 1
    order.last_urged_at = now
    order.save(update_fields=["urge_count", "last_urged_at"])
    outbox_record(
        _emails(
            order,
            _members(order.department_id),
            kind=Reminder.Kind.OVERSIGHT_URGED,
            occasion=f"urged-{urging.pk}",
            subject=_("催办：%(title)s") % {"title": order.title},
            template="oversight/emails/urged",
            context={"urging": urging},
            now=now,
        )
    )
    events.order_urged(urging, by=by)
    return urging


@transaction.atomic
def order_withdraw(*, order: Order, reason: str, by, now: datetime.datetime | None = None) -> Order:
    """Withdraw an order issued in error or made moot; what was answered stays on record."""
    now = now or timezone.now()
    order = _lock(order)
    if order.is_closed:
        raise TransitionError(_("这份督办通知已经办结或撤销。"))
    reason = require_text(reason, _("请写明撤销理由。"))
    status_before = order.status
    order.status = Status.WITHDRAWN
    order.withdraw_reason = reason
    order.closed_at = now
    order.save(update_fields=["status", "withdraw_reason", "closed_at"])
    events.order_withdrawn(order, by=by, status_before=status_before)
    return order
