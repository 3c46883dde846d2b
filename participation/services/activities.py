"""Consultation activities (协商活动) of a matter: schedule, publish the notice, hold,
publish the minutes. Each is atomic and writes its ledger row."""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import shown_datetime
from core.exceptions import TransitionError
from matters.events import ledger_value
from matters.models import Document, Matter
from matters.services import document_attach, matter_touch

from .. import events
from ..models import Activity

SCHEDULE_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "agenda",
    "capacity",
    "is_public",
    "accepts_registrations",
    "registration_closes_at",
    "notice_published_at",
    "materials_published_at",
)


def _when(value: datetime.datetime | None) -> str:
    return "—" if value is None else shown_datetime(value)


def _snapshot(activity: Activity) -> dict[str, Any]:
    data = {field: ledger_value(getattr(activity, field)) for field in SCHEDULE_FIELDS}
    data["status"] = activity.status
    data["schedule_override_reason"] = activity.schedule_override_reason
    return data


def hearing_notice_problems(
    *,
    starts_at: datetime.datetime,
    notice_at: datetime.datetime | None,
    materials_at: datetime.datetime | None,
) -> list[str]:
    """What a hearing's planned notice and materials miss of the advance-notice rules.

    Exactly N×24 hours before the start is enough; a second less is not.
    """
    notice_days = settings.PORTAL_HEARING_NOTICE_DAYS
    materials_days = settings.PORTAL_HEARING_MATERIALS_DAYS
    notice_latest = starts_at - datetime.timedelta(days=notice_days)
    materials_latest = starts_at - datetime.timedelta(days=materials_days)
    problems = []
    if notice_at is None or notice_at > notice_latest:
        problems.append(
            _(
                "听证会公告应至少在举行前 %(days)d 日向社会公布：听证会 %(start)s 举行，"
                "公告最迟应于 %(latest)s 发布，计划发布时间为 %(planned)s"
            )
            % {
                "days": notice_days,
                "start": _when(starts_at),
                "latest": _when(notice_latest),
                "planned": _when(notice_at) if notice_at else _("未填写"),
            }
        )
    if materials_at is None or materials_at > materials_latest:
        problems.append(
            _(
                "听证材料应至少在举行前 %(days)d 日公开：材料最迟应于 %(latest)s 公开，"
                "计划公开时间为 %(planned)s"
            )
            % {
                "days": materials_days,
                "latest": _when(materials_latest),
                "planned": _when(materials_at) if materials_at else _("未填写"),
            }
        )
    return problems


def _check_schedule(activity: Activity, *, override_reason: str) -> None:
    if activity.ends_at < activity.starts_at:
        raise TransitionError(_("结束时间不能早于开始时间。"))
    if activity.kind not in Activity.Kind.values:
        raise TransitionError(_("未知的活动形式。"))
    if (
        activity.accepts_registrations
        and activity.registration_closes_at
        and activity.registration_closes_at > activity.starts_at
    ):
        raise TransitionError(_("报名截止时间不能晚于活动开始时间。"))
    if activity.kind == Activity.Kind.HEARING and not override_reason:
        problems = hearing_notice_problems(
            starts_at=activity.starts_at,
            notice_at=activity.notice_published_at,
            materials_at=activity.materials_published_at,
        )
        if problems:
            raise TransitionError(
                _("不能这样安排听证会：%(problems)s。如确有特殊情况，请填写未满足期限的原因。")
                % {"problems": "；".join(problems)},
                missing=problems,
            )


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("matter").get(pk=activity.pk)


@transaction.atomic
def activity_schedule(
    *,
    matter: Matter,
    by,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_url: str = "",
    agenda: str = "",
    capacity: int | None = None,
    is_public: bool = True,
    accepts_registrations: bool = False,
    registration_closes_at: datetime.datetime | None = None,
    notice_published_at: datetime.datetime | None = None,
    materials_published_at: datetime.datetime | None = None,
    override_reason: str = "",
    now: datetime.datetime | None = None,
) -> Activity:
    """Plan an activity. ``notice_published_at`` and ``materials_published_at`` are the
    planned publication times; a hearing must meet the advance-notice rules or say why not."""
    now = now or timezone.now()
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    override_reason = (override_reason or "").strip()
    activity = Activity(
        matter=matter,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url.strip(),
        agenda=agenda,
        capacity=capacity,
        is_public=is_public,
        accepts_registrations=accepts_registrations,
        registration_closes_at=registration_closes_at,
        notice_published_at=notice_published_at,
        materials_published_at=materials_published_at,
        schedule_override_reason=override_reason,
        created_by=by,
    )
    if not activity.title:
        raise TransitionError(_("请填写活动名称。"))
    if starts_at <= now:
        raise TransitionError(_("开始时间须晚于现在：只能安排今后的活动。"))
    _check_schedule(activity, override_reason=override_reason)
    activity.save()
    events.activity_scheduled(activity, by=by, snapshot=_snapshot(activity))
    matter_touch(matter_id=matter.pk)
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, by, override_reason: str | None = None, **fields: Any
) -> Activity:
    """Change an activity not yet held; the hearing rules are checked again."""
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    activity = _lock(activity)
    if activity.status in (Activity.Status.HELD, Activity.Status.MINUTES_PUBLISHED):
        raise TransitionError(_("活动已举行，不能再修改安排。"))
    before = _snapshot(activity)
    if activity.status != Activity.Status.PLANNED:
        # Once the notice is out its time is a fact, not a plan.
        fields.pop("notice_published_at", None)
    for field, value in fields.items():
        setattr(activity, field, value.strip() if isinstance(value, str) else value)
    if override_reason is not None:
        activity.schedule_override_reason = override_reason.strip()
    _check_schedule(activity, override_reason=activity.schedule_override_reason)
    activity.save()
    after = _snapshot(activity)
    changed = {key for key in after if after[key] != before[key]}
    if changed:
        events.activity_updated(
            activity,
            by=by,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
        matter_touch(matter_id=activity.matter_id)
    return activity


@transaction.atomic
def activity_publish_notice(
    *, activity: Activity, by, now: datetime.datetime | None = None
) -> Activity:
    now = now or timezone.now()
    activity = _lock(activity)
    if activity.status != Activity.Status.PLANNED:
        raise TransitionError(_("只有计划中的活动可以发布公告。"))
    if activity.starts_at <= now:
        raise TransitionError(_("活动已开始或已过，不能再发布公告。"))
    if activity.kind == Activity.Kind.HEARING and not activity.schedule_override_reason:
        latest = activity.starts_at - datetime.timedelta(days=settings.PORTAL_HEARING_NOTICE_DAYS)
        if now > latest:
            raise TransitionError(
                _(
                    "听证会公告应至少在举行前 %(days)d 日向社会公布：听证会 %(start)s 举行，"
                    "公告最迟应于 %(latest)s 发布，现在已是 %(now)s。"
                    "请调整举行时间，或在活动安排中填写未满足期限的原因。"
                )
                % {
                    "days": settings.PORTAL_HEARING_NOTICE_DAYS,
                    "start": _when(activity.starts_at),
                    "latest": _when(latest),
                    "now": _when(now),
                }
            )
    before_status, before_notice_at = activity.status, activity.notice_published_at
    activity.status = Activity.Status.NOTICE_PUBLISHED
    activity.notice_published_at = now
    activity.save(update_fields=["status", "notice_published_at", "updated_at"])
    events.activity_notice_published(
        activity, by=by, before_status=before_status, before_notice_at=before_notice_at
    )
    matter_touch(matter_id=activity.matter_id)
    return activity


@transaction.atomic
def activity_mark_held(*, activity: Activity, by, now: datetime.datetime | None = None) -> Activity:
    now = now or timezone.now()
    activity = _lock(activity)
    if activity.status not in (Activity.Status.PLANNED, Activity.Status.NOTICE_PUBLISHED):
        raise TransitionError(_("该活动已登记为已举行。"))
    if now < activity.starts_at:
        raise TransitionError(
            _("活动尚未开始（%(start)s），不能登记为已举行。")
            % {"start": _when(activity.starts_at)}
        )
    before_status = activity.status
    activity.status = Activity.Status.HELD
    activity.save(update_fields=["status", "updated_at"])
    events.activity_held(activity, by=by, before_status=before_status)
    matter_touch(matter_id=activity.matter_id)
    return activity


@transaction.atomic
def activity_publish_minutes(
    *,
    activity: Activity,
    by,
    minutes: str = "",
    upload=None,
    document_title: str = "",
    now: datetime.datetime | None = None,
) -> Activity:
    """Publish the minutes as text, as an attached document (category "minutes"), or both."""
    now = now or timezone.now()
    activity = _lock(activity)
    minutes = (minutes or "").strip()
    if activity.status != Activity.Status.HELD:
        if activity.status == Activity.Status.MINUTES_PUBLISHED:
            raise TransitionError(_("该活动的纪要已经公开。"))
        raise TransitionError(_("活动登记为已举行后才能公开纪要。"))
    if not minutes and upload is None:
        raise TransitionError(_("请填写纪要内容或上传纪要文件。"))
    document: Document | None = None
    if upload is not None:
        document = document_attach(
            matter=activity.matter,
            by=by,
            upload=upload,
            title=document_title.strip() or _("%(title)s纪要") % {"title": activity.title},
            category=Document.Category.MINUTES,
            is_public=activity.is_public,
        )
    activity.minutes = minutes
    activity.minutes_document = document
    activity.minutes_published_at = now
    activity.status = Activity.Status.MINUTES_PUBLISHED
    activity.save(
        update_fields=[
            "minutes",
            "minutes_document",
            "minutes_published_at",
            "status",
            "updated_at",
        ]
    )
    events.minutes_published(activity, by=by)
    matter_touch(matter_id=activity.matter_id)
    return activity
