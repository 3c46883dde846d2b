"""Reading a participant file (CSV in UTF-8 with or without BOM, or .xlsx) into rows.

The file is read whole before anything is written; ``participants_import`` then takes all
rows or none. Line numbers are those a user sees in Excel: the header is line 1.
"""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from core.archives import UnsafeArchive, ZipLimits, check_zip

from .models import Participant
from .services.participants import ImportRefused, ParticipantData, RowError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Lines read at most, blank ones included: a sheet can declare a million empty rows that
# openpyxl hands out one by one. Beyond this the file cannot be a hand-kept list.
MAX_LINES = 4 * MAX_ROWS
# Columns read; a cell far to the right would make openpyxl pad every row out to it.
MAX_COLUMNS = 50
# No field of a participant passes 200 characters; a far longer cell is no participant list
# (and openpyxl would quietly cut it at Excel's 32,767 rather than say so).
MAX_CELL_CHARS = 1000
# 5,000 rows of seven columns are a few MB of sheet XML; this leaves room for formatting.
XLSX_LIMITS = ZipLimits(
    max_members=500, max_member_bytes=32 * 1024 * 1024, max_total_bytes=48 * 1024 * 1024
)

HEADERS = {
    "姓名或名称": "name",
    "类别": "category",
    "单位或所属": "affiliation",
    "专业领域": "expertise",
    "联系电话": "phone",
    "电子邮箱": "email",
    "组织(是/否)": "is_organisation",
}
REQUIRED_HEADERS = ("姓名或名称", "类别")
YES = {"是", "y", "yes", "true", "1", "组织"}
NO = {"否", "n", "no", "false", "0", ""}


def _normalise_header(value) -> str:
    text = str(value or "").strip().replace("（", "(").replace("）", ")").replace(" ", "")
    return text


def category_by_label() -> dict[str, str]:
    # Labels are compared in Chinese whatever the request language: the file is Chinese.
    from django.utils import translation

    with translation.override("zh-hans"):
        return {str(label): value for value, label in Participant.Category.choices}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into Excel arrives as a number
    return str(value).strip()


def _too_many_lines() -> ImportRefused:
    return ImportRefused(
        _("文件行数过多（含空行超过 %(limit)d 行），已拒绝导入。请删去多余的行或分批导入。")
        % {"limit": MAX_LINES}
    )


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("无法读取文件：CSV 文件须为 UTF-8 编码（在 Excel 中另存为“CSV UTF-8”）。")
        ) from None
    rows = []
    for row in csv.reader(io.StringIO(text)):
        rows.append(row)
        if len(rows) > MAX_LINES:
            raise _too_many_lines()
    return rows


def _check_cells(rows: list[list[str]]) -> None:
    for line, row in enumerate(rows, start=1):
        if any(len(value) > MAX_CELL_CHARS for value in row):
            raise ImportRefused(
                _("第 %(line)d 行有单元格内容过长（超过 %(limit)d 个字符），已拒绝导入。")
                % {"line": line, "limit": MAX_CELL_CHARS}
            )


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    buffer = io.BytesIO(data)
    try:
        # Before openpyxl sees it: openpyxl inflates a whole cell's text into memory.
        check_zip(buffer, XLSX_LIMITS)
    except UnsafeArchive as error:
        raise ImportRefused(str(error)) from None
    except zipfile.BadZipFile:
        raise ImportRefused(_("无法读取文件：不是有效的 Excel（.xlsx）文件。")) from None
    try:
        workbook = load_workbook(buffer, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused(_("无法读取文件：不是有效的 Excel（.xlsx）文件。")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            if len(row) > MAX_COLUMNS and _cell(row[MAX_COLUMNS]):
                raise ImportRefused(_("表格列数过多：最多 %(limit)d 列。") % {"limit": MAX_COLUMNS})
            rows.append([_cell(value) for value in row[:MAX_COLUMNS]])
            if len(rows) > MAX_LINES:
                raise _too_many_lines()
        return rows
    except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile):
        # ElementTree's ParseError is a SyntaxError: a sheet that is not well-formed XML.
        raise ImportRefused(_("无法读取文件：不是有效的 Excel（.xlsx）文件。")) from None
    finally:
        workbook.close()


def read_participant_file(upload) -> list[tuple[int, ParticipantData]]:
    """Rows of the file with their line numbers, or ``ImportRefused`` naming every problem."""
    if upload.size > MAX_BYTES:
        raise ImportRefused(
            _("文件过大：上限为 %(limit)d MB。") % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    name = (upload.name or "").lower()
    upload.seek(0)
    data = upload.read()
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise ImportRefused(_("仅支持 CSV（UTF-8）和 Excel（.xlsx）文件。"))
    if not table:
        raise ImportRefused(_("文件为空。"))
    _check_cells(table)
    header = [_normalise_header(value) for value in table[0]]
    missing = [label for label in REQUIRED_HEADERS if label not in header]
    if missing:
        raise ImportRefused(
            _("表头缺少必填列：%(columns)s。表头应为：%(expected)s。")
            % {"columns": "、".join(missing), "expected": "、".join(HEADERS)}
        )
    columns = {HEADERS[label]: index for index, label in enumerate(header) if label in HEADERS}
    body = [
        (line, values)
        for line, values in enumerate(table[1:], start=2)
        if any(_cell(value) for value in values)  # blank lines are not rows
    ]
    if len(body) > MAX_ROWS:
        raise ImportRefused(
            _("数据行过多：每个文件最多 %(limit)d 行，请分批导入。") % {"limit": MAX_ROWS}
        )
    categories = category_by_label()
    rows: list[tuple[int, ParticipantData]] = []
    errors: list[RowError] = []
    for line, values in body:

        def get(field: str, values=values) -> str:
            index = columns.get(field)
            return _cell(values[index]) if index is not None and index < len(values) else ""

        label = get("category")
        flag = get("is_organisation").lower()
        if flag not in YES and flag not in NO:
            errors.append(
                RowError(line=line, reason=_("“组织”一栏只能填“是”或“否”：%(v)s") % {"v": flag})
            )
        if label and label not in categories:
            errors.append(
                RowError(
                    line=line,
                    reason=_("未知的类别“%(label)s”，可选：%(choices)s")
                    % {"label": label, "choices": "、".join(categories)},
                )
            )
        rows.append(
            (
                line,
                ParticipantData(
                    name=get("name"),
                    # An unknown label becomes "?" so the row check does not report it twice.
                    category=categories.get(label, "?" if label else ""),
                    affiliation=get("affiliation"),
                    expertise=get("expertise"),
                    phone=get("phone"),
                    email=get("email"),
                    is_organisation=flag in YES,
                ),
            )
        )
    if errors:
        # Also collect the row checks so the user sees every bad row at once.
        from .services.participants import check_rows

        everything = errors + [
            error for error in check_rows(rows) if not error.reason.startswith(_("未知的类别"))
        ]
        everything.sort(key=lambda error: error.line)
        raise ImportRefused(
            _("文件中有 %(count)d 处错误，未导入任何数据。请修改后重新上传。")
            % {"count": len(everything)},
            errors=everything,
        )
    return rows
