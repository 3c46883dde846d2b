"""Ledger (台账) events: one small function per thing that happened to a matter.

Each is called by a service inside its transaction, so the row and the change commit or
roll back together.
"""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import shown_date

from .models import Document, DraftVersion, LedgerEntry, Matter, ProcedureStep, StageChange

Action = LedgerEntry.Action


def ledger_value(value: Any) -> Any:
    """``value`` as the ledger's JSON holds it: a moment in local time, a date, as ISO 8601."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def record(
    *,
    action: str,
    summary: str,
    department_id: int,
    object_type: str,
    object_id: int,
    actor,
    matter: Matter | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        matter=matter,
        department_id=department_id,
        object_type=object_type,
        object_id=object_id,
        action=action,
        summary=summary[:500],
        before=before or {},
        after=after or {},
        actor=actor,
    )


def _for_matter(
    matter: Matter, *, action: str, summary: str, by, obj=None, before=None, after=None
):
    target = obj or matter
    return record(
        action=action,
        summary=summary,
        department_id=matter.department_id,
        object_type=target._meta.model_name,
        object_id=target.pk,
        actor=by,
        matter=matter,
        before=before,
        after=after,
    )


def matter_created(matter: Matter, *, by, snapshot: dict) -> LedgerEntry:
    return _for_matter(
        matter,
        action=Action.MATTER_CREATED,
        summary=_("创建协商事项“%(title)s”（%(reference)s）")
        % {"title": matter.title, "reference": matter.reference},
        by=by,
        after=snapshot,
    )


def matter_updated(matter: Matter, *, by, before: dict, after: dict) -> LedgerEntry:
    changed = "、".join(sorted(after))
    return _for_matter(
        matter,
        action=Action.MATTER_UPDATED,
        summary=_("修改协商事项“%(title)s”：%(fields)s")
        % {"title": matter.title, "fields": changed},
        by=by,
        before=before,
        after=after,
    )


def step_recorded(step: ProcedureStep, *, by) -> LedgerEntry:
    matter = step.matter
    return _for_matter(
        matter,
        action=Action.STEP_RECORDED,
        summary=_("记录程序步骤：%(step)s（%(date)s，责任人%(person)s）")
        % {
            "step": step.get_step_type_display(),
            "date": shown_date(step.occurred_on),
            "person": step.responsible_person,
        },
        by=by,
        obj=step,
        after={
            "step_type": step.step_type,
            "stage": step.stage,
            "occurred_on": step.occurred_on.isoformat(),
            "responsible_person": step.responsible_person,
            "is_public": step.is_public,
        },
    )


def stage_changed(change: StageChange, *, by) -> LedgerEntry:
    matter = change.matter
    procedure = matter.procedure
    labels = {
        "from": str(procedure.stage(change.from_stage).label),
        "to": str(procedure.stage(change.to_stage).label),
    }
    if change.direction == StageChange.Direction.FORWARD:
        action = Action.STAGE_ADVANCED
        summary = _("阶段由“%(from)s”推进至“%(to)s”") % labels
    else:
        action = Action.STAGE_RETURNED
        summary = _("阶段由“%(from)s”退回至“%(to)s”，原因：%(reason)s") % {
            **labels,
            "reason": change.reason,
        }
    return _for_matter(
        matter,
        action=action,
        summary=summary,
        by=by,
        before={"stage": change.from_stage},
        after={"stage": change.to_stage, "reason": change.reason},
    )


def matter_published(matter: Matter, *, by) -> LedgerEntry:
    return _for_matter(
        matter,
        action=Action.MATTER_PUBLISHED,
        summary=_("向社会公开协商事项“%(title)s”") % {"title": matter.title},
        by=by,
        before={"is_published": False},
        after={"is_published": True},
    )


def matter_withdrawn(matter: Matter, *, by, reason: str) -> LedgerEntry:
    return _for_matter(
        matter,
        action=Action.MATTER_WITHDRAWN,
        summary=_("撤回公开，原因：%(reason)s") % {"reason": reason},
        by=by,
        before={"is_published": True},
        after={"is_published": False, "reason": reason},
    )


def document_added(document: Document, *, by) -> LedgerEntry:
    return _for_matter(
        document.matter,
        action=Action.DOCUMENT_ADDED,
        summary=_("上传附件“%(title)s”（%(category)s）")
        % {"title": document.title, "category": document.get_category_display()},
        by=by,
        obj=document,
        after={
            "title": document.title,
            "category": document.category,
            "sha256": document.sha256,
            "size": document.size,
            "is_public": document.is_public,
        },
    )


def document_removed(document: Document, *, by, reason: str) -> LedgerEntry:
    return _for_matter(
        document.matter,
        action=Action.DOCUMENT_REMOVED,
        summary=_("撤下附件“%(title)s”，原因：%(reason)s")
        % {"title": document.title, "reason": reason},
        by=by,
        obj=document,
        before={"is_removed": False},
        after={"is_removed": True, "reason": reason},
    )


def draft_added(draft: DraftVersion, *, by) -> LedgerEntry:
    return _for_matter(
        draft.matter,
        action=Action.DRAFT_ADDED,
        summary=_("新增草案第%(number)d稿：%(note)s")
        % {"number": draft.number, "note": draft.change_note},
        by=by,
        obj=draft,
        after={"number": draft.number, "title": draft.title},
    )


def draft_published(draft: DraftVersion, *, by) -> LedgerEntry:
    return _for_matter(
        draft.matter,
        action=Action.DRAFT_PUBLISHED,
        summary=_("公开草案第%(number)d稿") % {"number": draft.number},
        by=by,
        obj=draft,
        before={"is_published": False},
        after={"is_published": True},
    )
