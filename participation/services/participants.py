"""Writes to the participant registry (参与主体库): one at a time, or a whole file at once.

The registry belongs to no matter, so its ledger rows are filed under the department of
the staff member who made the change.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import TransitionError

from .. import events
from ..models import Participant

FIELDS = ("name", "is_organisation", "category", "affiliation", "expertise", "phone", "email")


@dataclass(frozen=True)
class ParticipantData:
    name: str
    category: str
    affiliation: str = ""
    expertise: str = ""
    phone: str = ""
    email: str = ""
    is_organisation: bool = False


def _department_id(by) -> int:
    department_id = getattr(by, "department_id", None)
    if not department_id:
        raise TransitionError(_("您的账户未关联部门，无法在参与主体库中登记（台账须记入部门）。"))
    return department_id


def _snapshot(participant: Participant) -> dict:
    # Contact details stay out of the ledger: the general office's ledger export is wide.
    return {
        "name": participant.name,
        "category": participant.category,
        "affiliation": participant.affiliation,
        "expertise": participant.expertise,
        "is_organisation": participant.is_organisation,
        "is_active": participant.is_active,
    }


def _check(participant: Participant) -> None:
    name = participant.name.strip()
    if not name:
        raise TransitionError(_("请填写姓名或名称。"))
    if participant.category not in Participant.Category.values:
        raise TransitionError(_("未知的参与主体类别。"))
    if participant.category in Participant.INSTITUTIONS and not participant.is_organisation:
        raise TransitionError(
            _("“%(category)s”是机构，请勾选“组织”。")
            % {"category": Participant.Category(participant.category).label}
        )
    duplicate = Participant.objects.filter(
        name=name, affiliation=participant.affiliation.strip()
    ).exclude(pk=participant.pk)
    if duplicate.exists():
        raise TransitionError(
            _("参与主体库中已有“%(name)s”（%(affiliation)s），请勿重复登记。")
            % {"name": name, "affiliation": participant.affiliation or _("无单位")}
        )


@transaction.atomic
def participant_create(
    *,
    by,
    name: str,
    category: str,
    affiliation: str = "",
    expertise: str = "",
    phone: str = "",
    email: str = "",
    is_organisation: bool = False,
) -> Participant:
    department_id = _department_id(by)
    participant = Participant(
        name=name.strip(),
        category=category,
        affiliation=affiliation.strip(),
        expertise=expertise.strip(),
        phone=phone.strip(),
        email=email.strip(),
        is_organisation=is_organisation,
        department_id=department_id,
        created_by=by,
    )
    _check(participant)
    participant.save()
    events.participant_created(
        participant, by=by, department_id=department_id, snapshot=_snapshot(participant)
    )
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, by, **fields) -> Participant:
    unknown = set(fields) - set(FIELDS) - {"is_active"}
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    department_id = _department_id(by)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    before = _snapshot(participant)
    for field, value in fields.items():
        setattr(participant, field, value.strip() if isinstance(value, str) else value)
    _check(participant)
    participant.save()
    after = _snapshot(participant)
    changed = {key for key in after if after[key] != before[key]}
    events.participant_updated(
        participant,
        by=by,
        department_id=department_id,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
        contact_changed=any(field in fields for field in ("phone", "email")),
    )
    return participant


# --- import -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


class ImportRefused(TransitionError):
    """A file with bad rows: nothing was imported. ``errors`` names every bad row."""

    def __init__(self, message: str, *, errors: Sequence[RowError] = ()):
        super().__init__(message)
        self.errors = list(errors)


def check_rows(rows: Sequence[tuple[int, ParticipantData]]) -> list[RowError]:
    """Every problem of every row, with the row's line number in the file."""
    errors: list[RowError] = []
    limits = {
        field.name: field.max_length
        for field in Participant._meta.get_fields()
        if getattr(field, "max_length", None) and field.name in FIELDS
    }
    labels = {name: Participant._meta.get_field(name).verbose_name for name in limits}
    seen: dict[tuple[str, str], int] = {}
    keys = {(row.name, row.affiliation) for _line, row in rows if row.name}
    existing = set()
    if keys:
        names = {name for name, _affiliation in keys}
        existing = set(
            Participant.objects.filter(name__in=names).values_list("name", "affiliation")
        )
    for line, row in rows:
        reasons: list[str] = []
        if not row.name:
            reasons.append(_("缺少姓名或名称"))
        if row.category not in Participant.Category.values:
            reasons.append(_("类别不能为空") if not row.category else _("未知的类别"))
        elif row.category in Participant.INSTITUTIONS and not row.is_organisation:
            reasons.append(
                _("“%(category)s”是机构，“组织”一栏应填“是”")
                % {"category": Participant.Category(row.category).label}
            )
        for name, limit in limits.items():
            value = getattr(row, name)
            if len(value) > limit:
                reasons.append(
                    _("%(field)s过长（最多 %(limit)d 个字符）")
                    % {"field": labels[name], "limit": limit}
                )
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                reasons.append(_("电子邮箱格式不正确：%(email)s") % {"email": row.email})
        if row.name:
            key = (row.name, row.affiliation)
            if key in seen:
                reasons.append(
                    _("与第 %(line)d 行重复（姓名或名称和单位相同）") % {"line": seen[key]}
                )
            else:
                seen[key] = line
            if key in existing:
                reasons.append(_("参与主体库中已有同名同单位的参与主体"))
        errors.extend(RowError(line=line, reason=reason) for reason in reasons)
    return errors


@transaction.atomic
def participants_import(
    *, by, rows: Sequence[tuple[int, ParticipantData]], source: str = ""
) -> list[Participant]:
    """Import every row or none: a single bad row refuses the whole file."""
    department_id = _department_id(by)
    if not rows:
        raise ImportRefused(_("文件中没有参与主体数据。"))
    errors = check_rows(rows)
    if errors:
        raise ImportRefused(
            _("文件中有 %(count)d 处错误，未导入任何数据。请修改后重新上传。")
            % {"count": len(errors)},
            errors=errors,
        )
    created = Participant.objects.bulk_create(
        Participant(
            name=row.name,
            category=row.category,
            affiliation=row.affiliation,
            expertise=row.expertise,
            phone=row.phone,
            email=row.email,
            is_organisation=row.is_organisation,
            department_id=department_id,
            created_by=by,
        )
        for _line, row in rows
    )
    events.participants_imported(created, by=by, department_id=department_id, source=source)
    return created
