"""The CSV columns of matters and catalog items: Chinese headers for people in Excel,
one row per object. The open-data archive writes the same columns."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..urls_util import absolute_url


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value) -> str:
    return value.isoformat() if value else ""


def matter_columns(request=None):
    def public_url(matter):
        if not matter.is_published:
            return ""
        return absolute_url(reverse("matters:public_detail", args=[matter.pk]), request)

    return (
        (_("编号"), lambda m: m.pk),
        (_("事项编号"), lambda m: m.reference),
        (_("事项名称"), lambda m: m.title),
        (_("协商类别"), lambda m: m.get_kind_display()),
        (_("牵头部门"), lambda m: m.department.name),
        (_("部门代码"), lambda m: m.department.code),
        (_("年度"), lambda m: m.year),
        (_("当前阶段"), lambda m: m.stage_label),
        (_("政策领域"), lambda m: "、".join(area.name for area in m.policy_areas.all())),
        (_("重大行政决策"), lambda m: m.is_major_decision),
        (_("涉及重大公共利益"), lambda m: m.is_major_public_interest),
        (_("征求党外人士意见"), lambda m: m.seeks_non_party_opinions),
        (_("正在征求意见"), lambda m: getattr(m, "open_for_comment", False)),
        (_("计划开始日期"), lambda m: _day(m.planned_start)),
        (_("计划完成日期"), lambda m: _day(m.planned_end)),
        (_("已公开"), lambda m: m.is_published),
        (_("公开时间"), lambda m: _when(m.published_at)),
        (_("最后变动时间"), lambda m: _when(m.updated_at)),
        (_("公开页面"), public_url),
    )


def catalog_item_columns(request=None):
    return (
        (_("编号"), lambda i: i.pk),
        (_("目录编号"), lambda i: i.plan_id),
        (_("年度"), lambda i: i.plan.year),
        (_("报送部门"), lambda i: i.plan.department.name),
        (_("部门代码"), lambda i: i.plan.department.code),
        (_("序号"), lambda i: i.order),
        (_("事项名称"), lambda i: i.title),
        (_("协商类别"), lambda i: i.get_kind_display()),
        (_("拟采取的协商形式"), lambda i: "、".join(i.form_labels)),
        (_("计划开始日期"), lambda i: _day(i.planned_start)),
        (_("计划完成日期"), lambda i: _day(i.planned_end)),
        (_("责任处室"), lambda i: i.responsible_office),
        (_("重大行政决策"), lambda i: i.is_major_decision),
        (_("征求党外人士意见"), lambda i: i.seeks_non_party_opinions),
        (_("对应协商事项编号"), lambda i: i.matter_id or ""),
    )


def proposal_columns(request=None):
    """One row per public item, with its latest sent reply (``public_replies``, read by
    ``proposals.selectors.with_public_parts``). No author, no contact data."""

    def latest(proposal):
        replies = proposal.public_replies
        return replies[-1] if replies else None

    def reply_value(get):
        return lambda p: get(latest(p)) if latest(p) else ""

    return (
        (_("编号"), lambda p: p.pk),
        (_("建议提案编号"), lambda p: p.reference),
        (_("类别"), lambda p: p.get_kind_display()),
        (_("年度"), lambda p: p.year),
        (_("届次会议"), lambda p: p.session),
        (_("标题"), lambda p: p.title),
        (_("主办单位"), lambda p: p.lead_department.name if p.lead_department else ""),
        (_("部门代码"), lambda p: p.lead_department.code if p.lead_department else ""),
        (
            _("协办单位"),
            lambda p: "、".join(co.department.name for co in p.public_co_departments),
        ),
        (_("办理状态"), lambda p: p.get_status_display()),
        (_("答复分类"), lambda p: p.reply_class_label),
        (_("满意度"), lambda p: p.get_satisfaction_display()),
        (_("答复轮次"), reply_value(lambda r: r.round)),
        (_("答复函文号"), reply_value(lambda r: r.document_number)),
        (_("答复时间"), reply_value(lambda r: _when(r.sent_at))),
        (_("答复正文"), reply_value(lambda r: r.body)),
        (_("最后变动时间"), lambda p: _when(p.updated_at)),
        (
            _("公开页面"),
            lambda p: absolute_url(reverse("proposals:public_detail", args=[p.pk]), request),
        ),
    )
