"""Supervision orders (督办): the general office orders a department to act on a catalog
item not started, a matter, a feedback report not published on time or a suggestion or
proposal not replied to; the department reports what it did (办理情况), signed by its
leader (签发); the office accepts it (办结) or sends it back; an order past its time is
urged (催办).

Every change goes through ``oversight.services``; the database refuses an order without
exactly the one object it is about, and two answers in one round.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from annual_plans.models import PlanItem
from core.titles import book_title
from matters.models import Matter
from participation.models import CommentPeriod
from proposals.models import Proposal

# The field holding what an order is about, by ``Order.About``.
TARGET_FIELDS = {
    "plan_item": "plan_item",
    "matter": "matter",
    "feedback": "period",
    "proposal": "proposal",
}


class Order(models.Model):
    """One 督办通知."""

    class About(models.TextChoices):
        PLAN_ITEM = "plan_item", _("年度计划目录事项落实")
        MATTER = "matter", _("协商事项推进")
        FEEDBACK = "feedback", _("意见采纳情况公开")
        PROPOSAL = "proposal", _("建议提案答复")

    class Status(models.TextChoices):
        ISSUED = "issued", _("办理中")
        ANSWERED = "answered", _("已报送待审核")
        RETURNED = "returned", _("已退回重新办理")
        ACCEPTED = "accepted", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤销")

    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    number = models.PositiveIntegerField(_("编号"), editable=False)
    about = models.CharField(_("督办类别"), max_length=20, choices=About.choices)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("目录事项"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("协商事项"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    period = models.ForeignKey(
        CommentPeriod,
        verbose_name=_("征求意见"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("建议提案"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    requirement = models.TextField(_("督办事项及要求"))
    due_date = models.DateField(_("办理时限"), help_text=_("承办单位应于当日24时前报送办理情况。"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ISSUED, editable=False
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("督办时间"))
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0, editable=False)
    last_urged_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结或撤销时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="order_number_unique"),
            models.CheckConstraint(
                condition=(
                    Q(
                        about="plan_item",
                        plan_item__isnull=False,
                        matter__isnull=True,
                        period__isnull=True,
                        proposal__isnull=True,
                    )
                    | Q(
                        about="matter",
                        plan_item__isnull=True,
                        matter__isnull=False,
                        period__isnull=True,
                        proposal__isnull=True,
                    )
                    | Q(
                        about="feedback",
                        plan_item__isnull=True,
                        matter__isnull=True,
                        period__isnull=False,
                        proposal__isnull=True,
                    )
                    | Q(
                        about="proposal",
                        plan_item__isnull=True,
                        matter__isnull=True,
                        period__isnull=True,
                        proposal__isnull=False,
                    )
                ),
                name="order_about_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]
        permissions = [("issue_order", "Issue supervision orders")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """督办〔2026〕3号."""
        return _("督办〔%(year)d〕%(number)d号") % {"year": self.year, "number": self.number}

    @property
    def book_title(self) -> str:
        """The notice's title as a sentence names it: 《关于……的通知》."""
        return book_title(self.title)

    @property
    def target(self):
        return getattr(self, TARGET_FIELDS[self.about])

    @property
    def is_open(self) -> bool:
        """Waiting for the department (to answer, or to answer again)."""
        return self.status in (self.Status.ISSUED, self.Status.RETURNED)

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.WITHDRAWN)


class Answer(models.Model):
    """The department's report of what it did (办理情况) in one round: drafted by its staff
    or leader, given when its leader signs it, then accepted or returned by the office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待签发")
        SUBMITTED = "submitted", _("已报送")
        ACCEPTED = "accepted", _("已认可")
        RETURNED = "returned", _("已退回")

    order = models.ForeignKey(
        Order, verbose_name=_("督办通知"), on_delete=models.CASCADE, related_name="answers"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    body = models.TextField(_("办理情况"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("起草时间"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报送"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("办理情况")
        verbose_name_plural = _("办理情况")
        ordering = ["order", "round"]
        constraints = [
            models.UniqueConstraint(fields=["order", "round"], name="order_answer_once_per_round"),
        ]

    def __str__(self) -> str:
        return _("%(order)s 第%(round)d轮办理情况") % {
            "order": self.order.reference,
            "round": self.round,
        }


class Urging(models.Model):
    """One 催办 by the office: what it said, when, and who."""

    order = models.ForeignKey(
        Order, verbose_name=_("督办通知"), on_delete=models.CASCADE, related_name="urgings"
    )
    note = models.TextField(_("催办意见"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("催办时间"))
    was_overdue = models.BooleanField(_("已超过办理时限"), default=False)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["order", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.order.reference} {self.at:%Y-%m-%d}"
