"""A matter's stage past its planned end."""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from reminders.models import Reminder

from .base import Due, portal_url, start_of_day
from .participation import to_staff
from .snapshot import Snapshot
from .steps import STAGE_OVERDUE_STEP_DAYS

Kind = Reminder.Kind


def stage_overdue(snapshot: Snapshot) -> Iterator[Due]:
    """The day after a stage's planned end, then weekly, to the lead department's staff."""
    for matter in snapshot.overdue_matters:
        due_on = matter.stage_due_on
        first_day = due_on + datetime.timedelta(days=1)
        days = (snapshot.today - first_day).days // STAGE_OVERDUE_STEP_DAYS
        days *= STAGE_OVERDUE_STEP_DAYS
        occasion = f"stage-{matter.stage}-{due_on:%Y%m%d}"
        if days:
            occasion += f"-{days}d"
        yield from to_staff(
            snapshot,
            matter.department_id,
            None,
            kind=Kind.STAGE_OVERDUE,
            object_type="matters.matter",
            object_id=matter.pk,
            occasion=occasion,
            due_at=start_of_day(first_day + datetime.timedelta(days=days)),
            subject=_("协商事项“%(title)s”的“%(stage)s”阶段已超过计划完成日期")
            % {
                "title": matter.title,
                "stage": matter.stage_label,
            },
            link=portal_url(reverse("matters:staff_detail", args=[matter.pk])),
            template="reminders/stage_overdue",
            context={
                "matter": matter,
                "department": matter.department,
                "stage_label": matter.stage_label,
                "due_on": due_on,
                "days_overdue": (snapshot.today - due_on).days,
            },
        )
