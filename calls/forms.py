"""Forms of the public-call pages. Each only collects what the user typed; the service
decides and says why it refuses."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from annual_plans.models import PlanItem
from core.uploads import check_upload
from core.widgets import DateInput, DateTimeInput, MultipleFileField
from matters.models import Matter, PolicyArea
from participation.public_forms import PublicForm

from .models import Call, Submission

MAX_TEXT = 5000


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = ["kind", "title", "year", "scope", "guidance", "starts_at", "ends_at"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "guidance": forms.Textarea(attrs={"rows": 6}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
        }
        error_messages = {
            "title": {"required": _("请填写征集标题。")},
            "year": {"required": _("请填写征集年度。"), "invalid": _("年度须为四位数字。")},
            "scope": {"required": _("请填写征集范围。")},
            "guidance": {"required": _("请填写征集说明。")},
            "starts_at": {"required": _("请填写开始时间。"), "invalid": _("请填写有效的时间。")},
            "ends_at": {"required": _("请填写截止时间。"), "invalid": _("请填写有效的时间。")},
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("年度须为四位数字，例如 2027。"))
        return year

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("截止时间须晚于开始时间。"))
        return cleaned


class SubmissionForm(PublicForm):
    """The public form."""

    title = forms.CharField(
        label=_("建议题目"),
        max_length=200,
        error_messages={
            "required": _("请填写建议题目。"),
            "max_length": _("建议题目不能超过%(limit_value)d个字。"),
        },
    )
    reasons = forms.CharField(
        label=_("理由和依据"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("为什么需要就此协商或立法：现状、问题和依据。不超过5000字。"),
        error_messages={
            "required": _("请填写理由和依据。"),
            "max_length": _("理由和依据不能超过%(limit_value)d个字（现有%(show_value)d个字）。"),
        },
    )
    measures = forms.CharField(
        label=_("建议措施（选填）"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("建议措施不能超过%(limit_value)d个字（现有%(show_value)d个字）。")
        },
    )
    policy_area = forms.ModelChoiceField(
        label=_("政策领域（选填）"),
        queryset=PolicyArea.objects.all(),
        required=False,
        empty_label=_("（不选）"),
    )
    author_name = forms.CharField(
        label=_("署名（选填）"),
        max_length=50,
        required=False,
        help_text=_("署名不会公开显示。"),
    )
    files = MultipleFileField(
        label=_("附件（选填）"),
        required=False,
        help_text=_(
            "可附PDF、Word、Excel、JPEG或PNG文件，最多%(count)d个，"
            "每个不超过%(mb)d MB。附件不会公开。"
        ),
    )
    field_order = [
        "title",
        "reasons",
        "measures",
        "policy_area",
        "author_name",
        "contact",
        "files",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The server says how long a text was, and the text stays in the form.
        for name in ("reasons", "measures"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["files"].help_text = self.fields["files"].help_text % {
            "count": settings.PORTAL_CALL_MAX_FILES,
            "mb": settings.PORTAL_MAX_UPLOAD_MB,
        }

    def clean_files(self):
        """Each file is checked here so that its error shows beside the field (the service
        checks again); a browser cannot keep chosen files, so the message asks again."""
        files = self.cleaned_data["files"]
        limit = settings.PORTAL_CALL_MAX_FILES
        if len(files) > limit:
            raise ValidationError(_("附件最多%(limit)d个，请重新选择。") % {"limit": limit})
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as error:
                raise ValidationError(
                    _("附件“%(name)s”：%(error)s请重新选择。")
                    % {"name": upload.name, "error": error.messages[0]}
                ) from None
        return files


class LinkSubmissionForm(SubmissionForm):
    """The form behind an invited participant's personal link: signed with the registry's
    name, which also holds the contact; no honeypot (the link is the credential)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("author_name", "contact", "website"):
            del self.fields[name]

    @property
    def is_spam(self) -> bool:
        return False


class PaperSubmissionForm(SubmissionForm):
    received_on = forms.DateField(
        label=_("收到日期"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("请填写收到日期。"),
            "invalid": _("请按“年-月-日”填写收到日期。"),
        },
    )
    field_order = ["received_on", *SubmissionForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["author_name"].help_text = ""
        self.fields["files"].label = _("附件（选填，如来信扫描件）")


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        department = obj.plan.department.short_name or obj.plan.department.name
        return f"{department}：{obj.order}. {obj.title}"


class MatterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} {obj.title}"


class SubmissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.receipt} {obj.title}"


class ScreenForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("遴选结果"),
        choices=[c for c in Submission.Outcome.choices if c[0] != Submission.Outcome.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择遴选结果。")},
    )
    plan_item = ItemChoiceField(
        label=_("纳入的目录事项"),
        queryset=PlanItem.objects.none(),
        required=False,
        empty_label=_("（不选）"),
        help_text=_("采纳时选择纳入的年度计划目录事项，或下面的协商事项。"),
    )
    matter = MatterChoiceField(
        label=_("纳入的协商事项"),
        queryset=Matter.objects.none(),
        required=False,
        empty_label=_("（不选）"),
    )
    merged_into = SubmissionChoiceField(
        label=_("合并到"),
        queryset=Submission.objects.none(),
        required=False,
        empty_label=_("（不选）"),
        help_text=_("合并时选择同一征集中内容相同或相近的建议。"),
    )
    transferred_to = forms.ModelChoiceField(
        label=_("转交单位"),
        queryset=Department.objects.filter(is_active=True).order_by("sort_order", "code"),
        required=False,
        empty_label=_("（不选）"),
    )
    note = forms.CharField(
        label=_("遴选说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("不予采纳的必须写明理由；遴选结果公布后，说明随结果向建议人公开。"),
    )

    def __init__(self, *args, submission: Submission, items, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = items
        self.fields["matter"].queryset = matters
        self.fields["merged_into"].queryset = (
            submission.call.submissions.exclude(pk=submission.pk)
            .exclude(outcome=Submission.Outcome.MERGED)
            .order_by("submitted_at", "pk")
        )


class ResultsForm(forms.Form):
    summary = forms.CharField(
        label=_("遴选结果说明"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("向社会公布：征集和遴选的过程，采纳的议题或项目，以及后续安排。"),
        error_messages={"required": _("请填写遴选结果说明。")},
    )
