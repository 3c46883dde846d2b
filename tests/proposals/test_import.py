"""Importing the congress's or CPPCC's Excel list: all or nothing, every bad row reported
with its line and reason in Chinese, authors matched to the registry, hostile files refused
before they are parsed."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from matters.models import LedgerEntry
from proposals.imports import HEADERS, ImportRefused, import_proposals
from proposals.models import Proposal
from tests.factories import make_participant
from tests.hostile_files import SHEET, lie_about_size, xlsx_bomb
from tests.proposals.staff_support import clock, people, registered

pytestmark = pytest.mark.django_db

BOMB_MESSAGE = "文件解压后过大，可能是压缩炸弹，已拒绝导入。"
PEAK_LIMIT = 50 * 1024 * 1024
COLUMNS = list(HEADERS)


@pytest.fixture(autouse=True)
def fixed_clock():
    with clock():
        yield


@pytest.fixture
def p():
    return people()


def row(**values) -> list:
    base = {
        "类别": "建议",
        "年度": 2026,
        "编号": "0101",
        "届次会议": "市十七届人大五次会议",
        "提出时间": "大会期间",
        "标题": "关于增设社区食堂的建议",
        "内容": "建议在各街道增设社区食堂。",
        "领衔提出人": "王建国",
        "领衔提出人单位": "",
        "联名提出人": "李秀英",
        "政策领域": "",
        "可以公开": "是",
        "重点": "否",
    }
    base.update(values)
    return [base[column] for column in COLUMNS]


def xlsx(rows, *, header=COLUMNS, name="建议清单.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(header)
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def refusal(upload, by) -> ImportRefused:
    with pytest.raises(ImportRefused) as error:
        import_proposals(upload, by=by)
    return error.value


def test_a_good_file_registers_every_row(p):
    upload = xlsx(
        [
            row(),
            row(编号="第0102号", 标题="关于延长地铁运营时间的建议", 联名提出人="", 重点="是"),
            row(类别="提案", 编号="0001", 领衔提出人="赵明", 联名提出人=""),
        ]
    )
    make_participant(by=p.office, name="赵明", category="cppcc_member")
    created = import_proposals(upload, by=p.office)
    assert len(created) == 3
    second = Proposal.objects.get(number="0102")
    assert second.is_key and second.authors.count() == 1
    first = Proposal.objects.get(number="0101", kind="suggestion")
    assert [a.participant.name for a in first.authors.all()] == ["王建国", "李秀英"]
    assert Proposal.objects.get(kind="proposal").authors.get().participant.name == "赵明"
    entries = LedgerEntry.objects.filter(action="proposal_registered")
    assert entries.count() == 3


def test_every_bad_row_is_reported_and_nothing_is_saved(p):
    registered(p, number="0500")
    upload = xlsx(
        [
            row(),  # line 2: good
            row(编号="0102", 领衔提出人="不存在的代表"),  # 3: unknown author
            row(编号="0103", 类别="议案"),  # 4: unknown kind
            row(编号="0101"),  # 5: duplicate of line 2
            row(编号="0500"),  # 6: already registered
            row(编号="0106", 年度="明年"),  # 7: bad year
            row(编号="0107", 标题=""),  # 8: missing title
            row(编号="0108", 可以公开="也许"),  # 9: bad flag
        ]
    )
    error = refusal(upload, p.office)
    reasons = {e.line: e.reason for e in error.errors}
    assert "未导入任何数据" in str(error)
    assert "参与主体库中没有提出人“不存在的代表”" in reasons[3]
    assert "未知的类别“议案”" in reasons[4]
    assert "编号与第 2 行重复" in reasons[5]
    assert "2026年已有编号为0500的人大代表建议" in reasons[6]
    assert "年度须为四位数字" in reasons[7]
    assert "“标题”不能为空" in reasons[8]
    assert "“可以公开”一栏只能填“是”或“否”" in reasons[9]
    assert 2 not in reasons
    assert Proposal.objects.count() == 1


def test_an_author_of_the_wrong_category_is_an_error(p):
    make_participant(by=p.office, name="赵明", category="cppcc_member")
    error = refusal(xlsx([row(领衔提出人="赵明", 联名提出人="")]), p.office)
    assert "赵明是政协委员，不能作为人大代表建议的提出人。" in error.errors[0].reason


def test_two_deputies_of_one_name_are_told_apart_by_affiliation(p):
    make_participant(by=p.office, name="王建国", category="npc_deputy", affiliation="崂山区")
    error = refusal(xlsx([row()]), p.office)
    assert "有 2 位“王建国”，请注明单位" in error.errors[0].reason
    created = import_proposals(
        xlsx([row(领衔提出人单位="崂山区", 联名提出人="李秀英（青岛市人大代表）")]), by=p.office
    )
    assert created[0].authors.get(role="lead").participant.affiliation == "崂山区"


def test_a_file_without_the_required_columns_is_refused(p):
    error = refusal(xlsx([["关于某事的建议"]], header=["标题"]), p.office)
    assert "表头缺少必填列：类别、年度、编号、内容、领衔提出人" in str(error)


def test_only_xlsx_files_are_read(p):
    error = refusal(SimpleUploadedFile("清单.csv", "类别,年度\n建议,2026\n".encode()), p.office)
    assert "仅支持 Excel（.xlsx）文件" in str(error)
    error = refusal(SimpleUploadedFile("清单.xlsx", b"not a zip at all" * 10), p.office)
    assert "不支持的文件类型" in str(error) or "不是有效的 Excel" in str(error)


def test_the_page_lists_the_bad_rows(client, p):
    client.force_login(p.office)
    upload = xlsx([row(), row(编号="0102", 领衔提出人="不存在的代表")])
    response = client.post(reverse("proposals:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "第 3 行" in body and "参与主体库中没有提出人" in body
    assert not Proposal.objects.exists()


def test_the_page_imports_a_good_file(client, p):
    client.force_login(p.office)
    response = client.post(reverse("proposals:import"), {"file": xlsx([row()])})
    assert response.status_code == 302
    assert Proposal.objects.count() == 1


def test_the_template_has_the_headers(client, p):
    client.force_login(p.office)
    response = client.get(reverse("proposals:import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == COLUMNS


def test_the_import_is_the_office_s(client, p):
    client.force_login(p.staff)
    assert client.post(reverse("proposals:import"), {"file": xlsx([row()])}).status_code == 403
    assert not Proposal.objects.exists()


# ------------------------------------------------------------------------- hostile files


def post_measured(client, data: bytes) -> tuple[str, int]:
    upload = SimpleUploadedFile("建议清单.xlsx", data)
    tracemalloc.start()
    try:
        response = client.post(reverse("proposals:import"), {"file": upload})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    return response.content.decode(), peak


def test_an_xlsx_bomb_is_refused_before_parsing_in_bounded_memory(client, p):
    client.force_login(p.office)
    page, peak = post_measured(client, xlsx_bomb(tuple(COLUMNS)))
    assert BOMB_MESSAGE in page
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB"
    assert not Proposal.objects.exists()


def test_an_xlsx_whose_header_understates_the_sheet_is_refused(client, p):
    client.force_login(p.office)
    page, peak = post_measured(client, lie_about_size(xlsx_bomb(tuple(COLUMNS)), SHEET, 5000))
    assert BOMB_MESSAGE in page or "已拒绝导入" in page
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB"
    assert not Proposal.objects.exists()


def test_a_sheet_of_endless_empty_rows_is_refused(p):
    from proposals.imports import MAX_LINES

    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.cell(row=MAX_LINES + 5, column=1, value="建议")
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = refusal(SimpleUploadedFile("建议清单.xlsx", buffer.getvalue()), p.office)
    assert "文件行数过多" in str(error)
