"""Forms of the departments' pages: the list's filters and each handling step's input."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.widgets import DateInput

from ..models import Contact, Proposal


def reply_class_choices() -> list[tuple[str, str]]:
    """The reply classes with their configured labels (``PORTAL_PROPOSAL_REPLY_CLASSES``)."""
    return [
        (code, settings.PORTAL_PROPOSAL_REPLY_CLASSES.get(code, label))
        for code, label in Proposal.ReplyClass.choices
    ]


def year_choices(years) -> list[tuple[str, str]]:
    return [("", _("全部年度"))] + [(str(year), _("%(year)d年") % {"year": year}) for year in years]


class StaffFilterForm(forms.Form):
    """The department list's filters (the tabs are links above them)."""

    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *Proposal.Kind.choices]
    )
    q = forms.CharField(
        label=_("编号或标题"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(years)

    def value(self, name):
        """A filter's value; the valid ones apply even when another is not."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请说明不属于本单位职责或建议调整交办的单位。"),
        error_messages={"required": _("请填写退回理由。")},
    )


class ContactForm(forms.Form):
    contacted_on = forms.DateField(
        label=_("联系日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写联系日期。"), "invalid": _("请填写有效的日期。")},
    )
    method = forms.ChoiceField(
        label=pgettext_lazy("contact", "联系方式"),
        choices=Contact.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择联系方式。")},
    )
    note = forms.CharField(
        label=_("沟通情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写沟通情况。")},
    )

    def clean_contacted_on(self):
        value = self.cleaned_data["contacted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("联系日期不能晚于今天。"))
        return value


class CoOpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("协办意见"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写协办意见。")},
    )


class ExtensionRequestForm(forms.Form):
    requested_due_date = forms.DateField(
        label=_("申请延期至"),
        widget=DateInput(),
        error_messages={
            "required": _("请填写申请延期的日期。"),
            "invalid": _("请填写有效的日期。"),
        },
    )
    reason = forms.CharField(
        label=_("延期理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写延期理由。")},
    )


class ReplyForm(forms.Form):
    document_number = forms.CharField(
        label=_("文号"),
        max_length=60,
        help_text=_("例如：青教建字〔2026〕12号。"),
        error_messages={"required": _("请填写文号。")},
    )
    body = forms.CharField(
        label=_("答复正文"),
        max_length=30000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("请填写答复正文。")},
    )
    reply_class = forms.ChoiceField(
        label=_("答复分类"),
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择答复分类。")},
    )
    contact_person = forms.CharField(
        label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人。")}
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=30, error_messages={"required": _("请填写联系电话。")}
    )
    copy_to = forms.CharField(
        label=_("抄送"),
        max_length=300,
        required=False,
        help_text=_("例如：市人大常委会代表工作委员会，市政府办公厅。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_class"].choices = reply_class_choices()


def reply_initial(reply) -> dict:
    if reply is None:
        return {}
    return {
        name: getattr(reply, name)
        for name in (
            "document_number",
            "body",
            "reply_class",
            "contact_person",
            "contact_phone",
            "copy_to",
        )
    }


def today() -> datetime.date:
    return timezone.localdate()
