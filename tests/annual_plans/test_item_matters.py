"""A catalog in force carried out matter by matter: an item's matter started in one step
(its fields carried over, the ledger told), or a matter already run linked; the matter
names the item it carries out; refusals say why."""

import datetime

import pytest
from django.urls import reverse

from annual_plans import services as plan_services
from annual_plans.item_matters import (
    matters_to_link,
    plan_item_link_matter,
    plan_item_start_matter,
)
from annual_plans.models import PlanItem
from core.exceptions import TransitionError
from matters.models import LedgerEntry, Matter
from tests.factories import LeaderFactory, StaffFactory, make_matter, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def leader(staff):
    return LeaderFactory(department=staff.department)


def _plan(staff, leader, status="accepted", items=2, year=2026):
    return make_plan(
        department=staff.department, by=staff, leader=leader, status=status, items=items, year=year
    )


def _first(plan) -> PlanItem:
    return plan.items.order_by("order").first()


@pytest.mark.parametrize("status", ["accepted", "published"])
def test_an_item_of_a_catalog_in_force_starts_its_matter_in_one_step(staff, leader, status):
    plan = _plan(staff, leader, status=status)
    item = _first(plan)
    item.is_major_decision = True
    item.seeks_non_party_opinions = True
    item.save()

    matter = plan_item_start_matter(item=item, by=staff)

    assert (matter.title, matter.kind, matter.department_id, matter.year) == (
        item.title,
        item.kind,
        plan.department_id,
        plan.year,
    )
    assert (matter.planned_start, matter.planned_end) == (item.planned_start, item.planned_end)
    assert matter.is_major_decision and matter.seeks_non_party_opinions
    assert "第1项" in matter.summary
    item.refresh_from_db()
    assert item.matter_id == matter.pk
    row = LedgerEntry.objects.get(action="plan_item_matter_started")
    assert row.after == {"item": item.pk, "matter": matter.pk, "reference": matter.reference}
    assert matter.reference in row.summary
    assert LedgerEntry.objects.filter(action="matter_created", object_id=matter.pk).exists()


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_a_catalog_not_in_force_starts_nothing(staff, leader, status):
    item = _first(_plan(staff, leader, status=status))
    with pytest.raises(TransitionError, match="目录备案或公示后"):
        plan_item_start_matter(item=item, by=staff)
    assert not Matter.objects.exists()


def test_an_item_has_one_matter(staff, leader):
    item = _first(_plan(staff, leader))
    matter = plan_item_start_matter(item=item, by=staff)
    with pytest.raises(TransitionError, match=matter.reference):
        plan_item_start_matter(item=item, by=staff)
    with pytest.raises(TransitionError, match="已对应协商事项"):
        plan_item_link_matter(item=item, matter=make_matter(by=staff), by=staff)
    assert Matter.objects.count() == 2


def test_linking_a_matter_the_department_already_runs(staff, leader):
    plan = _plan(staff, leader)
    first, second = plan.items.order_by("order")
    running = make_matter(by=staff, year=2026)
    assert list(matters_to_link(first)) == [running]

    plan_item_link_matter(item=first, matter=running, by=staff)

    first.refresh_from_db()
    assert first.matter_id == running.pk
    assert LedgerEntry.objects.get(action="plan_item_matter_linked").after["matter"] == running.pk
    # A matter carries out one item of its year.
    assert list(matters_to_link(second)) == []
    with pytest.raises(TransitionError, match=first.title):
        plan_item_link_matter(item=second, matter=running, by=staff)


def test_linking_refuses_another_department_or_year(staff, leader):
    item = _first(_plan(staff, leader))
    with pytest.raises(TransitionError, match="本部门"):
        plan_item_link_matter(item=item, matter=make_matter(year=2026), by=staff)
    with pytest.raises(TransitionError, match="2025年度"):
        plan_item_link_matter(item=item, matter=make_matter(by=staff, year=2025), by=staff)


def test_an_amendment_keeps_the_link_of_an_item_it_keeps(staff, leader):
    from annual_plans.services import ItemData
    from tests.factories import ReviewerFactory

    plan = _plan(staff, leader, status="published")
    item = _first(plan)
    matter = plan_item_start_matter(item=item, by=staff)
    amendment = plan_services.amendment_start(plan=plan, by=staff, reason="新增一项。")
    items = [ItemData.from_item(i) for i in plan.items.order_by("order")]
    new = ItemData(**{**items[-1].__dict__, "title": "年中新增的协商事项"})
    plan_services.amendment_save(
        amendment=amendment, by=staff, reason="新增一项。", items=[*items, new]
    )
    plan_services.amendment_submit(amendment=amendment, by=staff)
    plan_services.amendment_decide(
        amendment=amendment, by=ReviewerFactory(), accept=True, comment=""
    )
    kept = plan.items.get(title=item.title)
    assert kept.matter_id == matter.pk
    assert plan.items.get(title="年中新增的协商事项").matter_id is None


def test_the_catalog_page_offers_it_and_the_matter_names_its_item(client, staff, leader):
    plan = _plan(staff, leader, status="published")
    item = _first(plan)
    client.force_login(staff)
    page = client.get(reverse("annual_plans:staff_detail", args=[plan.pk])).content.decode()
    start = reverse("annual_plans:item_start_matter", args=[plan.pk, item.pk])
    assert start in page
    response = client.post(start)
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matters:staff_detail", args=[matter.pk])
    staff_page = client.get(response["Location"]).content.decode()
    assert "落实目录事项" in staff_page and item.title in staff_page
    page = client.get(reverse("annual_plans:staff_detail", args=[plan.pk])).content.decode()
    assert start not in page and matter.reference in page


def test_the_public_matter_page_names_only_a_published_catalogs_item(client, staff, leader):
    from matters.services import matter_publish

    plan = _plan(staff, leader, status="accepted")
    matter = matter_publish(matter=plan_item_start_matter(item=_first(plan), by=staff), by=staff)
    url = reverse("matters:public_detail", args=[matter.pk])
    assert "落实目录事项" not in client.get(url).content.decode()
    plan_services.plan_publish(plan=plan, by=_reviewer())
    assert "落实目录事项" in client.get(url).content.decode()


def _reviewer():
    from tests.factories import ReviewerFactory

    return ReviewerFactory()


def test_another_department_cannot_carry_out_the_catalog(client, staff, leader):
    plan = _plan(staff, leader, status="published")
    item = _first(plan)
    client.force_login(StaffFactory())
    assert (
        client.post(reverse("annual_plans:item_start_matter", args=[plan.pk, item.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("annual_plans:item_link_matter", args=[plan.pk, item.pk])).status_code
        == 403
    )
    assert not Matter.objects.exists()


def test_the_link_page_lists_the_departments_matters_of_the_year(client, staff, leader):
    plan = _plan(staff, leader)
    item = _first(plan)
    running = make_matter(by=staff, year=2026, title="年初已启动的协商事项")
    make_matter(by=staff, year=2025, title="上一年度的协商事项")
    client.force_login(staff)
    url = reverse("annual_plans:item_link_matter", args=[plan.pk, item.pk])
    page = client.get(url).content.decode()
    assert "年初已启动的协商事项" in page and "上一年度的协商事项" not in page
    assert client.post(url, {"matter": running.pk}).status_code == 302
    item.refresh_from_db()
    assert item.matter_id == running.pk
    assert datetime.date(2026, 1, 1) <= running.planned_start


def test_an_amendment_says_what_happens_to_the_matters_of_items_it_drops(client, staff, leader):
    from annual_plans.item_matters import amendment_matter_effects
    from annual_plans.services import ItemData
    from tests.factories import ReviewerFactory

    plan = _plan(staff, leader, status="published", items=3)
    first, second, _third = plan.items.order_by("order")
    kept = plan_item_start_matter(item=first, by=staff)
    dropped = plan_item_start_matter(item=second, by=staff)
    amendment = plan_services.amendment_start(plan=plan, by=staff, reason="删去第二项。")
    items = [ItemData.from_item(i) for i in plan.items.order_by("order") if i.pk != second.pk]
    plan_services.amendment_save(amendment=amendment, by=staff, reason="删去第二项。", items=items)
    effects = amendment_matter_effects(amendment)
    assert [(e.matter.pk, e.kept) for e in effects] == [(kept.pk, True), (dropped.pk, False)]
    assert dropped.reference in effects[1].text and "不计入目录执行情况" in effects[1].text

    # The staff's amendment page says so before it is submitted.
    client.force_login(staff)
    html = client.get(reverse("annual_plans:amendment_edit", args=[amendment.pk])).content
    assert effects[1].text in html.decode()

    plan_services.amendment_submit(amendment=amendment, by=staff)
    plan_services.amendment_decide(amendment=amendment, by=ReviewerFactory(), accept=True)
    assert not plan.items.filter(matter=dropped).exists()
    assert Matter.objects.filter(pk=dropped.pk).exists()  # the matter goes on
    entry = LedgerEntry.objects.filter(action="amendment_accepted").get()
    assert entry.after["released_matters"] == [dropped.reference]
