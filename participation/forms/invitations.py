"""Forms of invitations (staff), invitation replies and hearing registrations (public)."""

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DateTimeInput

from ..models import Invitation, Participant, Registration


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        label = f"{obj.name}（{obj.get_category_display()}）"
        if obj.affiliation:
            label += f" · {obj.affiliation}"
        return label


class RegistryInviteForm(forms.Form):
    """Whom to invite from the registry: chosen participants and/or whole categories (an
    activity's invitations and a survey's panel)."""

    participants = ParticipantChoiceField(
        label=_("逐个邀请"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("按住 Ctrl 键可多选。"),
    )
    categories = forms.MultipleChoiceField(
        label=_("按类别邀请"),
        choices=Participant.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("邀请所选类别中全部启用的参与主体；已邀请的不会重复邀请。"),
    )

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participants is not None:
            self.fields["participants"].queryset = participants

    def clean(self):
        data = super().clean()
        if not data.get("participants") and not data.get("categories"):
            raise forms.ValidationError(_("请选择要邀请的参与主体或类别。"))
        return data


class InviteForm(RegistryInviteForm):
    reply_deadline = forms.DateTimeField(
        label=_("回复截止时间"),
        widget=DateTimeInput(),
        help_text=_("个人回复链接在此时间后失效；不得晚于活动开始时间。"),
    )


class ReplyForm(forms.Form):
    answer = forms.TypedChoiceField(
        label=_("您的回复"),
        choices=[("accept", _("接受邀请，按时参加")), ("decline", _("谢绝邀请"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "accept",
    )
    decline_reason = forms.CharField(
        label=_("谢绝原因（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如您谢绝，可简要说明原因，便于我们改进工作。"),
    )


class AttendanceForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        label=_("出席"), queryset=Invitation.objects.none(), required=False
    )

    def __init__(self, *args, invitations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if invitations is not None:
            self.fields["attended"].queryset = invitations


phone_validator = RegexValidator(
    r"^\+?[\d\s\-]{7,20}$", _("请输入有效的电话号码，例如 13800000000 或 0532-85911234。")
)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("仅用于工作人员联系您，不会公开。每个电话号码只能报名一次。"),
    )
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        help_text=_("填写后，遴选结果将通过电子邮件通知您；不会公开。"),
    )
    position = forms.ChoiceField(
        label=_("您的观点"), choices=Registration.Position.choices, widget=forms.RadioSelect
    )
    statement = forms.CharField(
        label=_("主要观点和理由（选填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ChooseForm(forms.Form):
    registrations = forms.ModelMultipleChoiceField(
        label=_("选定的听证代表"),
        queryset=Registration.objects.none(),
        error_messages={"required": _("请至少选定一名听证代表。")},
    )

    def __init__(self, *args, registrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if registrations is not None:
            self.fields["registrations"].queryset = registrations


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=_("随机种子（选填）"),
        required=False,
        max_length=64,
        help_text=_("留空则由系统生成随机种子。种子将公开，任何人都可据此复核抽选结果。"),
    )


def default_deadline(activity) -> str:
    """Two days before the activity, at most, as the form's suggestion."""
    suggestion = timezone.localtime(activity.starts_at) - datetime.timedelta(days=2)
    return suggestion.strftime("%Y-%m-%dT%H:%M")
