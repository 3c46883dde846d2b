"""A ledger row's before/after data as people read it: "field: old → new" in Chinese.

The data stays machine-shaped (codes, ids, ISO times) in the ledger and the Excel export;
the page shows each changed field by its verbose name, codes by their labels, department
and policy-area codes by their names, times in Shanghai time, and the raw JSON one click
away. Names are looked up once per page (two small queries), never per row.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department
from core.dates import shown_date, shown_datetime

from .models import LedgerEntry, Matter, PolicyArea
from .procedures import PROCEDURES

# Keys that are no model field of the object the row is about.
EXTRA_LABELS = {
    "reason": gettext_lazy("原因"),
    "comment": gettext_lazy("审核意见"),
    "item_comments": gettext_lazy("逐项意见"),
    "items": gettext_lazy("事项"),
    "amendment": gettext_lazy("年中调整"),
    "released_matters": gettext_lazy("不再落实目录事项的协商事项"),
    "participants": gettext_lazy("参与主体"),
    "co_departments": gettext_lazy("配合部门"),
    "policy_areas": gettext_lazy("政策领域"),
    "deadline": gettext_lazy("报送截止时间"),
    "submitted_at": gettext_lazy("报送时间"),
    "sha256": gettext_lazy("文件校验值"),
    "size": gettext_lazy("文件大小（字节）"),
}


# Models of the apps above matters whose field names and choices a row's data may use (an
# opinion's disposition on a comment period's row); filled by register_ledger_display.
_EXTRA_MODELS: list = []


# Words for keys of the rows of some object types only (``object_types`` below), so that
# one app's "note" or "kind" does not rename another's.
_TYPE_LABELS: dict[str, dict] = {}


def register_ledger_display(
    *, labels: dict | None = None, models=(), object_types: tuple[str, ...] = ()
) -> None:
    """Called by a higher app's AppConfig.ready(): the words for the keys its ledger rows
    write, and the models whose fields name the rest. The ledger imports no higher app.

    With ``object_types`` (the rows' ``object_type``s) the words hold for those rows only,
    ahead of the shared ones; without, for every row that has the key."""
    if object_types:
        for object_type in object_types:
            _TYPE_LABELS.setdefault(object_type, {}).update(labels or {})
    else:
        EXTRA_LABELS.update(labels or {})
    _EXTRA_MODELS.extend(model for model in models if model not in _EXTRA_MODELS)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    changed: bool


@cache
def _models_by_name() -> dict[str, Any]:
    return {model._meta.model_name: model for model in apps.get_models()}


def _field(object_type: str, key: str):
    for model in (_models_by_name().get(object_type), *_EXTRA_MODELS, Matter):
        if model is not None:
            try:
                return model._meta.get_field(key)
            except FieldDoesNotExist:
                pass
    return None


def _stage_label(code: str, entry: LedgerEntry) -> str:
    procedures = [entry.matter.procedure] if entry.matter else []
    for procedure in [*procedures, *PROCEDURES.values()]:
        for stage in procedure.stages:
            if stage.code == code:
                return str(stage.label)
    return code


def _time(text: str) -> str | None:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if len(text) == 10:  # a date
        return shown_date(value.date())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return shown_datetime(value)


class LedgerDisplay:
    """Reads a page of ledger rows; department and policy-area names loaded once."""

    def __init__(self):
        self.departments = dict(Department.objects.values_list("code", "name"))
        self.areas = dict(PolicyArea.objects.values_list("code", "name"))

    def value(self, entry: LedgerEntry, key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if key in ("stage", "from_stage", "to_stage"):
            return _stage_label(value, entry)
        if key == "co_departments" or key == "department":
            names = value if isinstance(value, list) else [value]
            return "、".join(self.departments.get(code, code) for code in names)
        if key == "policy_areas":
            return "、".join(self.areas.get(code, code) for code in value)
        if isinstance(value, list):
            if all(isinstance(item, str) for item in value):
                return "、".join(value)
            return _("%(count)d项") % {"count": len(value)}
        if isinstance(value, dict):
            return _("%(count)d项") % {"count": len(value)}
        field = _field(entry.object_type, key)
        if isinstance(value, str):
            choices = dict(field.flatchoices) if field is not None and field.choices else {}
            if value in choices:
                return str(choices[value])
            if len(value) >= 10 and value[4:5] == "-" and value[:4].isdigit():
                shown = _time(value)
                if shown:
                    return shown
        return str(value)

    def label(self, entry: LedgerEntry, key: str) -> str:
        own = _TYPE_LABELS.get(entry.object_type, {})
        if key in own:
            return str(own[key])
        if key in EXTRA_LABELS:
            return str(EXTRA_LABELS[key])
        field = _field(entry.object_type, key)
        if field is not None and hasattr(field, "verbose_name"):
            return str(field.verbose_name)
        return key

    def changes(self, entry: LedgerEntry) -> list[Change]:
        before, after = entry.before or {}, entry.after or {}
        keys = [*after, *(key for key in before if key not in after)]
        rows = []
        for key in keys:
            old = self.value(entry, key, before.get(key)) if key in before else "—"
            new = self.value(entry, key, after.get(key)) if key in after else "—"
            if key not in before and new == "—":
                continue  # what was filled in, not every empty field (a creation's, say)
            rows.append(Change(self.label(entry, key), old, new, changed=key in before))
        return rows
