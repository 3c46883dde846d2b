import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matters import services
from matters.models import LedgerEntry, Matter, PolicyArea
from tests.factories import DepartmentFactory, StaffFactory, make_matter

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def staff():
    return StaffFactory(
        department=DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")
    )


def _form_data(**overrides):
    data = {
        "title": "《青岛市养老服务条例（草案）》",
        "kind": "legislative",
        "year": "2026",
        "summary": "规范养老服务，保障老年人合法权益。",
        "legal_basis": "《中华人民共和国老年人权益保障法》",
        "planned_start": "2026-03-01",
        "planned_end": "2026-12-31",
        "policy_areas": [PolicyArea.objects.get(code="elderly-care").pk],
    }
    data.update(overrides)
    return data


def test_staff_creates_a_matter_in_the_browser_and_the_ledger_records_it(client, staff):
    client.force_login(staff)
    response = client.post(reverse("matters:create"), _form_data())
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("matters:staff_detail", args=[matter.pk])
    assert matter.department == staff.department
    assert matter.stage == "project_approval"
    assert matter.reference == "2026-MZJ-001"
    entry = LedgerEntry.objects.get(matter=matter)
    assert entry.action == "matter_created" and entry.actor == staff
    page = client.get(response.url).content.decode()
    assert "《青岛市养老服务条例（草案）》" in page
    assert "创建协商事项" in page


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong_in_chinese(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("matters:create"),
        _form_data(title="", planned_end="2026-01-01"),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "请填写事项名称。" in text
    assert "计划完成日期不能早于计划开始日期。" in text
    assert "规范养老服务，保障老年人合法权益。" in text  # the summary survived
    assert not Matter.objects.exists()


def test_advance_refusal_is_shown_with_every_missing_step(client, staff):
    matter = make_matter(
        department=staff.department, by=staff, kind="decision", is_major_decision=True
    )
    for _ in range(4):  # 启动 → 公众参与 → 专家论证 → 风险评估 → 合法性审查
        services.matter_advance_stage(matter=matter, by=staff)
    client.force_login(staff)
    response = client.post(reverse("matters:advance", args=[matter.pk]), follow=True)
    text = response.content.decode()
    assert "不能进入“集体讨论决定”阶段" in text
    for step in ("公众参与", "专家论证", "风险评估", "合法性审查"):
        assert f"缺少“{step}”记录" in text
    matter.refresh_from_db()
    assert matter.stage == "legality_review"


def test_recording_a_step_through_the_form_clears_its_blocker(client, staff):
    matter = make_matter(department=staff.department, by=staff, kind="legislative")
    services.matter_advance_stage(matter=matter, by=staff)  # 起草
    client.force_login(staff)
    detail = client.get(reverse("matters:staff_detail", args=[matter.pk])).content.decode()
    assert "书面征求意见或公布草案征求意见" in detail
    response = client.post(
        reverse("matters:step_add", args=[matter.pk]),
        {
            "step_type": "draft_publication",
            "occurred_on": datetime.date(2026, 4, 1).isoformat(),
            "responsible_person": "刘洋",
            "summary": "在市政府门户网站全文公布征求意见稿",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("matters:staff_detail", args=[matter.pk])).content.decode()
    assert "程序要求已满足" in detail
    client.post(reverse("matters:advance", args=[matter.pk]))
    matter.refresh_from_db()
    assert matter.stage == "review"


@pytest.mark.parametrize("step_type", ["written_solicitation", "non_party_consultation"])
def test_a_step_recorded_from_a_letter_cannot_be_typed_in_the_form(client, staff, step_type):
    # 书面征求意见 and 征求党外人士意见 come from a letter of solicitation sent from the
    # portal (solicitations): the form does not offer them and refuses them when posted.
    matter = make_matter(
        department=staff.department, by=staff, kind="legislative", seeks_non_party_opinions=True
    )
    services.matter_advance_stage(matter=matter, by=staff)  # 起草
    client.force_login(staff)
    form = client.get(reverse("matters:step_add", args=[matter.pk])).content.decode()
    assert 'value="draft_publication"' in form
    assert f'value="{step_type}"' not in form
    response = client.post(
        reverse("matters:step_add", args=[matter.pk]),
        {
            "step_type": step_type,
            "occurred_on": datetime.date(2026, 4, 1).isoformat(),
            "responsible_person": "刘洋",
            "summary": "向市直有关部门书面征求意见",
            "is_public": "on",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not matter.steps.exists()
    matter.refresh_from_db()
    assert services.advance_blockers(matter)  # the legislative draft still needs a solicitation


def test_future_step_date_is_refused_in_the_form(client, staff):
    matter = make_matter(department=staff.department, by=staff)
    client.force_login(staff)
    response = client.post(
        reverse("matters:step_add", args=[matter.pk]),
        {
            "step_type": "symposium",
            "occurred_on": "2099-01-01",
            "responsible_person": "刘洋",
            "summary": "座谈会",
        },
    )
    assert response.status_code == 200
    assert "不能晚于今天" in response.content.decode()


def test_going_back_needs_a_reason(client, staff):
    matter = make_matter(department=staff.department, by=staff, kind="budget")
    services.matter_advance_stage(matter=matter, by=staff)
    client.force_login(staff)
    url = reverse("matters:return_stage", args=[matter.pk])
    response = client.post(url, {"to_stage": "drafting", "reason": ""})
    assert "退回阶段必须填写原因。" in response.content.decode()
    response = client.post(url, {"to_stage": "drafting", "reason": "预算口径调整，需重新编制"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.stage == "drafting"
    assert LedgerEntry.objects.filter(matter=matter, action="stage_returned").exists()


def test_upload_checks_content_not_the_name(client, staff):
    matter = make_matter(department=staff.department, by=staff)
    client.force_login(staff)
    url = reverse("matters:document_add", args=[matter.pk])
    fake = SimpleUploadedFile(
        "草案.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = client.post(url, {"title": "草案", "category": "draft", "file": fake})
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()
    assert not matter.documents.exists()

    real = SimpleUploadedFile("草案.pdf", PDF, "application/pdf")
    response = client.post(
        url, {"title": "草案", "category": "draft", "file": real, "is_public": "on"}
    )
    assert response.status_code == 302
    document = matter.documents.get()
    assert document.content_type == "application/pdf"
    assert document.sha256


def test_public_list_shows_published_matters_only_and_filters(client, staff):
    published = make_matter(
        department=staff.department, by=staff, kind="budget", title="2026年市级预算草案"
    )
    services.matter_publish(matter=published, by=staff)
    make_matter(department=staff.department, by=staff, title="尚未公开的事项")
    response = client.get(reverse("matters:public_list"))
    text = response.content.decode()
    assert "2026年市级预算草案" in text
    assert "尚未公开的事项" not in text
    assert (
        "2026年市级预算草案"
        not in client.get(reverse("matters:public_list"), {"kind": "legislative"}).content.decode()
    )
    assert (
        "2026年市级预算草案"
        in client.get(
            reverse("matters:public_list"), {"kind": "budget", "department": "mzj", "year": "2026"}
        ).content.decode()
    )


def test_public_list_bad_filter_values_are_not_a_server_error(client):
    response = client.get(
        reverse("matters:public_list"), {"year": "abc", "kind": "x", "page": "999"}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


@pytest.mark.parametrize("count", [3, 25])
def test_public_list_costs_the_same_queries_whatever_its_length(
    client, staff, count, django_assert_max_num_queries
):
    area = PolicyArea.objects.first()
    for n in range(count):
        matter = make_matter(department=staff.department, by=staff, title=f"事项{n}")
        matter.policy_areas.add(area)
        services.matter_publish(matter=matter, by=staff)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("matters:public_list")).status_code == 200


def test_unpublished_matter_is_a_404_outside_its_department(client, staff):
    matter = make_matter(department=staff.department, by=staff)
    url = reverse("matters:public_detail", args=[matter.pk])
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 302


def test_public_matter_page_shows_timeline_public_steps_documents_and_drafts(client, staff):
    matter = make_matter(department=staff.department, by=staff, kind="legislative")
    services.step_record(
        matter=matter, by=staff, step_type="draft_publication",
        occurred_on=datetime.date(2026, 4, 1), responsible_person="刘洋", summary="公开的草案征求意见",
    )  # fmt: skip
    services.step_record(
        matter=matter, by=staff, step_type="legislative_research",
        occurred_on=datetime.date(2026, 4, 2), responsible_person="刘洋", summary="内部调研记录",
        is_public=False,
    )  # fmt: skip
    draft = services.draft_add(
        matter=matter,
        by=staff,
        title="养老服务条例",
        text="第一条 为了……",
        change_note="征求意见稿",
    )
    services.draft_publish(draft=draft, by=staff)
    services.draft_add(
        matter=matter, by=staff, title="养老服务条例", text="第一条 修改稿", change_note="内部修改"
    )
    hidden = services.document_attach(
        matter=matter, by=staff, upload=SimpleUploadedFile("x.pdf", PDF), title="内部材料",
        category="other", is_public=False,
    )  # fmt: skip
    services.document_attach(
        matter=matter, by=staff, upload=SimpleUploadedFile("y.pdf", PDF), title="起草说明", category="explanation",
    )  # fmt: skip
    services.matter_publish(matter=matter, by=staff)

    text = client.get(reverse("matters:public_detail", args=[matter.pk])).content.decode()
    assert "立项" in text and "立法后评估" in text and "进行中" in text
    assert "公开的草案征求意见" in text
    assert "内部调研记录" not in text
    assert "第1稿" in text and "第2稿" not in text
    assert "起草说明" in text and "内部材料" not in text

    assert client.get(reverse("matters:draft_detail", args=[matter.pk, 1])).status_code == 200
    assert client.get(reverse("matters:draft_detail", args=[matter.pk, 2])).status_code == 404
    assert client.get(reverse("matters:document_download", args=[hidden.pk])).status_code == 404


def test_document_download_is_an_attachment_with_its_real_type(client, staff):
    matter = make_matter(department=staff.department, by=staff)
    document = services.document_attach(
        matter=matter,
        by=staff,
        upload=SimpleUploadedFile("a.pdf", PDF),
        title="征求意见稿",
        category="draft",
    )
    url = reverse("matters:document_download", args=[document.pk])
    assert client.get(url).status_code == 404  # matter not yet published
    services.matter_publish(matter=matter, by=staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    services.document_remove(document=document, by=staff, reason="上传错误")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [3, 25])
def test_staff_list_costs_the_same_queries_whatever_its_length(
    client, staff, count, django_assert_max_num_queries
):
    area = PolicyArea.objects.first()
    for n in range(count):
        make_matter(department=staff.department, by=staff, title=f"事项{n}").policy_areas.add(area)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("matters:staff_list"))
    assert response.status_code == 200
    assert f"事项{count - 1}" in response.content.decode()  # newest first


# --- issue 21, item 16: publishing is confirmed; a refused advance is disabled ---------


def _button(html: str, label: str) -> str:
    import re

    return re.search(rf"<button[^>]*>{re.escape(label)}</button>", html).group(0)


def test_publishing_a_matter_needs_the_confirmation_tick(client, staff):
    matter = make_matter(department=staff.department, by=staff, kind="legislative")
    client.force_login(staff)
    url = reverse("matters:publish", args=[matter.pk])
    page = client.post(url, follow=True).content.decode()
    assert "请先勾选“确认向社会公开”" in page
    matter.refresh_from_db()
    assert not matter.is_published
    assert 'name="confirm" value="yes" required' in page  # the form asks for the tick
    client.post(url, {"confirm": "yes"})
    matter.refresh_from_db()
    assert matter.is_published


def test_advance_button_disabled_while_the_page_lists_missing_steps(client, staff):
    matter = make_matter(department=staff.department, by=staff, kind="legislative")
    services.matter_advance_stage(matter=matter, by=staff)  # 起草: needs a solicitation
    client.force_login(staff)
    detail = client.get(reverse("matters:staff_detail", args=[matter.pk])).content.decode()
    button = _button(detail, "推进至“审查”")
    assert "disabled" in button and 'aria-describedby="advance-blockers"' in button
    assert 'id="advance-blockers"' in detail
    services.step_record(
        matter=matter,
        by=staff,
        step_type="draft_publication",
        occurred_on=datetime.date(2026, 4, 1),
        responsible_person="刘洋",
        summary="在市政府门户网站全文公布征求意见稿",
    )
    detail = client.get(reverse("matters:staff_detail", args=[matter.pk])).content.decode()
    assert "disabled" not in _button(detail, "推进至“审查”")
