"""The public list's filters (建议提案公开答复)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.search import MAX_QUERY_LENGTH
from core.widgets import FastSelect

from ..models import Proposal
from ..rules import public_proposals
from ..selectors import public_years


class PublicProposalFilterForm(forms.Form):
    """Bad values become form errors, shown beside the field; the list is then unfiltered."""

    q = forms.CharField(
        label=_("关键词或编号"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("在标题和内容中查找，也可输入编号，例如 0123。"),
        error_messages={
            "max_length": _("查找内容不能超过%(limit_value)d个字（现有%(show_value)d个字）。")
        },
    )
    kind = forms.ChoiceField(label=_("类别"), required=False, widget=FastSelect)
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    department = forms.ChoiceField(label=_("主办单位"), required=False, widget=FastSelect)
    reply_class = forms.ChoiceField(label=_("答复分类"), required=False, widget=FastSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["kind"].choices = everything + list(Proposal.Kind.choices)
        self.fields["year"].choices = everything + [
            (year, _("%(year)d年") % {"year": year}) for year in public_years()
        ]
        # The departments that lead a public item, in the portal's order.
        leading = public_proposals().order_by().values("lead_department_id")
        self.fields["department"].choices = everything + list(
            Department.objects.filter(pk__in=leading)
            .order_by("sort_order", "code")
            .values_list("code", "name")
        )
        self.fields["reply_class"].choices = everything + [
            (code, label) for code, label in settings.PORTAL_PROPOSAL_REPLY_CLASSES.items()
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value and key != "q"}

    def query(self) -> str:
        if not self.is_valid():
            return ""
        return self.cleaned_data["q"].strip()
