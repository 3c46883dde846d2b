import functools

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from matters.models import Matter
from matters.procedures import Kind, StepType


@functools.cache
def _labels(language: str | None) -> dict[str, dict[str, str]]:
    """The item kinds' and consultation forms' labels in one language: a catalog of 500
    items would otherwise rebuild and translate these lists for every item."""
    return {
        "forms": {code: str(label) for code, label in StepType.choices},
        "kinds": {code: str(label) for code, label in Kind.choices},
    }


class FilingDeadline(models.Model):
    """The general office moved a year's deadline (e.g. for a holiday), with a reason."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    deadline = models.DateTimeField(_("报送截止时间"))
    reason = models.TextField(_("调整原因"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("调整时间"), auto_now=True)

    class Meta:
        verbose_name = _("报送截止时间调整")
        verbose_name_plural = _("报送截止时间调整")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class AnnualPlan(models.Model):
    """A department's consultation plan catalog for one year (年度计划目录)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("已备案")
        PUBLISHED = "published", _("已公示")

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_empty = models.BooleanField(
        _("本年度无协商事项"),
        default=False,
        help_text=_("没有需要协商的事项时，报送空目录并说明原因。"),
    )
    empty_reason = models.TextField(_("无协商事项的原因"), blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审签负责人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_off_at = models.DateTimeField(_("审签时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报送"), default=False)
    version = models.PositiveIntegerField(_("现行版本"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度计划目录")
        verbose_name_plural = _("年度计划目录")
        ordering = ["-year", "department__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"], name="one_plan_per_department_year"
            )
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return _("%(department)s%(year)d年度政府协商计划目录") % {
            "department": self.department.name,
            "year": self.year,
        }

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def can_sign_off(self) -> bool:
        return self.is_editable and self.signed_off_by_id is None

    def can_submit(self) -> bool:
        return self.is_editable

    def can_review(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def can_publish(self) -> bool:
        return self.status == self.Status.ACCEPTED

    def can_request_amendment(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.PUBLISHED)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ItemFields(models.Model):
    """The fields of a catalog item, shared by plan items and amendment proposals."""

    title = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("协商类别"), max_length=20, choices=Kind.choices)
    forms = models.JSONField(
        _("拟采取的协商形式"),
        default=list,
        help_text=_("可多选。"),
    )
    planned_start = models.DateField(_("计划开始日期"))
    planned_end = models.DateField(_("计划完成日期"))
    responsible_office = models.CharField(_("责任处室"), max_length=100)
    is_major_decision = models.BooleanField(_("重大行政决策"), default=False)
    seeks_non_party_opinions = models.BooleanField(_("征求党外人士意见"), default=False)
    order = models.PositiveIntegerField(_("序号"), default=0)

    class Meta:
        abstract = True

    FORM_CHOICES = StepType.choices

    @property
    def form_labels(self) -> list[str]:
        labels = _labels(get_language())["forms"]
        return [labels.get(code, code) for code in self.forms]

    @property
    def kind_label(self) -> str:
        """``get_kind_display()``, looked up once per language (a catalog lists hundreds)."""
        return _labels(get_language())["kinds"].get(self.kind, self.kind)

    @property
    def planned_span(self) -> str:
        """The planned months as catalogs print them: 2026.3—2026.12."""
        start, end = self.planned_start, self.planned_end
        return f"{start.year}.{start.month}—{end.year}.{end.month}"

    def snapshot(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "forms": list(self.forms),
            "planned_start": self.planned_start.isoformat(),
            "planned_end": self.planned_end.isoformat(),
            "responsible_office": self.responsible_office,
            "is_major_decision": self.is_major_decision,
            "seeks_non_party_opinions": self.seeks_non_party_opinions,
        }


class PlanItem(ItemFields):
    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("年度计划目录"), on_delete=models.PROTECT, related_name="items"
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("对应协商事项"),
        on_delete=models.PROTECT,
        related_name="plan_items",
        null=True,
        blank=True,
    )
    review_comment = models.TextField(_("逐项审核意见"), blank=True)

    class Meta:
        verbose_name = _("目录事项")
        verbose_name_plural = _("目录事项")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class SupersededPlanItem(ItemFields):
    """An item a filed plan no longer lists, kept for good: nothing filed is deleted.

    A returned filing being revised, or an accepted mid-year amendment, replaces the
    plan's items; the rows they replace are copied here first, with their id, matter
    link and review comment, so the catalog as it was filed can always be shown.
    """

    class Reason(models.TextChoices):
        REVISED = "revised", _("退回后修改")
        AMENDED = "amended", _("年中调整")

    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("年度计划目录"),
        on_delete=models.PROTECT,
        related_name="superseded_items",
    )
    item_id = models.PositiveBigIntegerField(_("原目录事项编号"))
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("对应协商事项"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    review_comment = models.TextField(_("逐项审核意见"), blank=True)
    reason = models.CharField(_("替换原因"), max_length=20, choices=Reason.choices)
    plan_version = models.PositiveIntegerField(_("替换时的现行版本"))
    amendment = models.ForeignKey(
        "Amendment",
        verbose_name=_("年中调整"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("替换时间"))

    class Meta:
        verbose_name = _("被替换的目录事项")
        verbose_name_plural = _("被替换的目录事项")
        ordering = ["plan", "superseded_at", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item_id"], name="superseded_item_once"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """An accepted version of a plan's items, kept for good (备案 and each accepted 年中调整)."""

    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("年度计划目录"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("版本号"))
    items = models.JSONField(_("目录事项"))
    note = models.TextField(_("说明"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("备案时间"))

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return _("第%(number)d版") % {"number": self.number}


class Amendment(models.Model):
    """A mid-year amendment (年中调整) to an accepted plan, with the items it proposes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草拟中")
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已同意")
        REJECTED = "rejected", _("未同意")

    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("年度计划目录"),
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    reason = models.TextField(_("调整原因"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年中调整")
        verbose_name_plural = _("年中调整")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("%(plan)s 年中调整") % {"plan": self.plan}

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class AmendmentItem(ItemFields):
    amendment = models.ForeignKey(
        # PROTECT: a requested amendment's proposal is filed material, never deleted with it.
        Amendment,
        verbose_name=_("年中调整"),
        on_delete=models.PROTECT,
        related_name="items",
    )

    class Meta:
        verbose_name = _("调整后的目录事项")
        verbose_name_plural = _("调整后的目录事项")
        ordering = ["amendment", "order", "pk"]

    def __str__(self) -> str:
        return self.title
