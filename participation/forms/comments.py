from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.widgets import FastSelect
from matters.forms import year_filter_field

from ..models import CommentPeriod, Opinion
from ..public_forms import PublicForm
from ..selectors.supervision import UNDISPOSED
from ..services.comments import MAX_CONTENT

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommentPeriodForm(forms.ModelForm):
    class Meta:
        model = CommentPeriod
        fields = ["title", "description", "draft", "starts_at", "ends_at", "shortened_reason"]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
            "shortened_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "draft": _("只能选择本事项已公开的草案版本；不选则就事项本身征求意见。"),
            "shortened_reason": _(
                "法规规章草案和重大行政决策的征求意见期不少于30日；少于30日的须在此说明原因，"
                "原因将向社会公开。"
            ),
        }
        error_messages = {
            "title": {"required": _("请填写征求意见标题。")},
            "starts_at": {"required": _("请填写开始时间。"), "invalid": _("请填写有效的时间。")},
            "ends_at": {"required": _("请填写截止时间。"), "invalid": _("请填写有效的时间。")},
        }

    def __init__(self, *args, matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = matter.drafts.filter(is_published=True)
        self.fields["draft"].required = False
        self.fields["draft"].empty_label = _("（不指定草案版本）")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("截止时间必须晚于开始时间。"))
        return cleaned


class OpinionForm(PublicForm):
    """The public comment form."""

    content = forms.CharField(
        label=_("意见内容"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("不超过5000字。意见经审核后公开显示。"),
        error_messages={
            "required": _("请填写意见内容。"),
            "max_length": _("意见内容不能超过%(limit_value)d个字（现有%(show_value)d个字）。"),
        },
    )
    article = forms.CharField(
        label=_("涉及条款或章节（选填）"),
        max_length=100,
        required=False,
        help_text=_("例如：第十二条、第三章。"),
    )
    author_name = forms.CharField(
        label=_("署名（选填）"),
        max_length=50,
        required=False,
        help_text=_("署名将随意见公开显示；不愿公开的请留空。"),
    )
    field_order = ["content", "article", "author_name", "contact", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser must not cut the text at 5,000 characters silently: the server
        # says how long it was, and the text stays in the form.
        self.fields["content"].widget.attrs.pop("maxlength", None)


class OfflineOpinionForm(forms.ModelForm):
    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=[c for c in Opinion.Channel.choices if c[0] not in Opinion.RECORDED_ELSEWHERE],
    )

    class Meta:
        model = Opinion
        fields = ["channel", "received_on", "content", "article", "author_name", "contact"]
        widgets = {"received_on": DATE_INPUT, "content": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"contact": _("仅工作人员可见，不会公开显示。")}
        error_messages = {
            "content": {"required": _("请填写意见内容。")},
            "received_on": {"required": _("请填写收到日期。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].widget.attrs.pop("maxlength", None)
        self.fields["content"].error_messages["max_length"] = _(
            "意见内容不能超过%(limit_value)d个字（现有%(show_value)d个字）。"
        )


class OpinionFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部")), *Opinion.Channel.choices]
    )
    moderation = forms.ChoiceField(
        label=_("公开显示"),
        required=False,
        choices=[("", _("全部")), *Opinion.Moderation.choices],
    )
    disposition = forms.ChoiceField(
        label=_("处理结果"),
        required=False,
        choices=[("", _("全部")), *Opinion.Disposition.choices],
    )
    undisposed = forms.BooleanField(label=_("只看未处理"), required=False)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class PeriodFilterForm(forms.Form):
    """The staff list of comment periods, filtered as the supervision figures count them."""

    department = forms.ChoiceField(label=_("牵头部门"), required=False, widget=FastSelect)
    year = year_filter_field(_("事项年度"))
    report_overdue = forms.BooleanField(label=_("只看逾期未公开采纳情况"), required=False)
    channel = forms.ChoiceField(
        label=_("意见渠道"), required=False, choices=[("", _("全部")), *Opinion.Channel.choices]
    )
    disposition = forms.ChoiceField(
        label=_("处理结果"),
        required=False,
        choices=[("", _("全部")), *Opinion.Disposition.choices, (UNDISPOSED, _("未处理"))],
    )
    month = forms.DateField(
        label=_("收到意见月份"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("月份须写作“2026-03”的形式。")},
    )

    def __init__(self, *args, departments: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if departments:
            self.fields["department"].choices = [
                ("", _("全部")),
                *Department.objects.filter(is_active=True)
                .exclude(kind=Department.Kind.GENERAL_OFFICE)
                .values_list("code", "short_name"),
            ]
        else:  # a department reads only its own periods
            del self.fields["department"]

    def cleaned(self) -> dict:
        """The valid filters; an invalid one is left out and shown as an error."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in getattr(self, "cleaned_data", {}).items() if value}


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("", _("请选择")), *Opinion.Disposition.choices],
        error_messages={"required": _("请选择处理结果。")},
    )
    response = forms.CharField(
        label=_("答复和理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("“采纳”以外的处理结果须填写理由；同类意见可勾选后一并答复。"),
    )

    def clean(self):
        cleaned = super().clean()
        disposition = cleaned.get("disposition")
        if (
            disposition
            and disposition != Opinion.Disposition.ADOPTED
            and not (cleaned.get("response") or "").strip()
        ):
            self.add_error(
                "response",
                _("处理结果为“%(label)s”的，须填写答复和理由。")
                % {"label": Opinion.Disposition(disposition).label},
            )
        return cleaned


class FeedbackForm(forms.Form):
    summary = forms.CharField(
        label=_("意见采纳情况说明"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("概述征求意见的组织情况、意见的主要内容和采纳情况。公开后不能修改。"),
        error_messages={"required": _("请填写意见采纳情况说明。")},
    )
    # Publishing is final: an explicit tick, not one click (works without JavaScript).
    confirm = forms.BooleanField(
        label=_("我已核对以上统计和说明，确认向社会公开（公开后不能修改）"),
        error_messages={"required": _("请勾选确认：意见采纳情况说明公开后不能修改。")},
    )
