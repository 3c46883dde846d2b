"""The outbox of every e-mail the portal sends: a row per (what, whom, which occasion),
recorded in the transaction of the change that causes it, sent after commit.

Due reminders (recorded by ``occasions``) and the e-mails of a change (an invitation, a
hearing's selection result) are rows alike. The unique key makes recording idempotent: a
second scan, a second worker or a redelivered task finds the row already there and sends
nothing more.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Where a personal link stands in a recorded body (see ``Reminder.secret``).
LINK_PLACEHOLDER = "[[personal-link]]"


class Reminder(models.Model):
    class Kind(models.TextChoices):
        PLAN_DEADLINE = "plan_deadline", _("目录报送截止提醒")
        PLAN_OVERDUE = "plan_overdue", _("目录逾期未报送提醒")
        PLAN_RETURNED = "plan_returned", _("退回目录待重新报送提醒")
        OFFICE_DIGEST = "office_digest", _("办公厅每日汇总")
        PERIOD_CLOSING = "period_closing", _("征求意见即将截止提醒")
        FEEDBACK_DUE = "feedback_due", _("采纳情况待公开提醒")
        ACTIVITY_UPCOMING = "activity_upcoming", _("活动即将举行提醒")
        INVITATION_REPLY = "invitation_reply", _("邀请待回复提醒")
        STAGE_OVERDUE = "stage_overdue", _("事项阶段逾期提醒")
        INVITATION = "invitation", _("参与邀请")
        REGISTRATION_OUTCOME = "registration_outcome", _("听证代表遴选结果")
        OPINION_RECEIPT = "opinion_receipt", _("意见回执")
        FEEDBACK_PUBLISHED = "feedback_published", _("意见采纳情况公开通知")
        PROPOSAL_REPLY = "proposal_reply", _("建议提案答复及满意度测评")
        PROPOSAL_SIGN_FOR = "proposal_sign_for", _("建议提案待签收提醒")
        PROPOSAL_CONTACT = "proposal_contact", _("建议提案未沟通联系提醒")
        PROPOSAL_DUE = "proposal_due", _("建议提案答复期限提醒")
        PROPOSAL_OVERDUE = "proposal_overdue", _("建议提案逾期未答复提醒")
        PROPOSAL_RATING = "proposal_rating", _("建议提案满意度测评提醒")
        PROPOSAL_SECOND_ROUND = "proposal_second_round", _("建议提案二次办理提醒")
        SURVEY_INVITATION = "survey_invitation", _("问卷调查答卷邀请")
        SURVEY_CLOSING = "survey_closing", _("问卷调查即将结束提醒")
        SURVEY_CLOSED = "survey_closed", _("问卷调查结束通知")
        SOLICITATION_LETTER = "solicitation_letter", _("征求意见函")
        SOLICITATION_DEADLINE = "solicitation_deadline", _("征求意见函反馈截止提醒")
        OVERSIGHT_ORDER = "oversight_order", _("督办通知")
        OVERSIGHT_ANSWERED = "oversight_answered", _("督办办理情况报送通知")
        OVERSIGHT_DECIDED = "oversight_decided", _("督办办理情况审核结果")
        OVERSIGHT_URGED = "oversight_urged", _("催办通知")
        OVERSIGHT_DUE = "oversight_due", _("督办办理时限提醒")
        OVERSIGHT_OVERDUE = "oversight_overdue", _("督办逾期未报送提醒")
        CALL_INVITATION = "call_invitation", _("公开征集建议邀请")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        # Replaced before it went out (an invitation sent again with a new link).
        CANCELLED = "cancelled", _("已作废")

    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    recipient = models.EmailField(_("收件人"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件用户"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    occasion = models.CharField(_("提醒时点"), max_length=64)
    subject = models.CharField(_("主题"), max_length=255)
    body_text = models.TextField(_("正文"))
    body_html = models.TextField(_("HTML 正文"), blank=True)
    link = models.URLField(_("链接"), max_length=500, blank=True)
    # A personal link (an invitee's) stands in the body as ``LINK_PLACEHOLDER`` and is kept here
    # only until the e-mail has gone out or has been given up: the outbox never shows it,
    # and no copy of it outlives the sending.
    secret = models.CharField(
        _("个人链接"), max_length=500, blank=True, editable=False, db_default=""
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    due_at = models.DateTimeField(_("应提醒时间"))
    next_attempt_at = models.DateTimeField(_("下次发送时间"))
    # Which scan inserted the row: after an insert that ignores conflicts, the rows carrying
    # this scan's id are exactly the ones it created (and so must send).
    scan_id = models.UUIDField(_("扫描批次"), editable=False)
    created_at = models.DateTimeField(_("记录时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知邮件")
        verbose_name_plural = _("通知邮件")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "recipient", "occasion"],
                name="reminder_once_per_occasion",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["scan_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recipient} · {self.occasion}"
