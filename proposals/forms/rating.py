"""The author's rating form (满意度测评), answered through the personal link or entered by
the office from the paper form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Proposal


class RatingForm(forms.Form):
    result = forms.ChoiceField(
        label=_("测评结果"),
        choices=Proposal.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择测评结果。")},
    )
    comment = forms.CharField(
        label=_("意见（选填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wants_second_round = forms.BooleanField(
        label=_("要求二次办理"),
        required=False,
        help_text=_("测评为不满意时将自动启动二次办理；满意或基本满意但仍希望继续办理的，请勾选。"),
    )
