"""/api/v1/matters/: what a client reads about matters, which filters it may use, and
what it is refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from matters import services as matter_services
from matters.models import PolicyArea
from participation.models import Opinion
from participation.services.comments import opinion_record, opinion_submit, opinions_dispose
from participation.services.feedback import feedback_publish
from tests.factories import (
    MINIMAL_PDF,
    AdministratorFactory,
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_activity,
    make_matter,
    make_period,
    make_plan,
)

from .support import (
    assert_error,
    at,
    ids,
    published_matter,
    set_modified,
    text_of,
    token_for,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/matters/"


def detail(pk) -> str:
    return f"/api/v1/matters/{pk}/"


# --- list ---------------------------------------------------------------------------


def test_list_row_shows_department_flags_stage_links_and_modified_time(client):
    department = DepartmentFactory(code="zjj", name="青岛市住房和城乡建设局")
    matter = published_matter(
        department=department,
        title="老旧小区加装电梯资金分担办法",
        is_major_decision=True,
        seeks_non_party_opinions=True,
        stage_due_on=datetime.date(2026, 6, 30),
        policy_areas=[PolicyArea.objects.get(code="elderly-care")],
    )
    matter.refresh_from_db()

    response = client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == matter.pk
    assert row["reference"] == matter.reference == "2026-ZJJ-001"
    assert row["title"] == "老旧小区加装电梯资金分担办法"
    assert (row["kind"], row["kind_label"]) == ("decision", "行政决策协商")
    assert row["department"] == {
        "id": department.pk,
        "code": "zjj",
        "name": "青岛市住房和城乡建设局",
    }
    assert row["year"] == 2026
    assert (row["stage"], row["stage_label"]) == ("initiation", "启动")
    assert row["stage_due_on"] == "2026-06-30"
    assert row["policy_areas"] == [{"code": "elderly-care", "name": "养老"}]
    assert row["is_major_decision"] is True
    assert row["seeks_non_party_opinions"] is True
    assert row["is_major_public_interest"] is False
    assert row["affects_stability"] is False
    assert row["is_contested"] is False
    assert (row["planned_start"], row["planned_end"]) == ("2026-03-01", "2026-12-31")
    assert row["is_published"] is True
    assert parse_datetime(row["published_at"]) == matter.published_at
    assert row["open_for_comment"] is False
    assert parse_datetime(row["modified"]) == matter.updated_at
    assert row["url"] == f"http://testserver/matters/{matter.pk}/"
    assert row["api_url"] == f"http://testserver/api/v1/matters/{matter.pk}/"


def test_list_leaves_out_unpublished_and_withdrawn_matters_for_anonymous_clients(client):
    shown = published_matter()
    make_matter()  # never published
    withdrawn = published_matter()
    matter_services.matter_withdraw(matter=withdrawn, by=withdrawn.created_by, reason="依据有变化")

    assert ids(client.get(LIST)) == [shown.pk]


def test_open_for_comment_is_true_only_while_a_comment_period_runs(client):
    now = timezone.now()
    open_now = make_period().matter
    closed = published_matter()
    make_period(matter=closed, starts_at=now - datetime.timedelta(days=40), days=30)
    upcoming = published_matter()
    make_period(matter=upcoming, starts_at=now + datetime.timedelta(days=3))

    rows = {row["id"]: row["open_for_comment"] for row in client.get(LIST).json()["results"]}

    assert rows == {open_now.pk: True, closed.pk: False, upcoming.pk: False}


def test_list_is_newest_change_first_by_default(client):
    older, newer, newest = (published_matter() for _ in range(3))
    set_modified(older, at(2026, 1, 1))
    set_modified(newer, at(2026, 2, 1))
    set_modified(newest, at(2026, 3, 1))

    assert ids(client.get(LIST)) == [newest.pk, newer.pk, older.pk]


# --- detail -------------------------------------------------------------------------


@pytest.fixture
def consulted_matter():
    """A published matter with public and internal parts, a comment period whose
    feedback report is out (five opinions) and an open one (two opinions, unreported)."""
    author = StaffFactory(full_name="欧阳明远")
    co_department = DepartmentFactory(code="cgj", name="青岛市城市管理局")
    matter = published_matter(by=author, co_departments=[co_department])
    today = timezone.localdate()

    matter_services.step_record(
        matter=matter,
        by=author,
        step_type="public_participation",
        occurred_on=today - datetime.timedelta(days=5),
        responsible_person="司马光远",
        summary="通过政府网站公开征求意见。",
    )
    matter_services.step_record(
        matter=matter,
        by=author,
        step_type="expert_argumentation",
        occurred_on=today - datetime.timedelta(days=2),
        responsible_person="司马光远",
        summary="内部讨论，不公开。",
        is_public=False,
        evidenced=True,  # typed before 专家论证 was held in the portal
    )

    def attach(title, **kwargs):
        return matter_services.document_attach(
            matter=matter,
            by=author,
            upload=SimpleUploadedFile(f"{title}.pdf", MINIMAL_PDF),
            title=title,
            category="explanation",
            **kwargs,
        )

    public_document = attach("起草说明")
    attach("内部审查意见", is_public=False)
    removed = attach("已撤下的旧说明")
    matter_services.document_remove(document=removed, by=author, reason="内容有误")

    first = matter_services.draft_add(
        matter=matter, by=author, title="征求意见稿", text="第一条……", change_note="初稿"
    )
    matter_services.draft_publish(draft=first, by=author)
    matter_services.draft_add(
        matter=matter, by=author, title="送审稿", text="第一条……", change_note="吸收意见"
    )

    now = timezone.now()
    reported = make_period(
        matter=matter,
        title="第一次公开征求意见",
        starts_at=now - datetime.timedelta(days=40),
        ends_at=now - datetime.timedelta(days=10),
    )
    during = reported.starts_at + datetime.timedelta(days=1)
    online = [
        opinion_submit(
            period=reported,
            content=f"建议第{n}条增加无障碍设施要求。",
            author_name=f"公众姓名{n}号",
            contact=f"1390000000{n}",
            now=during,
        )
        for n in range(4)
    ]
    letter = opinion_record(
        period=reported,
        by=author,
        channel=Opinion.Channel.LETTER,
        received_on=today - datetime.timedelta(days=20),
        content="来信建议降低居民出资比例。",
        author_name="来信人慕容雪",
        contact="青岛市市南区某路1号",
    )

    def dispose(opinions, disposition, response="已研究。"):
        opinions_dispose(
            period=reported,
            by=author,
            opinion_ids=[opinion.pk for opinion in opinions],
            disposition=disposition,
            response=response,
        )

    dispose(online[:2], "adopted")
    dispose([online[2]], "partly_adopted")
    dispose([letter], "not_adopted")
    dispose([online[3]], "out_of_scope")
    feedback_publish(period=reported, by=author, summary="共收到意见5条，采纳2条。")

    running = make_period(matter=matter, title="第二次公开征求意见")
    opinion_submit(
        period=running,
        content="未公开统计的意见内容",
        author_name="诸葛未央",
        contact="13811112222",
    )
    opinion_submit(period=running, content="另一条进行中的意见", contact="wx:private-id")

    return {
        "matter": matter,
        "author": author,
        "co_department": co_department,
        "public_document": public_document,
        "reported": reported,
        "running": running,
    }


def test_detail_shows_only_public_steps_documents_and_drafts(client, consulted_matter):
    matter = consulted_matter["matter"]
    document = consulted_matter["public_document"]

    body = client.get(detail(matter.pk)).json()

    assert [step["summary"] for step in body["steps"]] == ["通过政府网站公开征求意见。"]
    (step,) = body["steps"]
    assert (step["type"], step["type_label"], step["stage"]) == (
        "public_participation",
        "公众参与",
        "initiation",
    )
    assert [d["title"] for d in body["documents"]] == ["起草说明"]
    (shown,) = body["documents"]
    assert shown["id"] == document.pk
    assert shown["url"] == f"http://testserver/documents/{document.pk}/download/"
    assert (shown["extension"], shown["size"], shown["sha256"]) == (
        "pdf",
        len(MINIMAL_PDF),
        document.sha256,
    )
    assert shown["category"] == "explanation" and shown["category_label"] == "起草说明"
    assert [(d["number"], d["title"]) for d in body["drafts"]] == [(1, "征求意见稿")]
    assert body["drafts"][0]["url"] == f"http://testserver/matters/{matter.pk}/drafts/1/"
    assert body["summary"] == matter.summary
    assert body["legal_basis"] == matter.legal_basis
    assert body["co_departments"] == [
        {
            "id": consulted_matter["co_department"].pk,
            "code": "cgj",
            "name": "青岛市城市管理局",
        }
    ]
    assert [(stage["code"], stage["state"]) for stage in body["timeline"][:2]] == [
        ("initiation", "current"),
        ("public_participation", "todo"),
    ]


def test_public_document_download_url_serves_the_file(client, consulted_matter):
    body = client.get(detail(consulted_matter["matter"].pk)).json()
    url = body["documents"][0]["url"].removeprefix("http://testserver")

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_detail_shows_the_open_period_and_every_period_in_start_order(client, consulted_matter):
    reported, running = consulted_matter["reported"], consulted_matter["running"]

    body = client.get(detail(consulted_matter["matter"].pk)).json()

    assert body["open_for_comment"] is True
    assert body["open_comment_period"]["id"] == running.pk
    assert body["open_comment_period"]["is_open"] is True
    assert [p["id"] for p in body["comment_periods"]] == [reported.pk, running.pk]
    first, second = body["comment_periods"]
    assert first["is_open"] is False
    assert first["title"] == "第一次公开征求意见"
    assert first["url"] == f"http://testserver/consultations/{reported.pk}/"
    assert first["feedback_published_at"] is not None
    assert (
        first["feedback_pdf_url"] == f"http://testserver/consultations/{reported.pk}/feedback.pdf"
    )
    assert first["feedback"]["total"] == 5
    assert second["feedback_published_at"] is None
    assert second["feedback_pdf_url"] is None
    assert second["feedback"] is None


def test_opinion_statistics_count_only_periods_whose_feedback_is_published(
    client, consulted_matter
):
    body = client.get(detail(consulted_matter["matter"].pk)).json()
    stats = body["opinion_statistics"]

    # The running period's two opinions are not in any figure.
    assert stats["total"] == 5
    assert stats["undisposed"] == 0
    assert {row["code"]: row["count"] for row in stats["by_channel"]} == {
        "online": 4,
        "letter": 1,
    }
    assert [(row["code"], row["count"]) for row in stats["by_disposition"]] == [
        ("adopted", 2),
        ("partly_adopted", 1),
        ("not_adopted", 1),
        ("out_of_scope", 1),
    ]
    assert stats["by_disposition"][0]["label"] == "采纳"
    # (2 adopted + 1 partly) / (5 opinions - 1 out of scope)
    assert stats["adoption_rate"] == pytest.approx(0.75)
    assert body["comment_periods"][0]["feedback"] == stats


def test_matter_without_reported_feedback_has_empty_statistics(client):
    period = make_period()
    opinion_submit(period=period, content="尚未处理的意见")

    body = client.get(detail(period.matter.pk)).json()

    assert body["opinion_statistics"]["total"] == 0
    assert body["opinion_statistics"]["by_channel"] == []
    assert body["opinion_statistics"]["adoption_rate"] is None
    assert body["open_comment_period"]["feedback"] is None


def test_no_personal_data_appears_in_any_response(client, consulted_matter):
    matter = consulted_matter["matter"]
    make_activity(matter=matter, status="notice_published")
    make_plan(status="published")  # its contact person and phone stay internal
    private = [
        *(f"公众姓名{n}号" for n in range(4)),
        *(f"1390000000{n}" for n in range(4)),
        "建议第0条增加无障碍设施要求",
        "来信人慕容雪",
        "青岛市市南区某路1号",
        "来信建议降低居民出资比例",
        "诸葛未央",
        "13811112222",
        "未公开统计的意见内容",
        "wx:private-id",
        "司马光远",  # the staff member responsible for a step
        "欧阳明远",  # the staff member who created the matter
        consulted_matter["author"].username,
        "王丽",
        "0532-85911234",
    ]
    urls = [
        LIST,
        LIST + "?format=csv",
        detail(matter.pk),
        "/api/v1/activities/",
        "/api/v1/catalogs/",
        "/api/v1/catalog-items/",
        "/api/v1/catalog-items/?format=csv",
        "/api/v1/departments/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        for value in private:
            assert value not in text, (url, value)


# --- filters ------------------------------------------------------------------------


def test_kind_filter_and_unknown_kind_is_refused(client):
    decision = published_matter(kind="decision")
    legislative = published_matter(kind="legislative")

    assert ids(client.get(LIST, {"kind": "legislative"})) == [legislative.pk]
    assert ids(client.get(LIST, {"kind": "decision"})) == [decision.pk]
    assert_error(client.get(LIST, {"kind": "treaty"}), 400, field="kind")


def test_department_filter_by_id_or_code(client):
    ours = DepartmentFactory(code="jyj", name="青岛市教育局")
    mine = published_matter(department=ours)
    published_matter()

    assert ids(client.get(LIST, {"department": "jyj"})) == [mine.pk]
    assert ids(client.get(LIST, {"department": str(ours.pk)})) == [mine.pk]


@pytest.mark.parametrize("value", ["nosuch", "999999", "0", "²", "x" * 41])
def test_unknown_department_is_refused_naming_the_parameter(client, value):
    published_matter()

    assert_error(client.get(LIST, {"department": value}), 400, field="department")


def test_year_filter_and_bad_years_are_refused(client):
    this_year = published_matter(year=2026)
    last_year = published_matter(year=2025)

    assert ids(client.get(LIST, {"year": "2025"})) == [last_year.pk]
    assert ids(client.get(LIST, {"year": "2026"})) == [this_year.pk]
    for bad in ("abc", "20.5", "1800", "99999"):
        assert_error(client.get(LIST, {"year": bad}), 400, field="year")


def test_stage_filter_and_unknown_stage_is_refused(client):
    moved = published_matter()
    matter_services.matter_advance_stage(matter=moved, by=moved.created_by)
    stayed = published_matter()

    assert ids(client.get(LIST, {"stage": "public_participation"})) == [moved.pk]
    assert ids(client.get(LIST, {"stage": "initiation"})) == [stayed.pk]
    assert_error(client.get(LIST, {"stage": "limbo"}), 400, field="stage")


def test_is_major_decision_filter_takes_true_or_false_only(client):
    major = published_matter(is_major_decision=True)
    ordinary = published_matter()

    assert ids(client.get(LIST, {"is_major_decision": "true"})) == [major.pk]
    assert ids(client.get(LIST, {"is_major_decision": "false"})) == [ordinary.pk]
    assert ids(client.get(LIST, {"is_major_decision": "1"})) == [major.pk]
    assert_error(client.get(LIST, {"is_major_decision": "maybe"}), 400, field="is_major_decision")


def test_open_for_comment_filter(client):
    running = make_period().matter
    quiet = published_matter()

    assert ids(client.get(LIST, {"open_for_comment": "true"})) == [running.pk]
    assert ids(client.get(LIST, {"open_for_comment": "false"})) == [quiet.pk]
    assert_error(client.get(LIST, {"open_for_comment": "yes"}), 400, field="open_for_comment")


@pytest.fixture
def around_midnight():
    """Two matters last changed half an hour either side of 1 February, Beijing time."""
    before = published_matter()
    after = published_matter()
    set_modified(before, at(2026, 1, 31, 23, 30))
    set_modified(after, at(2026, 2, 1, 0, 30))
    return before, after


def test_modified_since_a_date_means_its_start_in_beijing_time(client, around_midnight):
    before, after = around_midnight

    assert ids(client.get(LIST, {"modified_since": "2026-02-01"})) == [after.pk]
    assert ids(client.get(LIST, {"modified_since": "2026-01-31"})) == [after.pk, before.pk]


def test_modified_since_a_datetime_honours_its_offset(client, around_midnight):
    before, after = around_midnight

    # 16:15 UTC is 00:15 in Beijing: only the later matter.
    assert ids(client.get(LIST, {"modified_since": "2026-01-31T16:15:00+00:00"})) == [after.pk]
    assert ids(client.get(LIST, {"modified_since": "2026-01-31T15:00:00Z"})) == [
        after.pk,
        before.pk,
    ]
    # Without an offset the time is Beijing time.
    assert ids(client.get(LIST, {"modified_since": "2026-01-31T23:45:00"})) == [after.pk]


def test_modified_since_with_an_unencoded_plus_still_means_the_offset(client, around_midnight):
    _before, after = around_midnight

    # A "+" typed into a URL arrives as a space.
    response = client.get(LIST + "?modified_since=2026-02-01T00:15:00+08:00")

    assert ids(response) == [after.pk]


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-02-30", "2026-13-01T00:00:00", "0001-01-01", "2026-02-01T25:00"]
)
def test_bad_modified_since_is_refused(client, value):
    assert_error(client.get(LIST, {"modified_since": value}), 400, field="modified_since")


def test_q_matches_title_reference_and_summary(client):
    lift = published_matter(title="老旧小区加装电梯办法", summary="明确资金分担比例。")
    parking = published_matter(title="公共停车场收费调整", summary="涉及老旧小区周边停车。")
    other = published_matter(title="中小学课后服务", summary="规范收费。")

    assert ids(client.get(LIST, {"q": "电梯"})) == [lift.pk]
    assert sorted(ids(client.get(LIST, {"q": "老旧小区"}))) == sorted([lift.pk, parking.pk])
    assert ids(client.get(LIST, {"q": other.reference.lower()})) == [other.pk]


def test_q_with_several_words_needs_every_word(client):
    lift = published_matter(title="老旧小区加装电梯办法", summary="明确资金分担比例。")
    published_matter(title="公共停车场收费调整", summary="涉及老旧小区周边停车。")

    assert ids(client.get(LIST, {"q": "老旧小区 电梯"})) == [lift.pk]
    assert ids(client.get(LIST, {"q": "电梯 停车"})) == []


def test_q_with_a_nul_character_or_too_long_is_refused(client):
    assert_error(client.get(LIST, {"q": "电梯\x00"}), 400, field="q")
    assert_error(client.get(LIST, {"q": "长" * 101}), 400, field="q")


def test_ordering_by_each_allowed_field(client):
    first = published_matter(year=2024, planned_start=datetime.date(2024, 5, 1))
    second = published_matter(year=2025, planned_start=datetime.date(2025, 1, 1))
    third = published_matter(year=2026, planned_start=datetime.date(2026, 1, 1))
    set_modified(first, at(2026, 3, 1))
    set_modified(second, at(2026, 1, 1))
    set_modified(third, at(2026, 2, 1))

    assert ids(client.get(LIST, {"ordering": "year"})) == [first.pk, second.pk, third.pk]
    assert ids(client.get(LIST, {"ordering": "-year"})) == [third.pk, second.pk, first.pk]
    assert ids(client.get(LIST, {"ordering": "planned_start"})) == [first.pk, second.pk, third.pk]
    assert ids(client.get(LIST, {"ordering": "modified"})) == [second.pk, third.pk, first.pk]
    assert ids(client.get(LIST, {"ordering": "-modified"})) == [first.pk, third.pk, second.pk]
    assert ids(client.get(LIST, {"ordering": "id"})) == [first.pk, second.pk, third.pk]
    assert ids(client.get(LIST, {"ordering": "-id"})) == [third.pk, second.pk, first.pk]
    assert ids(client.get(LIST, {"ordering": "published_at"})) == [first.pk, second.pk, third.pk]


@pytest.mark.parametrize("value", ["title", "-created_at", "updated_at", "modified;drop"])
def test_unknown_ordering_is_refused(client, value):
    assert_error(client.get(LIST, {"ordering": value}), 400, field="ordering")


def test_several_bad_parameters_are_all_named(client):
    error = assert_error(client.get(LIST, {"year": "x", "kind": "y", "stage": "z"}), 400)

    assert {"year", "kind", "stage"} <= set(error["fields"])


# --- who sees what ------------------------------------------------------------------


@pytest.fixture
def unpublished():
    department = DepartmentFactory(code="wjw", name="青岛市卫生健康委员会")
    return make_matter(department=department, title="尚未公开的医疗服务价格调整")


def test_unpublished_matter_is_not_found_for_anonymous_clients(client, unpublished):
    assert_error(client.get(detail(unpublished.pk)), 404)
    assert unpublished.pk not in ids(client.get(LIST))


def test_unpublished_matter_is_not_found_for_another_departments_staff(client, unpublished):
    headers = token_for(StaffFactory())

    assert_error(client.get(detail(unpublished.pk), **headers), 404)
    assert unpublished.pk not in ids(client.get(LIST, **headers))


def test_own_departments_staff_read_the_unpublished_matter_with_a_token(client, unpublished):
    headers = token_for(StaffFactory(department=unpublished.department))
    other = published_matter()

    response = client.get(detail(unpublished.pk), **headers)

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "尚未公开的医疗服务价格调整"
    assert body["is_published"] is False
    assert body["url"] is None
    assert body["api_url"] == f"http://testserver/api/v1/matters/{unpublished.pk}/"
    assert sorted(ids(client.get(LIST, **headers))) == sorted([unpublished.pk, other.pk])


def test_co_organising_departments_staff_read_the_unpublished_matter(client):
    co_department = DepartmentFactory()
    matter = make_matter(co_departments=[co_department])

    response = client.get(detail(matter.pk), **token_for(StaffFactory(department=co_department)))

    assert response.status_code == 200


def test_own_departments_staff_read_the_unpublished_matter_in_a_session(client, unpublished):
    client.force_login(StaffFactory(department=unpublished.department))

    assert client.get(detail(unpublished.pk)).status_code == 200


@pytest.mark.parametrize("factory", [ReviewerFactory, AdministratorFactory])
def test_general_office_and_administrators_read_every_unpublished_matter(
    client, unpublished, factory
):
    headers = token_for(factory())

    assert client.get(detail(unpublished.pk), **headers).status_code == 200
    assert unpublished.pk in ids(client.get(LIST, **headers))


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token ", "Token a b"])
def test_bad_token_is_refused_with_401_in_the_error_shape(client, header):
    published_matter()

    response = client.get(LIST, HTTP_AUTHORIZATION=header)

    error = assert_error(response, 401)
    assert error["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_a_deactivated_account_is_refused(client):
    staff = StaffFactory()
    headers = token_for(staff)
    staff.is_active = False
    staff.save(update_fields=["is_active"])

    assert_error(client.get(LIST, **headers), 401)


@pytest.mark.parametrize("pk", ["999999", "999999999999999999"])
def test_unknown_or_huge_id_is_a_json_404(client, pk):
    assert_error(client.get(detail(pk)), 404)
