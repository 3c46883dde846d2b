from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.dates import shown_date

from .procedures import Kind, StepType, procedure_for

# The seeded areas' names, for the translation catalogues: a name is data in Chinese, shown
# through gettext (``PolicyArea.label``) in the visitor's language.
SEEDED_AREA_NAMES = (
    gettext_noop("教育"),
    gettext_noop("生态环境"),
    gettext_noop("治安"),
    gettext_noop("养老"),
    gettext_noop("物业"),
    gettext_noop("交通"),
    gettext_noop("财政预算"),
    gettext_noop("医疗卫生"),
    gettext_noop("住房保障"),
    gettext_noop("城市更新"),
    gettext_noop("就业社保"),
    gettext_noop("营商环境"),
    gettext_noop("文化旅游"),
    gettext_noop("农业农村"),
    gettext_noop("海洋"),
    gettext_noop("安全生产"),
    gettext_noop("民政"),
    gettext_noop("法治政府"),
)


class PolicyArea(models.Model):
    """A policy area tag (教育, 养老, 物业, ...), seeded by a data migration."""

    name = models.CharField(_("名称"), max_length=20, unique=True)
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("政策领域")
        verbose_name_plural = _("政策领域")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (a seeded area's; another stays as named)."""
        return gettext(self.name)


def area_names_text(areas) -> str:
    """What ``Matter.area_names`` holds for a matter in ``areas``: their names, one a
    line, in the areas' order (as ``PolicyArea.Meta.ordering``)."""
    return "\n".join(area.name for area in sorted(areas, key=lambda a: (a.sort_order, a.code)))


class Matter(models.Model):
    """A consultation matter (协商事项): one piece of government work consulted on."""

    Kind = Kind

    reference = models.CharField(_("事项编号"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("协商类别"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("牵头部门"),
        on_delete=models.PROTECT,
        related_name="matters",
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name=_("协办部门"), related_name="co_matters", blank=True
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    summary = models.TextField(_("事项概述"))
    legal_basis = models.TextField(_("法律依据"), blank=True)
    policy_areas = models.ManyToManyField(
        PolicyArea, verbose_name=_("政策领域"), related_name="matters", blank=True
    )
    # The names of ``policy_areas``, one a line, in their order: a copy kept by the services
    # that set the areas, so the stored search vector (0011) covers them and one index
    # serves a search. ``db_default``: the scale seeder COPYs rows naming its columns.
    area_names = models.TextField(
        _("政策领域名称"), blank=True, default="", db_default="", editable=False
    )
    is_major_decision = models.BooleanField(_("重大行政决策"), default=False)
    is_major_public_interest = models.BooleanField(_("涉及重大公共利益"), default=False)
    affects_stability = models.BooleanField(
        _("可能影响社会稳定"),
        default=False,
        help_text=_("勾选后，决定前须进行社会稳定风险评估。"),
    )
    is_contested = models.BooleanField(
        _("争议较大"), default=False, help_text=_("勾选后，决定前须进行专题协商论证。")
    )
    seeks_non_party_opinions = models.BooleanField(
        _("征求党外人士意见"), default=False, help_text=_("勾选后，决定前须征求党外人士意见。")
    )
    planned_start = models.DateField(_("计划开始日期"))
    planned_end = models.DateField(_("计划完成日期"))
    stage = models.CharField(_("当前阶段"), max_length=40)
    stage_entered_at = models.DateTimeField(_("进入当前阶段时间"))
    stage_due_on = models.DateField(_("当前阶段计划完成日期"), null=True, blank=True)
    is_published = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("协商事项")
        verbose_name_plural = _("协商事项")
        ordering = ["-year", "-created_at"]
        indexes = [
            models.Index(fields=["is_published", "-updated_at"]),
            # The public list and the API filtered by year, newest change first.
            models.Index(
                fields=["year", "-updated_at"],
                condition=models.Q(is_published=True),
                name="matter_published_year_idx",
            ),
            models.Index(fields=["department", "year"]),
            models.Index(fields=["kind", "stage"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="matter_planned_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def procedure(self):
        return procedure_for(self.kind)

    @property
    def area_name_list(self) -> list[str]:
        """The names of the matter's policy areas, read from ``area_names`` (no query)."""
        return [name for name in self.area_names.split("\n") if name]

    @property
    def stage_label(self) -> str:
        return str(self.procedure.stage(self.stage).label)

    @property
    def next_stage(self):
        return self.procedure.next_stage(self.stage)

    def can_advance(self) -> bool:
        return self.next_stage is not None

    def can_go_back(self) -> bool:
        return self.procedure.index(self.stage) > 0

    def can_publish(self) -> bool:
        return not self.is_published

    def can_withdraw(self) -> bool:
        return self.is_published


class ProcedureStep(models.Model):
    """A procedure step taken on a matter (a hearing held, a legality review done, ...)."""

    StepType = StepType

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="steps"
    )
    step_type = models.CharField(_("程序类型"), max_length=40, choices=StepType.choices)
    stage = models.CharField(_("记录时所处阶段"), max_length=40)
    occurred_on = models.DateField(_("日期"))
    responsible_person = models.CharField(_("责任人"), max_length=50)
    summary = models.TextField(_("情况摘要"))
    is_public = models.BooleanField(
        _("向社会公开"), default=True, help_text=_("公开后在事项公开页面显示。")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("程序步骤")
        verbose_name_plural = _("程序步骤")
        ordering = ["occurred_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_step_type_display()}（{shown_date(self.occurred_on)}）"


class StageChange(models.Model):
    """One move of a matter between stages; the public timeline is read from these."""

    class Direction(models.TextChoices):
        FORWARD = "forward", _("推进")
        BACK = "back", _("退回")

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="stage_changes"
    )
    from_stage = models.CharField(_("原阶段"), max_length=40, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=40)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    reason = models.TextField(_("原因"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label}"

    @property
    def from_label(self) -> str:
        return str(procedure_for(self.matter.kind).stage(self.from_stage).label)

    @property
    def to_label(self) -> str:
        return str(procedure_for(self.matter.kind).stage(self.to_stage).label)


def document_upload_path(document: "Document", filename: str) -> str:
    # The stored name never comes from the user: no path tricks, no clashes.
    return f"matters/{document.matter_id}/{document.sha256[:16]}.{document.extension}"


class Document(models.Model):
    """A file attached to a matter: a draft, evidence of a step, an explanation, ..."""

    class Category(models.TextChoices):
        DRAFT = "draft", _("草案文本")
        EXPLANATION = "explanation", _("起草说明")
        EVIDENCE = "evidence", _("程序证明材料")
        MINUTES = "minutes", _("会议纪要")
        REPORT = "report", _("评估报告")
        OTHER = "other", _("其他材料")

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="documents"
    )
    step = models.ForeignKey(
        ProcedureStep,
        verbose_name=_("所属程序步骤"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    title = models.CharField(_("文件名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    file = models.FileField(_("文件"), upload_to=document_upload_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_public = models.BooleanField(_("向社会公开"), default=True)
    is_removed = models.BooleanField(_("已撤下"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        return f"{self.title}.{self.extension}"


class DraftVersion(models.Model):
    """A numbered version of a matter's draft text (草案), with a change note."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="drafts"
    )
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("草案名称"), max_length=200)
    text = models.TextField(_("草案全文"))
    change_note = models.TextField(_("修改说明"))
    is_published = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("草案版本")
        verbose_name_plural = _("草案版本")
        ordering = ["matter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "number"], name="draft_number_unique")
        ]

    def __str__(self) -> str:
        return _("%(title)s（第%(number)d稿）") % {"title": self.title, "number": self.number}


# Every ledger action's label, by code. Matters' own are here; a higher app adds its own
# with ``register_ledger_actions`` from its AppConfig.ready(), so the ledger needs no
# knowledge of the apps that write to it.
LEDGER_ACTION_LABELS: dict[str, object] = {}


def register_ledger_actions(choices) -> None:
    LEDGER_ACTION_LABELS.update(dict(choices))


def ledger_action_choices() -> list[tuple[str, object]]:
    return list(LEDGER_ACTION_LABELS.items())


# How to tell the year of a ledger row that has no matter, by ``object_type``: a higher
# app registers, from its AppConfig.ready(), a function from a year to the primary keys
# (a values() queryset) of its objects of that year, e.g. the plans of that catalog year.
LEDGER_OBJECT_YEARS: dict[str, object] = {}


def register_ledger_object_year(object_type: str, object_ids_of_year) -> None:
    LEDGER_OBJECT_YEARS[object_type] = object_ids_of_year


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The ledger is append-only.")

    def delete(self):
        raise TypeError("The ledger is append-only.")


class LedgerEntry(models.Model):
    """One row of the ledger (台账): who did what, when, with the state before and after.

    Append-only: rows are only ever created (by ``matters.events``), never changed.
    Other apps write their own actions through ``events.record``; an action outside
    ``Action`` shows as its code.
    """

    class Action(models.TextChoices):
        MATTER_CREATED = "matter_created", _("创建事项")
        MATTER_UPDATED = "matter_updated", _("修改事项")
        STEP_RECORDED = "step_recorded", _("记录程序步骤")
        STAGE_ADVANCED = "stage_advanced", _("推进阶段")
        STAGE_RETURNED = "stage_returned", _("退回阶段")
        MATTER_PUBLISHED = "matter_published", _("公开事项")
        MATTER_WITHDRAWN = "matter_withdrawn", _("撤回公开")
        DOCUMENT_ADDED = "document_added", _("上传附件")
        DOCUMENT_REMOVED = "document_removed", _("撤下附件")
        DRAFT_ADDED = "draft_added", _("新增草案版本")
        DRAFT_PUBLISHED = "draft_published", _("公开草案版本")

    matter = models.ForeignKey(
        Matter,
        verbose_name=_("协商事项"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    action = models.CharField(_("操作"), max_length=40, db_index=True)
    summary = models.CharField(_("摘要"), max_length=500)
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The ledger is append-only.")

    @property
    def action_label(self) -> str:
        return str(LEDGER_ACTION_LABELS.get(self.action, self.action))


register_ledger_actions(LedgerEntry.Action.choices)
