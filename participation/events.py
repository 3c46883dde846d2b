"""Ledger events of participation, written into the one ledger (matters' LedgerEntry)."""

from django.db import models
from django.utils.translation import gettext_lazy

from matters.events import record


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


def for_matter(matter, *, action: str, summary: str, by, obj, before=None, after=None):
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
