"""Forms of the staff's survey pages: the list's filters, the survey's settings, a page, a
question with its type's settings, the panel invitation, cancelling and voiding."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateTimeInput
from matters.models import Matter
from participation.forms.invitations import RegistryInviteForm

from ..models import Question, Response, Survey
from ..questions import CHOICE_KINDS
from ..services import EDITABLE_WHEN_PUBLISHED, QuestionInput

OTHER_LABEL = _("其他（请注明）")


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


class SurveyFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Survey.Status.choices]
    )
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    matter = forms.TypedChoiceField(
        label=_("协商事项"), required=False, coerce=int, empty_value=None
    )
    department = forms.TypedChoiceField(
        label=_("组织单位"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, years=(), matters=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (str(y), _("%(year)d年") % {"year": y}) for y in years
        ]
        self.fields["matter"].choices = [("", _("全部事项"))] + [
            (str(m.pk), m.title) for m in matters
        ]
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].choices = [("", _("全部单位"))] + [
                (str(d.pk), d.name) for d in departments
            ]

    def value(self, name):
        if not self.is_bound or name not in self.fields:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None


class SurveyForm(forms.Form):
    """A new survey's settings, or a survey's settings changed (once published, only the
    fields ``survey_update`` still accepts are offered)."""

    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(
        label=_("形式"),
        choices=Survey.Kind.choices,
        initial=Survey.Kind.QUESTIONNAIRE,
        help_text=_("民意测验只有一道单选题或多选题，显示在事项页面上。"),
    )
    matter = forms.ModelChoiceField(
        label=_("协商事项"),
        queryset=Matter.objects.none(),
        required=False,
        empty_label=_("（不属于某一事项的社情民意调查）"),
    )
    introduction = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("向填写人说明调查目的、用途和个人信息的处理方式。"),
    )
    opens_at = _datetime_field(_("开始时间"), _("北京时间，例如 2027-03-01 09:00。"))
    closes_at = _datetime_field(_("结束时间"))
    audience = forms.ChoiceField(
        label=_("调查对象"), choices=Survey.Audience.choices, initial=Survey.Audience.PUBLIC
    )
    one_response_per_person = forms.BooleanField(
        label=_("每人限答一次"),
        required=False,
        initial=True,
        help_text=Survey._meta.get_field("one_response_per_person").help_text,
    )
    results_shown = forms.ChoiceField(
        label=_("结果公开"),
        choices=Survey.ResultsShown.choices,
        initial=Survey.ResultsShown.AFTER_CLOSE,
    )
    allow_resume = forms.BooleanField(
        label=_("允许保存后继续填写"),
        required=False,
        help_text=Survey._meta.get_field("allow_resume").help_text,
    )

    def __init__(self, *args, matters=None, survey: Survey | None = None, **kwargs):
        if survey is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(survey, name)
                    for name in (
                        "title",
                        "kind",
                        "introduction",
                        "opens_at",
                        "closes_at",
                        "audience",
                        "one_response_per_person",
                        "results_shown",
                        "allow_resume",
                    )
                },
            )
        super().__init__(*args, **kwargs)
        if survey is not None:
            # The kind and the matter are chosen once, when the survey is created.
            del self.fields["kind"], self.fields["matter"]
            if survey.published_at is not None:
                for name in list(self.fields):
                    if name not in EDITABLE_WHEN_PUBLISHED:
                        del self.fields[name]
        elif matters is not None:
            self.fields["matter"].queryset = matters

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("结束时间必须晚于开始时间。"))
        return data


class SectionForm(forms.Form):
    title = forms.CharField(label=_("页标题"), max_length=200, required=False)
    description = forms.CharField(
        label=_("页说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _plain(value: Decimal | None):
    """A bound as stored in the JSON settings: an int when whole, else a string."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else str(value)


class QuestionForm(forms.Form):
    """A question and the settings of its type; fields of other types are ignored."""

    kind = forms.ChoiceField(label=_("题型"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("题目"), max_length=500)
    help_text = forms.CharField(label=_("填写说明"), max_length=500, required=False)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    section = forms.TypedChoiceField(label=_("所在页"), coerce=int)
    options = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("单选、多选、矩阵和排序题：每行一个选项。"),
    )
    add_other = forms.BooleanField(
        label=_("最后加一项“其他（请注明）”"),
        required=False,
        help_text=_("单选题和多选题：选择此项的填写人须注明具体内容。"),
    )
    min_picks = forms.IntegerField(label=_("最少选择"), required=False, min_value=1)
    max_picks = forms.IntegerField(label=_("最多选择"), required=False, min_value=1)
    scale_min = forms.IntegerField(
        label=_("最低分"), required=False, initial=1, min_value=0, max_value=10
    )
    scale_max = forms.IntegerField(
        label=_("最高分"), required=False, initial=5, min_value=0, max_value=10
    )
    low_label = forms.CharField(
        label=_("最低分含义"), max_length=40, required=False, help_text=_("例如：很不满意")
    )
    high_label = forms.CharField(
        label=_("最高分含义"), max_length=40, required=False, help_text=_("例如：很满意")
    )
    rows = forms.CharField(
        label=_("矩阵行"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("矩阵题：每行一项，各行使用相同的选项。"),
    )
    rank_count = forms.IntegerField(
        label=_("排出前几名"),
        required=False,
        min_value=1,
        help_text=_("排序题：留空则为全部选项排序。"),
    )
    minimum = forms.DecimalField(label=_("最小值"), required=False, max_digits=18, decimal_places=2)
    maximum = forms.DecimalField(label=_("最大值"), required=False, max_digits=18, decimal_places=2)
    decimals = forms.BooleanField(label=_("允许两位小数"), required=False)
    unit = forms.CharField(
        label=_("单位"), max_length=20, required=False, help_text=_("例如：万元")
    )
    long = forms.BooleanField(
        label=_("多行长文本"), required=False, help_text=_("填空题：可填写2000字，否则200字。")
    )
    shown_if = forms.TypedChoiceField(
        label=_("显示条件"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("仅当前面某道选择题选了此项时才显示本题。"),
    )

    def __init__(
        self, *args, sections=(), conditions=(), question: Question | None = None, **kwargs
    ):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = question_initial(question)
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, str(s)) for s in sections]
        self.fields["shown_if"].choices = [("", _("（始终显示）"))] + [
            (pk, label) for pk, label in conditions
        ]
        self.condition_ids = {pk for pk, _label in conditions}

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = _lines(data.get("options", ""))
        if (
            kind in (*CHOICE_KINDS, "matrix", "ranking")
            and len(options) + bool(kind in CHOICE_KINDS and data.get("add_other")) < 2
        ):
            self.add_error("options", _("请至少填写两个选项，每行一个。"))
        if kind == "matrix" and not _lines(data.get("rows", "")):
            self.add_error("rows", _("请至少填写一行。"))
        if kind == "rating":
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is None or high is None:
                self.add_error("scale_max", _("请填写最低分和最高分。"))
            elif low >= high:
                self.add_error("scale_max", _("最高分须大于最低分。"))
        if kind == "multiple":
            low, high = data.get("min_picks"), data.get("max_picks")
            if low and high and low > high:
                self.add_error("max_picks", _("最多选择数不能少于最少选择数。"))
        if kind == "number":
            low, high = data.get("minimum"), data.get("maximum")
            if low is not None and high is not None and low >= high:
                self.add_error("maximum", _("最大值须大于最小值。"))
        return data

    def to_input(self, shown_if=None) -> QuestionInput:
        data = self.cleaned_data
        kind = data["kind"]
        settings: dict = {}
        options: list[tuple[str, bool]] = []
        rows: list[str] = []
        if kind in (*CHOICE_KINDS, "matrix", "ranking"):
            options = [(label, False) for label in _lines(data["options"])]
        if kind in CHOICE_KINDS and data.get("add_other"):
            label = str(OTHER_LABEL)
            options = [o for o in options if o[0] != label] + [(label, True)]
        if kind == "multiple":
            for name in ("min_picks", "max_picks"):
                if data.get(name):
                    settings[name] = data[name]
        elif kind == "text":
            if data.get("long"):
                settings["long"] = True
        elif kind == "rating":
            settings["scale_min"] = data["scale_min"]
            settings["scale_max"] = data["scale_max"]
            for name in ("low_label", "high_label"):
                if data.get(name):
                    settings[name] = data[name].strip()
        elif kind == "matrix":
            rows = _lines(data["rows"])
        elif kind == "ranking":
            if data.get("rank_count"):
                settings["rank_count"] = data["rank_count"]
        elif kind == "number":
            for name in ("minimum", "maximum"):
                if data.get(name) is not None:
                    settings[name] = _plain(data[name])
            if data.get("decimals"):
                settings["decimals"] = 2
            if data.get("unit"):
                settings["unit"] = data["unit"].strip()
        return QuestionInput(
            kind=kind,
            text=data["text"],
            help_text=data.get("help_text", ""),
            required=bool(data.get("required")),
            settings=settings,
            options=options,
            rows=rows,
            shown_if=shown_if,
        )


def question_initial(question: Question) -> dict:
    settings = question.settings or {}
    choices = [o for o in question.options.all() if not o.is_row]
    initial = {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "section": question.section_id,
        "options": "\n".join(o.label for o in choices if not o.is_other),
        "add_other": any(o.is_other for o in choices),
        "rows": "\n".join(o.label for o in question.options.all() if o.is_row),
        "shown_if": question.shown_if_id,
        "long": bool(settings.get("long")),
        "decimals": bool(settings.get("decimals")),
    }
    for name in (
        "min_picks",
        "max_picks",
        "scale_min",
        "scale_max",
        "low_label",
        "high_label",
        "rank_count",
        "minimum",
        "maximum",
        "unit",
    ):
        if name in settings:
            initial[name] = settings[name]
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class PanelInviteForm(RegistryInviteForm):
    """Whom to invite to answer by a personal link."""


class ResponseFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部渠道")), *Response.Channel.choices]
    )
    suspected = forms.ChoiceField(
        label=_("疑似重复"),
        required=False,
        choices=[("", _("全部答卷")), ("1", _("仅疑似重复")), ("void", _("仅已作废"))],
    )

    def value(self, name):
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None


QUESTION_GROUPS = (
    (None, ("kind", "text", "help_text", "required", "section")),
    (_("选项（单选、多选、矩阵、排序题）"), ("options", "add_other", "min_picks", "max_picks")),
    (_("量表题"), ("scale_min", "scale_max", "low_label", "high_label")),
    (_("矩阵题"), ("rows",)),
    (_("排序题"), ("rank_count",)),
    (_("数值题"), ("minimum", "maximum", "decimals", "unit")),
    (_("填空题"), ("long",)),
    (_("显示条件"), ("shown_if",)),
)


def question_groups(form: QuestionForm) -> list[tuple]:
    """The question form's fields in groups, each type's settings under its own legend."""
    return [
        (legend, [form[name] for name in names if name in form.fields])
        for legend, names in QUESTION_GROUPS
    ]
