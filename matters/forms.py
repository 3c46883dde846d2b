import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.widgets import FastSelect
from core.years import MAX_YEAR, MIN_YEAR

from .catalog_year import catalog_year_in_preparation
from .models import Document, DraftVersion, Matter, PolicyArea, ProcedureStep
from .procedures import (
    EVIDENCED_STEPS,
    PROCEDURES,
    STAGE_SEPARATOR,
    Kind,
    StepType,
    split_stage,
    stage_choices_by_kind,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def year_filter_field(label) -> forms.IntegerField:
    """An optional four-digit year for list filters, with one clear message."""
    message = _("年度须为四位数字，例如 2026。")
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, _("%(year)d年") % {"year": year}) for year in range(this_year + 1, 2018, -1)]


class MatterForm(forms.ModelForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_year_choices)
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办部门"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("按住 Ctrl（Mac 上为 Command）可多选。"),
    )
    policy_areas = forms.ModelMultipleChoiceField(
        label=_("政策领域"),
        queryset=PolicyArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Matter
        fields = [
            "title",
            "kind",
            "year",
            "summary",
            "legal_basis",
            "co_departments",
            "policy_areas",
            "is_major_decision",
            "is_major_public_interest",
            "affects_stability",
            "is_contested",
            "seeks_non_party_opinions",
            "planned_start",
            "planned_end",
            "stage_due_on",
        ]
        widgets = {
            "planned_start": DATE_INPUT,
            "planned_end": DATE_INPUT,
            "stage_due_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("请填写事项名称。")},
            "summary": {"required": _("请填写事项概述。")},
            "planned_start": {"required": _("请填写计划开始日期。")},
            "planned_end": {"required": _("请填写计划完成日期。")},
        }

    def __init__(self, *args, department: Department | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if department is not None:
            self.fields["co_departments"].queryset = Department.objects.filter(
                is_active=True
            ).exclude(pk=department.pk)
        if not self.instance.pk:
            self.fields["year"].initial = catalog_year_in_preparation()
        if self.instance.pk and self.instance.stage_changes.exists():
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("事项已推进过阶段，不能再更改协商类别。")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("计划完成日期不能早于计划开始日期。"))
        return cleaned

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data.pop("co_departments")
        data.pop("policy_areas")
        return data


class StepForm(forms.ModelForm):
    class Meta:
        model = ProcedureStep
        fields = ["step_type", "occurred_on", "responsible_person", "summary", "is_public"]
        widgets = {"occurred_on": DATE_INPUT, "summary": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "occurred_on": {"required": _("请填写步骤日期。")},
            "responsible_person": {"required": _("请填写责任人。")},
            "summary": {"required": _("请填写情况摘要。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Steps the portal records from its own records are not typed in.
        self.fields["step_type"].choices = [
            choice for choice in StepType.choices if choice[0] not in EVIDENCED_STEPS
        ]

    def clean_occurred_on(self):
        value: datetime.date = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("程序步骤的日期不能晚于今天：只记录已经完成的步骤。"))
        return value


class ReturnStageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("退回到"))
    reason = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("退回阶段必须填写原因。")},
    )

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        procedure = matter.procedure
        earlier = procedure.stages[: procedure.index(matter.stage)]
        self.fields["to_stage"].choices = [(stage.code, stage.label) for stage in earlier]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("撤回公开必须填写原因。")},
    )


class DocumentForm(forms.ModelForm):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("PDF、Word、Excel、JPEG 或 PNG，不超过 20 MB。"),
        error_messages={"required": _("请选择要上传的文件。")},
    )

    class Meta:
        model = Document
        fields = ["title", "category", "step", "is_public"]
        error_messages = {"title": {"required": _("请填写文件名称。")}}

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = matter.steps.all()
        self.fields["step"].required = False


class RemoveDocumentForm(forms.Form):
    reason = forms.CharField(
        label=_("撤下原因"),
        max_length=500,
        error_messages={"required": _("撤下附件必须填写原因。")},
    )


class DraftForm(forms.ModelForm):
    class Meta:
        model = DraftVersion
        fields = ["title", "text", "change_note"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 14}),
            "change_note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("请填写草案名称。")},
            "text": {"required": _("请填写草案全文。")},
            "change_note": {"required": _("请填写修改说明。")},
        }


class MatterFilterForm(forms.Form):
    """Filters of the public and staff matter lists; bad values become form errors."""

    kind = forms.ChoiceField(label=_("协商类别"), required=False, widget=FastSelect)
    department = forms.ChoiceField(label=_("牵头部门"), required=False, widget=FastSelect)
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    stage = forms.ChoiceField(
        label=_("阶段"),
        required=False,
        widget=FastSelect,
        error_messages={"invalid_choice": _("没有这个阶段，请先选协商类别，再从列表中选择阶段。")},
    )
    policy_area = forms.ChoiceField(label=_("政策领域"), required=False, widget=FastSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["kind"].choices = everything + list(Kind.choices)
        self.fields["department"].choices = everything + list(
            Department.objects.filter(is_active=True)
            .exclude(kind=Department.Kind.GENERAL_OFFICE)
            .values_list("code", "short_name")
        )
        self.fields["year"].choices = everything + _year_choices()
        # One vocabulary per kind: the stages grouped under their kind, in its words.
        self.fields["stage"].choices = everything + stage_choices_by_kind()
        self.fields["policy_area"].choices = everything + [
            (code, gettext(name)) for code, name in PolicyArea.objects.values_list("code", "name")
        ]
        if self.is_bound:
            self.data = self._with_kind_on_stage(self.data)

    @staticmethod
    def _with_kind_on_stage(data):
        """A bare stage code (older links, ``?kind=budget&stage=consultation``) is read as
        that kind's stage, or as the one kind that has it, so the menu shows what is
        filtered. A code several kinds share, with no kind, stays an error."""
        stage, kind = data.get("stage", ""), data.get("kind", "")
        if STAGE_SEPARATOR in stage and not kind:
            data = data.copy()
            data["kind"] = split_stage(stage)[0]  # the kind menu says what is filtered too
            return data
        if not stage or STAGE_SEPARATOR in stage:
            return data
        kinds = [k for k, procedure in PROCEDURES.items() if stage in procedure.codes]
        chosen = kind if kind in kinds else (kinds[0] if len(kinds) == 1 and not kind else "")
        if not chosen:
            return data
        data = data.copy()
        data["stage"] = f"{chosen}{STAGE_SEPARATOR}{stage}"
        return data

    def clean(self):
        cleaned = super().clean()
        stage_kind, _code = split_stage(cleaned.get("stage") or "")
        if stage_kind and cleaned.get("kind") and cleaned["kind"] != stage_kind:
            self.add_error("stage", _("所选阶段不属于所选协商类别。"))
        return cleaned

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        filters = {key: value for key, value in self.cleaned_data.items() if value}
        if "stage" in filters:
            kind, filters["stage"] = split_stage(filters["stage"])
            if kind:
                filters["kind"] = kind
        return filters


class StaffMatterFilterForm(MatterFilterForm):
    """The staff list's filters: the public ones, and what the supervision figures count."""

    overdue = forms.BooleanField(label=_("只看阶段逾期"), required=False)
    missing_step = forms.BooleanField(label=_("只看缺少法定程序的重大决策"), required=False)
