"""Deputies' suggestions and CPPCC proposals (建议提案办理): the item, its authors, each
assignment (交办) with its sign-for or return, contacts with the authors, co-departments,
extensions, replies with their sign-off, the authors' ratings and the third-party
evaluation.

Every change goes through ``proposals.services``; the database refuses what must never be
(two lead authors, two replies in one round, two ratings of one reply by one author).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from matters.models import PolicyArea
from participation.models import Participant


def reply_class_label(code: str) -> str:
    """The configured label of a reply class (``PORTAL_PROPOSAL_REPLY_CLASSES``)."""
    if not code:
        return ""
    return str(settings.PORTAL_PROPOSAL_REPLY_CLASSES.get(code, code))


class Proposal(models.Model):
    """One deputy's suggestion (人大代表建议) or CPPCC proposal (政协提案)."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("人大代表建议")
        PROPOSAL = "proposal", _("政协提案")

    class Source(models.TextChoices):
        SESSION = "session", _("大会期间")
        RECESS = "recess", _("闭会期间")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("待交办")
        ASSIGNED = "assigned", _("待签收")
        RETURNED = "returned", _("已退回待重新交办")
        HANDLING = "handling", _("办理中")
        REPLIED = "replied", _("已答复待测评")
        SECOND_ROUND = "second_round", _("二次办理中")
        CLOSED = "closed", _("已办结")

    class ReplyClass(models.TextChoices):
        A = "A", _("A类")
        B = "B", _("B类")
        C = "C", _("C类")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    class Verdict(models.TextChoices):
        PRIORITY = "priority", _("重点推进")
        CONTINUE = "continue", _("继续办理")
        RESEARCH = "research", _("列入调研计划")
        COMPLETED = "completed", _("办理完成")
        NOT_AGAIN = "not_again", _("不再提出")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(
        _("编号"), max_length=20, help_text=_("大会或政协交来的编号，例如 0123。")
    )
    session = models.CharField(
        _("届次会议"), max_length=100, blank=True, help_text=_("例如：市十七届人大三次会议。")
    )
    source = models.CharField(
        _("提出时间"), max_length=20, choices=Source.choices, default=Source.SESSION
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    policy_area = models.ForeignKey(
        PolicyArea,
        verbose_name=_("政策领域"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    is_public = models.BooleanField(
        _("可以公开"), default=True, help_text=_("可以公开的建议提案在门户网站公开答复。")
    )
    is_key = models.BooleanField(_("重点建议提案"), default=False)
    leading_leader = models.CharField(
        _("领办市领导"), max_length=50, blank=True, help_text=_("重点建议提案由市领导领办时填写。")
    )
    status = models.CharField(
        _("办理状态"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # The current assignment, copied here for the lists and figures (the history is in
    # Assignment).
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    sign_for_deadline = models.DateField(_("签收或退回期限"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    further_rounds_allowed = models.PositiveSmallIntegerField(
        _("办公厅另行决定的办理轮次"), default=0
    )
    # The outcome so far: the latest reply's class and the lead author's rating of it.
    reply_class = models.CharField(
        _("答复分类"), max_length=1, choices=ReplyClass.choices, blank=True
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    verdict = models.CharField(
        _("第三方评估结论"), max_length=20, choices=Verdict.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("建议提案")
        verbose_name_plural = _("建议提案")
        ordering = ["-year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"], name="proposal_number_unique"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="proposal_round_positive"),
        ]
        indexes = [
            models.Index(fields=["lead_department", "status"]),
            models.Index(fields=["year", "kind"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["is_public", "year"]),
        ]
        permissions = [("register_proposal", "Register deputies' suggestions and proposals")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """第0123号 as the list names it, with the year and kind: 2026年建议第0123号."""
        kind = _("建议") if self.kind == self.Kind.SUGGESTION else _("提案")
        return _("%(year)d年%(kind)s第%(number)s号") % {
            "year": self.year,
            "kind": kind,
            "number": self.number,
        }

    @property
    def department_id(self) -> int | None:
        """The lead department: permission predicates compare it."""
        return self.lead_department_id

    @property
    def reply_class_label(self) -> str:
        return reply_class_label(self.reply_class)

    @property
    def transferred_by(self) -> str:
        """The body that transferred the item and gets the reply (三方面复)."""
        if self.kind == self.Kind.SUGGESTION:
            return str(_("市人大常委会代表工作委员会"))
        return str(_("市政协提案委员会"))

    @property
    def is_replied(self) -> bool:
        return self.status in (self.Status.REPLIED, self.Status.SECOND_ROUND, self.Status.CLOSED)

    @property
    def rounds_allowed(self) -> int:
        return 2 + self.further_rounds_allowed


class Author(models.Model):
    """A deputy or member who raised the item: one lead (领衔), any co-signers (联名/附议)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("领衔")
        CO_SIGNER = "co_signer", _("联名")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("建议提案"), on_delete=models.CASCADE, related_name="authors"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("代表委员"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("身份"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("提出人")
        verbose_name_plural = _("提出人")
        ordering = ["proposal", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "participant"], name="author_once"),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(role="lead"), name="one_lead_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.get_role_display()})"


def attachment_upload_path(attachment: "Attachment", filename: str) -> str:
    # The stored name never comes from the user: no path tricks, no clashes.
    return f"proposals/{attachment.proposal_id}/{attachment.sha256[:16]}.{attachment.extension}"


class Attachment(models.Model):
    """A file that came with the item (附件), checked by ``core.uploads`` on the way in and
    served by a view that checks the reader's access (never from MEDIA_ROOT directly)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("建议提案"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("文件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_upload_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["proposal", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """One assignment (交办) to a lead department, and how it answered: signed for, or
    returned with a reason within the working-day window (then the office reassigns)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待签收")
        SIGNED = "signed", _("已签收")
        RETURNED = "returned", _("已退回")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("建议提案"), on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    co_departments = models.JSONField(_("协办单位"), default=list, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"))
    sign_for_deadline = models.DateField(_("签收或退回期限"))
    due_date = models.DateField(_("答复期限"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        _("结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    answered_at = models.DateTimeField(_("签收或退回时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收或退回人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    on_time = models.BooleanField(_("按期签收或退回"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办记录")
        verbose_name_plural = _("交办记录")
        ordering = ["proposal", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(outcome="pending"),
                name="one_pending_assignment",
            )
        ]
        indexes = [models.Index(fields=["department", "outcome"])]

    def __str__(self) -> str:
        return f"{self.proposal.reference} → {self.department}"


class CoDepartment(models.Model):
    """A co-department (协办/会办) of the current assignment: its opinion to the lead
    department by a date before the due date, and its countersignature (会签) of the reply."""

    class Role(models.TextChoices):
        ASSISTING = "assisting", _("协办")
        JOINT = "joint", _("会办")

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("建议提案"),
        on_delete=models.CASCADE,
        related_name="co_departments",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("方式"), max_length=20, choices=Role.choices, default=Role.ASSISTING)
    opinion_due = models.DateField(_("协办意见期限"))
    opinion = models.TextField(_("协办意见"), blank=True)
    opinion_at = models.DateTimeField(_("提交意见时间"), null=True, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        ordering = ["proposal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "department"], name="co_department_once")
        ]

    def __str__(self) -> str:
        return f"{self.department}（{self.get_role_display()}）"


class Contact(models.Model):
    """A contact with the authors before replying (沟通联系): mandatory in every round."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("面商")
        PHONE = "phone", _("电话")
        MEETING = "meeting", _("座谈")
        INSPECTION = "inspection", _("视察")
        WRITTEN = "written", _("书面")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("建议提案"), on_delete=models.CASCADE, related_name="contacts"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    contacted_on = models.DateField(_("联系日期"))
    method = models.CharField(
        pgettext_lazy("contact", "联系方式"), max_length=20, choices=Method.choices
    )
    note = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("沟通联系")
        verbose_name_plural = _("沟通联系")
        ordering = ["proposal", "contacted_on", "pk"]
        indexes = [models.Index(fields=["proposal", "round"])]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_method_display()}"


class Extension(models.Model):
    """A request to move the due date (延期), approved or refused by the general office."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("建议提案"), on_delete=models.CASCADE, related_name="extensions"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    previous_due_date = models.DateField(_("原答复期限"))
    requested_due_date = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("审批结果"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["proposal", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(status="pending"), name="one_pending_extension"
            ),
            models.CheckConstraint(
                condition=Q(requested_due_date__gt=models.F("previous_due_date")),
                name="extension_moves_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.previous_due_date} → {self.requested_due_date}"


class Reply(models.Model):
    """The formal reply letter (答复函) of one round: drafted by the lead department, signed
    off by its leader (审签), countersigned by the co-departments (会签), then sent to the
    author, the transferring body and the general office (三方面复)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("拟稿")
        SIGNED_OFF = "signed_off", _("已审签")
        SENT = "sent", _("已答复")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("建议提案"), on_delete=models.CASCADE, related_name="replies"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    document_number = models.CharField(
        _("文号"), max_length=60, help_text=_("例如：青教建字〔2026〕12号。")
    )
    body = models.TextField(_("答复正文"))
    reply_class = models.CharField(_("答复分类"), max_length=1, choices=Proposal.ReplyClass.choices)
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    copy_to = models.CharField(_("抄送"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("拟稿时间"))
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_off_at = models.DateTimeField(_("审签时间"), null=True, blank=True)
    # Co-departments' countersignatures (会签): department id -> {"by": user id, "at": ISO}.
    countersignatures = models.JSONField(_("会签"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    # 三方面复: the author, the body that transferred the item, the general office.
    delivered_to_authors_at = models.DateTimeField(_("送达提出人时间"), null=True, blank=True)
    delivered_to_body_at = models.DateTimeField(_("送达交办机构时间"), null=True, blank=True)
    delivered_to_office_at = models.DateTimeField(_("送达办公厅时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["proposal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="one_reply_per_round")
        ]

    def __str__(self) -> str:
        return self.document_number

    @property
    def reply_class_label(self) -> str:
        return reply_class_label(self.reply_class)

    @property
    def is_delivered_three_ways(self) -> bool:
        return bool(
            self.delivered_to_authors_at
            and self.delivered_to_body_at
            and self.delivered_to_office_at
        )


class Rating(models.Model):
    """An author's rating of one reply (满意度测评), through a personal single-purpose link
    (only the token's hash is kept) or entered by staff from the paper form."""

    class Channel(models.TextChoices):
        LINK = "link", _("个人链接")
        PAPER = "paper", _("纸质测评表")

    reply = models.ForeignKey(
        Reply, verbose_name=_("答复"), on_delete=models.CASCADE, related_name="ratings"
    )
    author = models.ForeignKey(
        Author, verbose_name=_("提出人"), on_delete=models.CASCADE, related_name="ratings"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("测评链接有效期至"))
    result = models.CharField(
        _("测评结果"), max_length=20, choices=Proposal.Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("意见"), blank=True)
    wants_second_round = models.BooleanField(_("要求二次办理"), default=False)
    channel = models.CharField(_("测评方式"), max_length=20, choices=Channel.choices, blank=True)
    rated_at = models.DateTimeField(_("测评时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    sent_at = models.DateTimeField(_("链接发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["reply", "author__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "author"], name="one_rating_per_author"),
            models.CheckConstraint(
                condition=Q(result="") | Q(rated_at__isnull=False), name="rating_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.get_result_display() or '—'}"


class Evaluation(models.Model):
    """The third-party evaluation panel's verdict on the item (第三方评估)."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("建议提案"), on_delete=models.CASCADE, related_name="evaluation"
    )
    verdict = models.CharField(_("评估结论"), max_length=20, choices=Proposal.Verdict.choices)
    panel = models.CharField(_("评估机构"), max_length=200)
    evaluated_on = models.DateField(_("评估日期"))
    note = models.TextField(_("评估意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("第三方评估")
        verbose_name_plural = _("第三方评估")

    def __str__(self) -> str:
        return self.get_verdict_display()
