"""Reads of users and departments shared by pages, the admin and reports."""

from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from .models import Department, User
from .roles import DEPARTMENT_ROLES


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
