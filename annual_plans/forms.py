from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from matters.catalog_year import catalog_year_in_preparation
from matters.procedures import Kind, StepType

from .models import AnnualPlan
from .services import ItemData

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanStartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    copy_previous = forms.BooleanField(
        label=_("沿用上一年度目录中的事项"),
        required=False,
        help_text=_("复制上一年度的事项并顺延到本年度，可再逐项修改。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (year, _("%(year)d年度") % {"year": year}) for year in (this_year + 1, this_year)
        ]
        self.fields["year"].initial = catalog_year_in_preparation()


class PlanHeaderForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["contact_person", "contact_phone", "is_empty", "empty_reason"]
        widgets = {"empty_reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].required = True
        self.fields["contact_phone"].required = True
        self.fields["contact_person"].error_messages["required"] = _("请填写联系人。")
        self.fields["contact_phone"].error_messages["required"] = _("请填写联系电话。")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_empty") and not (cleaned.get("empty_reason") or "").strip():
            self.add_error("empty_reason", _("报送空目录须说明本年度无协商事项的原因。"))
        return cleaned


class ItemForm(forms.Form):
    title = forms.CharField(
        label=_("事项名称"), max_length=200, error_messages={"required": _("请填写事项名称。")}
    )
    # A blank first choice: the empty "add an item" row must post nothing, or the form set
    # takes it for a changed row and asks for its title.
    kind = forms.ChoiceField(
        label=_("协商类别"),
        choices=[("", _("请选择")), *Kind.choices],
        error_messages={"required": _("请选择协商类别。")},
    )
    consultation_forms = forms.MultipleChoiceField(
        label=_("拟采取的协商形式"),
        choices=StepType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种协商形式。")},
    )
    planned_start = forms.DateField(
        label=_("计划开始日期"),
        widget=DATE_INPUT,
        error_messages={"required": _("请填写计划开始日期。")},
    )
    planned_end = forms.DateField(
        label=_("计划完成日期"),
        widget=DATE_INPUT,
        error_messages={"required": _("请填写计划完成日期。")},
    )
    responsible_office = forms.CharField(
        label=_("责任处室"), max_length=100, error_messages={"required": _("请填写责任处室。")}
    )
    is_major_decision = forms.BooleanField(label=_("重大行政决策"), required=False)
    seeks_non_party_opinions = forms.BooleanField(label=_("征求党外人士意见"), required=False)

    def __init__(self, *args, year: int | None = None, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("计划完成日期不能早于计划开始日期。"))
        if self.year and start and start.year != self.year:
            self.add_error(
                "planned_start",
                _("计划开始日期应在%(year)d年内。") % {"year": self.year},
            )
        return cleaned

    def item_data(self) -> ItemData:
        data = self.cleaned_data
        return ItemData(
            title=data["title"].strip(),
            kind=data["kind"],
            forms=list(data["consultation_forms"]),
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            responsible_office=data["responsible_office"].strip(),
            is_major_decision=data["is_major_decision"],
            seeks_non_party_opinions=data["seeks_non_party_opinions"],
        )


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, year: int | None = None, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "year": self.year}

    def item_data(self) -> list[ItemData]:
        """The kept items in the order staff gave them (序号), blank extra rows skipped."""
        return [form.item_data() for form in self.ordered_forms]

    def _kept_forms(self):
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # the blank row for a new item, left blank
            if self._should_delete_form(form) or not form.cleaned_data:
                continue
            yield form

    def clean(self):
        super().clean()
        titles = [form.cleaned_data.get("title", "").strip() for form in self._kept_forms()]
        duplicates = {title for title in titles if titles.count(title) > 1}
        if duplicates:
            raise forms.ValidationError(
                _("目录中有重复的事项名称：%(titles)s。")
                % {"titles": "、".join(sorted(duplicates))}
            )


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=1, can_order=True, can_delete=True
)


def item_initial(items) -> list[dict]:
    return [
        {
            "title": item.title,
            "kind": item.kind,
            "consultation_forms": list(item.forms),
            "planned_start": item.planned_start,
            "planned_end": item.planned_end,
            "responsible_office": item.responsible_office,
            "is_major_decision": item.is_major_decision,
            "seeks_non_party_opinions": item.seeks_non_party_opinions,
            "ORDER": index,
        }
        for index, item in enumerate(items, start=1)
    ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("调整原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("申请年中调整必须说明原因。")},
    )


class CatalogFilterForm(forms.Form):
    department_kind = forms.ChoiceField(label=_("部门类别"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [
            choice
            for choice in Department.Kind.choices
            if choice[0] != Department.Kind.GENERAL_OFFICE
        ]
        self.fields["department_kind"].choices = [("", _("全部")), *kinds]
