"""/api/v1/proposals/: what a client reads about suggestions and proposals, which filters
it may use, who sees which items, and that no author's contact data ever leaves."""

import datetime

import pytest
from django.urls import reverse

from proposals.models import Proposal
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
)
from tests.proposals.public_support import (
    LEAD_AUTHOR_NAME,
    PRIVATE_STRINGS,
    Desk,
)

from .support import assert_error, at, ids, text_of, token_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/proposals/"


def detail(pk) -> str:
    return f"{LIST}{pk}/"


@pytest.fixture
def desk():
    return Desk()


def test_list_row_has_the_documented_fields(client, desk):
    proposal = desk.replied(title="关于加快发展社区养老服务的建议", reply_class="B")

    body = client.get(LIST).json()

    assert body["count"] == 1
    row = body["results"][0]
    assert row == {
        "id": proposal.pk,
        "number": proposal.number,
        "reference": proposal.reference,
        "kind": "suggestion",
        "kind_label": "人大代表建议",
        "year": 2026,
        "session": "市十七届人大五次会议",
        "title": "关于加快发展社区养老服务的建议",
        "lead_department": {
            "id": desk.department.pk,
            "code": "mzj",
            "name": "青岛市民政局",
        },
        "status": "replied",
        "status_label": "已答复待测评",
        "reply_class": "B",
        "reply_class_label": "B类：所提问题正在解决或列入计划逐步解决",
        "satisfaction": "",
        "satisfaction_label": "",
        "replied_at": "2026-05-06T10:00:00+08:00",
        "modified": row["modified"],
        "url": f"http://testserver/proposals/{proposal.pk}/",
        "api_url": f"http://testserver/api/v1/proposals/{proposal.pk}/",
    }


def test_detail_has_the_authors_names_and_every_sent_reply(client, desk):
    co = DepartmentFactory(name="青岛市财政局", code="czj")
    proposal = desk.second_round_replied(private_authors=True, co=[(co, "joint")])

    body = client.get(detail(proposal.pk)).json()

    assert body["body"] == proposal.body
    assert [author["name"] for author in body["authors"]] == [LEAD_AUTHOR_NAME, "李秀英"]
    assert body["authors"][0] == {
        "name": LEAD_AUTHOR_NAME,
        "category": "npc_deputy",
        "category_label": "人大代表",
        "role": "lead",
    }
    assert body["co_departments"] == [
        {"id": co.pk, "code": "czj", "name": "青岛市财政局", "role": "joint", "role_label": "会办"}
    ]
    assert body["satisfaction"] == ""  # the first rating (不满意) belonged to round 1
    replies = body["replies"]
    assert [(r["round"], r["reply_class"]) for r in replies] == [(1, "C"), (2, "B")]
    first = proposal.replies.get(round=1)
    assert replies[0] == {
        "round": 1,
        "document_number": first.document_number,
        "sent_at": "2026-05-06T10:00:00+08:00",
        "reply_class": "C",
        "reply_class_label": "C类：因条件限制或其他原因暂时不能解决，予以说明解释",
        "body": first.body,
        "pdf_url": "http://testserver" + reverse("proposals:reply_pdf", kwargs={"pk": first.pk}),
    }


def test_a_reply_not_yet_sent_is_not_in_the_detail(client, desk):
    from proposals import services

    proposal = desk.handling()
    services.reply_save(
        proposal,
        by=desk.staff,
        document_number="青民建字〔2026〕999号",
        body="草稿",
        reply_class="A",
        contact_person="李明",
        contact_phone="0532-80000000",
    )
    assert client.get(detail(proposal.pk)).json()["replies"] == []


# --- who sees what -------------------------------------------------------------------


@pytest.fixture
def spread(desk):
    """A public replied item, a public item in handling, a non-public one and an
    unassigned one of the desk's department; a public and a non-public one of another."""
    other = Desk(DepartmentFactory(name="青岛市教育局", code="jyj"))
    return {
        "public": desk.replied(),
        "handling": desk.handling(),
        "hidden": desk.handling(is_public=False),
        "unassigned": desk.registered(),
        "other_public": other.handling(kind="proposal"),
        "other_hidden": other.handling(is_public=False),
        "other": other,
    }


def test_anonymous_clients_see_public_assigned_items_only(client, spread):
    expected = {spread[key].pk for key in ("public", "handling", "other_public")}
    assert set(ids(client.get(LIST))) == expected
    for key in ("hidden", "unassigned", "other_hidden"):
        assert_error(client.get(detail(spread[key].pk)), 404)


def test_a_department_token_adds_its_own_non_public_items(client, desk, spread):
    headers = token_for(desk.staff)
    expected = {spread[key].pk for key in ("public", "handling", "hidden", "other_public")}
    assert set(ids(client.get(LIST, **headers))) == expected
    hidden = client.get(detail(spread["hidden"].pk), **headers).json()
    assert hidden["url"] is None  # no public page
    assert_error(client.get(detail(spread["other_hidden"].pk), **headers), 404)


@pytest.mark.parametrize("factory", [ReviewerFactory, AdministratorFactory])
def test_the_office_and_administrators_see_every_item(client, spread, factory):
    headers = token_for(factory())
    assert len(ids(client.get(LIST, **headers))) == Proposal.objects.count()


def test_a_token_without_a_working_role_reads_the_public_items(client, spread):
    staff = StaffFactory(department=spread["other"].department)
    headers = token_for(staff)
    staff.groups.clear()
    expected = {spread[key].pk for key in ("public", "handling", "other_public")}
    assert set(ids(client.get(LIST, **headers))) == expected


# --- filters -------------------------------------------------------------------------


def test_filters_kind_year_department_and_reply_class(client, desk):
    other = Desk(DepartmentFactory(name="青岛市教育局", code="jyj"))
    a = desk.replied(reply_class="A")
    b = desk.replied(reply_class="B")
    cppcc = other.replied(kind="proposal", reply_class="A")
    old = desk.handling(year=2025)

    assert set(ids(client.get(LIST, {"kind": "proposal"}))) == {cppcc.pk}
    assert set(ids(client.get(LIST, {"kind": "suggestion"}))) == {a.pk, b.pk, old.pk}
    assert set(ids(client.get(LIST, {"year": 2025}))) == {old.pk}
    assert set(ids(client.get(LIST, {"department": "jyj"}))) == {cppcc.pk}
    assert set(ids(client.get(LIST, {"department": desk.department.pk}))) == {a.pk, b.pk, old.pk}
    assert set(ids(client.get(LIST, {"reply_class": "A"}))) == {a.pk, cppcc.pk}
    assert set(ids(client.get(LIST, {"reply_class": "A", "department": "mzj"}))) == {a.pk}


def test_modified_since_follows_the_last_change_in_beijing_time(client, desk):
    before, after = desk.handling(), desk.handling()
    Proposal.objects.filter(pk=before.pk).update(updated_at=at(2026, 1, 31, 23, 30))
    Proposal.objects.filter(pk=after.pk).update(updated_at=at(2026, 2, 1, 0, 30))

    assert ids(client.get(LIST, {"modified_since": "2026-02-01"})) == [after.pk]
    assert set(ids(client.get(LIST, {"modified_since": "2026-01-31"}))) == {before.pk, after.pk}
    assert ids(client.get(LIST, {"modified_since": "2026-01-31T16:15:00Z"})) == [after.pk]


@pytest.mark.parametrize(
    "name, value",
    [
        ("kind", "petition"),
        ("reply_class", "D"),
        ("year", "twenty"),
        ("department", "nosuch"),
        ("modified_since", "yesterday"),
    ],
)
def test_bad_filter_values_are_refused_naming_the_parameter(client, db, name, value):
    assert_error(client.get(LIST, {name: value}), 400, field=name)


def test_the_list_is_paged_in_the_order_of_the_lists(client, desk):
    made = [desk.assigned(number=f"{n:04d}") for n in (3, 1, 2)]
    last_year = desk.assigned(number="0001", year=2025)

    first = client.get(LIST, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    numbers = [row["number"] for row in first["results"] + second["results"]]
    assert numbers == ["0001", "0002", "0003", "0001"]
    assert second["results"][-1]["id"] == last_year.pk
    assert first["count"] == len(made) + 1


# --- privacy -------------------------------------------------------------------------


def test_no_author_contact_data_in_any_answer(client, desk):
    proposal = desk.second_round_replied(private_authors=True)
    answers = [
        client.get(LIST),
        client.get(detail(proposal.pk)),
        client.get(LIST, **token_for(desk.staff)),
        client.get(detail(proposal.pk), **token_for(ReviewerFactory())),
    ]
    for response in answers:
        text = text_of(response)
        assert response.status_code == 200
        assert proposal.title in text
        assert [private for private in PRIVATE_STRINGS if private in text] == []


def test_the_list_costs_the_same_queries_at_any_page_size(client, desk, django_assert_num_queries):
    from core.content_cache import bump_generation

    for n in range(12):
        desk.assigned(number=f"{n:04d}")
    for size in (1, 5, 12):
        bump_generation()
        # count, rows with their lead department
        with django_assert_num_queries(2):
            response = client.get(LIST, {"page_size": size})
        assert len(response.json()["results"]) == size


def test_the_detail_costs_four_queries_however_much_it_holds(
    client, desk, django_assert_num_queries
):
    small = desk.replied()
    large = desk.second_round_replied(co_signers=3)
    for proposal in (small, large):
        # item with departments; authors; co-departments; replies
        with django_assert_num_queries(4):
            assert client.get(detail(proposal.pk)).status_code == 200


def test_the_reply_date_in_the_list_is_the_latest_rounds(client, desk):
    proposal = desk.second_round_replied()
    row = client.get(LIST).json()["results"][0]
    assert row["id"] == proposal.pk
    assert row["replied_at"] == datetime.datetime(2026, 6, 15, 10).isoformat() + "+08:00"
