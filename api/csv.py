"""CSV for people who open it in Excel: UTF-8 with a byte-order mark, and no formulas.

A cell that begins with ``= + - @`` (or a tab or carriage return) would be run as a
formula by a spreadsheet; such text cells are prefixed with an apostrophe. Rows are
streamed, so an export of every matter costs constant memory.
"""

import csv
from collections.abc import Callable, Iterable, Sequence

from django.http import StreamingHttpResponse
from rest_framework import renderers

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(
    *,
    filename: str,
    columns: Sequence[tuple[str, Callable]],
    objects: Iterable,
) -> StreamingHttpResponse:
    """Stream ``objects`` as CSV, one column per (header, accessor) pair."""
    header = [str(label) for label, _get in columns]
    rows = ([get(obj) for _label, get in columns] for obj in objects)
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CSVRenderer(renderers.BaseRenderer):
    """Lets content negotiation pick CSV (``?format=csv`` or ``Accept: text/csv``).

    The views that offer it stream the rows themselves; this renderer only writes the
    error bodies that reach it, as one CSV cell.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return "".join(csv_lines(["error"], [[str(data)]])).encode("utf-8")
