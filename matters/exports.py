"""The ledger (台账) as an Excel workbook for the general office's annual supervision."""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import LedgerEntry, ledger_action_choices
from .procedures import Kind

CHUNK_SIZE = 2000
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# A spreadsheet treats a cell starting with one of these as a formula (or strips it into one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class LedgerRow:
    """One ledger entry as the page and the workbook show it, column for column."""

    time: datetime.datetime
    department: str
    reference: str
    title: str
    kind: str
    action: str
    summary: str
    actor: str
    before: str
    after: str


def ledger_headers() -> list[str]:
    return [
        _("时间"),
        _("部门"),
        _("事项编号"),
        _("事项名称"),
        _("协商类别"),
        _("操作"),
        _("摘要"),
        _("操作人"),
        _("变更前"),
        _("变更后"),
    ]


# Widths in characters, in header order; CJK text is about two characters wide per glyph.
COLUMN_WIDTHS = (20, 24, 18, 40, 16, 16, 60, 12, 40, 40)


def compact_json(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class _Labels:
    """Action and kind labels in the active language, translated once per export.

    ``get_FOO_display()`` rebuilds and translates the whole choice list on every call,
    which dominates the time of a hundred-thousand-row export.
    """

    def __init__(self):
        self.actions = {value: str(label) for value, label in ledger_action_choices()}
        self.kinds = {value: str(label) for value, label in Kind.choices}


def ledger_row(entry: LedgerEntry, labels: _Labels | None = None) -> LedgerRow:
    """Needs ``department``, ``matter`` and ``actor`` joined (``selectors.ledger_entries``)."""
    labels = labels or _Labels()
    matter = entry.matter
    return LedgerRow(
        time=timezone.localtime(entry.created_at, timezone.get_default_timezone()),
        department=entry.department.name,
        reference=matter.reference if matter else "",
        title=matter.title if matter else "",
        kind=labels.kinds.get(matter.kind, matter.kind) if matter else "",
        # An action another app records without a label shows as its code.
        action=labels.actions.get(entry.action, entry.action),
        summary=entry.summary,
        actor=entry.actor.display_name if entry.actor else "",
        before=compact_json(entry.before),
        after=compact_json(entry.after),
    )


def ledger_rows(entries: Iterable[LedgerEntry]) -> list[LedgerRow]:
    labels = _Labels()
    return [ledger_row(entry, labels) for entry in entries]


def clean_text(value: str) -> str:
    """Drop control characters that XML cannot hold (pasted from a word processor into a
    title, say), so one odd character never breaks the whole export."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def keep_as_text(cell) -> None:
    """Keep text that a spreadsheet would run as a formula (formula injection) as text.

    openpyxl makes any string starting with ``=`` a formula; the cell is set back to a
    string and given Excel's quote-prefix style, so it shows the text exactly as typed
    (no apostrophe in it) and stays text when someone edits it. CSV has no styles: the
    API's CSV keeps the apostrophe instead (``api/csv.py``).
    """
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """A write-only workbook's cell of ``value``, cleaned and kept as text."""
    cell = WriteOnlyCell(sheet, value=clean_text(value))
    keep_as_text(cell)
    return cell


def _cells(sheet, row: LedgerRow) -> list:
    # Excel has no time zones: the Shanghai wall-clock time is written as a real date-time.
    time = WriteOnlyCell(sheet, value=row.time.replace(tzinfo=None, microsecond=0))
    time.number_format = TIME_FORMAT
    texts = (
        row.department,
        row.reference,
        row.title,
        row.kind,
        row.action,
        row.summary,
        row.actor,
        row.before,
        row.after,
    )
    return [time, *(text_cell(sheet, text) for text in texts)]


def ledger_workbook(entries: QuerySet[LedgerEntry] | Iterable[LedgerEntry]) -> bytes:
    """An .xlsx of the entries, streamed row by row so a hundred thousand rows stay small."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("台账"))
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in ledger_headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    rows = entries.iterator(chunk_size=CHUNK_SIZE) if isinstance(entries, QuerySet) else entries
    labels = _Labels()
    for entry in rows:
        sheet.append(_cells(sheet, ledger_row(entry, labels)))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
