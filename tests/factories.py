import factory
from factory.django import DjangoModelFactory

from accounts.models import Department, User
from accounts.roles import Role
from accounts.services import user_set_roles

TEST_PASSWORD = "Test-password-2026"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"青岛市测试局{n}")
    short_name = factory.Sequence(lambda n: f"市测试局{n}")
    kind = Department.Kind.MUNICIPAL_DEPARTMENT


class GeneralOfficeFactory(DepartmentFactory):
    code = "bgt"
    name = "青岛市人民政府办公厅"
    short_name = "市政府办公厅"
    kind = Department.Kind.GENERAL_OFFICE


def roles_hook(default: list[Role]):
    """Post-generation step giving the user ``roles=[...]`` or the factory's default roles."""

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        user.save()
        chosen = default if extracted is None else extracted
        if create and chosen:
            user_set_roles(user=user, roles=chosen)

    return roles


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.cn")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)
    department = None

    roles = roles_hook([])


class StaffFactory(UserFactory):
    department = factory.SubFactory(DepartmentFactory)
    roles = roles_hook([Role.DEPARTMENT_STAFF])


class LeaderFactory(UserFactory):
    department = factory.SubFactory(DepartmentFactory)
    roles = roles_hook([Role.DEPARTMENT_LEADER])


class ReviewerFactory(UserFactory):
    department = factory.SubFactory(GeneralOfficeFactory)
    roles = roles_hook([Role.GENERAL_OFFICE_REVIEWER])


class AdministratorFactory(UserFactory):
    roles = roles_hook([Role.SYSTEM_ADMINISTRATOR])


def make_matter(*, department=None, by=None, kind="decision", **overrides):
    """A matter created by ``matters.services.matter_create``, as in production.

    Going through the service gives the matter its reference number and ledger row.
    Without ``by`` a staff member of ``department`` (or of a new department) creates it;
    without ``department`` it belongs to ``by``'s department.
    """
    import datetime

    from matters.services import matter_create

    if by is None:
        by = StaffFactory(department=department) if department else StaffFactory()
    if department is None:
        department = by.department
    fields = {
        "title": "关于完善城市更新政策的协商事项",
        "year": 2026,
        "summary": "就城市更新中老旧小区改造的资金分担和居民参与方式开展协商。",
        "legal_basis": "《青岛市人民政府关于加强政府协商的实施意见》（青政字〔2019〕4号）",
        "planned_start": datetime.date(2026, 3, 1),
        "planned_end": datetime.date(2026, 12, 31),
        **overrides,
    }
    return matter_create(by=by, department=department, kind=kind, **fields)
