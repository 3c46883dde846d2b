"""Every write to a consultation matter. Each is atomic and writes its ledger row."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from core.content_cache import content_changed
from core.exceptions import TransitionError
from core.uploads import check_upload

from . import events, evidence
from .models import (
    Document,
    DraftVersion,
    Matter,
    PolicyArea,
    ProcedureStep,
    StageChange,
    area_names_text,
)
from .procedures import EVIDENCED_STEPS, StepType, missing_requirements, procedure_for

# Fields staff edit on the matter form; the ledger records their before and after.
EDITABLE_FIELDS = (
    "title",
    "kind",
    "year",
    "summary",
    "legal_basis",
    "is_major_decision",
    "is_major_public_interest",
    "affects_stability",
    "is_contested",
    "seeks_non_party_opinions",
    "planned_start",
    "planned_end",
    "stage_due_on",
)


def matter_snapshot(matter: Matter) -> dict[str, Any]:
    data = {field: events.ledger_value(getattr(matter, field)) for field in EDITABLE_FIELDS}
    data["stage"] = matter.stage
    data["co_departments"] = sorted(d.code for d in matter.co_departments.all())
    data["policy_areas"] = sorted(a.code for a in matter.policy_areas.all())
    return data


def _lock(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().get(pk=matter.pk)


def matter_touch(*, matter_id: int, public: bool = True) -> None:
    """Move the matter's ``updated_at`` to now.

    ``updated_at`` is the ``modified`` time API clients filter on (``modified_since``), so
    it must move whenever anything published with the matter changes, not only the matter
    row: a document, a draft, a step, a comment period, an opinion, an activity. Call it
    from the service that makes the change, inside its transaction.

    ``public=False`` when nothing the public sees changed but the date (an opinion waiting
    for moderation): cached pages are then kept, and show the new date when they expire
    (``PORTAL_PAGE_CACHE_SECONDS``), so a burst of submissions does not empty the cache.
    """
    Matter.objects.filter(pk=matter_id).update(updated_at=timezone.now())
    if public:
        content_changed()  # update() sends no signal


def _check_dates(planned_start: datetime.date, planned_end: datetime.date) -> None:
    if planned_end < planned_start:
        raise TransitionError(_("计划完成日期不能早于计划开始日期。"))


@transaction.atomic
def matter_create(
    *,
    by,
    department: Department,
    title: str,
    kind: str,
    year: int,
    summary: str,
    planned_start: datetime.date,
    planned_end: datetime.date,
    legal_basis: str = "",
    is_major_decision: bool = False,
    is_major_public_interest: bool = False,
    affects_stability: bool = False,
    is_contested: bool = False,
    seeks_non_party_opinions: bool = False,
    stage_due_on: datetime.date | None = None,
    co_departments: Iterable[Department] = (),
    policy_areas: Iterable[PolicyArea] = (),
    now: datetime.datetime | None = None,
) -> Matter:
    """``now`` is when the matter is taken up: its creation and first stage's entry."""
    now = now or timezone.now()
    _check_dates(planned_start, planned_end)
    policy_areas = list(policy_areas)
    # Locking the department row serialises reference numbers within it.
    department = Department.objects.select_for_update().get(pk=department.pk)
    sequence = Matter.objects.filter(department=department, year=year).count() + 1
    reference = f"{year}-{department.code.upper()}-{sequence:03d}"
    while Matter.objects.filter(reference=reference).exists():
        sequence += 1
        reference = f"{year}-{department.code.upper()}-{sequence:03d}"
    matter = Matter.objects.create(
        reference=reference,
        title=title,
        kind=kind,
        department=department,
        year=year,
        summary=summary,
        legal_basis=legal_basis,
        is_major_decision=is_major_decision,
        is_major_public_interest=is_major_public_interest,
        affects_stability=affects_stability,
        is_contested=is_contested,
        seeks_non_party_opinions=seeks_non_party_opinions,
        area_names=area_names_text(policy_areas),
        planned_start=planned_start,
        planned_end=planned_end,
        stage=procedure_for(kind).stages[0].code,
        stage_entered_at=now,
        stage_due_on=stage_due_on,
        created_by=by,
        created_at=now,
    )
    matter.co_departments.set([d for d in co_departments if d.pk != department.pk])
    matter.policy_areas.set(policy_areas)
    events.matter_created(matter, by=by, snapshot=matter_snapshot(matter))
    return matter


@transaction.atomic
def matter_update(
    *,
    matter: Matter,
    by,
    co_departments: Iterable[Department] | None = None,
    policy_areas: Iterable[PolicyArea] | None = None,
    **fields: Any,
) -> Matter:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    matter = _lock(matter)
    if "kind" in fields and fields["kind"] != matter.kind and matter.stage_changes.exists():
        raise TransitionError(_("事项已推进过阶段，不能再更改协商类别。"))
    before = matter_snapshot(matter)
    for field, value in fields.items():
        setattr(matter, field, value)
    _check_dates(matter.planned_start, matter.planned_end)
    if "kind" in fields and fields["kind"] != before["kind"]:
        matter.stage = procedure_for(matter.kind).stages[0].code
        matter.stage_entered_at = timezone.now()
    if policy_areas is not None:
        policy_areas = list(policy_areas)
        matter.area_names = area_names_text(policy_areas)
    matter.save()
    if co_departments is not None:
        matter.co_departments.set([d for d in co_departments if d.pk != matter.department_id])
    if policy_areas is not None:
        matter.policy_areas.set(policy_areas)
    after = matter_snapshot(matter)
    changed = {key for key in after if after[key] != before[key]}
    if changed:
        events.matter_updated(
            matter,
            by=by,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return matter


# One statement for any number of matters; table names from the models, ids as a parameter.
AREA_NAMES_SQL = """
UPDATE {matter} AS m SET area_names = found.names
FROM (
    SELECT m2.id, coalesce(
        (SELECT string_agg(a.name, E'\\n' ORDER BY a.sort_order, a.code)
         FROM {link} AS l JOIN {area} AS a ON a.id = l.policyarea_id
         WHERE l.matter_id = m2.id),
        ''
    ) AS names
    FROM {matter} AS m2
    WHERE %s::bigint[] IS NULL OR m2.id = ANY(%s::bigint[])
) AS found
WHERE m.id = found.id AND m.area_names IS DISTINCT FROM found.names
"""


@transaction.atomic
def matter_area_names_refresh(*, matter_ids: Iterable[int] | None = None) -> int:
    """Copy each matter's policy-area names into ``area_names`` again, for ``matter_ids``
    (every matter by default): after an area is renamed or deleted, or links written in
    bulk (the scale data). Matters whose names did not change are not written, so their
    search vectors are not recomputed. Returns how many were."""
    ids = None if matter_ids is None else list(matter_ids)
    if ids == []:
        return 0
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        sql = AREA_NAMES_SQL.format(
            matter=quote(Matter._meta.db_table),
            link=quote(Matter.policy_areas.through._meta.db_table),
            area=quote(PolicyArea._meta.db_table),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [ids, ids])
            changed = cursor.rowcount
    else:
        matters = Matter.objects.only("pk", "area_names").prefetch_related("policy_areas")
        if ids is not None:
            matters = matters.filter(pk__in=ids)
        stale = []
        for matter in matters:
            names = area_names_text(matter.policy_areas.all())
            if names != matter.area_names:
                matter.area_names = names
                stale.append(matter)
        Matter.objects.bulk_update(stale, ["area_names"], batch_size=500)
        changed = len(stale)
    if changed:
        content_changed()  # neither update sends a signal
    return changed


@transaction.atomic
def step_record(
    *,
    matter: Matter,
    by,
    step_type: str,
    occurred_on: datetime.date,
    responsible_person: str,
    summary: str,
    is_public: bool = True,
    evidenced: bool = False,
    now: datetime.datetime | None = None,
) -> ProcedureStep:
    """Record a step done on ``occurred_on``; ``now`` is when it is put on record.

    A step of ``EVIDENCED_STEPS`` is recorded only by the app that holds its evidence
    (``evidenced=True``), never from a typed note."""
    now = now or timezone.now()
    if step_type not in ProcedureStep.StepType.values:
        raise TransitionError(_("未知的程序类型。"))
    if step_type in EVIDENCED_STEPS and not evidenced:
        raise TransitionError(str(EVIDENCED_STEPS[StepType(step_type)]))
    matter = _lock(matter)
    if occurred_on > timezone.localdate(now):
        raise TransitionError(_("程序步骤的日期不能晚于今天：只记录已经完成的步骤。"))
    step = ProcedureStep.objects.create(
        matter=matter,
        step_type=step_type,
        stage=matter.stage,
        occurred_on=occurred_on,
        responsible_person=responsible_person,
        summary=summary,
        is_public=is_public,
        recorded_by=by,
        created_at=now,
    )
    events.step_recorded(step, by=by)
    matter_touch(matter_id=matter.pk)
    return step


def advance_blockers(matter: Matter) -> list[str]:
    """Messages naming every step missing before the matter may enter its next stage."""
    target = matter.next_stage
    if target is None:
        return []
    recorded = set(matter.steps.values_list("step_type", flat=True))
    return [
        _("缺少“%(steps)s”记录（%(because)s）")
        % {"steps": requirement.describe(), "because": requirement.because}
        for requirement in missing_requirements(matter, target.code, recorded)
    ]


def _move(
    matter: Matter, *, to_stage: str, direction: str, reason: str, by, now: datetime.datetime
) -> StageChange:
    change = StageChange.objects.create(
        matter=matter,
        from_stage=matter.stage,
        to_stage=to_stage,
        direction=direction,
        reason=reason,
        changed_by=by,
        changed_at=now,
    )
    matter.stage = to_stage
    matter.stage_entered_at = now
    matter.stage_due_on = None
    matter.save(update_fields=["stage", "stage_entered_at", "stage_due_on", "updated_at"])
    events.stage_changed(change, by=by)
    return change


@transaction.atomic
def matter_advance_stage(*, matter: Matter, by, now: datetime.datetime | None = None) -> Matter:
    """Move to the next stage, refusing with every missing step named."""
    matter = _lock(matter)
    target = matter.next_stage
    if target is None:
        raise TransitionError(_("事项已处于最后阶段“%(stage)s”。") % {"stage": matter.stage_label})
    evidence.bring_up_to_date(matter, now=now or timezone.now())
    blockers = advance_blockers(matter)
    if blockers:
        raise TransitionError(
            _("不能进入“%(stage)s”阶段：%(missing)s。")
            % {"stage": target.label, "missing": "；".join(blockers)},
            missing=blockers,
        )
    _move(
        matter,
        to_stage=target.code,
        direction=StageChange.Direction.FORWARD,
        reason="",
        by=by,
        now=now or timezone.now(),
    )
    return matter


@transaction.atomic
def matter_return_stage(
    *, matter: Matter, by, to_stage: str, reason: str, now: datetime.datetime | None = None
) -> Matter:
    """Go back to an earlier stage; the reason is required and kept in the ledger."""
    matter = _lock(matter)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("退回阶段必须填写原因。"))
    procedure = matter.procedure
    if to_stage not in procedure.codes or procedure.index(to_stage) >= procedure.index(
        matter.stage
    ):
        raise TransitionError(_("只能退回到当前阶段之前的阶段。"))
    _move(
        matter,
        to_stage=to_stage,
        direction=StageChange.Direction.BACK,
        reason=reason,
        by=by,
        now=now or timezone.now(),
    )
    return matter


@transaction.atomic
def matter_publish(*, matter: Matter, by, now: datetime.datetime | None = None) -> Matter:
    matter = _lock(matter)
    if not matter.can_publish():
        raise TransitionError(_("事项已经公开。"))
    matter.is_published = True
    matter.published_at = matter.published_at or now or timezone.now()
    matter.save(update_fields=["is_published", "published_at", "updated_at"])
    events.matter_published(matter, by=by)
    return matter


@transaction.atomic
def matter_withdraw(*, matter: Matter, by, reason: str) -> Matter:
    matter = _lock(matter)
    reason = (reason or "").strip()
    if not matter.can_withdraw():
        raise TransitionError(_("事项尚未公开。"))
    if not reason:
        raise TransitionError(_("撤回公开必须填写原因。"))
    matter.is_published = False
    matter.save(update_fields=["is_published", "updated_at"])
    events.matter_withdrawn(matter, by=by, reason=reason)
    return matter


@transaction.atomic
def document_attach(
    *,
    matter: Matter,
    by,
    upload,
    title: str,
    category: str,
    is_public: bool = True,
    step: ProcedureStep | None = None,
    now: datetime.datetime | None = None,
) -> Document:
    checked = check_upload(upload)
    matter = _lock(matter)
    if step is not None and step.matter_id != matter.pk:
        raise TransitionError(_("所选程序步骤不属于该事项。"))
    document = Document(
        matter=matter,
        step=step,
        title=title,
        category=category,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        is_public=is_public,
        uploaded_by=by,
        uploaded_at=now or timezone.now(),
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    events.document_added(document, by=by)
    matter_touch(matter_id=matter.pk)
    return document


@transaction.atomic
def document_remove(*, document: Document, by, reason: str) -> Document:
    """Take a document down. The file and its row stay: nothing filed is ever deleted."""
    document = Document.objects.select_for_update().select_related("matter").get(pk=document.pk)
    reason = (reason or "").strip()
    if document.is_removed:
        raise TransitionError(_("该附件已撤下。"))
    if not reason:
        raise TransitionError(_("撤下附件必须填写原因。"))
    document.is_removed = True
    document.save(update_fields=["is_removed"])
    events.document_removed(document, by=by, reason=reason)
    matter_touch(matter_id=document.matter_id)
    return document


@transaction.atomic
def draft_add(
    *,
    matter: Matter,
    by,
    title: str,
    text: str,
    change_note: str,
    now: datetime.datetime | None = None,
) -> DraftVersion:
    matter = _lock(matter)
    last = matter.drafts.aggregate(last=Max("number"))["last"] or 0
    draft = DraftVersion.objects.create(
        matter=matter,
        number=last + 1,
        title=title,
        text=text,
        change_note=change_note,
        created_by=by,
        created_at=now or timezone.now(),
    )
    events.draft_added(draft, by=by)
    matter_touch(matter_id=matter.pk)
    return draft


@transaction.atomic
def draft_publish(*, draft: DraftVersion, by, now: datetime.datetime | None = None) -> DraftVersion:
    draft = DraftVersion.objects.select_for_update().select_related("matter").get(pk=draft.pk)
    if draft.is_published:
        raise TransitionError(_("该草案版本已经公开。"))
    draft.is_published = True
    draft.published_at = now or timezone.now()
    draft.save(update_fields=["is_published", "published_at"])
    events.draft_published(draft, by=by)
    matter_touch(matter_id=draft.matter_id)
    return draft
