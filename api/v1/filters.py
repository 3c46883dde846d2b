"""Query parameters of the v1 lists (django-filter). Every parameter is validated: a bad
value is a 400 that names it (the DRF backend raises the form's errors), never a 500 and
never silently ignored.
"""

import copy
import datetime

import django_filters as filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod

from accounts.models import Department
from annual_plans.models import AnnualPlan, PlanItem
from calls.models import Call
from matters.models import Matter
from matters.procedures import Kind, all_stage_choices
from matters.selectors import matters_matching
from participation.models import Activity
from proposals.models import Proposal
from surveys.models import Survey

YEAR_MIN, YEAR_MAX = 1949, 2100


class SharedChoicesField(filters.fields.ChoiceField):
    """A choice field whose copies share its list of choices.

    A filter set deep-copies its filters and their form fields on every request; for the
    stage filter that meant copying the label of every stage of every procedure each
    time. The list is never changed after it is built, so sharing it is safe."""

    def __deepcopy__(self, memo):
        choices = self._choices
        self._choices = []
        try:
            result = super().__deepcopy__(memo)
        finally:
            self._choices = choices
        result._choices = choices
        result.widget.choices = choices
        return result


class SharedChoiceFilter(filters.ChoiceFilter):
    """A ChoiceFilter whose form field shares its choices (see SharedChoicesField)."""

    field_class = SharedChoicesField


class ShallowCopiedFilters(dict):
    """A filter set's ``base_filters``, of which django-filter takes a deep copy for every
    request (``FilterSet.__init__``), so that each request can set its filters' ``parent``
    and ``model``. Those two attributes are all a request changes on a filter: a shallow
    copy of each is enough, and saves the copy of every label, choice and lookup (a third
    of what the filters of a filtered API list cost). A ``method`` filter's ``filter`` is
    bound to the filter it was made for; the copy gets its own, bound to itself."""

    def __deepcopy__(self, memo):
        return {name: _copy_filter(filter_) for name, filter_ in self.items()}


def _copy_filter(filter_: filters.Filter) -> filters.Filter:
    copied = copy.copy(filter_)
    if isinstance(filter_.__dict__.get("filter"), FilterMethod):
        copied.filter = FilterMethod(copied)
    return copied


class PortalFilterSet(filters.FilterSet):
    """A filter set whose form class is built once per filter set, not per request:
    django-filter builds a new class with new fields every time, although they depend
    only on the declarations. Its filters are copied shallowly for each request
    (``ShallowCopiedFilters``)."""

    @classmethod
    def get_filters(cls):
        return ShallowCopiedFilters(super().get_filters())

    def get_form_class(self):
        owner = type(self)
        form_class = owner.__dict__.get("_portal_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            owner._portal_form_class = form_class
        return form_class


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0); anything else is an error rather than "no filter"."""

    TRUE = {"true", "1"}
    FALSE = {"false", "0"}
    default_error_messages = {"invalid": _("只能取 true 或 false。")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in self.TRUE:
            return True
        if lowered in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class InstantField(forms.Field):
    """An ISO 8601 date or date-time; a date or a time without offset is Asia/Shanghai."""

    default_error_messages = {
        "invalid": _("请使用 ISO 8601 格式，例如 2026-03-31 或 2026-03-31T23:59:59+08:00。")
    }

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().replace(" ", "+", 1) if "T" in str(value) else str(value)
        try:
            moment = parse_datetime(text)
            if moment is None:
                day = parse_date(text)
                if day is None:
                    raise ValueError
                moment = datetime.datetime.combine(day, datetime.time.min)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if not YEAR_MIN <= moment.year <= YEAR_MAX:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class InstantFilter(filters.CharFilter):
    field_class = InstantField


class DepartmentField(forms.CharField):
    """A department by id or by code; an unknown one is an error naming the value."""

    default_error_messages = {"unknown": _("没有编号或代码为“%(value)s”的部门。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        # isdigit() alone also accepts "²" and "①", which int() refuses.
        is_id = value.isascii() and value.isdigit() and len(value) < 18
        lookup = {"pk": int(value)} if is_id else {"code": value}
        department_id = Department.objects.filter(**lookup).values_list("pk", flat=True).first()
        if department_id is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            )
        return department_id


class DepartmentFilter(filters.CharFilter):
    field_class = DepartmentField


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**62)
        super().__init__(**kwargs)


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


def year_filter(field_name: str = "year") -> filters.NumberFilter:
    return YearFilter(
        field_name=field_name,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text=_("年度，例如 2026"),
    )


def department_filter(field_name: str) -> DepartmentFilter:
    return DepartmentFilter(
        field_name=field_name, help_text=_("部门编号或部门代码（如 sfj），见 /api/v1/departments/")
    )


class StableOrderingFilter(filters.OrderingFilter):
    """The requested order, then the id, so that pages neither repeat nor skip rows of
    equal keys; a value with no key at all (``ordering=,``) keeps the view's order rather
    than clearing it."""

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(key) for key in value or () if key]
        if not ordering:
            return qs
        return qs.order_by(*ordering, "-pk" if ordering[-1].startswith("-") else "pk")


class MatterFilter(PortalFilterSet):
    kind = SharedChoiceFilter(
        choices=Kind.choices,
        help_text=_(
            "协商类别：legislative 立法、decision 行政决策、key_matter 重点事项、budget 预算"
        ),
    )
    department = department_filter("department_id")
    year = year_filter()
    stage = SharedChoiceFilter(choices=all_stage_choices(), help_text=_("当前阶段代码"))
    is_major_decision = StrictBooleanFilter(help_text=_("是否为重大行政决策：true 或 false"))
    open_for_comment = StrictBooleanFilter(
        method="filter_open_for_comment",
        help_text=_("当前是否正在公开征求意见：true 或 false"),
    )
    modified_since = InstantFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("只返回此时刻及之后有变动的事项（ISO 8601，无时区时按北京时间）"),
    )
    q = filters.CharFilter(
        method="filter_q",
        max_length=100,
        help_text=_("在事项名称、编号和概述中查找的文字"),
    )
    ordering = StableOrderingFilter(
        fields=(
            ("updated_at", "modified"),
            ("published_at", "published_at"),
            ("year", "year"),
            ("planned_start", "planned_start"),
            ("id", "id"),
        ),
        help_text=_(
            "排序：modified、published_at、year、planned_start、id，前加 - 为倒序；默认 -modified"
        ),
    )

    class Meta:
        model = Matter
        fields = []

    def filter_open_for_comment(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(open_for_comment=value)

    def filter_q(self, queryset, name, value):
        return matters_matching(queryset, value) if value.strip() else queryset


class CatalogFilter(PortalFilterSet):
    year = year_filter()
    department = department_filter("department_id")
    status = SharedChoiceFilter(
        choices=AnnualPlan.Status.choices,
        help_text=_("状态代码；匿名访问只能看到 published"),
    )

    class Meta:
        model = AnnualPlan
        fields = []


class CatalogItemFilter(PortalFilterSet):
    year = year_filter("plan__year")
    department = department_filter("plan__department_id")
    kind = SharedChoiceFilter(choices=Kind.choices, help_text=_("协商类别代码"))
    is_major_decision = StrictBooleanFilter(help_text=_("是否为重大行政决策：true 或 false"))

    class Meta:
        model = PlanItem
        fields = []


class ActivityFilter(PortalFilterSet):
    kind = SharedChoiceFilter(choices=Activity.Kind.choices, help_text=_("活动形式代码"))
    from_ = InstantFilter(
        field_name="starts_at",
        lookup_expr="gte",
        help_text=_("只返回在此时刻及之后开始的活动（ISO 8601 日期或时间）"),
    )
    to = InstantFilter(
        method="filter_to",
        help_text=_("只返回在此日期（含当天）或此时刻之前开始的活动（ISO 8601）"),
    )
    matter = IdFilter(field_name="matter__id", help_text=_("协商事项编号"))

    class Meta:
        model = Activity
        fields = []

    def filter_to(self, queryset, name, value):
        raw = self.data.get("to", "")
        if parse_date(str(raw)) is not None:  # a whole day: up to its end
            return queryset.filter(starts_at__lt=value + datetime.timedelta(days=1))
        return queryset.filter(starts_at__lte=value)


# ``from`` is a keyword in Python; the parameter keeps its natural name.
ActivityFilter.base_filters["from"] = ActivityFilter.base_filters.pop("from_")


class ProposalFilter(PortalFilterSet):
    kind = SharedChoiceFilter(
        choices=Proposal.Kind.choices,
        help_text=_("类别：suggestion 人大代表建议、proposal 政协提案"),
    )
    year = year_filter()
    department = department_filter("lead_department_id")
    reply_class = SharedChoiceFilter(
        choices=Proposal.ReplyClass.choices, help_text=_("最近一次答复的分类：A、B、C")
    )
    modified_since = InstantFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("只返回此时刻及之后有变动的建议提案（ISO 8601，无时区时按北京时间）"),
    )

    class Meta:
        model = Proposal
        fields = []


class SurveyFilter(PortalFilterSet):
    matter = IdFilter(field_name="matter__id", help_text=_("协商事项编号"))
    status = filters.ChoiceFilter(
        method="filter_status",
        choices=[
            ("planned", _("未开始")),
            ("open", _("进行中")),
            ("closed", _("已结束")),
        ],
        help_text=_("状态（按当前时间）：planned 未开始、open 进行中、closed 已结束"),
    )
    modified_since = InstantFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("只返回此时刻及之后有变动的问卷（ISO 8601，无时区时按北京时间）"),
    )

    class Meta:
        model = Survey
        fields = []

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == "planned":
            return queryset.filter(opens_at__gt=now)
        if value == "open":
            return queryset.filter(opens_at__lte=now, closes_at__gt=now)
        if value == "closed":
            return queryset.filter(closes_at__lte=now)
        return queryset


class DepartmentListFilter(PortalFilterSet):
    kind = SharedChoiceFilter(choices=Department.Kind.choices, help_text=_("部门类别代码"))

    class Meta:
        model = Department
        fields = []


__all__ = [
    "ActivityFilter",
    "CatalogFilter",
    "CatalogItemFilter",
    "DepartmentListFilter",
    "MatterFilter",
    "ProposalFilter",
    "SurveyFilter",
]


class CallFilter(PortalFilterSet):
    kind = filters.ChoiceFilter(
        choices=Call.Kind.choices,
        help_text=_("类别代码：topics 年度政府协商议题征集、legislation 立法项目建议征集"),
    )
    year = filters.NumberFilter(help_text=_("征集年度，例如 2027"))
    status = filters.ChoiceFilter(
        method="filter_status",
        choices=[
            ("upcoming", _("即将开始")),
            ("open", _("正在征集")),
            ("screening", _("征集结束，正在遴选")),
            ("results", _("已公布遴选结果")),
        ],
        help_text=_(
            "状态（按当前时间）：upcoming 即将开始、open 正在征集、"
            "screening 征集结束正在遴选、results 已公布遴选结果"
        ),
    )

    class Meta:
        model = Call
        fields = []

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gt=now)
        if value == "open":
            return queryset.filter(starts_at__lte=now, ends_at__gt=now)
        if value == "screening":
            return queryset.filter(ends_at__lte=now, results_published_at__isnull=True)
        return queryset.filter(results_published_at__isnull=False)
