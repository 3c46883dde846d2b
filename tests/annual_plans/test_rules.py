"""Who may see, edit, sign off, review and download a catalog: every role in every state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
    make_plan,
)

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "returned", "accepted", "published"]
EDITABLE = {"draft", "returned"}
ALL = set(STATES)
PUBLIC = {"published"}

# role -> the states in which each permission is granted
EXPECTED = {
    "own_staff": {
        "view_annualplan": ALL,
        "edit_plan": EDITABLE,
        "sign_off_plan": set(),
        "review_plan": set(),
        "download_filing_form": ALL,
    },
    "own_leader": {
        "view_annualplan": ALL,
        "edit_plan": EDITABLE,
        "sign_off_plan": EDITABLE,
        "review_plan": set(),
        "download_filing_form": ALL,
    },
    "other_staff": {
        "view_annualplan": PUBLIC,
        "edit_plan": set(),
        "sign_off_plan": set(),
        "review_plan": set(),
        "download_filing_form": PUBLIC,
    },
    "other_leader": {
        "view_annualplan": PUBLIC,
        "edit_plan": set(),
        "sign_off_plan": set(),
        "review_plan": set(),
        "download_filing_form": PUBLIC,
    },
    "reviewer": {
        "view_annualplan": ALL,
        "edit_plan": set(),
        "sign_off_plan": set(),
        "review_plan": ALL,
        "download_filing_form": ALL,
    },
    "administrator": {
        "view_annualplan": ALL,
        "edit_plan": set(),
        "sign_off_plan": set(),
        "review_plan": set(),
        "download_filing_form": ALL,
    },
    "anonymous": {
        "view_annualplan": PUBLIC,
        "edit_plan": set(),
        "sign_off_plan": set(),
        "review_plan": set(),
        "download_filing_form": PUBLIC,
    },
}
PERMISSIONS = list(EXPECTED["own_staff"])


@pytest.fixture
def own():
    return DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")


@pytest.fixture
def other():
    return DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")


@pytest.fixture
def people(own, other):
    return {
        "own_staff": StaffFactory(department=own),
        "own_leader": LeaderFactory(department=own),
        "other_staff": StaffFactory(department=other),
        "other_leader": LeaderFactory(department=other),
        "reviewer": ReviewerFactory(),
        "administrator": AdministratorFactory(),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture(params=STATES)
def plan(request, own, people):
    return make_plan(
        department=own, by=people["own_staff"], leader=people["own_leader"], status=request.param
    )


@pytest.mark.parametrize("permission", PERMISSIONS)
@pytest.mark.parametrize("who", list(EXPECTED))
def test_plan_permissions_match_the_role_table(people, plan, who, permission):
    allowed = plan.status in EXPECTED[who][permission]

    assert people[who].has_perm(f"annual_plans.{permission}", plan) is allowed


def test_another_departments_draft_is_hidden(people, own):
    draft = make_plan(department=own, by=people["own_staff"])

    for who in ("other_staff", "other_leader", "anonymous"):
        assert not people[who].has_perm("annual_plans.view_annualplan", draft), who
        assert not people[who].has_perm("annual_plans.download_filing_form", draft), who


def test_a_published_plan_is_visible_to_everyone_including_anonymous(people, own):
    published = make_plan(department=own, by=people["own_staff"], status="published")

    assert all(user.has_perm("annual_plans.view_annualplan", published) for user in people.values())
    assert all(
        user.has_perm("annual_plans.download_filing_form", published) for user in people.values()
    )


@pytest.mark.parametrize("status", STATES)
def test_own_department_files_and_amends_and_nobody_else(people, own, status):
    plan = make_plan(department=own, by=people["own_staff"], status=status)

    for who, user in people.items():
        own_department = who in ("own_staff", "own_leader")
        assert user.has_perm("annual_plans.submit_plan", plan) is own_department, who
        assert user.has_perm("annual_plans.request_amendment", plan) is own_department, who


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("own_staff", True),
        ("own_leader", True),
        ("other_staff", True),
        ("other_leader", True),
        ("reviewer", False),
        ("administrator", False),
        ("anonymous", False),
    ],
)
def test_only_department_members_start_a_plan(people, who, allowed):
    assert people[who].has_perm("annual_plans.start_plan") is allowed


def test_staff_of_a_deactivated_department_lose_their_own_draft(people, own):
    draft = make_plan(department=own, by=people["own_staff"])
    own.is_active = False
    own.save()

    for who in ("own_staff", "own_leader"):
        user = User.objects.get(pk=people[who].pk)  # fresh: roles and department re-read
        assert not user.has_perm("annual_plans.view_annualplan", draft), who
        assert not user.has_perm("annual_plans.edit_plan", draft), who
        assert not user.has_perm("annual_plans.sign_off_plan", draft), who


def test_a_deactivated_user_gets_nothing(people, own):
    draft = make_plan(department=own, by=people["own_staff"])
    user = StaffFactory(department=own, is_active=False)

    assert not user.has_perm("annual_plans.view_annualplan", draft)
    assert not user.has_perm("annual_plans.edit_plan", draft)


def test_a_user_of_the_department_without_a_role_gets_nothing_on_the_draft(own, people):
    draft = make_plan(department=own, by=people["own_staff"])
    user = UserFactory(department=own)

    for permission in PERMISSIONS:
        assert not user.has_perm(f"annual_plans.{permission}", draft), permission
