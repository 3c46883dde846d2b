"""The v1 representations. Every field is declared here with its description, so the
contract does not drift when a model gains a column, and the OpenAPI schema describes
every field. Personal data (names and contacts of the public, staff accounts) never
appears; opinions appear only as counts.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annual_plans.models import AnnualPlan
from calls.selectors import adopted_public, outcome_counts
from matters.models import Matter
from matters.procedures import procedure_for
from proposals.rules import PUBLIC_STATUSES as PUBLIC_PROPOSAL_STATUSES
from surveys.links import public_path
from surveys.results import results_for_api

from ..urls_util import LinkField, absolute_url, link_template


def _published_plan(plan) -> bool:
    return plan.status == AnnualPlan.Status.PUBLISHED


# ----------------------------------------------------------------------------- departments


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("部门编号"))
    code = serializers.CharField(help_text=_("部门代码，可用于 department 筛选"))
    name = serializers.CharField(help_text=_("部门名称"))


class DepartmentSerializer(DepartmentRefSerializer):
    short_name = serializers.CharField(help_text=_("部门简称"))
    kind = serializers.CharField(help_text=_("部门类别代码"))
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("部门类别"))
    files_catalog = serializers.BooleanField(help_text=_("是否须报送年度计划目录"))
    modified = serializers.DateTimeField(source="updated_at", help_text=_("最后修改时间"))


# ----------------------------------------------------------------------------- matters


class PolicyAreaSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("政策领域代码"))
    name = serializers.CharField(help_text=_("政策领域名称"))


class MatterListSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("事项在接口中的编号"))
    reference = serializers.CharField(help_text=_("事项编号"))
    title = serializers.CharField(help_text=_("事项名称"))
    kind = serializers.CharField(
        help_text=_("协商类别代码：legislative、decision、key_matter、budget")
    )
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("协商类别"))
    department = DepartmentRefSerializer(help_text=_("牵头部门"))
    year = serializers.IntegerField(help_text=_("年度"))
    stage = serializers.CharField(help_text=_("当前阶段代码"))
    stage_label = serializers.CharField(help_text=_("当前阶段"))
    stage_due_on = serializers.DateField(allow_null=True, help_text=_("当前阶段计划完成日期"))
    policy_areas = PolicyAreaSerializer(many=True, help_text=_("政策领域"))
    is_major_decision = serializers.BooleanField(help_text=_("是否为重大行政决策"))
    is_major_public_interest = serializers.BooleanField(help_text=_("是否涉及重大公共利益"))
    affects_stability = serializers.BooleanField(help_text=_("是否可能影响社会稳定"))
    is_contested = serializers.BooleanField(help_text=_("是否争议较大"))
    seeks_non_party_opinions = serializers.BooleanField(help_text=_("是否征求党外人士意见"))
    planned_start = serializers.DateField(help_text=_("计划开始日期"))
    planned_end = serializers.DateField(help_text=_("计划完成日期"))
    is_published = serializers.BooleanField(
        help_text=_("是否已公开；未公开的事项只有本部门的令牌用户能看到")
    )
    published_at = serializers.DateTimeField(allow_null=True, help_text=_("公开时间"))
    open_for_comment = serializers.BooleanField(help_text=_("当前是否正在公开征求意见"))
    modified = serializers.DateTimeField(
        source="updated_at",
        help_text=_("事项或与之一并公开的内容（附件、程序、征求意见、活动）最后变动的时间"),
    )
    url = LinkField(
        "matters:public_detail",
        when=lambda matter: matter.is_published,
        allow_null=True,
        help_text=_("公开页面地址；未公开的事项为 null"),
    )
    api_url = LinkField("api:v1:matter-detail", help_text=_("本事项的接口地址"))

    def to_representation(self, matter):
        """A matter object goes through DRF's field-by-field walk. The list view passes
        plain rows instead (``LIST_VALUES``, no model objects), which are written out
        here: building 250 objects and walking their fields cost several times the SQL.
        A test checks that both give exactly the same, field for field, so
        the declarations above stay the contract. Labels and link templates are worked
        out once per response, not once per row."""
        if not isinstance(matter, dict):
            return super().to_representation(matter)
        row = matter
        memo = self.__dict__.setdefault("_memo", {})
        labels = memo.get("labels")
        if labels is None:
            labels = memo["labels"] = _LabelMemo()
            request = self.context.get("request")
            memo["url"] = link_template("matters:public_detail", request)
            memo["api_url"] = link_template("api:v1:matter-detail", request)
        kind, pk, published_at = row["kind"], row["id"], row["published_at"]
        return {
            "id": pk,
            "reference": row["reference"],
            "title": row["title"],
            "kind": kind,
            "kind_label": labels.kind(kind),
            "department": {
                "id": row["department_id"],
                "code": row["department__code"],
                "name": row["department__name"],
            },
            "year": row["year"],
            "stage": row["stage"],
            "stage_label": labels.stage(kind, row["stage"]),
            "stage_due_on": row["stage_due_on"] and row["stage_due_on"].isoformat(),
            "policy_areas": [
                {"code": code, "name": name} for code, name in row["policy_area_pairs"]
            ],
            "is_major_decision": row["is_major_decision"],
            "is_major_public_interest": row["is_major_public_interest"],
            "affects_stability": row["affects_stability"],
            "is_contested": row["is_contested"],
            "seeks_non_party_opinions": row["seeks_non_party_opinions"],
            "planned_start": row["planned_start"].isoformat(),
            "planned_end": row["planned_end"].isoformat(),
            "is_published": row["is_published"],
            "published_at": published_at and labels.instant(published_at),
            "open_for_comment": row["open_for_comment"],
            "modified": labels.instant(row["updated_at"]),
            "url": memo["url"].format(pk=pk) if row["is_published"] else None,
            "api_url": memo["api_url"].format(pk=pk),
        }


# The columns of a list row (MatterListSerializer.to_representation), with the lead
# department's; the policy areas are added by matters.selectors.with_policy_area_pairs.
LIST_VALUES = (
    "id", "reference", "title", "kind", "department_id", "department__code",
    "department__name", "year", "stage", "stage_due_on", "is_major_decision",
    "is_major_public_interest", "affects_stability", "is_contested",
    "seeks_non_party_opinions", "planned_start", "planned_end", "is_published",
    "published_at", "updated_at", "open_for_comment",
)  # fmt: skip


class _LabelMemo:
    """Display labels and the time zone looked up once per response: a translation
    lookup per row and field is a tenth of a list's time."""

    def __init__(self):
        self.kinds: dict[str, str] = {}
        self.stages: dict[tuple[str, str], str] = {}
        self.zone = timezone.get_current_timezone()

    def instant(self, value) -> str:
        """As DRF's DateTimeField writes it (ISO 8601 in the current zone, UTC as Z)."""
        text = value.astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def kind(self, code: str) -> str:
        if code not in self.kinds:
            self.kinds[code] = str(dict(Matter._meta.get_field("kind").flatchoices)[code])
        return self.kinds[code]

    def stage(self, kind: str, code: str) -> str:
        key = (kind, code)
        if key not in self.stages:
            self.stages[key] = str(procedure_for(kind).stage(code).label)
        return self.stages[key]


class StepSerializer(serializers.Serializer):
    type = serializers.CharField(source="step_type", help_text=_("程序类型代码"))
    type_label = serializers.CharField(source="get_step_type_display", help_text=_("程序类型"))
    stage = serializers.CharField(help_text=_("记录时所处阶段代码"))
    occurred_on = serializers.DateField(help_text=_("日期"))
    summary = serializers.CharField(help_text=_("情况摘要"))


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("附件编号"))
    title = serializers.CharField(help_text=_("文件名称"))
    category = serializers.CharField(help_text=_("类别代码"))
    category_label = serializers.CharField(source="get_category_display", help_text=_("类别"))
    extension = serializers.CharField(help_text=_("扩展名"))
    size = serializers.IntegerField(help_text=_("大小（字节）"))
    sha256 = serializers.CharField(help_text=_("文件的 SHA-256 摘要，用于核对下载是否完整"))
    uploaded_at = serializers.DateTimeField(help_text=_("上传时间"))
    url = LinkField("matters:document_download", help_text=_("下载地址"))


class DraftSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("版本号"))
    title = serializers.CharField(help_text=_("草案名称"))
    change_note = serializers.CharField(help_text=_("修改说明"))
    published_at = serializers.DateTimeField(allow_null=True, help_text=_("公开时间"))
    url = LinkField(
        "matters:draft_detail",
        kwargs={"pk": "matter_id", "number": "number"},
        help_text=_("草案全文页面地址"),
    )


class TimelineStageSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("阶段代码"))
    label = serializers.CharField(help_text=_("阶段"))
    state = serializers.ChoiceField(
        choices=["done", "unrecorded", "current", "todo"],
        help_text=_(
            "done 已完成（所需程序步骤有公开记录），unrecorded 已经过但所需程序步骤无公开记录，"
            "current 当前阶段，todo 尚未进入"
        ),
    )
    entered_at = serializers.DateTimeField(allow_null=True, help_text=_("进入该阶段的时间"))


class CountSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("代码"))
    label = serializers.CharField(help_text=_("名称"))
    count = serializers.IntegerField(help_text=_("条数"))


class OpinionStatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("收到的意见总数"))
    by_channel = CountSerializer(many=True, help_text=_("按渠道统计"))
    by_disposition = CountSerializer(many=True, help_text=_("按处理结果统计"))
    undisposed = serializers.IntegerField(help_text=_("尚未处理的意见数"))
    adoption_rate = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "采纳率：（采纳 + 部分采纳）÷（意见总数 − 不属于本事项），0 至 1；"
            "无可计算的意见时为 null"
        ),
    )


class CommentPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("征求意见编号"))
    title = serializers.CharField(help_text=_("征求意见标题"))
    starts_at = serializers.DateTimeField(help_text=_("开始时间"))
    ends_at = serializers.DateTimeField(help_text=_("截止时间（不含）"))
    is_open = serializers.BooleanField(help_text=_("当前是否正在征求意见"))
    url = LinkField("participation:comment_period", help_text=_("征求意见页面地址"))
    feedback_published_at = serializers.DateTimeField(
        source="report_published_at",
        allow_null=True,
        help_text=_("意见采纳情况公开时间；尚未公开时为 null"),
    )
    feedback_pdf_url = LinkField(
        "participation:feedback_pdf",
        when=lambda period: period.report_published_at is not None,
        allow_null=True,
        help_text=_("意见采纳情况报告（PDF）地址；尚未公开时为 null"),
    )
    feedback = OpinionStatisticsSerializer(
        allow_null=True,
        help_text=_("意见采纳情况统计，仅在采纳情况公开后提供"),
    )


class SolicitationCountsSerializer(serializers.Serializer):
    sent = serializers.IntegerField(help_text=_("主送的单位和个人数"))
    answered = serializers.IntegerField(help_text=_("已反馈数"))
    with_opinions = serializers.IntegerField(help_text=_("其中有意见"))
    no_opinion = serializers.IntegerField(help_text=_("其中无意见"))
    deemed = serializers.IntegerField(help_text=_("逾期视为无意见数"))
    no_reply = serializers.IntegerField(help_text=_("逾期未反馈数（函件未约定视为无意见）"))
    outstanding = serializers.IntegerField(help_text=_("尚未反馈数（未到截止日期）"))
    late = serializers.IntegerField(help_text=_("逾期反馈数"))


class SolicitationCategorySerializer(SolicitationCountsSerializer):
    category = serializers.CharField(help_text=_("对象类别代码"))
    label = serializers.CharField(help_text=_("对象类别"))


class SolicitationSummarySerializer(SolicitationCountsSerializer):
    letters = serializers.IntegerField(help_text=_("已发出的征求意见函数"))
    by_category = SolicitationCategorySerializer(many=True, help_text=_("按对象类别统计"))


class MatterDetailSerializer(MatterListSerializer):
    summary = serializers.CharField(help_text=_("事项概述"))
    legal_basis = serializers.CharField(help_text=_("法律依据"))
    co_departments = DepartmentRefSerializer(many=True, help_text=_("协办部门"))
    timeline = TimelineStageSerializer(many=True, help_text=_("法定程序各阶段及进度"))
    steps = StepSerializer(many=True, help_text=_("已公开的程序步骤"))
    documents = DocumentSerializer(many=True, help_text=_("已公开的附件"))
    drafts = DraftSerializer(many=True, help_text=_("已公开的草案版本"))
    open_comment_period = CommentPeriodSerializer(
        allow_null=True, help_text=_("正在进行的征求意见；没有时为 null")
    )
    comment_periods = CommentPeriodSerializer(
        source="api_comment_periods", many=True, help_text=_("全部征求意见，按开始时间排列")
    )
    opinion_statistics = OpinionStatisticsSerializer(
        help_text=_("已公开采纳情况的各次征求意见的意见合计（不含个人信息）")
    )
    solicitations = SolicitationSummarySerializer(
        source="api_solicitations",
        help_text=_("书面征求意见的反馈统计，只有数字，不含个人信息"),
    )


# ----------------------------------------------------------------------------- catalogs


class CatalogItemFieldsMixin(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("目录事项编号"))
    order = serializers.IntegerField(help_text=_("序号"))
    title = serializers.CharField(help_text=_("事项名称"))
    kind = serializers.CharField(help_text=_("协商类别代码"))
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("协商类别"))
    forms = serializers.ListField(
        child=serializers.CharField(), help_text=_("拟采取的协商形式代码")
    )
    form_labels = serializers.ListField(
        child=serializers.CharField(), help_text=_("拟采取的协商形式")
    )
    planned_start = serializers.DateField(help_text=_("计划开始日期"))
    planned_end = serializers.DateField(help_text=_("计划完成日期"))
    responsible_office = serializers.CharField(help_text=_("责任处室"))
    is_major_decision = serializers.BooleanField(help_text=_("是否为重大行政决策"))
    seeks_non_party_opinions = serializers.BooleanField(help_text=_("是否征求党外人士意见"))
    matter_id = serializers.IntegerField(
        allow_null=True, help_text=_("对应的协商事项编号；尚未立项时为 null")
    )


class CatalogItemSerializer(CatalogItemFieldsMixin):
    pass


class CatalogItemRowSerializer(CatalogItemFieldsMixin):
    catalog_id = serializers.IntegerField(source="plan_id", help_text=_("所属目录编号"))
    year = serializers.IntegerField(source="plan.year", help_text=_("年度"))
    department = DepartmentRefSerializer(source="plan.department", help_text=_("报送部门"))


class CatalogSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("目录编号"))
    department = DepartmentRefSerializer(help_text=_("报送部门"))
    year = serializers.IntegerField(help_text=_("年度"))
    status = serializers.CharField(
        help_text=_(
            "状态代码：published 已公示；令牌用户还能看到本部门的 draft、submitted、"
            "returned、accepted"
        )
    )
    status_label = serializers.CharField(source="get_status_display", help_text=_("状态"))
    is_empty = serializers.BooleanField(help_text=_("本年度是否无协商事项"))
    empty_reason = serializers.CharField(help_text=_("无协商事项的原因"))
    is_late = serializers.BooleanField(help_text=_("是否逾期报送"))
    first_submitted_at = serializers.DateTimeField(allow_null=True, help_text=_("首次报送时间"))
    published_at = serializers.DateTimeField(allow_null=True, help_text=_("公示时间"))
    version = serializers.IntegerField(help_text=_("现行版本号（备案及每次年中调整后加一）"))
    items = CatalogItemSerializer(many=True, help_text=_("目录事项"))
    modified = serializers.DateTimeField(source="updated_at", help_text=_("最后修改时间"))
    url = LinkField(
        "annual_plans:public_detail",
        when=_published_plan,
        allow_null=True,
        help_text=_("公开页面地址；未公示时为 null"),
    )
    pdf_url = LinkField(
        "annual_plans:filing_form",
        when=_published_plan,
        allow_null=True,
        help_text=_("报送表（PDF）地址；未公示时为 null"),
    )
    api_url = LinkField("api:v1:catalog-detail", help_text=_("本目录的接口地址"))


# ----------------------------------------------------------------------------- activities


class MatterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("事项编号"))
    reference = serializers.CharField(help_text=_("事项编号（公文编号）"))
    title = serializers.CharField(help_text=_("事项名称"))
    api_url = LinkField("api:v1:matter-detail", help_text=_("事项的接口地址"))


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("活动编号"))
    title = serializers.CharField(help_text=_("活动名称"))
    kind = serializers.CharField(help_text=_("活动形式代码，如 hearing 听证会、symposium 座谈会"))
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("活动形式"))
    status = serializers.CharField(help_text=_("状态代码"))
    status_label = serializers.CharField(source="get_status_display", help_text=_("状态"))
    matter = MatterRefSerializer(help_text=_("所属协商事项"))
    department = DepartmentRefSerializer(source="matter.department", help_text=_("牵头部门"))
    starts_at = serializers.DateTimeField(help_text=_("开始时间"))
    ends_at = serializers.DateTimeField(help_text=_("结束时间"))
    place = serializers.CharField(help_text=_("地点"))
    online_url = serializers.CharField(help_text=_("线上参与链接；没有时为空字符串"))
    agenda = serializers.CharField(help_text=_("议程"))
    capacity = serializers.IntegerField(allow_null=True, help_text=_("名额；不限时为 null"))
    accepts_registrations = serializers.BooleanField(help_text=_("是否接受公众报名"))
    registration_closes_at = serializers.DateTimeField(allow_null=True, help_text=_("报名截止时间"))
    notice_published_at = serializers.DateTimeField(allow_null=True, help_text=_("公告发布时间"))
    minutes_published_at = serializers.DateTimeField(allow_null=True, help_text=_("纪要公开时间"))
    modified = serializers.DateTimeField(source="updated_at", help_text=_("最后修改时间"))
    url = LinkField("participation:activity_detail", help_text=_("活动公开页面地址"))
    ics_url = LinkField("participation:activity_calendar", help_text=_("日历文件（iCalendar）地址"))


# ----------------------------------------------------------------------------- proposals
# Authors appear by name and category only, replies without their contact phone: the
# selectors do not even read those columns (proposals.selectors.with_public_parts).


def _public_proposal(proposal) -> bool:
    return proposal.is_public and proposal.status in PUBLIC_PROPOSAL_STATUSES


class ProposalListSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("建议提案在接口中的编号"))
    number = serializers.CharField(help_text=_("大会或政协交来的编号，例如 0123"))
    reference = serializers.CharField(help_text=_("完整编号，例如 2026年建议第0123号"))
    kind = serializers.CharField(
        help_text=_("类别代码：suggestion 人大代表建议、proposal 政协提案")
    )
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("类别"))
    year = serializers.IntegerField(help_text=_("年度"))
    session = serializers.CharField(help_text=_("届次会议；没有时为空字符串"))
    title = serializers.CharField(help_text=_("标题"))
    lead_department = DepartmentRefSerializer(
        allow_null=True, help_text=_("主办单位；尚未交办时为 null")
    )
    status = serializers.CharField(
        help_text=_(
            "办理状态代码：assigned 待签收、returned 已退回待重新交办、handling 办理中、"
            "replied 已答复待测评、second_round 二次办理中、closed 已办结；"
            "令牌用户还能看到 registered 待交办"
        )
    )
    status_label = serializers.CharField(source="get_status_display", help_text=_("办理状态"))
    reply_class = serializers.CharField(
        help_text=_("最近一次答复的分类代码：A、B、C；尚未答复时为空字符串")
    )
    reply_class_label = serializers.CharField(
        help_text=_("最近一次答复的分类；尚未答复时为空字符串")
    )
    satisfaction = serializers.CharField(
        help_text=_(
            "领衔提出人对最近一次答复的测评结果代码：satisfied 满意、basically_satisfied "
            "基本满意、dissatisfied 不满意；尚未测评时为空字符串"
        )
    )
    satisfaction_label = serializers.CharField(
        source="get_satisfaction_display", help_text=_("测评结果；尚未测评时为空字符串")
    )
    replied_at = serializers.DateTimeField(
        allow_null=True, help_text=_("最近一次答复的时间；尚未答复时为 null")
    )
    modified = serializers.DateTimeField(source="updated_at", help_text=_("最后变动时间"))
    url = LinkField(
        "proposals:public_detail",
        when=_public_proposal,
        allow_null=True,
        help_text=_("公开页面地址；不公开的建议提案为 null"),
    )
    api_url = LinkField("api:v1:proposal-detail", help_text=_("本建议提案的接口地址"))


class ProposalAuthorSerializer(serializers.Serializer):
    name = serializers.CharField(source="participant.name", help_text=_("姓名"))
    category = serializers.CharField(
        source="participant.category",
        help_text=_("身份代码：npc_deputy 人大代表、cppcc_member 政协委员"),
    )
    category_label = serializers.CharField(
        source="participant.get_category_display", help_text=_("身份")
    )
    role = serializers.CharField(help_text=_("lead 领衔、co_signer 联名"))


class ProposalCoDepartmentSerializer(DepartmentRefSerializer):
    id = serializers.IntegerField(source="department.id", help_text=_("部门编号"))
    code = serializers.CharField(
        source="department.code", help_text=_("部门代码，可用于 department 筛选")
    )
    name = serializers.CharField(source="department.name", help_text=_("部门名称"))
    role = serializers.CharField(help_text=_("方式代码：assisting 协办、joint 会办"))
    role_label = serializers.CharField(source="get_role_display", help_text=_("方式"))


class ProposalReplySerializer(serializers.Serializer):
    round = serializers.IntegerField(help_text=_("办理轮次：1 为首次答复，2 为二次办理的答复"))
    document_number = serializers.CharField(help_text=_("答复函文号"))
    sent_at = serializers.DateTimeField(help_text=_("答复时间"))
    reply_class = serializers.CharField(help_text=_("答复分类代码：A、B、C"))
    reply_class_label = serializers.CharField(help_text=_("答复分类"))
    body = serializers.CharField(help_text=_("答复正文"))
    pdf_url = LinkField("proposals:reply_pdf", help_text=_("答复函（PDF）地址"))


class ProposalDetailSerializer(ProposalListSerializer):
    body = serializers.CharField(help_text=_("建议提案内容"))
    authors = ProposalAuthorSerializer(
        source="public_authors", many=True, help_text=_("提出人（仅姓名和身份，不含联系方式）")
    )
    co_departments = ProposalCoDepartmentSerializer(
        source="public_co_departments", many=True, help_text=_("协办和会办单位")
    )
    replies = ProposalReplySerializer(
        source="public_replies", many=True, help_text=_("已发出的答复，按办理轮次排列")
    )


# ----------------------------------------------------------------------------- surveys


class SurveyMatterSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("事项在接口中的编号，见 /api/v1/matters/"))
    reference = serializers.CharField(help_text=_("事项编号"))


class OptionalDecimalField(serializers.DecimalField):
    """A decimal that may be null, left out where the item has no such key (the results
    of a question carry only what its kind has)."""

    def get_attribute(self, instance):
        if isinstance(instance, dict) and self.source not in instance:
            raise serializers.SkipField()
        return super().get_attribute(instance)


class SurveyOptionCountSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("选项（量表题为分值）"))
    count = serializers.IntegerField(help_text=_("选择此项的有效答卷数；排序题为排了此项的答卷数"))
    points = serializers.IntegerField(
        required=False, help_text=_("排序题：博达计分（第1位得满分，依次递减）")
    )
    mean_rank = OptionalDecimalField(
        max_digits=8,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("排序题：平均名次；无人排此项时为 null"),
    )


class SurveyMatrixRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("矩阵行"))
    options = SurveyOptionCountSerializer(many=True, help_text=_("此行各选项的有效答卷数"))


class SurveyQuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text=_("题号"))
    text = serializers.CharField(help_text=_("题目"))
    kind = serializers.CharField(
        help_text=_(
            "题型代码：single 单选、multiple 多选、text 填空、rating 量表、matrix 矩阵、"
            "ranking 排序、number 数值"
        )
    )
    answered = serializers.IntegerField(help_text=_("回答此题的有效答卷数"))
    options = SurveyOptionCountSerializer(
        many=True,
        required=False,
        help_text=_("选择题、量表题和排序题：各选项的计数（排序题按得分排列）"),
    )
    rows = SurveyMatrixRowSerializer(many=True, required=False, help_text=_("矩阵题：各行的计数"))
    mean = OptionalDecimalField(
        max_digits=24,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("量表题和数值题：平均值；无人回答时为 null"),
    )
    median = OptionalDecimalField(
        max_digits=24,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("量表题和数值题：中位数；无人回答时为 null"),
    )


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("问卷在接口中的编号"))
    url = serializers.SerializerMethodField(help_text=_("问卷的公开页面地址"))
    title = serializers.CharField(help_text=_("标题"))
    kind = serializers.CharField(help_text=_("形式代码：questionnaire 问卷调查、poll 民意测验"))
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("形式"))
    year = serializers.IntegerField(help_text=_("年度"))
    matter = SurveyMatterSerializer(
        allow_null=True, help_text=_("所属协商事项；社情民意调查等不属于事项的为 null")
    )
    department = DepartmentRefSerializer(help_text=_("组织单位"))
    opens_at = serializers.DateTimeField(help_text=_("开始时间"))
    closes_at = serializers.DateTimeField(help_text=_("结束时间"))
    status = serializers.SerializerMethodField(
        help_text=_("状态代码（按当前时间）：planned 未开始、open 进行中、closed 已结束")
    )
    response_count = serializers.IntegerField(help_text=_("有效答卷数（不含作废的答卷）"))
    results_public = serializers.SerializerMethodField(help_text=_("结果是否已公开"))
    results = serializers.SerializerMethodField(
        help_text=_(
            "结果公开后：每道题各选项的计数（不含任何填写内容和答卷人信息）；"
            "结果尚未公开或仅供工作人员查看时为 null"
        )
    )
    modified = serializers.DateTimeField(source="updated_at", help_text=_("最后变动时间"))
    api_url = LinkField("api:v1:survey-detail", help_text=_("本问卷的接口地址"))

    def _now(self):
        now = self.context.get("now")
        if now is None:
            now = self.context["now"] = timezone.now()
        return now

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, survey) -> str:
        return absolute_url(public_path(survey.pk), self.context.get("request"))

    @extend_schema_field({"type": "string", "enum": ["planned", "open", "closed"]})
    def get_status(self, survey) -> str:
        return survey.status_at(self._now())

    def get_results_public(self, survey) -> bool:
        return survey.results_public_at(self._now())

    @extend_schema_field(SurveyQuestionResultSerializer(many=True, allow_null=True))
    def get_results(self, survey):
        if not survey.results_public_at(self._now()):
            return None
        given = self.context.get("survey_results", {}).get(survey.pk)
        items = results_for_api(survey, results=given)
        return SurveyQuestionResultSerializer(items, many=True).data


class CallCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("收到的建议数"))
    adopted = serializers.IntegerField(help_text=_("采纳"))
    merged = serializers.IntegerField(help_text=_("合并"))
    rejected = serializers.IntegerField(help_text=_("不予采纳"))
    transferred = serializers.IntegerField(help_text=_("转交"))


class CallAdoptedSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("建议题目"))
    catalog_item = serializers.SerializerMethodField(
        help_text=_("纳入的年度计划目录事项（部门、年度、标题）；纳入协商事项的为 null")
    )
    matter = serializers.SerializerMethodField(
        help_text=_("纳入的协商事项编号（见 /api/v1/matters/）；纳入目录事项的为 null")
    )

    @extend_schema_field({"type": "object", "nullable": True})
    def get_catalog_item(self, submission):
        item = submission.plan_item
        if item is None:
            return None
        return {
            "department": item.plan.department.name,
            "year": item.plan.year,
            "title": item.title,
        }

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_matter(self, submission):
        matter = submission.matter
        return matter.pk if matter is not None and matter.is_published else None


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("征集在接口中的编号"))
    url = serializers.SerializerMethodField(help_text=_("征集的公开页面地址"))
    title = serializers.CharField(help_text=_("征集标题"))
    kind = serializers.CharField(
        help_text=_("类别代码：topics 年度政府协商议题征集、legislation 立法项目建议征集")
    )
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("类别"))
    year = serializers.IntegerField(help_text=_("征集的议题或立法项目建议所用的年度"))
    department = DepartmentRefSerializer(help_text=_("征集单位"))
    starts_at = serializers.DateTimeField(help_text=_("开始时间"))
    ends_at = serializers.DateTimeField(help_text=_("截止时间"))
    status = serializers.SerializerMethodField(
        help_text=_(
            "状态代码（按当前时间）：upcoming 即将开始、open 正在征集、"
            "screening 征集结束正在遴选、results 已公布遴选结果"
        )
    )
    proposal_count = serializers.IntegerField(help_text=_("收到的建议数"))
    result = serializers.SerializerMethodField(
        help_text=_("遴选结果公布后：说明、各类数量和采纳的建议；尚未公布时为 null")
    )
    modified = serializers.SerializerMethodField(help_text=_("最后变动时间"))
    api_url = LinkField("api:v1:call-detail", help_text=_("本征集的接口地址"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, call) -> str:
        return absolute_url(reverse("calls:detail", args=[call.pk]), self.context.get("request"))

    @extend_schema_field({"type": "string", "enum": ["upcoming", "open", "screening", "results"]})
    def get_status(self, call) -> str:
        return call.status(self.context.get("now"))

    @extend_schema_field({"type": "object", "nullable": True})
    def get_result(self, call):
        if call.results_published_at is None:
            return None
        counts = outcome_counts(call)
        return {
            "published_at": serializers.DateTimeField().to_representation(
                call.results_published_at
            ),
            "summary": call.result_summary,
            "counts": CallCountsSerializer(counts).data,
            "adopted": CallAdoptedSerializer(adopted_public(call), many=True).data,
        }

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_modified(self, call):
        moment = call.results_published_at or call.published_at
        return serializers.DateTimeField().to_representation(moment)
