"""Personal data kept no longer than its use (个人信息保护法, article 19): the contact left
with an opinion and a hearing registration's name, phone and e-mail are deleted once
their retention period (settings, stated on the privacy page) has passed.

One ledger row per comment period or activity whose data was deleted, with the count in
its summary, so the general office sees when and how much. Safe to run twice: a second
run finds nothing left to delete and writes nothing.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matters.events import record
from participation.models import Activity, CommentPeriod, Opinion, Registration

OPINION_CONTACTS_DELETED = "opinion_contacts_deleted"
REGISTRATIONS_ANONYMISED = "registrations_anonymised"
LEDGER_ACTIONS = [
    (OPINION_CONTACTS_DELETED, gettext_lazy("删除期满的意见联系方式")),
    (REGISTRATIONS_ANONYMISED, gettext_lazy("删除期满的报名个人信息")),
]
# What a registration's name becomes; its phone becomes this plus its number, as each
# phone is unique within an activity.
ANONYMISED = "已删除"


@dataclass(frozen=True)
class RetentionResult:
    opinion_contacts: int
    registrations: int


def _cutoff(days: int, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


@transaction.atomic
def personal_data_expire(*, now: datetime.datetime | None = None) -> RetentionResult:
    now = now or timezone.now()
    return RetentionResult(
        opinion_contacts=_expire_opinion_contacts(now),
        registrations=_expire_registrations(now),
    )


def _expire_opinion_contacts(now: datetime.datetime) -> int:
    """Contacts of opinions whose comment period closed more than the period ago (at
    that very second it is still kept)."""
    days = settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS
    expired = Opinion.objects.filter(period__ends_at__lt=_cutoff(days, now)).exclude(contact="")
    per_period = dict(
        expired.order_by()
        .values_list("period_id")
        .annotate(n=Count("pk"))
        .values_list("period_id", "n")
    )
    if not per_period:
        return 0
    # Locked first, so a member of staff editing an opinion meanwhile waits for this.
    list(Opinion.objects.select_for_update().filter(pk__in=expired.values("pk")).values("pk"))
    total = expired.update(contact="")
    for period in CommentPeriod.objects.filter(pk__in=per_period).select_related("matter"):
        count = per_period[period.pk]
        record(
            action=OPINION_CONTACTS_DELETED,
            summary=_("征求意见截止已满%(days)d天，删除%(count)d条意见的联系方式")
            % {"days": days, "count": count},
            department_id=period.matter.department_id,
            object_type="commentperiod",
            object_id=period.pk,
            actor=None,
            matter=period.matter,
            after={"contacts_deleted": count, "retention_days": days},
        )
    return total


def _expire_registrations(now: datetime.datetime) -> int:
    """Names, phones and e-mails of registrations for activities that ended more than the
    period ago."""
    days = settings.PORTAL_REGISTRATION_RETENTION_DAYS
    expired = Registration.objects.filter(activity__ends_at__lt=_cutoff(days, now)).exclude(
        name=ANONYMISED
    )
    rows = list(expired.select_for_update(of=("self",)).values_list("pk", "activity_id"))
    if not rows:
        return 0
    per_activity: dict[int, int] = {}
    for pk, activity_id in rows:
        Registration.objects.filter(pk=pk).update(
            name=ANONYMISED, phone=f"{ANONYMISED}-{pk}", email=""
        )
        per_activity[activity_id] = per_activity.get(activity_id, 0) + 1
    for activity in Activity.objects.filter(pk__in=per_activity).select_related("matter"):
        count = per_activity[activity.pk]
        record(
            action=REGISTRATIONS_ANONYMISED,
            summary=_("活动举行已满%(days)d天，删除%(count)d份报名的姓名、电话和电子邮箱")
            % {"days": days, "count": count},
            department_id=activity.matter.department_id,
            object_type="activity",
            object_id=activity.pk,
            actor=None,
            matter=activity.matter,
            after={"registrations_anonymised": count, "retention_days": days},
        )
    return len(rows)
