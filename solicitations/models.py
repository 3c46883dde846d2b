"""Consulting named bodies in writing: expert argumentation (专家论证).

An argumentation is a panel of experts from the registry's 专家 category who each give a
signed opinion on a matter (its draft, where there is one) under the five headings the
source document names — 必要性, 合法性, 可行性, 经济社会效益, 执行条件 — with a conclusion,
after declaring whether they have a conflict of interest (回避声明). The panel's summary
closes it, and the completed argumentation is the evidence of the matter's 专家论证 step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matters.models import DraftVersion, Matter, ProcedureStep
from participation.models import Participant


class Conclusion(models.TextChoices):
    AGREE = "agree", _("同意")
    AGREE_AFTER_CHANGES = "agree_after_changes", _("修改后同意")
    DISAGREE = "disagree", _("不同意")


# The headings of an expert's opinion, in the order the source document gives them.
HEADINGS = (
    ("necessity", _("必要性")),
    ("legality", _("合法性")),
    ("feasibility", _("可行性")),
    ("benefits", _("经济社会效益")),
    ("conditions", _("执行条件")),
)


class Argumentation(models.Model):
    class Form(models.TextChoices):
        MEETING = "meeting", _("论证会")
        WRITTEN = "written", _("书面论证")

    class Status(models.TextChoices):
        OPEN = "open", _("论证中")
        COMPLETED = "completed", _("已完成")

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="argumentations"
    )
    draft = models.ForeignKey(
        DraftVersion,
        verbose_name=_("论证的草案版本"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    title = models.CharField(_("论证名称"), max_length=200)
    form = models.CharField(_("论证方式"), max_length=20, choices=Form.choices)
    held_on = models.DateField(_("论证日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False
    )
    summary = models.TextField(_("专家组论证意见"), blank=True)
    conclusion = models.CharField(
        _("专家组结论"), max_length=30, choices=Conclusion.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建立人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("建立时间"), default=timezone.now, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The 专家论证 step this argumentation put on the matter's record when completed.
    step = models.OneToOneField(
        ProcedureStep,
        verbose_name=_("程序步骤"),
        on_delete=models.PROTECT,
        related_name="argumentation",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("专家论证")
        verbose_name_plural = _("专家论证")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(completed_at__isnull=False) & ~Q(conclusion="") & ~Q(summary="")),
                name="argumentation_completed_with_conclusion",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def department_id(self) -> int:
        return self.matter.department_id

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Expert(models.Model):
    """One expert on the panel: the recusal declaration, then the signed opinion."""

    class Declaration(models.TextChoices):
        PENDING = "pending", _("未声明")
        NO_CONFLICT = "no_conflict", _("无利害关系")
        RECUSED = "recused", _("存在利害关系，回避")

    argumentation = models.ForeignKey(
        Argumentation, verbose_name=_("专家论证"), on_delete=models.PROTECT, related_name="experts"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="+"
    )
    # As the registry had them when the expert was chosen: the record does not change when
    # the registry entry is edited later.
    name = models.CharField(_("姓名"), max_length=100)
    affiliation = models.CharField(_("单位"), max_length=200, blank=True)
    expertise = models.CharField(_("专业领域"), max_length=200, blank=True)
    declaration = models.CharField(
        _("回避声明"),
        max_length=20,
        choices=Declaration.choices,
        default=Declaration.PENDING,
        editable=False,
    )
    conflict_note = models.TextField(_("利害关系说明"), blank=True)
    declared_at = models.DateTimeField(_("声明时间"), null=True, blank=True, editable=False)
    necessity = models.TextField(_("必要性"), blank=True)
    legality = models.TextField(_("合法性"), blank=True)
    feasibility = models.TextField(_("可行性"), blank=True)
    benefits = models.TextField(_("经济社会效益"), blank=True)
    conditions = models.TextField(_("执行条件"), blank=True)
    conclusion = models.CharField(_("结论"), max_length=30, choices=Conclusion.choices, blank=True)
    signed_on = models.DateField(_("签名日期"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("专家签名的书面意见由工作人员录入。"),
    )
    entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("论证专家")
        verbose_name_plural = _("论证专家")
        ordering = ["argumentation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["argumentation", "participant"], name="one_seat_per_expert"
            ),
            models.CheckConstraint(
                condition=Q(conclusion="") | Q(declaration="no_conflict"),
                name="opinion_only_without_conflict",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_opinion(self) -> bool:
        return bool(self.conclusion)

    @property
    def is_recused(self) -> bool:
        return self.declaration == self.Declaration.RECUSED

    def headings(self) -> list[tuple[str, str]]:
        """(heading, text) of the opinion, in the source document's order."""
        return [(str(label), getattr(self, name)) for name, label in HEADINGS]


class Solicitation(models.Model):
    """A letter asking named bodies and people for their opinions on a draft (征求意见函).

    It is part of a comment round (``CommentPeriod``) on the matter: the written answers
    join that round's opinion register as opinions received through 书面征求意见, are
    disposed of there and are published in its feedback report. Answers are due by the end
    of the deadline day, Beijing time; where the letter says so, an addressee who has not
    answered by then is deemed to have no opinion (视为无意见).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("拟稿")
        SENT = "sent", _("征求中")
        CLOSED = "closed", _("已结束")

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="solicitations"
    )
    period = models.ForeignKey(
        "participation.CommentPeriod",
        verbose_name=_("所属征求意见"),
        on_delete=models.PROTECT,
        related_name="solicitations",
        help_text=_("书面反馈的意见登记在这次征求意见中，并在其采纳情况中公开。"),
    )
    draft = models.ForeignKey(
        DraftVersion,
        verbose_name=_("征求意见的草案版本"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    title = models.CharField(_("函件标题"), max_length=200)
    reference_number = models.CharField(_("文号"), max_length=60, blank=True)
    body = models.TextField(_("函件正文"))
    deadline = models.DateField(_("反馈截止日期"))
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    deemed_no_opinion = models.BooleanField(
        _("逾期未反馈的视为无意见"),
        default=True,
        help_text=_("勾选后，截止日期后仍未反馈的主送单位和个人记为“视为无意见”，函件中写明。"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("拟稿时间"), default=timezone.now, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发函人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    sent_at = models.DateTimeField(_("发函时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The steps the closed solicitation put on the matter's record.
    step = models.OneToOneField(
        ProcedureStep,
        verbose_name=_("程序步骤"),
        on_delete=models.PROTECT,
        related_name="solicitation",
        null=True,
        blank=True,
        editable=False,
    )
    non_party_step = models.OneToOneField(
        ProcedureStep,
        verbose_name=_("征求党外人士意见步骤"),
        on_delete=models.PROTECT,
        related_name="non_party_solicitation",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("书面征求意见")
        verbose_name_plural = _("书面征求意见")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False),
                name="solicitation_sent_with_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def department_id(self) -> int:
        return self.matter.department_id


class Addressee(models.Model):
    """One body or person the letter goes to: a department or district government (it
    answers through its own staff, its leader signs) or a registry entry (by a personal
    link, or on paper typed in by the sending department)."""

    class Role(models.TextChoices):
        MAIN = "main", _("主送")
        COPY = "copy", _("抄送")

    class Status(models.TextChoices):
        OUTSTANDING = "outstanding", _("未反馈")
        ANSWERED = "answered", _("已反馈")
        DEEMED = "deemed", _("视为无意见")
        NO_REPLY = "no_reply", _("逾期未反馈")

    class Answer(models.TextChoices):
        OPINIONS = "opinions", _("有意见")
        NONE = "none", _("无意见")

    class Via(models.TextChoices):
        BODY = "body", _("单位在平台反馈")
        LINK = "link", _("个人链接反馈")
        PAPER = "paper", _("书面回函，工作人员录入")

    # Grouping of addressees in tracking and reports: the registry's categories, and two
    # for bodies that answer through the portal.
    DEPARTMENT = "department"
    DISTRICT = "district"
    CATEGORY_CHOICES = [
        (DEPARTMENT, _("市政府部门和单位")),
        (DISTRICT, _("区市政府和功能区")),
        *Participant.Category.choices,
    ]
    # An answer from one of these counts as 征求党外人士意见.
    NON_PARTY_CATEGORIES = frozenset(
        {
            Participant.Category.DEMOCRATIC_PARTY,
            Participant.Category.FEDERATION_OF_COMMERCE,
            Participant.Category.NON_PARTY,
        }
    )

    solicitation = models.ForeignKey(
        Solicitation,
        verbose_name=_("书面征求意见"),
        on_delete=models.PROTECT,
        related_name="addressees",
    )
    role = models.CharField(_("送达方式"), max_length=10, choices=Role.choices, default=Role.MAIN)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("参与主体"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # As they were when the letter was addressed.
    name = models.CharField(_("名称或姓名"), max_length=200)
    category = models.CharField(_("类别"), max_length=40, choices=CATEGORY_CHOICES)
    email = models.EmailField(_("电子邮箱"), blank=True)
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_default="")
    status = models.CharField(
        _("反馈状态"),
        max_length=20,
        choices=Status.choices,
        default=Status.OUTSTANDING,
        editable=False,
    )
    answer = models.CharField(_("反馈意见"), max_length=10, choices=Answer.choices, blank=True)
    via = models.CharField(_("反馈方式"), max_length=10, choices=Via.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # A body's answer is prepared by its staff and signed by its leader.
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    prepared_at = models.DateTimeField(_("起草时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signer_name = models.CharField(_("签署人"), max_length=100, blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期反馈"), default=False)

    class Meta:
        verbose_name = _("征求意见对象")
        verbose_name_plural = _("征求意见对象")
        ordering = ["solicitation", "role", "pk"]
        indexes = [models.Index(fields=["department", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) ^ Q(participant__isnull=True),
                name="addressee_body_or_person",
            ),
            models.UniqueConstraint(
                fields=["solicitation", "department"],
                condition=Q(department__isnull=False),
                name="addressee_department_once",
            ),
            models.UniqueConstraint(
                fields=["solicitation", "participant"],
                condition=Q(participant__isnull=False),
                name="addressee_participant_once",
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="addressee_token_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="addressee_answered_with_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_body(self) -> bool:
        return self.department_id is not None

    @property
    def is_outstanding(self) -> bool:
        return self.status == self.Status.OUTSTANDING


class AnswerItem(models.Model):
    """One opinion in an addressee's answer, with the article or section it is about. Once
    the answer is given it is in the opinion register (``opinion``)."""

    addressee = models.ForeignKey(
        Addressee, verbose_name=_("征求意见对象"), on_delete=models.CASCADE, related_name="items"
    )
    article = models.CharField(_("涉及条款或章节"), max_length=100, blank=True)
    content = models.TextField(_("意见内容"), max_length=5000)
    opinion = models.OneToOneField(
        "participation.Opinion",
        verbose_name=_("登记的意见"),
        on_delete=models.PROTECT,
        related_name="written_answer",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("反馈意见")
        verbose_name_plural = _("反馈意见")
        ordering = ["addressee", "pk"]

    def __str__(self) -> str:
        return self.content[:40]
