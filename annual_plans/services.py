"""Every write to annual plan catalogs: drafting, sign-off, filing, review, publication and
mid-year amendments. Each locks the plan, checks its state, writes the ledger row."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from core.content_cache import content_changed
from core.exceptions import TransitionError
from matters.models import Matter

from . import events
from .deadlines import deadline_for, is_late
from .models import (
    Amendment,
    AmendmentItem,
    AnnualPlan,
    FilingDeadline,
    PlanItem,
    PlanVersion,
    SupersededPlanItem,
)

Status = AnnualPlan.Status


@dataclass(frozen=True)
class ItemData:
    """One catalog item as staff enter it."""

    title: str
    kind: str
    forms: list[str]
    planned_start: datetime.date
    planned_end: datetime.date
    responsible_office: str
    is_major_decision: bool = False
    seeks_non_party_opinions: bool = False

    @classmethod
    def from_item(cls, item) -> "ItemData":
        return cls(
            title=item.title,
            kind=item.kind,
            forms=list(item.forms),
            planned_start=item.planned_start,
            planned_end=item.planned_end,
            responsible_office=item.responsible_office,
            is_major_decision=item.is_major_decision,
            seeks_non_party_opinions=item.seeks_non_party_opinions,
        )


def _lock(plan: AnnualPlan) -> AnnualPlan:
    return AnnualPlan.objects.select_for_update().select_related("department").get(pk=plan.pk)


def _refuse_other_state(plan: AnnualPlan, what: str) -> TransitionError:
    return TransitionError(
        _("%(what)s：该目录当前状态为“%(status)s”，可能已被其他人处理，请刷新页面后查看。")
        % {"what": what, "status": plan.get_status_display()}
    )


def _item_snapshots(items) -> list[dict]:
    return [item.snapshot() for item in items]


ITEM_FIELDS = (
    "title", "kind", "forms", "planned_start", "planned_end", "responsible_office",
    "is_major_decision", "seeks_non_party_opinions", "order",
)  # fmt: skip


def _supersede_items(plan: AnnualPlan, *, by, reason: str, amendment=None) -> None:
    """Keep the items a filed plan is about to replace: nothing filed is ever deleted.

    Only a draft never filed loses its items outright when they are rewritten.
    """
    if plan.first_submitted_at is None:
        return
    now = timezone.now()
    SupersededPlanItem.objects.bulk_create(
        SupersededPlanItem(
            plan=plan,
            item_id=item.pk,
            matter_id=item.matter_id,
            review_comment=item.review_comment,
            reason=reason,
            plan_version=plan.version,
            amendment=amendment,
            superseded_by=by,
            superseded_at=now,
            **{name: getattr(item, name) for name in ITEM_FIELDS},
        )
        for item in plan.items.order_by("order", "pk")
    )


def _write_items(model, owner_field: str, owner, items: Iterable[ItemData]) -> None:
    rows = []
    for order, data in enumerate(items, start=1):
        if data.planned_end < data.planned_start:
            raise TransitionError(
                _("第%(n)d项“%(title)s”的计划完成日期早于计划开始日期。")
                % {"n": order, "title": data.title}
            )
        rows.append(model(**{owner_field: owner}, order=order, **data.__dict__))
    model.objects.bulk_create(rows)
    content_changed()  # bulk_create sends no signal


@transaction.atomic
def plan_start(*, department: Department, year: int, by, copy_previous: bool = False) -> AnnualPlan:
    """Start the department's catalog for a year, optionally with last year's items."""
    if AnnualPlan.objects.filter(department=department, year=year).exists():
        raise TransitionError(
            _("%(department)s已有%(year)d年度计划目录。")
            % {"department": department.short_name, "year": year}
        )
    previous = None
    if copy_previous:
        previous = (
            AnnualPlan.objects.filter(department=department, year=year - 1)
            .prefetch_related("items")
            .first()
        )
        # Nothing to copy is said, not turned silently into an empty draft.
        if previous is None:
            raise TransitionError(
                _(
                    "%(department)s没有%(previous)d年度计划目录，无法沿用上一年度的事项："
                    "请取消勾选“沿用上一年度目录中的事项”后新建。"
                )
                % {"department": department.short_name, "previous": year - 1}
            )
        if not previous.items.all():
            raise TransitionError(
                _(
                    "%(department)s%(previous)d年度计划目录中没有事项，无可沿用："
                    "请取消勾选“沿用上一年度目录中的事项”后新建。"
                )
                % {"department": department.short_name, "previous": year - 1}
            )
    try:
        with transaction.atomic():
            plan = AnnualPlan.objects.create(
                department=department,
                year=year,
                created_by=by,
                contact_person=previous.contact_person if previous else by.display_name,
                contact_phone=previous.contact_phone if previous else by.phone,
            )
    except IntegrityError:
        raise TransitionError(
            _("%(department)s已有%(year)d年度计划目录。")
            % {"department": department.short_name, "year": year}
        ) from None
    if previous is not None:
        _write_items(
            PlanItem,
            "plan",
            plan,
            [
                _shift(ItemData.from_item(item), years=year - previous.year)
                for item in previous.items.all()
            ],
        )
    events.plan_created(plan, by=by, copied_from=previous)
    return plan


def _shift(data: ItemData, *, years: int) -> ItemData:
    """The item moved ``years`` later, as last year's plan becomes this year's."""

    def shift(day: datetime.date) -> datetime.date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February into a common year
            return day.replace(year=day.year + years, day=28)

    return ItemData(**{**data.__dict__, "planned_start": shift(data.planned_start),
                       "planned_end": shift(data.planned_end)})  # fmt: skip


@transaction.atomic
def plan_save(
    *,
    plan: AnnualPlan,
    by,
    items: list[ItemData],
    contact_person: str,
    contact_phone: str,
    is_empty: bool = False,
    empty_reason: str = "",
) -> AnnualPlan:
    """Replace the draft's header and items. Any change voids the leader's sign-off."""
    plan = _lock(plan)
    if not plan.is_editable:
        raise _refuse_other_state(plan, _("不能修改"))
    if is_empty and items:
        raise TransitionError(_("勾选“本年度无协商事项”时，目录中不能有事项。"))
    before = {
        "contact_person": plan.contact_person,
        "contact_phone": plan.contact_phone,
        "is_empty": plan.is_empty,
        "empty_reason": plan.empty_reason,
        "items": _item_snapshots(plan.items.all()),
    }
    after = {
        "contact_person": contact_person,
        "contact_phone": contact_phone,
        "is_empty": is_empty,
        "empty_reason": empty_reason if is_empty else "",
        "items": [
            {**data.__dict__, "planned_start": data.planned_start.isoformat(),
             "planned_end": data.planned_end.isoformat()}
            for data in items
        ],
    }  # fmt: skip
    if before == after:
        return plan
    # Items are replaced, not updated: links to matters are kept by title.
    links = dict(plan.items.exclude(matter=None).values_list("title", "matter_id"))
    _supersede_items(plan, by=by, reason=SupersededPlanItem.Reason.REVISED)
    plan.items.all().delete()
    _write_items(PlanItem, "plan", plan, items)
    for title, matter_id in links.items():
        plan.items.filter(title=title).update(matter_id=matter_id)
    plan.contact_person = contact_person
    plan.contact_phone = contact_phone
    plan.is_empty = is_empty
    plan.empty_reason = after["empty_reason"]
    plan.signed_off_by = None
    plan.signed_off_at = None
    plan.save()
    events.plan_edited(plan, by=by, before=before, after=after)
    return plan


@transaction.atomic
def plan_sign_off(*, plan: AnnualPlan, by, now: datetime.datetime | None = None) -> AnnualPlan:
    """The department leader signs the catalog off (审签) before it is filed."""
    plan = _lock(plan)
    if not plan.is_editable:
        raise _refuse_other_state(plan, _("不能审签"))
    if plan.signed_off_by_id is not None:
        raise TransitionError(_("该目录已由%(name)s审签。") % {"name": plan.signed_off_by})
    _check_complete(plan)
    plan.signed_off_by = by
    plan.signed_off_at = now or timezone.now()
    plan.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    events.plan_signed_off(plan, by=by)
    return plan


def _check_complete(plan: AnnualPlan) -> None:
    problems = []
    if not plan.contact_person.strip() or not plan.contact_phone.strip():
        problems.append(_("请填写联系人和联系电话"))
    has_items = plan.items.exists()
    if plan.is_empty and not plan.empty_reason.strip():
        problems.append(_("报送空目录须说明本年度无协商事项的原因"))
    if not plan.is_empty and not has_items:
        problems.append(_("目录中没有事项：请添加事项，或勾选“本年度无协商事项”并说明原因"))
    if problems:
        raise TransitionError(_("目录尚不完整：%(problems)s。") % {"problems": "；".join(problems)})


@transaction.atomic
def plan_submit(*, plan: AnnualPlan, by, now: datetime.datetime | None = None) -> AnnualPlan:
    """File the catalog with the general office. After the deadline it is accepted but late."""
    plan = _lock(plan)
    if not plan.can_submit():
        raise _refuse_other_state(plan, _("不能报送"))
    _check_complete(plan)
    if plan.signed_off_by_id is None:
        raise TransitionError(_("报送前须经部门负责人审签。"))
    now = now or timezone.now()
    before_status = plan.status
    plan.status = Status.SUBMITTED
    plan.submitted_at = now
    if plan.first_submitted_at is None:
        plan.first_submitted_at = now
        plan.is_late = is_late(now, deadline_for(plan.year))
    plan.save()
    events.plan_submitted(plan, by=by, before_status=before_status)
    return plan


@transaction.atomic
def plan_return(
    *, plan: AnnualPlan, by, comment: str, item_comments: dict[int, str] | None = None
) -> AnnualPlan:
    """Return the filing for revision; the overall comment is required."""
    plan = _lock(plan)
    if not plan.can_review():
        raise _refuse_other_state(plan, _("不能退回"))
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError(_("退回修改必须填写审核意见。"))
    item_comments = {pk: text.strip() for pk, text in (item_comments or {}).items() if text.strip()}
    items = {item.pk: item for item in plan.items.all()}
    unknown = set(item_comments) - set(items)
    if unknown:
        raise TransitionError(_("逐项意见指向了不属于该目录的事项。"))
    for item in items.values():
        item.review_comment = item_comments.get(item.pk, "")
    PlanItem.objects.bulk_update(list(items.values()), ["review_comment"])
    plan.status = Status.RETURNED
    plan.review_comment = comment
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    plan.signed_off_by = None
    plan.signed_off_at = None
    plan.save()
    events.plan_returned(plan, by=by, item_comments=item_comments)
    return plan


def _keep_version(plan: AnnualPlan, *, by, items, note: str) -> PlanVersion:
    plan.version += 1
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        items=_item_snapshots(items),
        note=note,
        accepted_by=by,
        accepted_at=timezone.now(),
    )


@transaction.atomic
def plan_accept(*, plan: AnnualPlan, by, comment: str = "") -> AnnualPlan:
    """Accept the filing (同意备案); its items become version 1."""
    plan = _lock(plan)
    if not plan.can_review():
        raise _refuse_other_state(plan, _("不能备案"))
    _keep_version(plan, by=by, items=plan.items.all(), note=comment or _("备案"))
    plan.status = Status.ACCEPTED
    plan.review_comment = comment
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    plan.save()
    plan.items.update(review_comment="")
    events.plan_accepted(plan, by=by)
    return plan


@transaction.atomic
def plan_publish(*, plan: AnnualPlan, by) -> AnnualPlan:
    plan = _lock(plan)
    if not plan.can_publish():
        raise _refuse_other_state(plan, _("不能公示"))
    plan.status = Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save()
    events.plan_published(plan, by=by)
    return plan


@transaction.atomic
def amendment_start(*, plan: AnnualPlan, by, reason: str) -> Amendment:
    """Open a mid-year amendment, its proposal starting from the current items."""
    plan = _lock(plan)
    if not plan.can_request_amendment():
        raise TransitionError(_("只有已备案或已公示的目录可以申请年中调整。"))
    if plan.amendments.filter(
        status__in=[Amendment.Status.DRAFT, Amendment.Status.PENDING]
    ).exists():
        raise TransitionError(_("该目录已有一项未办结的年中调整。"))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("申请年中调整必须说明原因。"))
    amendment = Amendment.objects.create(plan=plan, reason=reason, requested_by=by)
    _write_items(
        AmendmentItem, "amendment", amendment, [ItemData.from_item(i) for i in plan.items.all()]
    )
    events.amendment_started(amendment, by=by)
    return amendment


@transaction.atomic
def amendment_save(*, amendment: Amendment, by, reason: str, items: list[ItemData]) -> Amendment:
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if not amendment.is_editable:
        raise TransitionError(_("该调整申请已提交，不能再修改。"))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("申请年中调整必须说明原因。"))
    before = {"reason": amendment.reason, "items": _item_snapshots(amendment.items.all())}
    amendment.reason = reason
    amendment.save(update_fields=["reason"])
    amendment.items.all().delete()
    _write_items(AmendmentItem, "amendment", amendment, items)
    after = {"reason": reason, "items": _item_snapshots(amendment.items.all())}
    if after != before:
        events.amendment_edited(amendment, by=by, before=before, after=after)
    return amendment


@transaction.atomic
def amendment_submit(*, amendment: Amendment, by) -> Amendment:
    amendment = Amendment.objects.select_for_update().select_related("plan").get(pk=amendment.pk)
    if not amendment.is_editable:
        raise TransitionError(_("该调整申请已提交。"))
    current = _item_snapshots(amendment.plan.items.all())
    if _item_snapshots(amendment.items.all()) == current:
        raise TransitionError(_("调整后的目录与现行目录相同，无需申请调整。"))
    amendment.status = Amendment.Status.PENDING
    amendment.requested_at = timezone.now()
    amendment.save(update_fields=["status", "requested_at"])
    events.amendment_requested(amendment, by=by)
    return amendment


@transaction.atomic
def amendment_decide(*, amendment: Amendment, by, accept: bool, comment: str = "") -> Amendment:
    """Accept (the proposal becomes the plan's items and a new version) or reject."""
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    plan = _lock(amendment.plan)
    amendment.plan = plan
    if amendment.status != Amendment.Status.PENDING:
        raise TransitionError(
            _("该调整申请当前状态为“%(status)s”，可能已被其他审核人处理。")
            % {"status": amendment.get_status_display()}
        )
    comment = (comment or "").strip()
    if not accept and not comment:
        raise TransitionError(_("不同意调整必须填写审核意见。"))
    before_items = None
    released: list[str] = []
    if accept:
        before_items = _item_snapshots(plan.items.all())
        links = dict(plan.items.exclude(matter=None).values_list("title", "matter_id"))
        kept = set(amendment.items.values_list("title", flat=True))
        released = sorted(
            Matter.objects.filter(
                pk__in=[pk for title, pk in links.items() if title not in kept]
            ).values_list("reference", flat=True)
        )
        _supersede_items(plan, by=by, reason=SupersededPlanItem.Reason.AMENDED, amendment=amendment)
        plan.items.all().delete()
        _write_items(PlanItem, "plan", plan, [ItemData.from_item(i) for i in amendment.items.all()])
        for title, matter_id in links.items():
            plan.items.filter(title=title).update(matter_id=matter_id)
        _keep_version(plan, by=by, items=plan.items.all(), note=amendment.reason)
        # The catalog keeps its rule: items, or an explicit empty catalog with a reason.
        if plan.items.exists():
            plan.is_empty, plan.empty_reason = False, ""
        else:
            plan.is_empty, plan.empty_reason = True, amendment.reason
        plan.save(update_fields=["version", "is_empty", "empty_reason", "updated_at"])
    amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REJECTED
    amendment.decided_by = by
    amendment.decided_at = timezone.now()
    amendment.decision_comment = comment
    amendment.save()
    events.amendment_decided(amendment, by=by, before_items=before_items, released=released)
    return amendment


@transaction.atomic
def deadline_move(
    *, year: int, deadline: datetime.datetime, reason: str, by, department_id: int
) -> FilingDeadline:
    """Move a year's filing deadline; lateness of filings already made is re-judged."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("调整报送截止时间必须说明原因。"))
    before = deadline_for(year).isoformat()
    moved, _created = FilingDeadline.objects.update_or_create(
        year=year, defaults={"deadline": deadline, "reason": reason, "set_by": by}
    )
    for plan in AnnualPlan.objects.filter(year=year).exclude(first_submitted_at=None):
        late = is_late(plan.first_submitted_at, deadline)
        if plan.is_late != late:
            plan.is_late = late
            plan.save(update_fields=["is_late"])
    events.deadline_moved(moved, by=by, department_id=department_id, before=before)
    return moved
