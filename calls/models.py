"""Public calls (公开征集): the general office or a department asks the public what it
should consult on next year (年度政府协商议题征集) or which laws and rules the city
should make (立法项目建议征集). Anyone may propose, without an account; staff screen every
proposal (遴选): taken into a catalog item or a matter (采纳), merged into another (合并),
not taken with a reason (不予采纳), or passed to the department it belongs to (转交). The
result is published with its counts, and each proposer finds theirs by receipt number.

Every change goes through ``calls.services``; the database refuses a proposal whose
outcome does not name what it needs (the item or matter it went into, the proposal it was
merged into, the department it was passed to, the reason it was not taken).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from annual_plans.models import PlanItem
from core.encrypted_fields import EncryptedCharField
from matters.models import Matter, PolicyArea
from participation.models import Participant


class Call(models.Model):
    """One public call, open for proposals between two moments."""

    class Kind(models.TextChoices):
        TOPICS = "topics", _("年度政府协商议题征集")
        LEGISLATION = "legislation", _("立法项目建议征集")

    kind = models.CharField(_("征集类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("征集标题"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("征集年度"), help_text=_("征集的议题或立法项目建议用于哪一年度，例如 2027。")
    )
    department = models.ForeignKey(
        Department, verbose_name=_("征集单位"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.TextField(_("征集范围"), help_text=_("哪些方面的议题或立法项目建议可以提出。"))
    guidance = models.TextField(
        _("征集说明"), help_text=_("提出建议的要求：写明什么、怎样写，以及征集结果如何公布。")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("截止时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(
        _("遴选结果公布时间"), null=True, blank=True, editable=False
    )
    result_summary = models.TextField(_("遴选结果说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公开征集")
        verbose_name_plural = _("公开征集")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="call_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["published_at", "ends_at"])]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published_at is not None and self.starts_at <= now < self.ends_at

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if self.published_at is None:
            return "draft"
        if now < self.starts_at:
            return "upcoming"
        if now < self.ends_at:
            return "open"
        if self.results_published_at is None:
            return "screening"
        return "results"

    def status_label(self, now=None) -> str:
        return str(STATUS_LABELS[self.status(now)])


STATUS_LABELS = {
    "draft": _("未发布"),
    "upcoming": _("即将开始"),
    "open": _("正在征集"),
    "screening": _("征集结束，正在遴选"),
    "results": _("已公布遴选结果"),
}


class CallInvitee(models.Model):
    """A registry participant invited to propose by a personal link (受邀参与主体). The link
    may be used for several proposals while the call is open; only its hash is kept."""

    call = models.ForeignKey(
        Call, verbose_name=_("公开征集"), on_delete=models.PROTECT, related_name="invitees"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("参与主体"), on_delete=models.PROTECT, related_name="+"
    )
    # The category when invited, kept even if the registry changes.
    category = models.CharField(_("类别"), max_length=40, choices=Participant.Category.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("受邀提出建议的参与主体")
        verbose_name_plural = _("受邀提出建议的参与主体")
        ordering = ["call", "category", "participant__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "participant"], name="one_call_link_each")
        ]

    def __str__(self) -> str:
        return str(self.participant)


class Submission(models.Model):
    """One proposal sent in to a call (征集建议)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上提交")
        LINK = "link", _("受邀参与主体通过个人链接提交")
        PAPER = "paper", _("信函或现场提交")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待遴选")
        ADOPTED = "adopted", _("采纳")
        MERGED = "merged", _("合并")
        REJECTED = "rejected", _("不予采纳")
        TRANSFERRED = "transferred", _("转交")

    call = models.ForeignKey(
        Call, verbose_name=_("公开征集"), on_delete=models.PROTECT, related_name="submissions"
    )
    receipt = models.CharField(_("回执编号"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("建议题目"), max_length=200)
    reasons = models.TextField(_("理由和依据"))
    measures = models.TextField(_("建议措施"), blank=True)
    policy_area = models.ForeignKey(
        PolicyArea,
        verbose_name=_("政策领域"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    author_name = models.CharField(_("署名"), max_length=50, blank=True)
    # Only for staff to reach the proposer: never shown on a public page or in open data.
    contact = EncryptedCharField(_("联系方式"), max_length=100, blank=True)
    channel = models.CharField(
        _("提交方式"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    invitee = models.ForeignKey(
        CallInvitee,
        verbose_name=_("受邀参与主体"),
        on_delete=models.PROTECT,
        related_name="submissions",
        null=True,
        blank=True,
    )
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"))
    outcome = models.CharField(
        _("遴选结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = models.TextField(_("遴选说明"), blank=True)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("纳入的目录事项"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("纳入的协商事项"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        on_delete=models.PROTECT,
        related_name="merged",
        null=True,
        blank=True,
    )
    transferred_to = models.ForeignKey(
        Department,
        verbose_name=_("转交单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("遴选人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    screened_at = models.DateTimeField(_("遴选时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("征集建议")
        verbose_name_plural = _("征集建议")
        ordering = ["call", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(outcome="pending")
                    | Q(outcome="adopted") & (Q(plan_item__isnull=False) | Q(matter__isnull=False))
                    | Q(outcome="merged", merged_into__isnull=False)
                    | Q(outcome="rejected") & ~Q(outcome_note="")
                    | Q(outcome="transferred", transferred_to__isnull=False)
                ),
                name="submission_outcome_complete",
            ),
            models.CheckConstraint(
                condition=Q(channel="link", invitee__isnull=False)
                | ~Q(channel="link") & Q(invitee__isnull=True),
                name="submission_link_has_invitee",
            ),
        ]
        indexes = [models.Index(fields=["call", "outcome"])]

    def __str__(self) -> str:
        return f"{self.receipt} {self.title}"


def submission_file_path(attachment: "SubmissionFile", filename: str) -> str:
    # The stored name never comes from the proposer: no path tricks, no clashes.
    return (
        f"calls/{attachment.submission.call_id}/{attachment.submission_id}/"
        f"{attachment.sha256[:16]}.{attachment.extension}"
    )


class SubmissionFile(models.Model):
    """A file sent with a proposal (附件), checked by ``core.uploads`` on the way in. Only
    staff who may screen the proposal download it; it is never shown to the public."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("征集建议"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("文件"), upload_to=submission_file_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("征集建议附件")
        verbose_name_plural = _("征集建议附件")
        ordering = ["submission", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        name = self.original_name
        suffix = f".{self.extension}"
        return name if name.lower().endswith(suffix) else f"{name}{suffix}"
