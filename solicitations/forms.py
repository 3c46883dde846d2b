"""Forms of the staff's argumentation pages: a new argumentation, an expert for the panel,
the recusal declaration, a signed opinion and completion. Each only collects what the
user typed; the service decides and says why it refuses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matters.models import DraftVersion
from participation.models import Participant

from .models import HEADINGS, Argumentation, Conclusion


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
