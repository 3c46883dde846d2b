"""Who may run participation: the lead department of the matter, and the general office to
read. Objects here (activities, comment periods, opinions, invitations) all expose
``department_id`` (their matter's lead department), so ``owns_department`` applies."""

import rules
from django.db.models import Q, QuerySet

from accounts.rules import (
    admin_rules,
    internal_filter,
    is_department_member,
    is_general_office,
    is_system_administrator,
    managed_filter,
    owns_department,
)

from .models import Activity, CommentPeriod, Opinion

manages = is_department_member & owns_department
reads_all = is_general_office | is_system_administrator

# Run an activity, an invitation round, a comment period or its opinions.
rules.add_perm("participation.manage", manages)
# Read staff-only data about it (contact details, replies, the whole opinion register).
rules.add_perm("participation.view_internal", manages | reads_all)
# The participant registry: every department invites from it; the office reads it.
rules.add_perm("participation.use_registry", is_department_member | reads_all)
# An entry is edited by the department that keeps it and by the general office; the other
# departments use it as it is (its contact details decide where invitations go).
rules.add_perm("participation.edit_participant", manages | is_general_office)
# Adoption rates of every department by year.
rules.add_perm("participation.view_adoption_rates", reads_all)

# The admin: the office and administrators read; everything is changed in the staff pages.
for _model in (
    "activity",
    "commentperiod",
    "opinion",
    "invitation",
    "registration",
    "draw",
    "participant",
):
    admin_rules.add_rule(f"participation.{_model}.view", reads_all)


# ------------------------------------------------------------------ the same, as querysets
# ``view_internal`` and ``manage`` as filters on the matter's lead department.

PUBLIC_ACTIVITY = Q(
    is_public=True,
    matter__is_published=True,
    status__in=[
        Activity.Status.NOTICE_PUBLISHED,
        Activity.Status.HELD,
        Activity.Status.MINUTES_PUBLISHED,
    ],
    notice_published_at__isnull=False,
)


def visible_activities(user) -> QuerySet[Activity]:
    """Public activities, and every activity of what the user may read internally."""
    return Activity.objects.filter(PUBLIC_ACTIVITY | internal_filter(user, "matter__department_id"))


def internal_comment_periods(user) -> QuerySet[CommentPeriod]:
    return CommentPeriod.objects.filter(internal_filter(user, "matter__department_id"))


def internal_opinions(user) -> QuerySet[Opinion]:
    return Opinion.objects.filter(internal_filter(user, "matter__department_id"))


def managed_opinions(user) -> QuerySet[Opinion]:
    """Opinions the user moderates and disposes of (``participation.manage``)."""
    return Opinion.objects.filter(managed_filter(user, "matter__department_id"))


def managed_activities(user) -> QuerySet[Activity]:
    return Activity.objects.filter(managed_filter(user, "matter__department_id"))
