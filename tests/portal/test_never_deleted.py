"""Nothing filed is ever deleted: annual plans and their items, amendments, comment
periods and opinions, and the ledger. Not from the admin (not even by a superuser), not
by deleting what they belong to, and not when a filed catalog's items are replaced."""

import datetime

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from annual_plans import services as plan_services
from annual_plans.models import (
    Amendment,
    AmendmentItem,
    AnnualPlan,
    PlanItem,
    PlanVersion,
    SupersededPlanItem,
)
from matters.models import LedgerEntry, Matter
from participation.models import CommentPeriod, Opinion
from participation.services.comments import opinion_record
from tests.factories import (
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
    make_period,
    make_plan,
)

pytestmark = pytest.mark.django_db

FILED_MODELS = [
    AnnualPlan,
    PlanItem,
    PlanVersion,
    SupersededPlanItem,
    Amendment,
    AmendmentItem,
    CommentPeriod,
    Opinion,
    LedgerEntry,
]


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def world():
    """A filed (published) plan with an amendment, a comment period with an opinion."""
    plan = make_plan(status="published", items=2)
    staff = plan.created_by
    amendment = plan_services.amendment_start(plan=plan, by=staff, reason="增加事项")
    period = make_period(by=StaffFactory(department=plan.department))
    opinion = opinion_record(
        period=period,
        by=period.created_by,
        channel="letter",
        received_on=timezone.localdate(),
        content="建议延长公示期。",
    )
    return {"plan": plan, "amendment": amendment, "period": period, "opinion": opinion}


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _admins_showing(model):
    """The model's own admin and every inline that shows its rows on another's page."""
    found = []
    for model_admin in admin.site._registry.values():
        if model_admin.model is model:
            found.append(model_admin)
        for inline_class in model_admin.inlines:
            if inline_class.model is model:
                found.append(inline_class(model_admin.model, admin.site))
    return found


@pytest.mark.parametrize("model", FILED_MODELS, ids=lambda model: model._meta.label)
def test_no_admin_page_can_delete_filed_records_even_for_a_superuser(model, superuser, world):
    request = _request(superuser)
    obj = model._base_manager.first()
    shown = _admins_showing(model)

    assert shown, f"{model._meta.label} is shown nowhere in the admin"
    for model_admin in shown:
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_delete_permission(request, obj)
        if isinstance(model_admin, admin.ModelAdmin):
            assert "delete_selected" not in model_admin.get_actions(request)
        else:
            assert not model_admin.can_delete


@pytest.mark.parametrize(
    ("model", "key"),
    [(AnnualPlan, "plan"), (Amendment, "amendment"), (CommentPeriod, "period"),
     (Opinion, "opinion")],
)  # fmt: skip
def test_superuser_finds_no_delete_in_the_admin_pages(client, superuser, world, model, key):
    client.force_login(superuser)
    obj = world[key]
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    changelist = client.get(reverse(f"{prefix}_changelist"))
    assert changelist.status_code == 200
    assert 'value="delete_selected"' not in changelist.content.decode()

    deleted = client.post(reverse(f"{prefix}_delete", args=[obj.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_bulk_delete_action_posted_by_hand_is_refused(client, superuser, world):
    client.force_login(superuser)
    plan = world["plan"]

    client.post(
        reverse("admin:annual_plans_annualplan_changelist"),
        {"action": "delete_selected", "_selected_action": [plan.pk], "post": "yes"},
    )

    assert AnnualPlan.objects.filter(pk=plan.pk).exists()


def test_ledger_entries_refuse_delete_in_python():
    make_plan(status="submitted")
    entry = LedgerEntry.objects.first()

    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        LedgerEntry.objects.all().delete()

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_department_with_filings_is_refused(world):
    department = world["plan"].department

    with pytest.raises(ProtectedError):
        Department.objects.get(pk=department.pk).delete()

    assert AnnualPlan.objects.filter(department=department).exists()
    assert LedgerEntry.objects.filter(department=department).exists()


def test_superuser_deleting_a_department_with_filings_in_the_admin_is_refused(
    client, superuser, world
):
    client.force_login(superuser)
    department = world["plan"].department

    response = client.post(
        reverse("admin:accounts_department_delete", args=[department.pk]), {"post": "yes"}
    )

    assert Department.objects.filter(pk=department.pk).exists()
    assert "年度计划目录" in response.content.decode()  # the protected rows are named


def test_deleting_the_user_who_filed_is_refused(world):
    plan, opinion = world["plan"], world["opinion"]

    for user in [plan.created_by, plan.signed_off_by, plan.reviewed_by, opinion.recorded_by]:
        with pytest.raises(ProtectedError):
            User.objects.get(pk=user.pk).delete()

    assert AnnualPlan.objects.filter(pk=plan.pk).exists()
    assert Opinion.objects.filter(pk=opinion.pk).exists()


def test_deleting_a_matter_with_opinions_is_refused(world):
    matter = world["period"].matter

    with pytest.raises(ProtectedError):
        Matter.objects.get(pk=matter.pk).delete()

    assert Opinion.objects.filter(matter=matter).count() == 1
    assert LedgerEntry.objects.filter(matter=matter).exists()


def test_deleting_a_plan_a_period_or_an_amendment_keeps_their_rows(world):
    for obj in [world["plan"], world["period"], world["amendment"]]:
        with pytest.raises(ProtectedError):
            type(obj).objects.get(pk=obj.pk).delete()

    assert PlanItem.objects.filter(plan=world["plan"]).count() == 2
    assert Opinion.objects.filter(period=world["period"]).count() == 1
    # AmendmentItem used to CASCADE: a requested proposal went with its amendment.
    assert AmendmentItem.objects.filter(amendment=world["amendment"]).count() == 2


def _item(title: str, year: int = 2026) -> plan_services.ItemData:
    return plan_services.ItemData(
        title=title,
        kind="decision",
        forms=["public_participation"],
        planned_start=datetime.date(year, 4, 1),
        planned_end=datetime.date(year, 9, 30),
        responsible_office="法制科",
    )


def _save(plan, by, items):
    return plan_services.plan_save(
        plan=plan, by=by, items=items, contact_person="王丽", contact_phone="0532-85911234"
    )


def test_revising_a_returned_filing_keeps_the_filed_items_with_their_review_comments():
    plan = make_plan(status="submitted", items=2)
    filed = list(plan.items.order_by("order"))
    plan = plan_services.plan_return(
        plan=plan,
        by=ReviewerFactory(),
        comment="请修改。",
        item_comments={filed[0].pk: "请写明协商形式。"},
    )

    _save(plan, plan.created_by, [_item("新事项")])

    assert [item.title for item in plan.items.all()] == ["新事项"]
    kept = list(SupersededPlanItem.objects.filter(plan=plan).order_by("order"))
    assert [(k.item_id, k.title, k.order) for k in kept] == [
        (item.pk, item.title, item.order) for item in filed
    ]
    assert kept[0].review_comment == "请写明协商形式。"
    assert {k.reason for k in kept} == {SupersededPlanItem.Reason.REVISED}
    assert kept[0].superseded_by == plan.created_by


def test_rewriting_a_draft_never_filed_keeps_nothing():
    plan = make_plan(status="draft", items=2)

    _save(plan, plan.created_by, [_item("新事项")])

    assert [item.title for item in plan.items.all()] == ["新事项"]
    assert not SupersededPlanItem.objects.exists()


def test_accepting_an_amendment_keeps_the_items_it_replaced():
    plan = make_plan(status="published", items=3)
    staff = plan.created_by
    before = list(plan.items.order_by("order"))
    amendment = plan_services.amendment_start(plan=plan, by=staff, reason="删去一项")
    plan_services.amendment_save(
        amendment=amendment,
        by=staff,
        reason="删去一项",
        items=[plan_services.ItemData.from_item(item) for item in before[:2]],
    )
    plan_services.amendment_submit(amendment=amendment, by=staff)
    reviewer = ReviewerFactory()

    plan_services.amendment_decide(amendment=amendment, by=reviewer, accept=True)

    assert plan.items.count() == 2
    kept = SupersededPlanItem.objects.filter(plan=plan).order_by("order")
    assert [(k.item_id, k.title) for k in kept] == [(item.pk, item.title) for item in before]
    assert {(k.reason, k.amendment_id, k.plan_version) for k in kept} == {
        (SupersededPlanItem.Reason.AMENDED, amendment.pk, 1)
    }
    assert all(k.superseded_by == reviewer for k in kept)


def test_a_rejected_amendment_replaces_nothing():
    plan = make_plan(status="accepted", items=1, leader=LeaderFactory())
    staff = plan.created_by
    amendment = plan_services.amendment_start(plan=plan, by=staff, reason="调整")
    plan_services.amendment_save(
        amendment=amendment, by=staff, reason="调整", items=[_item("另一事项")]
    )
    plan_services.amendment_submit(amendment=amendment, by=staff)

    plan_services.amendment_decide(
        amendment=amendment, by=ReviewerFactory(), accept=False, comment="不同意"
    )

    assert not SupersededPlanItem.objects.exists()
    assert plan.items.count() == 1


def test_the_office_sees_the_replaced_items_on_the_plan_page(client):
    plan = make_plan(status="submitted", items=1)
    plan = plan_services.plan_return(plan=plan, by=ReviewerFactory(), comment="请修改。")
    filed_title = plan.items.get().title
    _save(plan, plan.created_by, [_item("修改后的事项")])
    client.force_login(ReviewerFactory())

    response = client.get(reverse("admin:annual_plans_annualplan_change", args=[plan.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "被替换的目录事项" in text and "退回后修改" in text
    assert filed_title in text and "修改后的事项" in text
