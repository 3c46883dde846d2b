import pytest

from accounts.models import Department
from accounts.roles import Role
from accounts.services import AccountError, user_create, user_set_roles
from tests.factories import DepartmentFactory, GeneralOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_department_staff_needs_a_department():
    with pytest.raises(AccountError, match="必须指定所属部门"):
        user_create(
            username="nobody",
            password="x-long-password-1",
            full_name="无部门",
            department=None,
            roles=[Role.DEPARTMENT_STAFF],
        )


def test_reviewer_must_belong_to_the_general_office():
    with pytest.raises(AccountError, match="必须属于市政府办公厅"):
        user_create(
            username="outsider",
            password="x-long-password-1",
            full_name="外单位",
            department=DepartmentFactory(kind=Department.Kind.DISTRICT),
            roles=[Role.GENERAL_OFFICE_REVIEWER],
        )


def test_admin_site_roles_set_is_staff_and_removing_them_clears_it():
    user = UserFactory(department=GeneralOfficeFactory())
    user_set_roles(user=user, roles=[Role.GENERAL_OFFICE_REVIEWER])
    user.refresh_from_db()
    assert user.is_staff
    assert user.roles == [Role.GENERAL_OFFICE_REVIEWER]

    user_set_roles(user=user, roles=[])
    user.refresh_from_db()
    assert not user.is_staff
    assert user.roles == []
