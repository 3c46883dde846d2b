"""The admin's lists follow the same queryset filters as the staff pages and the API."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accounts.admin_access import RulesModelAdmin, admin_allows
from annual_plans.models import AnnualPlan
from matters.models import Matter
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_plan,
)

pytestmark = pytest.mark.django_db


def _rows(model, user) -> set[int]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return set(admin.site._registry[model].get_queryset(request).values_list("pk", flat=True))


def test_every_registered_project_model_admin_is_decided_by_rules():
    project = {"accounts", "matters", "annual_plans", "participation", "reminders", "auth"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in project:
            assert isinstance(model_admin, RulesModelAdmin), model._meta.label


def test_admin_lists_hold_what_the_rules_let_the_user_read():
    own, other = DepartmentFactory(), DepartmentFactory()
    clerk = StaffFactory(department=own)
    mine = make_matter(by=clerk)
    theirs = make_matter(by=StaffFactory(department=other))
    plan = make_plan(department=own, by=clerk)
    assert _rows(Matter, ReviewerFactory()) >= {mine.pk, theirs.pk}
    assert _rows(Matter, AdministratorFactory()) >= {mine.pk, theirs.pk}
    # Were a clerk ever let into the admin, its lists would hold its own department's rows.
    assert _rows(Matter, clerk) == {mine.pk}
    assert _rows(AnnualPlan, clerk) == {plan.pk}
    clerk.groups.clear()
    clerk.__dict__.pop("role_names", None)
    assert _rows(Matter, clerk) == set()
    assert _rows(AnnualPlan, clerk) == set()


def test_deciding_in_the_admin_is_the_general_office_s():
    reviewer, administrator = ReviewerFactory(), AdministratorFactory()
    for label, verb in (
        ("matters.matter", "publish"),
        ("annual_plans.annualplan", "review"),
        ("annual_plans.amendment", "review"),
    ):
        assert admin_allows(reviewer, label, verb)
        assert not admin_allows(administrator, label, verb)
        assert not admin_allows(StaffFactory(), label, verb)
    # A rule nobody registered refuses.
    assert not admin_allows(reviewer, "matters.matter", "delete")


def test_role_groups_hold_no_model_permissions():
    """The rules decide; a model permission granted to a role would be a second answer."""
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    for role in Role:
        assert not Group.objects.get(name=role.value).permissions.exists(), role
