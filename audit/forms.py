from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput

from .models import Kind, Outcome


class TrailFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("事件类型"), required=False, choices=[("", _("全部类型")), *Kind.choices]
    )
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部结果")), *Outcome.choices]
    )
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    address = forms.CharField(label=_("来源地址"), required=False, max_length=45)
    since = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("请按“年-月-日”填写日期。")},
    )
    until = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("请按“年-月-日”填写日期。")},
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("结束日期不能早于开始日期。"))
        return cleaned
