"""A participant file that would take the server's memory is refused before it is parsed.

The bombs are real .xlsx files built here: about 300 KB to upload, one cell of 300 MB once
inflated (openpyxl held all of it: 2.56 GB of server memory). Peak memory is measured with
tracemalloc around the request: the refusal must come from the zip's directory and a
bounded read, not from inflating the cell.
"""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from matters.models import LedgerEntry
from participation.imports import MAX_CELL_CHARS, MAX_COLUMNS, MAX_LINES, read_participant_file
from participation.models import Participant
from participation.services.participants import ImportRefused
from tests.factories import StaffFactory
from tests.hostile_files import SHEET, lie_about_size, xlsx_bomb

pytestmark = pytest.mark.django_db

HEADER = ("姓名或名称", "类别")
BOMB_MESSAGE = "文件解压后过大，可能是压缩炸弹，已拒绝导入。"
PEAK_LIMIT = 50 * 1024 * 1024


def post_measured(client, data: bytes) -> tuple[str, int]:
    upload = SimpleUploadedFile("参与主体.xlsx", data)
    tracemalloc.start()
    try:
        response = client.post(reverse("participation:participant_import"), {"file": upload})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    return response.content.decode(), peak


def test_an_xlsx_bomb_is_refused_before_parsing_in_bounded_memory(client):
    client.force_login(StaffFactory())
    bomb = xlsx_bomb(HEADER)
    assert len(bomb) < 400 * 1024  # small on disk: the 2 MB upload limit lets it through

    page, peak = post_measured(client, bomb)

    assert BOMB_MESSAGE in page
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB"
    assert not Participant.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_an_xlsx_whose_header_understates_the_sheet_is_refused(client):
    """The directory says 5 KB, the data inflates to 300 MB: the read stops at 5 KB + 1."""
    client.force_login(StaffFactory())
    liar = lie_about_size(xlsx_bomb(HEADER), SHEET, 5000)

    page, peak = post_measured(client, liar)

    assert BOMB_MESSAGE in page
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB"
    assert not Participant.objects.exists()


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("参与主体.xlsx", buffer.getvalue())


def test_a_cell_far_longer_than_any_field_is_refused():
    upload = _xlsx([HEADER, ["张伟", "专家"], ["长" * (MAX_CELL_CHARS + 1), "专家"]])
    with pytest.raises(ImportRefused, match="第 3 行有单元格内容过长"):
        read_participant_file(upload)


def test_a_csv_cell_far_longer_than_any_field_is_refused():
    data = "姓名或名称,类别\n张伟,专家\n{}\n".format("长" * (MAX_CELL_CHARS + 1)).encode()
    with pytest.raises(ImportRefused, match="第 3 行有单元格内容过长"):
        read_participant_file(SimpleUploadedFile("list.csv", data))


def test_a_sheet_of_endless_blank_lines_is_refused():
    # A sheet declares its last line; openpyxl hands out every blank one before it.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["张伟", "专家"])
    sheet.cell(row=1_000_000, column=1, value="李娜")
    sheet.cell(row=1_000_000, column=2, value="专家")
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ImportRefused, match=f"含空行超过 {MAX_LINES} 行"):
        read_participant_file(SimpleUploadedFile("参与主体.xlsx", buffer.getvalue()))


def test_rows_after_blank_lines_are_not_dropped(monkeypatch):
    """Blank lines used to count towards the cut-off: rows past it vanished unreported."""
    monkeypatch.setattr("participation.imports.MAX_ROWS", 3)
    rows = [HEADER, ["张伟", "专家"], [], [], [], ["李娜", "专家"], ["王强", "专家"]]
    names = [data.name for _, data in read_participant_file(_xlsx(rows))]
    assert names == ["张伟", "李娜", "王强"]


def test_a_value_far_to_the_right_is_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    # Only so many columns are read (openpyxl pads every row out to the last one asked
    # for); a value past them is refused rather than dropped.
    sheet.cell(row=2, column=MAX_COLUMNS + 1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRefused, match=f"最多 {MAX_COLUMNS} 列"):
        read_participant_file(SimpleUploadedFile("参与主体.xlsx", buffer.getvalue()))
