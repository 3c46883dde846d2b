"""Forms of the general office's pages: intake, import, assignment, extensions, paper
ratings, delivery, further rounds, closing and the third-party evaluation."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from matters.models import PolicyArea
from participation.models import Participant

from .. import services
from ..models import CoDepartment, Proposal
from .rating import RatingForm
from .staff import DateInput, StaffFilterForm


def handling_departments():
    """The departments that may lead or co-handle an item (never the general office)."""
    return (
        Department.objects.filter(is_active=True)
        .exclude(kind=Department.Kind.GENERAL_OFFICE)
        .order_by("sort_order", "code")
    )


def author_label(participant: Participant) -> str:
    # The name and the affiliation: two deputies may share a name. Never the phone.
    if participant.affiliation:
        return f"{participant.name} · {participant.affiliation}"
    return participant.name


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return author_label(obj)


class ParticipantMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = ParticipantChoiceField.label_from_instance


class OfficeFilterForm(StaffFilterForm):
    """The office's list: the department list's filters, and the status and the lead
    department."""

    status = forms.ChoiceField(
        label=_("办理状态"),
        required=False,
        choices=[("", _("全部状态")), *Proposal.Status.choices],
    )
    department = forms.ModelChoiceField(
        label=_("主办单位"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("全部单位"),
    )
    field_order = ["year", "kind", "status", "department", "q"]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, years=years, **kwargs)
        self.fields["department"].queryset = handling_departments()


class ProposalForm(forms.Form):
    """Register an item, or correct its registration."""

    kind = forms.ChoiceField(label=_("类别"), choices=Proposal.Kind.choices)
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("请填写年度。"), "invalid": _("年度须为四位数字。")},
    )
    number = forms.CharField(
        label=_("编号"),
        max_length=20,
        help_text=_("大会或政协交来的编号，例如 0123。"),
        error_messages={"required": _("请填写编号。")},
    )
    session = forms.CharField(
        label=_("届次会议"),
        max_length=100,
        required=False,
        help_text=_("例如：市十七届人大三次会议。"),
    )
    source = forms.ChoiceField(label=_("提出时间"), choices=Proposal.Source.choices)
    title = forms.CharField(
        label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")}
    )
    body = forms.CharField(
        label=_("内容"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("请填写内容。")},
    )
    policy_area = forms.ModelChoiceField(
        label=_("政策领域"),
        required=False,
        queryset=PolicyArea.objects.all(),
        empty_label=_("（不指定）"),
    )
    lead_author = ParticipantChoiceField(
        label=_("领衔提出人"),
        queryset=Participant.objects.none(),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择领衔提出人。")},
        help_text=_("从参与主体库中选择：建议为人大代表，提案为政协委员或党派、团体。"),
    )
    co_signers = ParticipantMultipleChoiceField(
        label=_("联名提出人"),
        required=False,
        queryset=Participant.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可多选（按住 Ctrl 或 Command 键）。"),
    )
    is_public = forms.BooleanField(label=_("可以公开"), required=False, initial=True)
    is_key = forms.BooleanField(label=_("重点建议提案"), required=False)
    leading_leader = forms.CharField(
        label=_("领办市领导"),
        max_length=50,
        required=False,
        help_text=_("重点建议提案由市领导领办时填写。"),
    )
    attachment = forms.FileField(
        label=_("附件"), required=False, help_text=_("可选：PDF、Word、Excel 或图片，一次一个。")
    )
    attachment_title = forms.CharField(label=_("附件名称"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every_author_category = set().union(*services.AUTHOR_CATEGORIES.values())
        authors = Participant.objects.filter(
            is_active=True, category__in=every_author_category
        ).order_by("category", "name", "pk")
        self.fields["lead_author"].queryset = authors
        self.fields["co_signers"].queryset = authors
        # Shown grouped by category (人大代表, 政协委员, 民主党派, …) in the registry's order;
        # the answer is still checked against the queryset.
        groups = {label: [] for value, label in Participant.Category.choices}
        for participant in authors:
            groups[participant.get_category_display()].append(
                (participant.pk, author_label(participant))
            )
        grouped = [(label, options) for label, options in groups.items() if options]
        self.fields["lead_author"].choices = [("", _("请选择")), *grouped]
        self.fields["co_signers"].choices = grouped
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        lead = cleaned.get("lead_author")
        co_signers = list(cleaned.get("co_signers") or [])
        if kind and lead:
            allowed = services.AUTHOR_CATEGORIES[kind]
            for participant in (lead, *co_signers):
                if participant.category not in allowed:
                    self.add_error(
                        "lead_author" if participant == lead else "co_signers",
                        _("%(name)s是%(category)s，不能作为%(kind)s的提出人。")
                        % {
                            "name": participant.name,
                            "category": participant.get_category_display(),
                            "kind": Proposal.Kind(kind).label,
                        },
                    )
            if lead in co_signers:
                self.add_error("co_signers", _("领衔提出人不能同时列为联名提出人。"))
        if cleaned.get("leading_leader") and not cleaned.get("is_key"):
            self.add_error("is_key", _("市领导领办的应为重点建议提案。"))
        return cleaned

    FIELDS = (
        "kind",
        "year",
        "number",
        "session",
        "source",
        "title",
        "body",
        "policy_area",
        "is_public",
        "is_key",
        "leading_leader",
    )

    def proposal_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def proposal_initial(proposal: Proposal) -> dict:
    authors = list(proposal.authors.all())
    return {
        **{name: getattr(proposal, name) for name in ProposalForm.FIELDS},
        "lead_author": next((a.participant_id for a in authors if a.role == "lead"), None),
        "co_signers": [a.participant_id for a in authors if a.role != "lead"],
    }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        help_text=_("请使用下载的模板填写，第一行为表头。"),
        error_messages={"required": _("请选择要导入的文件。")},
    )


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("主办单位"),
        queryset=Department.objects.none(),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择主办单位。")},
    )
    assisting = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        required=False,
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可多选。协办单位向主办单位提出协办意见。"),
    )
    joint = forms.ModelMultipleChoiceField(
        label=_("会办单位"),
        required=False,
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可多选。会办单位与主办单位共同研究办理，并会签答复。"),
    )
    due_date = forms.DateField(
        label=_("答复期限"),
        widget=DateInput(),
        error_messages={"required": _("请填写答复期限。"), "invalid": _("请填写有效的日期。")},
    )
    is_key = forms.BooleanField(label=_("重点建议提案"), required=False)
    leading_leader = forms.CharField(label=_("领办市领导"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("department", "assisting", "joint"):
            self.fields[name].queryset = handling_departments()

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("department")
        assisting = set(cleaned.get("assisting") or [])
        joint = set(cleaned.get("joint") or [])
        if lead and (lead in assisting or lead in joint):
            self.add_error("department", _("主办单位不能同时是协办或会办单位。"))
        if assisting & joint:
            self.add_error("joint", _("同一单位不能既是协办单位又是会办单位。"))
        if cleaned.get("leading_leader") and not cleaned.get("is_key"):
            self.add_error("is_key", _("市领导领办的应为重点建议提案。"))
        return cleaned

    def co_departments(self) -> list:
        return [
            (department, CoDepartment.Role.ASSISTING)
            for department in self.cleaned_data["assisting"]
        ] + [(department, CoDepartment.Role.JOINT) for department in self.cleaned_data["joint"]]


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("approve", _("同意延期")), ("refuse", _("不同意"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审批结果。")},
    )
    note = forms.CharField(
        label=_("审批意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意时必须填写理由。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("不同意延期时请填写理由。"))
        return cleaned


class PaperRatingForm(RatingForm):
    """An author's rating from the paper form (纸质测评表): the link's form, and whose."""

    rating = forms.TypedChoiceField(
        label=_("提出人"), coerce=int, error_messages={"required": _("请选择提出人。")}
    )
    field_order = ["rating", "result", "comment", "wants_second_round"]

    def __init__(self, *args, ratings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [
            (rating.pk, rating.author.participant.name) for rating in ratings
        ]


class DeliveryForm(forms.Form):
    to = forms.ChoiceField(
        label=_("送达对象"),
        choices=[
            ("authors", _("提出人")),
            ("body", _("交办机构")),
            ("office", _("市政府办公厅")),
        ],
        error_messages={"required": _("请选择送达对象。")},
    )

    def __init__(self, *args, reply=None, **kwargs):
        super().__init__(*args, **kwargs)
        if reply is not None:
            # Only the recipients it has not reached yet; the body by its name.
            names = {"body": reply.proposal.transferred_by}
            self.fields["to"].choices = [
                (key, names.get(key, label))
                for key, label in self.fields["to"].choices
                if not getattr(reply, services.DELIVERY_FIELDS[key])
            ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写理由。")},
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class EvaluationForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("评估结论"),
        choices=Proposal.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评估结论。")},
    )
    panel = forms.CharField(
        label=_("评估机构"), max_length=200, error_messages={"required": _("请填写评估机构。")}
    )
    evaluated_on = forms.DateField(
        label=_("评估日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写评估日期。"), "invalid": _("请填写有效的日期。")},
    )
    note = forms.CharField(
        label=_("评估意见"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
