"""The v1 endpoints: read-only, paged, filterable, with conditional GET and JSON errors."""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import renderers, viewsets

from accounts.models import Department
from annual_plans.models import PlanItem
from calls.selectors import calls_public, with_adopted
from matters.selectors import (
    fill_policy_area_pairs,
    matter_timeline,
    with_policy_area_pairs,
    with_public_parts,
)
from participation.models import CommentPeriod, Opinion
from participation.selectors.comments import (
    adoption_rate,
    opinion_counts,
    period_is_open,
    with_open_for_comment,
)
from proposals.selectors import with_public_parts as with_public_proposal_parts
from solicitations.tracking import api_counts as solicitation_counts
from surveys.results import results_for_page as surveys_results_of

from ..conditional import ConditionalMixin
from ..csv import CSVRenderer, csv_response
from ..parameters import drop_empty_parameters
from . import exports, filters, serializers
from .visibility import (
    visible_activities,
    visible_matters,
    visible_plans,
    visible_proposals,
    visible_surveys,
)

CSV_RESPONSE = OpenApiResponse(
    OpenApiTypes.STR,
    description=_("format=csv 时：全部符合条件的行（不分页），UTF-8 带 BOM，可直接用 Excel 打开"),
)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=_(
        "返回格式：json（默认，分页）或 csv（全部符合条件的行，不分页；也可用请求头 "
        "Accept: text/csv）"
    ),
)


class ReadOnlyViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]{1,18}"

    def initialize_request(self, request, *args, **kwargs):
        drop_empty_parameters(request)
        return super().initialize_request(request, *args, **kwargs)

    @property
    def last_modified_is_exact(self) -> bool:
        return self.action == "retrieve"

    def last_modified(self, data):
        rows = data.get("results", [data]) if isinstance(data, dict) else []
        times = [parse_datetime(row["modified"]) for row in rows if row.get("modified")]
        return max(times, default=None)


class CSVListMixin:
    """``format=csv`` streams every row that the filters select, unpaged. Lists only: a
    single object is not offered as CSV (it is refused like any unknown format)."""

    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    csv_filename = "export.csv"
    csv_columns = ()

    def get_renderers(self):
        if self.action != "list":
            return [renderers.JSONRenderer()]
        return super().get_renderers()

    def csv_queryset(self, queryset):
        return queryset

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return super().list(request, *args, **kwargs)
        queryset = self.csv_queryset(self.filter_queryset(self.get_queryset()))
        return csv_response(
            filename=self.csv_filename,
            columns=self.csv_columns(request),
            objects=queryset.iterator(chunk_size=2000),
        )


@extend_schema(tags=[_("协商事项")])
@extend_schema_view(
    list=extend_schema(
        summary=_("协商事项列表"),
        description=_(
            "已公开的协商事项；令牌用户还能看到本部门未公开的事项。默认按最后变动时间倒序。"
        ),
        responses={
            (200, "application/json"): serializers.MatterListSerializer(many=True),
            (200, "text/csv"): CSV_RESPONSE,
        },
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(
        summary=_("协商事项详情"),
        description=_("事项及其公开的程序步骤、附件、草案、征求意见和意见统计。"),
    ),
)
class MatterViewSet(CSVListMixin, ReadOnlyViewSet):
    filterset_class = filters.MatterFilter
    csv_filename = "matters.csv"
    csv_columns = staticmethod(exports.matter_columns)

    def get_queryset(self):
        queryset = with_open_for_comment(visible_matters(self.request.user))
        if self.action == "retrieve":
            queryset = with_public_parts(queryset)
        return queryset.order_by("-updated_at", "-pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MatterDetailSerializer
        return serializers.MatterListSerializer

    def paginate_queryset(self, queryset):
        """A page is read as plain rows of the list's columns with their policy areas
        (on PostgreSQL in the same query, elsewhere from one more); the serializer writes
        them out."""
        rows = super().paginate_queryset(
            with_policy_area_pairs(queryset.prefetch_related(None).values(*serializers.LIST_VALUES))
        )
        if rows is None:
            return None
        fill_policy_area_pairs(rows)
        return rows

    def get_object(self):
        matter = super().get_object()
        self._add_participation(matter)
        return matter

    @staticmethod
    def _add_participation(matter) -> None:
        """The comment periods and opinion counts of one matter: two queries."""
        now = timezone.now()
        periods = list(CommentPeriod.objects.filter(matter=matter).order_by("starts_at", "pk"))
        counts = opinion_counts(period_ids=[period.pk for period in periods])
        reported: dict[tuple[str, str], int] = {}
        matter.open_comment_period = None
        for period in periods:
            period.is_open = period_is_open(period, now=now)
            if period.is_open and matter.open_comment_period is None:
                matter.open_comment_period = period
            period.feedback = None
            if period.report_published_at is not None:
                period_counts = counts.get(period.pk, {})
                period.feedback = opinion_statistics(period_counts)
                for key, n in period_counts.items():
                    reported[key] = reported.get(key, 0) + n
        matter.api_comment_periods = periods
        matter.opinion_statistics = opinion_statistics(reported)
        matter.api_solicitations = solicitation_counts(matter)
        matter.timeline = matter_timeline(matter)


def opinion_statistics(counts: dict[tuple[str, str], int]) -> dict:
    total = sum(counts.values())

    def count(position: int, value: str) -> int:
        return sum(n for key, n in counts.items() if key[position] == value)

    by_channel = [
        {"code": value, "label": str(label), "count": count(0, value)}
        for value, label in Opinion.Channel.choices
        if count(0, value)
    ]
    by_disposition = [
        {"code": value, "label": str(label), "count": count(1, value)}
        for value, label in Opinion.Disposition.choices
    ]
    per = {row["code"]: row["count"] for row in by_disposition}
    return {
        "total": total,
        "by_channel": by_channel,
        "by_disposition": by_disposition,
        "undisposed": count(1, ""),
        "adoption_rate": adoption_rate(
            adopted=per[Opinion.Disposition.ADOPTED],
            partly=per[Opinion.Disposition.PARTLY_ADOPTED],
            total=total,
            out_of_scope=per[Opinion.Disposition.OUT_OF_SCOPE],
        ),
    }


@extend_schema(tags=[_("年度计划目录")])
@extend_schema_view(
    list=extend_schema(
        summary=_("年度计划目录列表"),
        description=_("已公示的年度计划目录及其事项；令牌用户还能看到本部门各状态的目录。"),
    ),
    retrieve=extend_schema(
        summary=_("年度计划目录详情"), description=_("一个年度计划目录及其事项。")
    ),
)
class CatalogViewSet(ReadOnlyViewSet):
    serializer_class = serializers.CatalogSerializer
    filterset_class = filters.CatalogFilter

    def get_queryset(self):
        return visible_plans(self.request.user).order_by(
            "-year", "department__sort_order", "department__code", "pk"
        )


@extend_schema(tags=[_("目录事项")])
@extend_schema_view(
    list=extend_schema(
        summary=_("目录事项列表"),
        description=_("各年度计划目录中的事项，每行一项，便于汇总和导出 CSV。"),
        responses={
            (200, "application/json"): serializers.CatalogItemRowSerializer(many=True),
            (200, "text/csv"): CSV_RESPONSE,
        },
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("目录事项详情"), description=_("目录中的一个事项。")),
)
class CatalogItemViewSet(CSVListMixin, ReadOnlyViewSet):
    serializer_class = serializers.CatalogItemRowSerializer
    filterset_class = filters.CatalogItemFilter
    csv_filename = "catalog-items.csv"
    csv_columns = staticmethod(exports.catalog_item_columns)

    def get_queryset(self):
        plans = visible_plans(self.request.user).order_by().values("pk")
        return (
            PlanItem.objects.filter(plan__in=plans)
            .select_related("plan__department")
            .order_by("-plan__year", "plan__department__sort_order", "plan_id", "order", "pk")
        )

    def last_modified(self, data):
        return None  # items carry no time of their own; the ETag still applies


@extend_schema(tags=[_("协商活动")])
@extend_schema_view(
    list=extend_schema(
        summary=_("协商活动列表"),
        description=_("已发布公告的听证会、座谈会等协商活动，按开始时间排列，附日历文件地址。"),
    ),
    retrieve=extend_schema(summary=_("协商活动详情"), description=_("一个协商活动。")),
)
class ActivityViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilter

    def get_queryset(self):
        return visible_activities(self.request.user).order_by("starts_at", "pk")


@extend_schema(tags=[_("建议提案")])
@extend_schema_view(
    list=extend_schema(
        summary=_("建议提案列表"),
        description=_(
            "可以公开且已交办的人大代表建议和政协提案，含办理状态、答复分类和满意度；"
            "令牌用户还能看到本部门主办或协办的建议提案。不含提出人的联系方式。"
            "按年度倒序、类别、编号排列。"
        ),
    ),
    retrieve=extend_schema(
        summary=_("建议提案详情"),
        description=_("一件建议提案及其已发出的各轮答复（不含联系电话）。"),
    ),
)
class ProposalViewSet(ReadOnlyViewSet):
    filterset_class = filters.ProposalFilter

    def get_queryset(self):
        queryset = visible_proposals(self.request.user)
        if self.action == "retrieve":
            queryset = with_public_proposal_parts(queryset)
        return queryset.order_by("-year", "kind", "number", "pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProposalDetailSerializer
        return serializers.ProposalListSerializer


@extend_schema(tags=[_("问卷调查")])
@extend_schema_view(
    list=extend_schema(
        summary=_("问卷调查列表"),
        description=_(
            "已发布的问卷调查和民意测验（不含已撤销的和线下调查记录），含状态、有效答卷数，"
            "结果公开后含每道题各选项的计数。不含任何填写内容和答卷人信息。"
            "按开始时间倒序排列。"
        ),
    ),
    retrieve=extend_schema(
        summary=_("问卷调查详情"),
        description=_("一个问卷调查或民意测验；结果公开后含每道题各选项的计数。"),
    ),
)
class SurveyViewSet(ReadOnlyViewSet):
    serializer_class = serializers.SurveySerializer
    filterset_class = filters.SurveyFilter

    def get_queryset(self):
        return visible_surveys(self.request.user).order_by("-opens_at", "-pk")

    def get_serializer(self, *args, **kwargs):
        context = self.get_serializer_context()
        context["now"] = timezone.now()
        if args and isinstance(args[0], list):  # a page: the results in three queries
            context["survey_results"] = surveys_results_of(
                [s for s in args[0] if s.results_public_at(context["now"])]
            )
        kwargs["context"] = context
        return self.get_serializer_class()(*args, **kwargs)

    def last_modified(self, data):
        # A survey's own ``results`` is not the paging envelope's.
        if self.action == "retrieve" and isinstance(data, dict):
            data = {"results": [data]}
        return super().last_modified(data)


@extend_schema(tags=[_("公开征集")])
@extend_schema_view(
    list=extend_schema(
        summary=_("公开征集列表"),
        description=_(
            "已发布的年度政府协商议题征集和立法项目建议征集，含状态和收到的建议数；"
            "遴选结果公布后含说明、各类数量和采纳的建议。不含建议人的任何信息。"
            "按开始时间倒序排列。"
        ),
    ),
    retrieve=extend_schema(summary=_("公开征集详情"), description=_("一次公开征集。")),
)
class CallViewSet(ReadOnlyViewSet):
    serializer_class = serializers.CallSerializer
    filterset_class = filters.CallFilter

    def get_queryset(self):
        return with_adopted(calls_public())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema(tags=[_("部门")])
@extend_schema_view(
    list=extend_schema(summary=_("部门列表"), description=_("启用中的部门，可用于筛选。")),
    retrieve=extend_schema(summary=_("部门详情"), description=_("一个部门。")),
)
class DepartmentViewSet(ReadOnlyViewSet):
    serializer_class = serializers.DepartmentSerializer
    filterset_class = filters.DepartmentListFilter

    def get_queryset(self):
        return Department.objects.filter(is_active=True).order_by("sort_order", "code", "pk")
