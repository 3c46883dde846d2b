"""Who may view and change a matter: every role, on a draft and on a published matter."""

import pytest
from django.contrib.auth.models import AnonymousUser

from matters import services
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
    make_matter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")


@pytest.fixture
def co_organiser():
    return DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")


@pytest.fixture
def people(lead, co_organiser):
    return {
        "lead_staff": StaffFactory(department=lead),
        "lead_leader": LeaderFactory(department=lead),
        "other_staff": StaffFactory(department=DepartmentFactory(code="jtj")),
        "co_staff": StaffFactory(department=co_organiser),
        "reviewer": ReviewerFactory(),
        "administrator": AdministratorFactory(),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def matters(people, lead, co_organiser):
    by = people["lead_staff"]
    draft = make_matter(by=by, title="草稿事项", co_departments=[co_organiser])
    published = make_matter(by=by, title="已公开事项", co_departments=[co_organiser])
    published = services.matter_publish(matter=published, by=by)
    return {"draft": draft, "published": published}


# role -> {state: (view, change)}
EXPECTED = {
    "lead_staff": {"draft": (True, True), "published": (True, True)},
    "lead_leader": {"draft": (True, True), "published": (True, True)},
    "other_staff": {"draft": (False, False), "published": (True, False)},
    "co_staff": {"draft": (True, False), "published": (True, False)},
    "reviewer": {"draft": (True, False), "published": (True, False)},
    "administrator": {"draft": (True, False), "published": (True, False)},
    "anonymous": {"draft": (False, False), "published": (True, False)},
}


@pytest.mark.parametrize("state", ["draft", "published"])
@pytest.mark.parametrize("who", list(EXPECTED))
def test_matter_permissions_match_the_role_table(people, matters, who, state):
    user, matter = people[who], matters[state]
    view, change = EXPECTED[who][state]
    assert user.has_perm("matters.view_matter", matter) is view
    assert user.has_perm("matters.change_matter", matter) is change


def test_another_departments_draft_is_refused(people, matters):
    assert not people["other_staff"].has_perm("matters.view_matter", matters["draft"])


def test_published_matter_is_viewable_by_everyone_including_anonymous(people, matters):
    assert all(
        user.has_perm("matters.view_matter", matters["published"]) for user in people.values()
    )


def test_general_office_views_every_matter_and_changes_none(people, matters):
    reviewer = people["reviewer"]
    for matter in matters.values():
        assert reviewer.has_perm("matters.view_matter", matter)
        assert not reviewer.has_perm("matters.change_matter", matter)


def test_withdrawn_matter_is_hidden_again_from_other_departments_and_the_public(people, matters):
    matter = services.matter_withdraw(
        matter=matters["published"], by=people["lead_staff"], reason="内容需更正"
    )
    assert not people["anonymous"].has_perm("matters.view_matter", matter)
    assert not people["other_staff"].has_perm("matters.view_matter", matter)
    assert people["co_staff"].has_perm("matters.view_matter", matter)


def test_lead_department_user_without_a_role_gets_nothing_on_a_draft(lead, matters):
    user = UserFactory(department=lead)
    assert not user.has_perm("matters.view_matter", matters["draft"])
    assert not user.has_perm("matters.change_matter", matters["draft"])


def test_co_organising_department_user_without_a_role_cannot_see_the_draft(co_organiser, matters):
    user = UserFactory(department=co_organiser)
    assert not user.has_perm("matters.view_matter", matters["draft"])
    assert user.has_perm("matters.view_matter", matters["published"])


def test_deactivated_lead_department_staff_cannot_change(lead, matters):
    user = StaffFactory(department=lead, is_active=False)
    assert not user.has_perm("matters.change_matter", matters["draft"])
    assert not user.has_perm("matters.view_matter", matters["draft"])


def test_staff_of_a_deactivated_lead_department_cannot_change(lead, people, matters):
    staff = people["lead_staff"]
    lead.is_active = False
    lead.save()
    staff.refresh_from_db()
    assert not staff.has_perm("matters.change_matter", matters["published"])


def test_removing_a_co_organiser_removes_its_view_of_the_draft(people, matters):
    draft = services.matter_update(
        matter=matters["draft"], by=people["lead_staff"], co_departments=[]
    )
    assert not people["co_staff"].has_perm("matters.view_matter", draft)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead_staff", True),
        ("lead_leader", True),
        ("other_staff", True),
        ("reviewer", False),
        ("administrator", False),
        ("anonymous", False),
    ],
)
def test_only_department_members_may_add_matters(people, who, allowed):
    assert people[who].has_perm("matters.add_matter") is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead_staff", False),
        ("lead_leader", False),
        ("co_staff", False),
        ("reviewer", True),
        ("administrator", True),
        ("anonymous", False),
    ],
)
def test_only_the_general_office_and_administrators_read_the_ledger(people, who, allowed):
    assert people[who].has_perm("matters.view_ledger") is allowed
