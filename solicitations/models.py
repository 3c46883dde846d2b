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
