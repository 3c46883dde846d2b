"""Reads of users and departments shared by pages, the admin and reports."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from rest_framework.authtoken.models import Token

from .models import Department, User
from .roles import DEPARTMENT_ROLES, Role


def departments_filing_catalogs() -> QuerySet[Department]:
    """Active bodies that must file an annual plan catalog (all but the general office)."""
    return Department.objects.filter(is_active=True).exclude(kind=Department.Kind.GENERAL_OFFICE)


def users_without_department() -> QuerySet[User]:
    """Active department staff or leaders who cannot work because no active department is set."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in DEPARTMENT_ROLES])
        .exclude(department__is_active=True)
        .select_related("department")
        .distinct()
        .order_by("username")
    )


def api_token_for(*, user: User) -> Token | None:
    return Token.objects.filter(user=user).first()


def _in_roles(*roles: Role) -> Exists:
    return Exists(
        User.groups.through.objects.filter(
            user_id=OuterRef("pk"), group__name__in=[role.value for role in roles]
        )
    )


def people_to_remind() -> QuerySet[User]:
    """Active users with an e-mail who are staff or leaders of an active department, or
    reviewers of the general office, each annotated with its roles (``in_department_role``,
    ``in_staff_role``, ``in_reviewer_role``): one query for every recipient list."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .annotate(
            in_department_role=_in_roles(*DEPARTMENT_ROLES),
            in_staff_role=_in_roles(Role.DEPARTMENT_STAFF),
            in_reviewer_role=_in_roles(Role.GENERAL_OFFICE_REVIEWER),
        )
        .filter(Q(in_department_role=True, department__is_active=True) | Q(in_reviewer_role=True))
        .order_by("department_id", "username")
    )
