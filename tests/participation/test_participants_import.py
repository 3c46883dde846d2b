import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from matters.models import LedgerEntry
from participation.events import Action
from participation.imports import read_participant_file
from participation.models import Participant
from participation.services.participants import ImportRefused, participants_import
from tests.factories import StaffFactory, make_participant

pytestmark = pytest.mark.django_db

HEADER = ["姓名或名称", "类别", "单位或所属", "专业领域", "联系电话", "电子邮箱", "组织(是/否)"]
GOOD = [
    ["张伟", "人大代表", "市南区人大", "城市规划", "13800000001", "zhangwei@example.cn", "否"],
    ["李娜", "专家", "青岛大学", "环境法学", "", "lina@example.cn", ""],
    ["青岛市律师协会", "社会组织", "", "法律服务", "0532-12345678", "", "是"],
]


def csv_upload(rows, *, bom=True, name="参与主体.csv"):
    text = "\n".join(",".join(row) for row in [HEADER, *rows]) + "\n"
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_upload(rows, *, name="参与主体.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def do_import(upload, by):
    return participants_import(by=by, rows=read_participant_file(upload), source=upload.name)


@pytest.mark.parametrize("bom", [True, False])
def test_good_csv_imports_every_row_in_one_ledger_row(bom):
    staff = StaffFactory()
    created = do_import(csv_upload(GOOD, bom=bom), staff)
    assert len(created) == 3
    zhang = Participant.objects.get(name="张伟")
    assert zhang.category == Participant.Category.NPC_DEPUTY
    assert zhang.phone == "13800000001"
    assert Participant.objects.get(name="青岛市律师协会").is_organisation
    entries = LedgerEntry.objects.filter(action=Action.PARTICIPANTS_IMPORTED)
    assert entries.count() == 1
    assert entries[0].department_id == staff.department_id
    assert entries[0].after["count"] == 3
    assert "13800000001" not in str(entries[0].after)  # no contact data in the ledger


def test_good_xlsx_imports_and_numeric_phones_keep_their_digits():
    rows = [list(row) for row in GOOD]
    rows[0][4] = 13800000001  # typed into Excel as a number
    do_import(xlsx_upload(rows), StaffFactory())
    assert Participant.objects.count() == 3
    assert Participant.objects.get(name="张伟").phone == "13800000001"


def test_file_with_bad_rows_imports_nothing_and_reports_every_bad_row():
    make_participant(name="王强", affiliation="市北区政协")
    rows = [
        GOOD[0],  # line 2: fine
        ["", "专家", "青岛大学", "", "", "", ""],  # line 3: no name
        ["赵敏", "院士", "", "", "", "", ""],  # line 4: unknown category
        ["孙丽", "专家", "海洋大学", "", "", "not-an-email", ""],  # line 5: bad e-mail
        ["张伟", "人大代表", "市南区人大", "", "", "", ""],  # line 6: duplicate of line 2
        ["王强", "政协委员", "市北区政协", "", "", "", ""],  # line 7: already registered
        ["长" * 101, "专家", "", "", "", "", ""],  # line 8: too long
        ["周杰", "专家", "", "", "", "", "可能"],  # line 9: bad 组织 flag
    ]
    with pytest.raises(ImportRefused) as caught:
        do_import(csv_upload(rows), StaffFactory())
    errors = caught.value.errors
    by_line = {}
    for error in errors:
        by_line.setdefault(error.line, []).append(error.reason)
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
    assert "缺少姓名或名称" in by_line[3]
    assert any("未知的类别“院士”" in reason for reason in by_line[4])
    assert any("电子邮箱格式不正确" in reason for reason in by_line[5])
    assert any("与第 2 行重复" in reason for reason in by_line[6])
    assert any("已有同名同单位" in reason for reason in by_line[7])
    assert any("过长" in reason for reason in by_line[8])
    assert any("组织" in reason for reason in by_line[9])
    assert "未导入任何数据" in str(caught.value)
    assert Participant.objects.count() == 1  # only the one made before
    assert not LedgerEntry.objects.filter(action=Action.PARTICIPANTS_IMPORTED).exists()


def test_xlsx_with_a_bad_row_imports_nothing():
    rows = [GOOD[0], ["", "专家", "", "", "", "", ""]]
    with pytest.raises(ImportRefused) as caught:
        do_import(xlsx_upload(rows), StaffFactory())
    assert [error.line for error in caught.value.errors] == [3]
    assert not Participant.objects.exists()


def test_missing_header_is_refused():
    upload = SimpleUploadedFile("x.csv", "姓名,类别\n张伟,专家\n".encode())
    with pytest.raises(ImportRefused, match="表头缺少必填列"):
        read_participant_file(upload)


def test_file_too_large_is_refused(monkeypatch):
    monkeypatch.setattr("participation.imports.MAX_BYTES", 10)
    with pytest.raises(ImportRefused, match="文件过大"):
        read_participant_file(csv_upload(GOOD))


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr("participation.imports.MAX_ROWS", 2)
    with pytest.raises(ImportRefused, match="最多 2 行"):
        read_participant_file(csv_upload(GOOD))


def test_non_utf8_csv_is_refused_with_a_hint():
    data = ("\n".join(",".join(row) for row in [HEADER, *GOOD])).encode("gbk")
    with pytest.raises(ImportRefused, match="UTF-8"):
        read_participant_file(SimpleUploadedFile("x.csv", data))


def test_other_file_types_and_broken_xlsx_are_refused():
    with pytest.raises(ImportRefused, match="仅支持"):
        read_participant_file(SimpleUploadedFile("x.txt", b"abc"))
    with pytest.raises(ImportRefused, match="不是有效的 Excel"):
        read_participant_file(SimpleUploadedFile("x.xlsx", b"not a zip"))
