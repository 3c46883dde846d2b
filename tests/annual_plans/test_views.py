"""The staff filing flow in the browser pages, and the public catalogs."""

import re

import pytest
from django.urls import reverse

from annual_plans import services
from annual_plans.models import AnnualPlan
from matters.models import LedgerEntry
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")


@pytest.fixture
def staff(department):
    return StaffFactory(department=department, full_name="张伟")


@pytest.fixture
def leader(department):
    return LeaderFactory(department=department, full_name="李强")


def _management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _item(index: int, title: str, order: int, **extra) -> dict:
    data = {
        f"items-{index}-title": title,
        f"items-{index}-kind": "legislative",
        f"items-{index}-consultation_forms": ["written_solicitation", "symposium"],
        f"items-{index}-planned_start": "2027-03-01",
        f"items-{index}-planned_end": "2027-10-31",
        f"items-{index}-responsible_office": "立法一处",
        f"items-{index}-ORDER": str(order),
    }
    data.update({f"items-{index}-{key}": value for key, value in extra.items()})
    return data


def _header(**extra) -> dict:
    return {"contact_person": "张伟", "contact_phone": "0532-85911234", **extra}


def test_staff_starts_edits_reorders_and_files_a_catalog(client, staff, leader):
    client.force_login(staff)
    response = client.post(reverse("annual_plans:start"), {"year": "2027"})
    plan = AnnualPlan.objects.get(department=staff.department, year=2027)
    assert response.url == reverse("annual_plans:edit", args=[plan.pk])

    edit = reverse("annual_plans:edit", args=[plan.pk])
    data = {
        **_header(),
        **_management("items", 2, 0),
        **_item(0, "《青岛市养老服务条例》立法协商", 2),
        **_item(1, "行政执法监督办法修订", 1, is_major_decision="on"),
    }
    assert client.post(edit, data).status_code == 302
    titles = list(plan.items.order_by("order").values_list("title", flat=True))
    assert titles == ["行政执法监督办法修订", "《青岛市养老服务条例》立法协商"]

    # Remove one, keep the other.
    data = {
        **_header(),
        **_management("items", 3, 2),
        **_item(0, "行政执法监督办法修订", 1),
        **_item(1, "《青岛市养老服务条例》立法协商", 2, DELETE="on"),
    }
    assert client.post(edit, data).status_code == 302
    assert list(plan.items.values_list("title", flat=True)) == ["行政执法监督办法修订"]

    # Staff cannot file without the leader's sign-off: the page says so and the button is
    # disabled, described by that reason (issue 21, item 16).
    detail = client.get(reverse("annual_plans:staff_detail", args=[plan.pk])).content.decode()
    button = re.search(r"<button[^>]*>报送市政府办公厅备案</button>", detail).group(0)
    assert "disabled" in button and 'aria-describedby="submit-needs-sign-off"' in button
    client.post(reverse("annual_plans:submit", args=[plan.pk]), follow=True)
    plan.refresh_from_db()
    assert plan.status == "draft"

    client.force_login(leader)
    client.post(reverse("annual_plans:sign_off", args=[plan.pk]))
    client.force_login(staff)
    detail = client.get(reverse("annual_plans:staff_detail", args=[plan.pk])).content.decode()
    button = re.search(r"<button[^>]*>报送市政府办公厅备案</button>", detail).group(0)
    assert "disabled" not in button
    page = client.post(reverse("annual_plans:submit", args=[plan.pk]), follow=True)
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert "已报送市政府办公厅备案" in page.content.decode()
    assert LedgerEntry.objects.filter(object_type="annualplan", object_id=plan.pk).count() == 5


def test_the_empty_add_an_item_row_is_ignored_as_a_browser_posts_it(client, staff):
    plan = make_plan(by=staff, year=2027, items=0)
    client.force_login(staff)
    edit = reverse("annual_plans:edit", args=[plan.pk])
    form = client.get(edit).content.decode()
    # The blank row has no category chosen, so an untouched row posts none: with one
    # chosen, the form set took the row for a new item and asked for its title.
    assert re.search(r'<select name="items-0-kind"[^>]*>\s*<option value="" selected>', form)
    blank_row = {
        "items-1-title": "",
        "items-1-kind": "",
        "items-1-planned_start": "",
        "items-1-planned_end": "",
        "items-1-responsible_office": "",
        "items-1-ORDER": "",
    }

    response = client.post(
        edit,
        {**_header(), **_management("items", 2, 0), **_item(0, "行政执法监督办法修订", 1), **blank_row},
    )

    assert response.status_code == 302
    assert list(plan.items.values_list("title", flat=True)) == ["行政执法监督办法修订"]


def test_bad_item_input_is_refused_and_nothing_is_lost(client, staff):
    plan = make_plan(by=staff, year=2027, items=0)
    client.force_login(staff)
    data = {
        **_header(contact_phone=""),
        **_management("items", 1, 0),
        **_item(0, "待修改的事项", 1, planned_end="2027-01-01"),
    }
    response = client.post(reverse("annual_plans:edit", args=[plan.pk]), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "请填写联系电话。" in text
    assert "计划完成日期不能早于计划开始日期。" in text
    assert "待修改的事项" in text and "立法一处" in text


def test_returned_catalog_shows_the_office_comments_overall_and_per_item(client, staff):
    plan = make_plan(by=staff, year=2026, items=2, status="submitted")
    first = plan.items.order_by("order").first()
    services.plan_return(
        plan=plan,
        by=ReviewerFactory(),
        comment="请补充协商形式",
        item_comments={first.pk: "应增加听证会"},
    )
    client.force_login(staff)
    detail = client.get(reverse("annual_plans:staff_detail", args=[plan.pk])).content.decode()
    assert "市政府办公厅退回修改" in detail and "请补充协商形式" in detail
    assert "应增加听证会" in detail
    edit = client.get(reverse("annual_plans:edit", args=[plan.pk])).content.decode()
    assert "逐项审核意见：应增加听证会" in edit


def test_empty_catalog_needs_a_reason(client, staff):
    plan = make_plan(by=staff, year=2027, items=0)
    client.force_login(staff)
    data = {**_header(is_empty="on", empty_reason=""), **_management("items", 1, 0)}
    response = client.post(reverse("annual_plans:edit", args=[plan.pk]), data)
    assert "报送空目录须说明本年度无协商事项的原因。" in response.content.decode()


def test_other_departments_cannot_see_or_touch_a_draft(client, staff):
    plan = make_plan(by=staff, year=2027)
    client.force_login(StaffFactory())
    for name in ("staff_detail", "edit"):
        assert client.get(reverse(f"annual_plans:{name}", args=[plan.pk])).status_code == 403
    assert client.post(reverse("annual_plans:submit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("annual_plans:sign_off", args=[plan.pk])).status_code == 403
    assert client.get(reverse("annual_plans:filing_form", args=[plan.pk])).status_code == 404
    assert client.get(reverse("annual_plans:public_detail", args=[plan.pk])).status_code == 404


def test_staff_cannot_sign_off_only_a_leader_can(client, staff):
    plan = make_plan(by=staff, year=2027)
    client.force_login(staff)
    assert client.post(reverse("annual_plans:sign_off", args=[plan.pk])).status_code == 403


def test_submitted_catalog_is_no_longer_editable(client, staff):
    plan = make_plan(by=staff, year=2026, status="submitted")
    client.force_login(staff)
    assert client.get(reverse("annual_plans:edit", args=[plan.pk])).status_code == 403


def test_amendment_flow_in_the_browser(client, staff):
    plan = make_plan(by=staff, year=2026, items=1, status="published")
    client.force_login(staff)
    response = client.post(
        reverse("annual_plans:amendment_start", args=[plan.pk]), {"reason": "新增一项重大决策"}
    )
    amendment = plan.amendments.get()
    assert response.url == reverse("annual_plans:amendment_edit", args=[amendment.pk])
    current = plan.items.get()
    data = {
        "reason": "新增一项重大决策",
        **_management("items", 2, 1),
        "items-0-title": current.title,
        "items-0-kind": current.kind,
        "items-0-consultation_forms": current.forms,
        "items-0-planned_start": current.planned_start.isoformat(),
        "items-0-planned_end": current.planned_end.isoformat(),
        "items-0-responsible_office": current.responsible_office,
        "items-0-ORDER": "1",
        **_item(1, "城市停车收费调整", 2, planned_start="2026-07-01", planned_end="2026-12-31"),
        "submit": "1",
    }
    response = client.post(reverse("annual_plans:amendment_edit", args=[amendment.pk]), data)
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == "pending"
    services.amendment_decide(amendment=amendment, by=ReviewerFactory(), accept=True)
    page = client.get(reverse("annual_plans:public_detail", args=[plan.pk])).content.decode()
    assert "城市停车收费调整" in page
    assert "本目录已经年中调整" in page and "新增一项重大决策" in page


def test_public_catalogs_show_only_published_plans(client):
    published = make_plan(year=2026, items=2, status="published")
    accepted = make_plan(year=2026, items=1, status="accepted")
    response = client.get(reverse("annual_plans:public_list"))
    assert response.url == reverse("annual_plans:public_year", args=[2026])
    text = client.get(response.url).content.decode()
    assert published.department.name in text
    assert accepted.department.name not in text
    assert client.get(reverse("annual_plans:public_detail", args=[accepted.pk])).status_code == 404
    assert client.get(reverse("annual_plans:public_detail", args=[published.pk])).status_code == 200


def test_consolidated_catalogs_list_flagged_items_of_published_plans(client):
    plan = make_plan(year=2026, items=1, status="published")
    item = plan.items.get()
    item.is_major_decision = True
    item.save()
    hidden = make_plan(year=2026, items=1, status="accepted").items.get()
    hidden.is_major_decision = True
    hidden.save()
    text = client.get(
        reverse("annual_plans:consolidated", args=[2026, "major-decisions"])
    ).content.decode()
    assert item.title in text and plan.department.short_name in text
    assert hidden.plan.department.short_name not in text
    assert (
        "本年度暂无列入此目录的已公示事项"
        in client.get(
            reverse("annual_plans:consolidated", args=[2026, "non-party"])
        ).content.decode()
    )


@pytest.mark.parametrize("count", [2, 12])
def test_year_catalog_page_costs_constant_queries(client, count, django_assert_max_num_queries):
    for _ in range(count):
        make_plan(year=2026, items=3, status="published")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("annual_plans:public_year", args=[2026])).status_code == 200


def test_who_may_download_which_filing_form(client, staff):
    draft = make_plan(by=staff, year=2027)
    published = make_plan(year=2026, status="published")
    url = reverse("annual_plans:filing_form", args=[draft.pk])
    assert client.get(url).status_code == 404  # the public: not a draft
    client.force_login(staff)
    own = client.get(url)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    client.force_login(ReviewerFactory())
    assert client.get(url).status_code == 200
    client.logout()
    public = client.get(reverse("annual_plans:filing_form", args=[published.pk]))
    assert public.status_code == 200
    assert public.content.startswith(b"%PDF")


def test_the_consolidated_catalog_is_rendered_once_until_a_catalog_changes(client, monkeypatch):
    from annual_plans.views import public

    make_plan(status="published", items=2)
    renders = []
    render = public.reports.consolidated_catalog_pdf
    monkeypatch.setattr(
        public.reports,
        "consolidated_catalog_pdf",
        lambda **kwargs: renders.append(kwargs["year"]) or render(**kwargs),
    )
    url = reverse("annual_plans:consolidated_pdf", args=[2026])

    first, again = client.get(url), client.get(url)
    assert renders == [2026]
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]

    make_plan(status="published", items=1)
    client.get(url)
    assert renders == [2026, 2026]


def test_copy_previous_with_no_previous_catalog_says_so_and_creates_nothing(client, staff):
    # Issue 21, item 17: it used to create an empty draft without a word.
    from django.utils import timezone

    year = timezone.localdate().year + 1
    client.force_login(staff)
    page = client.post(
        reverse("annual_plans:start"), {"year": year, "copy_previous": "on"}, follow=True
    )
    assert f"没有{year - 1}年度计划目录，无法沿用上一年度的事项" in page.content.decode()
    assert not AnnualPlan.objects.exists()
