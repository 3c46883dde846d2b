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
from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .. import events
from ..models import Activity, CommentPeriod, Opinion, Registration

OPINION_CONTACTS_DELETED = events.Action.OPINION_CONTACTS_DELETED
REGISTRATIONS_ANONYMISED = events.Action.REGISTRATIONS_ANONYMISED
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
        events.opinion_contacts_deleted(period, count=per_period[period.pk], days=days)
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
    # One statement: each phone becomes "已删除-<id>", unique within its activity.
    Registration.objects.filter(pk__in=[pk for pk, _activity in rows]).update(
        name=ANONYMISED,
        phone=Concat(Value(f"{ANONYMISED}-"), Cast("pk", output_field=CharField())),
        phone_digest=Concat(Value(f"{ANONYMISED}-"), Cast("pk", output_field=CharField())),
        email="",
    )
    per_activity: dict[int, int] = {}
    for _pk, activity_id in rows:
        per_activity[activity_id] = per_activity.get(activity_id, 0) + 1
    for activity in Activity.objects.filter(pk__in=per_activity).select_related("matter"):
        events.registrations_anonymised(activity, count=per_activity[activity.pk], days=days)
    return len(rows)
