from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from ..imports import MAX_BYTES, MAX_ROWS
from ..models import Participant


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("姓名、单位或专业领域")}),
    )
    category = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", _("全部类别")), *Participant.Category.choices],
    )
    active = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("yes", _("启用")), ("no", _("停用"))],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "q": self.cleaned_data["q"],
            "category": self.cleaned_data["category"],
            "active": self.cleaned_data["active"],
        }


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "name",
            "is_organisation",
            "category",
            "affiliation",
            "expertise",
            "phone",
            "email",
            "is_active",
        ]
        error_messages = {
            "name": {"required": _("请填写姓名或名称。")},
            "category": {"required": _("请选择类别。")},
            "email": {"invalid": _("请填写有效的电子邮箱。")},
        }

    def _post_clean(self):
        # Field checks only: the service checks name + affiliation and says so in Chinese.
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields)
            self.instance.full_clean(
                exclude=self._get_validation_exclusions(),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self._update_errors(error)


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("参与主体文件"),
        help_text=_(
            "CSV（UTF-8）或 Excel（.xlsx）文件，第一行为表头：姓名或名称、类别、单位或所属、"
            "专业领域、联系电话、电子邮箱、组织(是/否)。文件不超过 %(mb)d MB、%(rows)d 行；"
            "任何一行有错误时不导入任何数据。"
        )
        % {"mb": MAX_BYTES // (1024 * 1024), "rows": MAX_ROWS},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": _("请选择要导入的文件。")},
    )
