import pytest

from accounts import rules as predicates
from accounts.roles import Role
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "staff": StaffFactory(),
        "leader": LeaderFactory(),
        "reviewer": ReviewerFactory(),
        "administrator": AdministratorFactory(),
        "no_role": UserFactory(),
    }


# role -> (workbench, admin)
EXPECTED_ACCESS = {
    "staff": (True, False),
    "leader": (True, False),
    "reviewer": (True, True),
    "administrator": (True, True),
    "no_role": (False, False),
}


@pytest.mark.parametrize("who", sorted(EXPECTED_ACCESS))
def test_role_permissions_match_the_access_table(people, who):
    user = people[who]
    workbench, admin = EXPECTED_ACCESS[who]
    assert user.has_perm("accounts.access_workbench") is workbench
    assert user.has_perm("accounts.access_admin") is admin


def test_anonymous_has_no_staff_permission():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not anonymous.has_perm("accounts.access_workbench")
    assert not anonymous.has_perm("accounts.access_admin")


def test_deactivated_user_loses_every_role():
    user = StaffFactory(is_active=False)
    assert not predicates.is_department_staff(user)
    assert not user.has_perm("accounts.access_workbench")


def test_staff_of_a_deactivated_department_cannot_work():
    user = StaffFactory(department=DepartmentFactory(is_active=False))
    assert not predicates.is_department_member(user)
    assert not user.has_perm("accounts.access_workbench")


def test_owns_department_compares_the_objects_department():
    staff = StaffFactory()
    other = DepartmentFactory()

    class Thing:
        def __init__(self, department_id):
            self.department_id = department_id

    assert predicates.owns_department(staff, Thing(staff.department_id))
    assert not predicates.owns_department(staff, Thing(other.pk))
    assert not predicates.owns_department(staff, None)


def test_superuser_counts_as_system_administrator():
    user = UserFactory(is_superuser=True)
    assert predicates.is_system_administrator(user)
    assert user.has_perm("accounts.access_admin")


def test_roles_are_read_with_one_query(django_assert_num_queries):
    from accounts.models import User

    user = User.objects.select_related("department").get(pk=StaffFactory().pk)
    with django_assert_num_queries(1):
        predicates.can_use_workbench(user)
        predicates.can_access_admin(user)
        predicates.is_department_leader(user)
    assert user.roles == [Role.DEPARTMENT_STAFF]
