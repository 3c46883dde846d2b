"""Forms of the staff's argumentation pages: a new argumentation, an expert for the panel,
the recusal declaration, a signed opinion and completion. Each only collects what the
user typed; the service decides and says why it refuses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from matters.models import DraftVersion
from participation.models import Participant

from .models import HEADINGS, Argumentation, Conclusion


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages={"required": _("请填写%(label)s。") % {"label": label}},
    )


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [part for part in (obj.affiliation, obj.expertise) if part]
        return f"{obj.name}（{'，'.join(parts)}）" if parts else obj.name


class DraftChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ArgumentationForm(forms.Form):
    title = forms.CharField(
        label=_("论证名称"),
        max_length=200,
        error_messages={"required": _("请填写论证名称。")},
    )
    form = forms.ChoiceField(
        label=_("论证方式"),
        choices=Argumentation.Form.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择论证方式。")},
    )
    held_on = _date_field(_("论证日期"), _("论证会召开或书面论证截止的日期。"))
    draft = DraftChoiceField(
        label=_("论证的草案版本"),
        queryset=DraftVersion.objects.none(),
        required=False,
        empty_label=_("（不指定）"),
        help_text=_("选填：专家论证所依据的本事项草案版本。"),
    )

    def __init__(self, *args, drafts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if drafts is not None:
            self.fields["draft"].queryset = drafts


class ExpertAddForm(forms.Form):
    participant = ExpertChoiceField(
        label=_("专家"),
        queryset=Participant.objects.none(),
        empty_label=_("（请选择）"),
        help_text=_("参与主体库“专家”类别中启用的、尚未入选本次论证的专家。"),
        error_messages={
            "required": _("请选择专家。"),
            "invalid_choice": _("所选专家不可用，请重新选择。"),
        },
    )

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participants is not None:
            self.fields["participant"].queryset = participants


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("回避声明"),
        choices=[("no", _("无利害关系")), ("yes", _("存在利害关系，回避"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        error_messages={"required": _("请选择回避声明。")},
    )
    note = forms.CharField(
        label=_("利害关系说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("存在利害关系的，须说明情况。"),
    )


class OpinionForm(forms.Form):
    necessity = forms.CharField(label=HEADINGS[0][1], required=False, widget=forms.Textarea)
    legality = forms.CharField(label=HEADINGS[1][1], required=False, widget=forms.Textarea)
    feasibility = forms.CharField(label=HEADINGS[2][1], required=False, widget=forms.Textarea)
    benefits = forms.CharField(label=HEADINGS[3][1], required=False, widget=forms.Textarea)
    conditions = forms.CharField(label=HEADINGS[4][1], required=False, widget=forms.Textarea)
    conclusion = forms.ChoiceField(
        label=_("论证结论"),
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    signed_on = forms.DateField(
        label=_("签名日期"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        required=False,
        error_messages={"invalid": _("请按“年-月-日”填写签名日期。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _label in HEADINGS:
            self.fields[name].widget.attrs.update(rows=4)
            self.fields[name].required = False


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("专家组论证意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("综合各位专家意见形成的专家组意见。"),
    )
    conclusion = forms.ChoiceField(
        label=_("专家组结论"),
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        required=False,
    )


# Letters of solicitation (书面征求意见).


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class LetterForm(forms.Form):
    period = PeriodChoiceField(
        label=_("所属征求意见"),
        queryset=None,
        empty_label=None,
        help_text=_(
            "书面反馈的意见登记在这次征求意见中，与网上意见一并处理，并在其采纳情况中公开。"
        ),
        error_messages={"required": _("请选择所属征求意见。")},
    )
    title = forms.CharField(
        label=_("函件标题"), max_length=200, error_messages={"required": _("请填写函件标题。")}
    )
    reference_number = forms.CharField(
        label=_("文号"),
        max_length=60,
        required=False,
        help_text=_("例如：青交函〔2026〕12号。"),
    )
    body = forms.CharField(
        label=_("函件正文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("请填写函件正文。")},
    )
    deadline = _date_field(_("反馈截止日期"), _("当日24时（北京时间）前反馈有效。"))
    contact_name = forms.CharField(
        label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人。")}
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=30, error_messages={"required": _("请填写联系电话。")}
    )
    deemed_no_opinion = forms.BooleanField(
        label=_("逾期未反馈的视为无意见"),
        required=False,
        help_text=_("函件中写明；截止日期后仍未反馈的主送单位和个人记为“视为无意见”。"),
    )

    def __init__(self, *args, periods=None, with_period=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_period:
            self.fields["period"].queryset = periods
        else:
            del self.fields["period"]


class DepartmentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AddresseesForm(forms.Form):
    role = forms.ChoiceField(
        label=_("送达方式"),
        choices=[("main", _("主送")), ("copy", _("抄送"))],
        initial="main",
        widget=forms.RadioSelect,
    )
    departments = DepartmentChoices(
        label=_("部门和区市政府"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("单位通过平台反馈：本单位工作人员起草，单位负责人签发。可按住 Ctrl 多选。"),
    )
    participants = forms.TypedMultipleChoiceField(
        label=_("参与主体库中的单位和个人"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("按类别分组。有电子邮箱的，通过个人链接反馈；没有的，书面回函由本部门录入。"),
    )
    categories = forms.MultipleChoiceField(
        label=_("按类别全部选择"),
        choices=Participant.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, departments=None, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments
        self.participant_queryset = participants
        # Grouped by category, in the registry's order of categories.
        order = {value: n for n, value in enumerate(Participant.Category.values)}
        groups: dict[str, list] = {}
        for participant in participants:
            detail = participant.affiliation or participant.expertise
            label = f"{participant.name}（{detail}）" if detail else participant.name
            if not participant.email:
                label = _("%(label)s · 无电子邮箱") % {"label": label}
            groups.setdefault(participant.category, []).append((participant.pk, label))
        self.fields["participants"].choices = [
            (Participant.Category(category).label, groups[category])
            for category in sorted(groups, key=order.__getitem__)
        ]

    def clean_participants(self):
        chosen = self.cleaned_data["participants"]
        return list(self.participant_queryset.filter(pk__in=chosen)) if chosen else []


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("反馈意见"),
        choices=[("opinions", _("有意见")), ("none", _("无意见"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“有意见”或“无意见”。")},
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("选填。"),
    )


class AnswerItemForm(forms.Form):
    article = forms.CharField(
        label=_("涉及条款或章节"), max_length=100, required=False, help_text=_("例如：第十二条。")
    )
    content = forms.CharField(
        label=_("意见内容"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


AnswerItemFormSet = forms.formset_factory(AnswerItemForm, extra=0, min_num=5, max_num=50)


class SignerForm(forms.Form):
    signer_name = forms.CharField(
        label=_("签名"),
        max_length=100,
        help_text=_("个人填写姓名；单位填写单位名称。"),
        error_messages={"required": _("请填写签名（姓名或单位名称）。")},
    )


class PaperAnswerForm(SignerForm):
    received_on = _date_field(_("收到日期"), _("书面回函送达本部门的日期，用于判断是否逾期。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_name"].required = False
        self.fields["signer_name"].help_text = _("回函的署名；不填则为对象名称。")
