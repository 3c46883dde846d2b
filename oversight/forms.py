"""Forms of the 督办 pages. Each only collects what the user typed; the service decides
and says why it refuses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.widgets import DateInput

from .models import Order


def _due_field(*, required=True, help_text=""):
    return forms.DateField(
        label=_("办理时限"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        required=required,
        help_text=help_text,
        error_messages={
            "required": _("请填写办理时限。"),
            "invalid": _("请按“年-月-日”填写办理时限。"),
        },
    )


class OrderForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    requirement = forms.CharField(
        label=_("督办事项及要求"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明需要承办单位做什么、达到什么要求、如何报送办理情况。"),
        error_messages={"required": _("请写明督办事项及要求。")},
    )
    due_date = _due_field(help_text=_("承办单位应于当日24时前报送办理情况。"))


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("办理情况"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("写明采取的措施、取得的进展和下一步安排。由本单位负责人签发后报送办公厅。"),
        error_messages={"required": _("请填写办理情况。")},
    )


class DecideForm(forms.Form):
    DECISIONS = (("accept", _("认可，督办办结")), ("return", _("退回，重新办理")))
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核结论。")},
    )
    note = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("退回时必须写明理由和要求。"),
    )
    due_date = _due_field(
        required=False, help_text=_("退回时可重新确定办理时限；不填则沿用原时限。")
    )


class UrgeForm(forms.Form):
    note = forms.CharField(
        label=_("催办意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明催办意见。")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明撤销理由。")},
    )


class OrderFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("年度"), coerce=int, empty_value=None, required=False, choices=()
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Order.Status.choices], required=False
    )
    department = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=Department.objects.order_by("sort_order", "code"),
        required=False,
        empty_label=_("全部单位"),
    )
    overdue = forms.BooleanField(label=_("只看逾期未报送"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (str(year), _("%(year)d年") % {"year": year}) for year in years
        ]
