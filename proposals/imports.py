"""Importing the congress's or CPPCC's list of suggestions or proposals (an .xlsx file).

All or nothing: the file is read and every row checked before anything is written; one bad
row and nothing is saved, and every bad row is reported with its line number (as Excel
shows it: the header is line 1) and the reason in Chinese. Authors are matched to the
participant registry by name, and by affiliation where two share a name; an author not in
the registry is an error, never created on the fly. A hostile file (a zip bomb, a sheet of
a million empty rows, an absurdly long cell) is refused before openpyxl inflates it.
"""

import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.archives import UnsafeArchive, check_zip
from core.exceptions import TransitionError
from core.uploads import check_upload
from matters.models import PolicyArea
from participation.imports import XLSX_LIMITS
from participation.models import Participant
from participation.services.participants import ImportRefused, RowError

from . import services
from .models import Proposal

__all__ = ["HEADERS", "ImportRefused", "RowError", "import_proposals", "template_workbook"]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 3000
MAX_LINES = 4 * MAX_ROWS
MAX_COLUMNS = 30
# The body of a suggestion runs to a few thousand characters; nothing passes this.
MAX_CELL_CHARS = 30000

# Column header -> field. The template's header row, in this order.
HEADERS = {
    "类别": "kind",
    "年度": "year",
    "编号": "number",
    "届次会议": "session",
    "提出时间": "source",
    "标题": "title",
    "内容": "body",
    "领衔提出人": "lead",
    "领衔提出人单位": "lead_affiliation",
    "联名提出人": "co_signers",
    "政策领域": "policy_area",
    "可以公开": "is_public",
    "重点": "is_key",
}
REQUIRED_HEADERS = ("类别", "年度", "编号", "标题", "内容", "领衔提出人")
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0"}
# 联名提出人: names separated by 、，,;； or new lines; 张伟（青岛大学） names the affiliation.
SEPARATORS = re.compile(r"[、，,;；\n]+")
WITH_AFFILIATION = re.compile(r"^(?P<name>[^（(]+)[（(](?P<affiliation>[^）)]+)[）)]$")


@dataclass
class ProposalRow:
    line: int
    kind: str = ""
    year: int = 0
    number: str = ""
    session: str = ""
    source: str = Proposal.Source.SESSION
    title: str = ""
    body: str = ""
    lead: Participant | None = None
    co_signers: list = field(default_factory=list)
    policy_area: PolicyArea | None = None
    is_public: bool = True
    is_key: bool = False


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _refuse_file() -> ImportRefused:
    return ImportRefused(_("无法读取文件：不是有效的 Excel（.xlsx）文件。"))


def _read_xlsx(upload) -> list[list[str]]:
    from openpyxl import load_workbook

    if upload.size > MAX_BYTES:
        raise ImportRefused(
            _("文件过大：上限为 %(limit)d MB。") % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ImportRefused(_("仅支持 Excel（.xlsx）文件，请使用下载的模板。"))
    try:
        checked = check_upload(upload)  # the type from the content; zip bombs refused
    except Exception as error:  # ValidationError: its message is already in Chinese
        messages = getattr(error, "messages", None) or [str(error)]
        raise ImportRefused(" ".join(messages)) from None
    if checked.extension != "xlsx":
        raise ImportRefused(_("仅支持 Excel（.xlsx）文件，请使用下载的模板。"))
    upload.seek(0)
    buffer = io.BytesIO(upload.read())
    try:
        check_zip(buffer, XLSX_LIMITS)
    except UnsafeArchive as error:
        raise ImportRefused(str(error)) from None
    except zipfile.BadZipFile:
        raise _refuse_file() from None
    try:
        workbook = load_workbook(buffer, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        raise _refuse_file() from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            if len(row) > MAX_COLUMNS and _cell(row[MAX_COLUMNS]):
                raise ImportRefused(_("表格列数过多：最多 %(limit)d 列。") % {"limit": MAX_COLUMNS})
            values = [_cell(value) for value in row[:MAX_COLUMNS]]
            if any(len(value) > MAX_CELL_CHARS for value in values):
                raise ImportRefused(
                    _("第 %(line)d 行有单元格内容过长（超过 %(limit)d 个字符），已拒绝导入。")
                    % {"line": len(rows) + 1, "limit": MAX_CELL_CHARS}
                )
            rows.append(values)
            if len(rows) > MAX_LINES:
                raise ImportRefused(
                    _("文件行数过多（含空行超过 %(limit)d 行），已拒绝导入。")
                    % {"limit": MAX_LINES}
                )
        return rows
    except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile):
        raise _refuse_file() from None
    finally:
        workbook.close()


def _labels(choices) -> dict[str, str]:
    # The file is Chinese whatever the page's language.
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices}


def _kinds() -> dict[str, str]:
    kinds = _labels(Proposal.Kind.choices)
    kinds.update({"建议": Proposal.Kind.SUGGESTION, "提案": Proposal.Kind.PROPOSAL})
    return kinds


class _Registry:
    """The registry's authors by name, read once for the whole file."""

    def __init__(self):
        categories = set().union(*services.AUTHOR_CATEGORIES.values())
        self.by_name = defaultdict(list)
        for participant in Participant.objects.filter(is_active=True, category__in=categories):
            self.by_name[participant.name].append(participant)

    def find(self, name: str, affiliation: str = "") -> tuple[Participant | None, str]:
        candidates = self.by_name.get(name, [])
        if affiliation:
            candidates = [p for p in candidates if p.affiliation == affiliation]
        if not candidates:
            where = _("（%(affiliation)s）") % {"affiliation": affiliation} if affiliation else ""
            return None, _(
                "参与主体库中没有提出人“%(name)s%(where)s”，请先在参与主体库中登记。"
            ) % {
                "name": name,
                "where": where,
            }
        if len(candidates) > 1:
            return None, _(
                "参与主体库中有 %(count)d 位“%(name)s”，请注明单位"
                "（领衔提出人填在“领衔提出人单位”一栏，联名提出人写作“姓名（单位）”）。"
            ) % {"count": len(candidates), "name": name}
        return candidates[0], ""


def _flag(value: str, default: bool, column: str, errors: list, line: int) -> bool:
    value = value.lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    errors.append(
        RowError(
            line=line,
            reason=_("“%(column)s”一栏只能填“是”或“否”：%(value)s")
            % {"column": column, "value": value},
        )
    )
    return default


def check_table(table: list[list[str]]) -> list[ProposalRow]:
    """The rows of the sheet, checked; ``ImportRefused`` naming every bad row."""
    if not table:
        raise ImportRefused(_("文件为空。"))
    header = [value.replace(" ", "") for value in table[0]]
    missing = [label for label in REQUIRED_HEADERS if label not in header]
    if missing:
        raise ImportRefused(
            _("表头缺少必填列：%(columns)s。表头应为：%(expected)s。")
            % {"columns": "、".join(missing), "expected": "、".join(HEADERS)}
        )
    columns = {HEADERS[label]: index for index, label in enumerate(header) if label in HEADERS}
    body = [(line, values) for line, values in enumerate(table[1:], start=2) if any(values)]
    if not body:
        raise ImportRefused(_("文件中没有数据行。"))
    if len(body) > MAX_ROWS:
        raise ImportRefused(
            _("数据行过多：每个文件最多 %(limit)d 行，请分批导入。") % {"limit": MAX_ROWS}
        )
    kinds = _kinds()
    sources = _labels(Proposal.Source.choices)
    areas = {area.name: area for area in PolicyArea.objects.all()}
    registry = _Registry()
    errors: list[RowError] = []
    rows: list[ProposalRow] = []
    seen: dict[tuple, int] = {}
    for line, values in body:

        def get(name: str, values=values) -> str:
            index = columns.get(name)
            return values[index] if index is not None and index < len(values) else ""

        def error(reason: str, line=line) -> None:
            errors.append(RowError(line=line, reason=reason))

        row = ProposalRow(line=line)
        for label in REQUIRED_HEADERS:
            if not get(HEADERS[label]):
                error(_("“%(column)s”不能为空。") % {"column": label})
        kind_label = get("kind")
        row.kind = kinds.get(kind_label, "")
        if kind_label and not row.kind:
            error(_("未知的类别“%(label)s”，可选：建议、提案。") % {"label": kind_label})
        year = get("year")
        if year:
            if year.isdigit() and 2000 <= int(year) <= 2100:
                row.year = int(year)
            else:
                error(_("年度须为四位数字：%(value)s") % {"value": year})
        row.number = get("number").removeprefix("第").removesuffix("号")
        if len(row.number) > 20:
            error(_("编号过长（最多 20 个字符）。"))
        row.title = get("title")
        if len(row.title) > 200:
            error(_("标题过长（最多 200 个字符）。"))
        row.session = get("session")
        if len(row.session) > 100:
            error(_("届次会议过长（最多 100 个字符）。"))
        row.body = get("body")
        source = get("source")
        if source:
            row.source = sources.get(source, "")
            if not row.source:
                error(
                    _("未知的提出时间“%(value)s”，可选：%(choices)s。")
                    % {"value": source, "choices": "、".join(sources)}
                )
        area = get("policy_area")
        if area:
            row.policy_area = areas.get(area)
            if row.policy_area is None:
                error(_("未知的政策领域“%(value)s”。") % {"value": area})
        row.is_public = _flag(get("is_public"), True, "可以公开", errors, line)
        row.is_key = _flag(get("is_key"), False, "重点", errors, line)
        if get("lead"):
            row.lead, problem = registry.find(get("lead"), get("lead_affiliation"))
            if problem:
                error(problem)
        for text in SEPARATORS.split(get("co_signers")):
            text = text.strip()
            if not text:
                continue
            match = WITH_AFFILIATION.match(text)
            name, affiliation = (
                (match["name"].strip(), match["affiliation"].strip()) if match else (text, "")
            )
            participant, problem = registry.find(name, affiliation)
            if problem:
                error(problem)
            else:
                row.co_signers.append(participant)
        if row.kind:
            allowed = services.AUTHOR_CATEGORIES[row.kind]
            for participant in filter(None, (row.lead, *row.co_signers)):
                if participant.category not in allowed:
                    error(
                        _("%(name)s是%(category)s，不能作为%(kind)s的提出人。")
                        % {
                            "name": participant.name,
                            "category": participant.get_category_display(),
                            "kind": Proposal.Kind(row.kind).label,
                        }
                    )
        people = [p.pk for p in filter(None, (row.lead, *row.co_signers))]
        if len(people) != len(set(people)):
            error(_("同一位代表委员只能列为提出人一次。"))
        if row.kind and row.year and row.number:
            key = (row.kind, row.year, row.number)
            if key in seen:
                error(_("编号与第 %(line)d 行重复。") % {"line": seen[key]})
            else:
                seen[key] = line
            if Proposal.objects.filter(kind=row.kind, year=row.year, number=row.number).exists():
                error(
                    _("%(year)d年已有编号为%(number)s的%(kind)s。")
                    % {
                        "year": row.year,
                        "number": row.number,
                        "kind": Proposal.Kind(row.kind).label,
                    }
                )
        rows.append(row)
    if errors:
        raise ImportRefused(
            _("文件中有 %(count)d 处错误，未导入任何数据。请修改后重新上传。")
            % {"count": len(errors)},
            errors=sorted(errors, key=lambda error: error.line),
        )
    return rows


def import_proposals(upload, *, by) -> list[Proposal]:
    """Register every row of the file, or none (``ImportRefused`` with every bad row)."""
    rows = check_table(_read_xlsx(upload))
    created = []
    with transaction.atomic():
        for row in rows:
            try:
                created.append(
                    services.proposal_register(
                        by=by,
                        kind=row.kind,
                        year=row.year,
                        number=row.number,
                        title=row.title,
                        body=row.body,
                        lead_author=row.lead,
                        co_signers=row.co_signers,
                        session=row.session,
                        source=row.source,
                        policy_area=row.policy_area,
                        is_public=row.is_public,
                        is_key=row.is_key,
                        imported=True,
                    )
                )
            except TransitionError as error:
                # Leaving the block rolls back every row registered before this one.
                raise ImportRefused(
                    _("文件中有错误，未导入任何数据。"),
                    errors=[RowError(line=row.line, reason=str(error))],
                ) from None
    return created


def template_workbook() -> bytes:
    """The template to fill in: the header row and one example row, in Chinese whatever the
    page's language (the importer reads Chinese labels)."""
    with translation.override("zh-hans"):
        return _template_workbook()


def _template_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("建议提案")
    sheet.append(list(HEADERS))
    sheet.append(
        [
            _("建议"),
            2026,
            "0123",
            _("市十七届人大五次会议"),
            _("大会期间"),
            _("关于加快社区养老服务设施建设的建议"),
            _("建议内容……"),
            _("张伟"),
            "",
            _("李娜、王芳（青岛大学）"),
            "",
            _("是"),
            _("否"),
        ]
    )
    widths = (8, 8, 10, 24, 10, 36, 48, 12, 18, 28, 12, 10, 8)
    for column, width in zip("ABCDEFGHIJKLM", widths, strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
