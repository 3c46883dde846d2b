"""Reading a participant file (CSV in UTF-8 with or without BOM, or .xlsx) into rows.

The file is read whole before anything is written; ``participants_import`` then takes all
rows or none. Line numbers are those a user sees in Excel: the header is line 1.
"""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from .models import Participant
from .services.participants import ImportRefused, ParticipantData, RowError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

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


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("无法读取文件：CSV 文件须为 UTF-8 编码（在 Excel 中另存为“CSV UTF-8”）。")
        ) from None
    return [row for row in csv.reader(io.StringIO(text))]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused(_("无法读取文件：不是有效的 Excel（.xlsx）文件。")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
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
