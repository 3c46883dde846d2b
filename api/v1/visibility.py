"""What each client may read: the public sees published data; a staff token (or
session) also sees its own department's unpublished matters, catalogs and activities.
The general office and administrators see every department's."""

from django.db.models import Q, QuerySet

from accounts.rules import is_general_office, is_system_administrator
from annual_plans.models import AnnualPlan
from annual_plans.selectors import plans_with_items
from matters.models import Matter
from matters.selectors import matters_for_staff, matters_public
from participation.models import Activity
from participation.selectors.activities import activities_public


def _sees_everything(user) -> bool:
    return is_general_office(user) or is_system_administrator(user)


def _staff(user) -> bool:
    return bool(user and user.is_authenticated)


def visible_matters(user) -> QuerySet[Matter]:
    if not _staff(user):
        return matters_public()
    if _sees_everything(user):
        return matters_for_staff(user=user)
    own = matters_for_staff(user=user).order_by().values("pk")
    return (
        Matter.objects.filter(Q(is_published=True) | Q(pk__in=own))
        .select_related("department")
        .prefetch_related("policy_areas")
    )


def visible_plans(user) -> QuerySet[AnnualPlan]:
    queryset = plans_with_items()
    published = Q(status=AnnualPlan.Status.PUBLISHED)
    if not _staff(user):
        return queryset.filter(published)
    if _sees_everything(user):
        return queryset
    return queryset.filter(published | Q(department_id=user.department_id))


def visible_activities(user) -> QuerySet[Activity]:
    public = activities_public()
    if not _staff(user):
        return public
    queryset = Activity.objects.select_related("matter__department")
    if _sees_everything(user):
        return queryset
    return queryset.filter(
        Q(pk__in=public.order_by().values("pk")) | Q(matter__department_id=user.department_id)
    )
