"""A survey's responses and result tables as Excel workbooks.

``write_responses`` streams the raw responses (one row per valid response, one column
per answer) through a write-only workbook: responses are read in chunks and each chunk's
answers with one query, as plain values rather than model instances, so 100,000 responses
take a few hundred queries and a flat amount of memory. Every text cell is kept as text
(formula injection) the way the ledger export does it (``matters.exports``).
"""

import tempfile
from collections import defaultdict, namedtuple
from collections.abc import Iterable, Iterator
from io import BytesIO
from itertools import islice
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from matters.exports import clean_text, keep_as_text, text_cell
from participation.models import Participant

from . import xlsx
from .charts import Block, blocks, number_text
from .models import Answer, Question, Response, Survey
from .questions import question_type
from .results import survey_results, valid_responses
from .tallies import specs_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_SIZE = 2000
TIME_FORMAT = "yyyy-mm-dd hh:mm"
FIXED_WIDTHS = (10, 12, 14, 18, 10)
# ``questions.Row`` as a named tuple: the same fields, read the same way by the question
# types, made several times faster than the frozen dataclass (a million of them per export).
AnswerRow = namedtuple("AnswerRow", "option_id row_id rank number text")
ANSWER_FIELDS = ("response_id", "question_id", "option_id", "row_id", "rank", "number", "text")


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _cell(sheet, value):
    if isinstance(value, str):
        return text_cell(sheet, value)
    return value


def _header(sheet, titles: list[str]) -> list:
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=clean_text(title))
        keep_as_text(cell)
        cell.font = bold
        cells.append(cell)
    return cells


def _rows(survey: Survey, specs, kinds) -> Iterator[list]:
    """Each valid response as its row of values, in number order: responses in chunks of
    ``CHUNK_SIZE``, each chunk's answers with one query, as plain values."""
    channels = {value: str(label) for value, label in Response.Channel.choices}
    categories = {value: str(label) for value, label in Participant.Category.choices}
    yes = _("是")
    zone = timezone.get_default_timezone()
    responses = (
        valid_responses(survey)
        .order_by("number")
        .values_list("pk", "number", "channel", "category", "submitted_at", "suspected_duplicate")
    )
    for chunk in _chunks(responses.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        answers: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        rows = (
            Answer.objects.filter(response_id__in=[r[0] for r in chunk])
            .order_by("pk")
            .values_list(*ANSWER_FIELDS)
        )
        for response_id, question_id, option_id, row_id, rank, number, text in rows:
            answers[response_id][question_id].append(
                AnswerRow(option_id, row_id, rank, number, text)
            )
        for pk, number, channel, category, submitted_at, duplicate in chunk:
            given = answers.get(pk, {})
            line = [
                number,
                channels.get(channel, channel),
                categories.get(category, category),
                submitted_at.astimezone(zone).replace(tzinfo=None, microsecond=0),
                yes if duplicate else "",
            ]
            for spec, kind in zip(specs, kinds, strict=True):
                found = given.get(spec.id)
                line += kind.cells(spec, kind.value_from_rows(spec, found) if found else None)
            yield line


def write_responses(survey: Survey, stream_or_path: IO[bytes] | str) -> None:
    """Write the valid responses of ``survey`` as an .xlsx to a binary stream or a path:
    a header row, then one row per valid response and one column per answer."""
    specs = specs_of(survey)
    kinds = [question_type(spec) for spec in specs]
    columns = [_("答卷编号"), _("渠道"), _("类别"), _("提交时间"), _("疑似重复")]
    for spec, kind in zip(specs, kinds, strict=True):
        columns += kind.columns(spec)
    xlsx.write(
        stream_or_path,
        sheet_title=_("答卷"),
        header=columns,
        rows=_rows(survey, specs, kinds),
        widths=FIXED_WIDTHS,
    )


def responses_file(survey: Survey) -> IO[bytes]:
    """The raw responses in a temporary file (deleted when closed), ready to stream."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_responses(survey, handle)
    handle.seek(0)
    return handle


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def responses_filename(survey: Survey) -> str:
    return _("问卷答卷-%(pk)d-%(date)s.xlsx") % {"pk": survey.pk, "date": _stamp()}


def results_filename(survey: Survey) -> str:
    return _("问卷结果-%(pk)d-%(date)s.xlsx") % {"pk": survey.pk, "date": _stamp()}


# ----------------------------------------------------------------- the result tables


def block_table(block: Block) -> tuple[list[str], list[list]]:
    """A question's table as the results page shows it: headings and rows."""
    result = block.result
    kind = result.kind
    if kind in ("single", "multiple"):
        return [_("选项"), _("人数"), _("百分比（%）")], [
            [o.choice.label, o.count, o.percent] for o in result.options
        ]
    if kind == "matrix":
        heads = [_("行"), *[c.label for c in result.spec.choices], _("合计")]
        return heads, [
            [row.label, *[o.count for o in cells], total] for row, cells, total in result.matrix
        ]
    if kind == "rating":
        rows = [[number_text(v), n, p] for v, n, p in result.distribution]
        rows += [
            [_("平均分"), number_text(result.mean), ""],
            [_("中位数"), number_text(result.median), ""],
        ]
        return [_("分值"), _("人数"), _("百分比（%）")], rows
    if kind == "number":
        unit = block.unit
        rows = [[label, n] for label, n in block.ranges]
        rows += [
            [_("作答人数"), result.answered],
            [_("平均值"), f"{number_text(result.mean)}{unit}"],
            [_("中位数"), f"{number_text(result.median)}{unit}"],
            [_("最小值"), f"{number_text(result.minimum)}{unit}"],
            [_("最大值"), f"{number_text(result.maximum)}{unit}"],
        ]
        return [_("数值区间"), _("人数")], rows
    if kind == "ranking":
        heads = [
            _("选项"),
            _("得分"),
            _("平均名次"),
            *[_("第%(n)d位") % {"n": n} for n in block.places],
        ]
        return heads, [
            [r.choice.label, r.points, number_text(r.mean_rank), *r.by_place]
            for r in result.ranking
        ]
    return [_("作答人数")], [[result.answered]]


def results_workbook(survey: Survey) -> bytes:
    """One sheet: each question's table, as on the results page (no text answers)."""
    results = survey_results(survey)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("调查结果"))
    sheet.column_dimensions["A"].width = 40
    bold = Font(bold=True)

    def heading(text: str) -> list:
        cell = text_cell(sheet, text)
        cell.font = bold
        return [cell]

    sheet.append(heading(survey.title))
    sheet.append([text_cell(sheet, _("有效答卷")), results.respondents])
    for value, label in Response.Channel.choices:
        if n := results.by_channel.get(value):
            sheet.append([text_cell(sheet, str(label)), n])
    for block in blocks(results):
        sheet.append([])
        spec = block.spec
        sheet.append(heading(f"{spec.position}. {spec.text}（{question_kind_label(spec.kind)}）"))
        sheet.append([text_cell(sheet, _("作答人数")), block.result.answered])
        heads, rows = block_table(block)
        sheet.append(_header(sheet, heads))
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def question_kind_label(kind: str) -> str:
    return str(Question.Kind(kind).label)
