"""Ledger events of participation, written into the one ledger (matters' LedgerEntry).

One function per thing that happened; each is called by a service inside its
transaction, so the row and the change commit or roll back together.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import shown_date, shown_datetime
from matters.events import ledger_value, record
from matters.models import Matter

from .models import Activity, CommentPeriod, Draw, Invitation, Opinion, Participant, Registration


class Action(models.TextChoices):
    PARTICIPANTS_IMPORTED = "participants_imported", gettext_lazy("导入参与主体")
    ACTIVITY_SCHEDULED = "activity_scheduled", gettext_lazy("安排协商活动")
    ACTIVITY_NOTICE_PUBLISHED = "activity_notice_published", gettext_lazy("发布活动公告")
    ACTIVITY_HELD = "activity_held", gettext_lazy("活动已举行")
    MINUTES_PUBLISHED = "minutes_published", gettext_lazy("公开会议纪要")
    INVITATIONS_SENT = "invitations_sent", gettext_lazy("发出邀请")
    INVITATION_REPLIED = "invitation_replied", gettext_lazy("受邀人回复")
    ATTENDANCE_RECORDED = "attendance_recorded", gettext_lazy("登记出席情况")
    REPRESENTATIVES_DRAWN = "representatives_drawn", gettext_lazy("随机抽选听证代表")
    REPRESENTATIVES_CHOSEN = "representatives_chosen", gettext_lazy("选定听证代表")
    COMMENT_PERIOD_OPENED = "comment_period_opened", gettext_lazy("发起征求意见")
    OPINION_RECORDED = "opinion_recorded", gettext_lazy("登记线下意见")
    OPINIONS_MODERATED = "opinions_moderated", gettext_lazy("审核意见公开显示")
    OPINIONS_DISPOSED = "opinions_disposed", gettext_lazy("处理意见")
    FEEDBACK_PUBLISHED = "feedback_published", gettext_lazy("公开意见采纳情况")
    REGISTRATION_RECEIVED = "registration_received", gettext_lazy("收到听证会报名")
    PARTICIPANT_CREATED = "participant_created", gettext_lazy("新增参与主体")
    PARTICIPANT_UPDATED = "participant_updated", gettext_lazy("修改参与主体")
    ACTIVITY_UPDATED = "activity_updated", gettext_lazy("修改协商活动")
    OPINION_CONTACTS_DELETED = "opinion_contacts_deleted", gettext_lazy("删除期满的意见联系方式")
    REGISTRATIONS_ANONYMISED = "registrations_anonymised", gettext_lazy("删除期满的报名个人信息")


def _for_matter(matter: Matter, *, action: str, summary: str, by, obj, before=None, after=None):
    """One ledger row about ``obj`` (an activity, a comment period, ...) of ``matter``."""
    return record(
        action=action,
        summary=summary,
        department_id=matter.department_id,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        actor=by,
        matter=matter,
        before=before,
        after=after,
    )


def _registry(
    *, action: str, summary: str, by, department_id: int, object_id: int, before=None, after=None
):
    """One ledger row about the participant registry, which belongs to no matter: filed
    under ``department_id``, the department of the staff member who made the change."""
    return record(
        action=action,
        summary=summary,
        department_id=department_id,
        object_type="participant",
        object_id=object_id,
        actor=by,
        before=before,
        after=after,
    )


# --- activities ----------------------------------------------------------------------


def activity_scheduled(activity: Activity, *, by, snapshot: dict):
    summary = _("安排%(kind)s“%(title)s”，%(start)s 举行") % {
        "kind": activity.get_kind_display(),
        "title": activity.title,
        "start": shown_datetime(activity.starts_at),
    }
    if activity.schedule_override_reason:
        summary += _("；未满足提前公告期限的原因：%(reason)s") % {
            "reason": activity.schedule_override_reason
        }
    return _for_matter(
        activity.matter,
        action=Action.ACTIVITY_SCHEDULED,
        summary=summary,
        by=by,
        obj=activity,
        after=snapshot,
    )


def activity_updated(activity: Activity, *, by, before: dict, after: dict):
    """``before`` and ``after`` hold the changed fields only."""
    return _for_matter(
        activity.matter,
        action=Action.ACTIVITY_UPDATED,
        summary=_("修改协商活动“%(title)s”：%(fields)s")
        % {"title": activity.title, "fields": "、".join(sorted(after))},
        by=by,
        obj=activity,
        before=before,
        after=after,
    )


def activity_notice_published(
    activity: Activity, *, by, before_status: str, before_notice_at: datetime.datetime | None
):
    return _for_matter(
        activity.matter,
        action=Action.ACTIVITY_NOTICE_PUBLISHED,
        summary=_("发布%(kind)s“%(title)s”公告（%(start)s 举行）")
        % {
            "kind": activity.get_kind_display(),
            "title": activity.title,
            "start": shown_datetime(activity.starts_at),
        },
        by=by,
        obj=activity,
        before={"status": before_status, "notice_published_at": ledger_value(before_notice_at)},
        after={
            "status": activity.status,
            "notice_published_at": ledger_value(activity.notice_published_at),
        },
    )


def activity_held(activity: Activity, *, by, before_status: str):
    return _for_matter(
        activity.matter,
        action=Action.ACTIVITY_HELD,
        summary=_("%(kind)s“%(title)s”已于 %(start)s 举行")
        % {
            "kind": activity.get_kind_display(),
            "title": activity.title,
            "start": shown_datetime(activity.starts_at),
        },
        by=by,
        obj=activity,
        before={"status": before_status},
        after={"status": activity.status},
    )


def minutes_published(activity: Activity, *, by):
    return _for_matter(
        activity.matter,
        action=Action.MINUTES_PUBLISHED,
        summary=_("公开%(kind)s“%(title)s”纪要")
        % {"kind": activity.get_kind_display(), "title": activity.title},
        by=by,
        obj=activity,
        before={"status": Activity.Status.HELD},
        after={
            "status": activity.status,
            "minutes_document": activity.minutes_document_id,
            "minutes_published_at": ledger_value(activity.minutes_published_at),
        },
    )


# --- invitations ---------------------------------------------------------------------


def invitations_sent(
    activity: Activity,
    *,
    by,
    invitations: list[Invitation],
    categories: list[str],
    reply_deadline: datetime.datetime,
    without_email: list[Participant],
):
    return _for_matter(
        activity.matter,
        action=Action.INVITATIONS_SENT,
        summary=_("就“%(title)s”邀请%(count)d位参与主体，回复截止%(deadline)s")
        % {
            "title": activity.title,
            "count": len(invitations),
            "deadline": shown_datetime(timezone.localtime(reply_deadline)),
        },
        by=by,
        obj=activity,
        after={
            "participants": [i.participant_id for i in invitations],
            "categories": categories,
            "reply_deadline": reply_deadline.isoformat(),
            "without_email": [p.pk for p in without_email],
        },
    )


def invitation_resent(invitation: Invitation, *, by):
    return _for_matter(
        invitation.activity.matter,
        action=Action.INVITATIONS_SENT,
        summary=_("重新向%(name)s发送“%(title)s”的邀请，原链接作废")
        % {"name": invitation.participant.name, "title": invitation.activity.title},
        by=by,
        obj=invitation,
        after={"participant": invitation.participant_id, "resent": True},
    )


def invitation_replied(invitation: Invitation, *, before_status: str, before_decline_reason: str):
    """The invitee answers by their personal link: a row without an actor."""
    accepted = invitation.status == Invitation.Status.ACCEPTED
    summary = (
        _("%(name)s接受“%(title)s”的邀请") if accepted else _("%(name)s谢绝“%(title)s”的邀请")
    ) % {"name": invitation.participant.name, "title": invitation.activity.title}
    return _for_matter(
        invitation.activity.matter,
        action=Action.INVITATION_REPLIED,
        summary=summary,
        by=None,
        obj=invitation,
        before={"status": before_status, "decline_reason": before_decline_reason},
        after={"status": invitation.status, "decline_reason": invitation.decline_reason},
    )


def attendance_recorded(
    activity: Activity, *, by, invitations: list[Invitation], attended_before: list[int]
):
    """``invitations`` in the order of their pk, ``attended`` already set on each."""
    present = [i.pk for i in invitations if i.attended]
    absent = [i.pk for i in invitations if not i.attended]
    return _for_matter(
        activity.matter,
        action=Action.ATTENDANCE_RECORDED,
        summary=_("登记“%(title)s”出席情况：出席%(present)d人，缺席%(absent)d人")
        % {"title": activity.title, "present": len(present), "absent": len(absent)},
        by=by,
        obj=activity,
        before={"attended": attended_before},
        after={"attended": present, "absent": absent},
    )


# --- hearing registrations -----------------------------------------------------------


def registration_received(registration: Registration):
    """A member of the public registers: a row without an actor."""
    activity = registration.activity
    # No name or contact data in the ledger: the number is enough to find the row.
    return _for_matter(
        activity.matter,
        action=Action.REGISTRATION_RECEIVED,
        summary=_("收到“%(title)s”的公众报名（报名编号%(number)d）")
        % {"title": activity.title, "number": registration.pk},
        by=None,
        obj=registration,
        after={"activity": activity.pk, "position": registration.position},
    )


def representatives_drawn(draw: Draw, *, by):
    activity = draw.activity
    return _for_matter(
        activity.matter,
        action=Action.REPRESENTATIVES_DRAWN,
        summary=_("随机抽选“%(title)s”听证代表：%(count)d人报名，选中%(selected)d人，种子%(seed)s")
        % {
            "title": activity.title,
            "count": len(draw.candidates),
            "selected": len(draw.selected),
            "seed": draw.seed,
        },
        by=by,
        obj=activity,
        after={
            "seed": draw.seed,
            "places": draw.places,
            "candidates": draw.candidates,
            "selected": draw.selected,
        },
    )


def representatives_chosen(activity: Activity, *, by, registrations: list[Registration]):
    """``registrations``: every registration of the hearing in the order of their pk,
    each with its outcome set."""
    selected = [r.pk for r in registrations if r.status == Registration.Status.SELECTED]
    return _for_matter(
        activity.matter,
        action=Action.REPRESENTATIVES_CHOSEN,
        summary=_("选定“%(title)s”听证代表%(selected)d人（共%(count)d人报名）")
        % {"title": activity.title, "selected": len(selected), "count": len(registrations)},
        by=by,
        obj=activity,
        after={"selected": selected, "candidates": [r.pk for r in registrations]},
    )


# --- comment periods and opinions ----------------------------------------------------


def comment_period_opened(period: CommentPeriod, *, by):
    draft = period.draft
    return _for_matter(
        period.matter,
        action=Action.COMMENT_PERIOD_OPENED,
        summary=_("发起征求意见“%(title)s”（%(start)s 至 %(end)s）")
        % {
            "title": period.title,
            "start": shown_datetime(timezone.localtime(period.starts_at)),
            "end": shown_datetime(timezone.localtime(period.ends_at)),
        },
        by=by,
        obj=period,
        after={
            "title": period.title,
            "draft": draft.number if draft else None,
            "starts_at": period.starts_at.isoformat(),
            "ends_at": period.ends_at.isoformat(),
            "shortened_reason": period.shortened_reason,
        },
    )


def opinion_recorded(opinion: Opinion, *, by):
    period = opinion.period
    return _for_matter(
        period.matter,
        action=Action.OPINION_RECORDED,
        summary=_("登记线下意见（%(channel)s，%(date)s）：%(title)s")
        % {
            "channel": opinion.get_channel_display(),
            "date": shown_date(opinion.received_on),
            "title": period.title,
        },
        by=by,
        obj=period,
        after={
            "opinion": opinion.pk,
            "channel": opinion.channel,
            "received_on": opinion.received_on.isoformat(),
        },
    )


def opinions_moderated(period: CommentPeriod, *, by, opinions: list[Opinion], moderation: str):
    """``opinions`` as they were read before the change (``update()`` leaves them so)."""
    ids = [opinion.pk for opinion in opinions]
    return _for_matter(
        period.matter,
        action=Action.OPINIONS_MODERATED,
        summary=_("“%(title)s”：%(count)d条意见设为“%(label)s”")
        % {
            "title": period.title,
            "count": len(ids),
            "label": Opinion.Moderation(moderation).label,
        },
        by=by,
        obj=period,
        before={"moderation": {str(opinion.pk): opinion.moderation for opinion in opinions}},
        after={"moderation": moderation, "count": len(ids), "ids": ids},
    )


def opinions_disposed(
    period: CommentPeriod, *, by, opinions: list[Opinion], disposition: str, response: str
):
    """``opinions`` as they were read before the change (``update()`` leaves them so)."""
    ids = [opinion.pk for opinion in opinions]
    before = {
        str(opinion.pk): {"disposition": opinion.disposition, "response": opinion.response}
        for opinion in opinions
        if opinion.disposition
    }
    return _for_matter(
        period.matter,
        action=Action.OPINIONS_DISPOSED,
        summary=_("“%(title)s”：%(count)d条意见处理为“%(label)s”")
        % {
            "title": period.title,
            "count": len(ids),
            "label": Opinion.Disposition(disposition).label,
        },
        by=by,
        obj=period,
        before={"dispositions": before},
        after={
            "disposition": disposition,
            "response": response,
            "count": len(ids),
            "ids": ids,
        },
    )


def feedback_published(period: CommentPeriod, *, by, stats):
    """``stats``: the period's ``feedback_stats`` as published."""
    return _for_matter(
        period.matter,
        action=Action.FEEDBACK_PUBLISHED,
        summary=_("公开“%(title)s”的意见采纳情况：共%(total)d条，采纳率%(rate)s")
        % {"title": period.title, "total": stats.total, "rate": stats.rate_display},
        by=by,
        obj=period,
        before={"report_published_at": None},
        after={
            "report_published_at": period.report_published_at.isoformat(),
            "total": stats.total,
            "by_disposition": dict(stats.by_disposition),
            "rate": stats.rate_display,
        },
    )


# --- the participant registry --------------------------------------------------------


def participant_created(participant: Participant, *, by, department_id: int, snapshot: dict):
    return _registry(
        action=Action.PARTICIPANT_CREATED,
        summary=_("参与主体库新增“%(name)s”（%(category)s）")
        % {"name": participant.name, "category": participant.get_category_display()},
        by=by,
        department_id=department_id,
        object_id=participant.pk,
        after=snapshot,
    )


def participant_updated(
    participant: Participant,
    *,
    by,
    department_id: int,
    before: dict,
    after: dict,
    contact_changed: bool,
):
    """``before`` and ``after`` hold the changed fields only; contact details stay out of
    the ledger, so a change to them is named ("contact") but not recorded."""
    changed = set(after) | ({"contact"} if contact_changed else set())
    return _registry(
        action=Action.PARTICIPANT_UPDATED,
        summary=_("修改参与主体“%(name)s”：%(fields)s")
        % {"name": participant.name, "fields": "、".join(sorted(changed)) or "—"},
        by=by,
        department_id=department_id,
        object_id=participant.pk,
        before=before,
        after=after,
    )


def participants_imported(participants: list[Participant], *, by, department_id: int, source: str):
    return _registry(
        action=Action.PARTICIPANTS_IMPORTED,
        summary=_("从文件“%(source)s”导入参与主体 %(count)d 个")
        % {"source": source or "—", "count": len(participants)},
        by=by,
        department_id=department_id,
        object_id=participants[0].pk or 0,
        after={"count": len(participants), "source": source},
    )


def opinion_contacts_deleted(period: CommentPeriod, *, count: int, days: int):
    return _for_matter(
        period.matter,
        action=Action.OPINION_CONTACTS_DELETED,
        summary=_("征求意见截止已满%(days)d天，删除%(count)d条意见的联系方式")
        % {"days": days, "count": count},
        by=None,
        obj=period,
        after={"contacts_deleted": count, "retention_days": days},
    )


def registrations_anonymised(activity: Activity, *, count: int, days: int):
    return _for_matter(
        activity.matter,
        action=Action.REGISTRATIONS_ANONYMISED,
        summary=_("活动举行已满%(days)d天，删除%(count)d份报名的姓名、电话和电子邮箱")
        % {"days": days, "count": count},
        by=None,
        obj=activity,
        after={"registrations_anonymised": count, "retention_days": days},
    )
