"""What waits for a staff user, grouped into panels on the workbench (工作台)."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, npgettext

from core.dates import shown_date, shown_datetime


@dataclass
class WorkItem:
    title: str
    url: str
    note: str | Promise = ""


@dataclass
class Panel:
    title: str | Promise
    empty_text: str | Promise
    items: list[WorkItem] = field(default_factory=list)

    @classmethod
    def for_users_without_department(cls, users) -> "Panel":
        return cls(
            title=_("待分配部门的账户"),
            empty_text=_("所有经办人和负责人都已分配到启用的部门。"),
            items=[
                WorkItem(
                    title=user.display_name,
                    url=reverse("admin:accounts_user_change", args=[user.pk]),
                    note=_("所属部门已停用") if user.department_id else _("未指定所属部门"),
                )
                for user in users[:50]
            ],
        )

    @classmethod
    def for_matters(cls, matters, *, today) -> "Panel":
        items = []
        for matter in matters:
            if matter.stage_due_on and matter.stage_due_on < today:
                note = _("“%(stage)s”阶段已超过计划完成日期 %(due)s") % {
                    "stage": matter.stage_label,
                    "due": shown_date(matter.stage_due_on),
                }
            else:
                note = _("尚未向社会公开")
            items.append(
                WorkItem(
                    title=f"{matter.reference} {matter.title}",
                    url=reverse("matters:staff_detail", args=[matter.pk]),
                    note=note,
                )
            )
        return cls(
            title=_("本部门待办的协商事项"),
            empty_text=_("本部门的协商事项均已公开，且没有逾期阶段。"),
            items=items,
        )

    @classmethod
    def for_own_plan(cls, plan, *, year: int, deadline) -> "Panel":
        start_url = reverse("annual_plans:staff_list")
        if plan is None:
            items = [
                WorkItem(
                    title=_("新建%(year)d年度计划目录") % {"year": year},
                    url=start_url,
                    note=_("报送截止时间：%(deadline)s") % {"deadline": shown_datetime(deadline)},
                )
            ]
        elif plan.is_editable:
            note = (
                _("已退回修改：%(comment)s") % {"comment": plan.review_comment}
                if plan.status == plan.Status.RETURNED
                else _("草稿，报送截止时间：%(deadline)s") % {"deadline": shown_datetime(deadline)}
            )
            items = [
                WorkItem(
                    title=_("%(year)d年度计划目录") % {"year": year},
                    url=reverse("annual_plans:staff_detail", args=[plan.pk]),
                    note=note,
                )
            ]
        else:
            items = []
        return cls(
            title=_("年度计划目录报送"),
            empty_text=_("本年度计划目录已报送。"),
            items=items,
        )

    @classmethod
    def for_review(cls, plans, amendments) -> "Panel":
        items = [
            WorkItem(
                title=str(plan),
                url=reverse("admin:annual_plans_annualplan_change", args=[plan.pk]),
                note=_("待审核备案%(late)s") % {"late": _("（逾期报送）") if plan.is_late else ""},
            )
            for plan in plans
        ] + [
            WorkItem(
                title=str(amendment.plan),
                url=reverse("admin:annual_plans_amendment_change", args=[amendment.pk]),
                note=_("待审核年中调整"),
            )
            for amendment in amendments
        ]
        return cls(
            title=_("待审核的目录备案和年中调整"),
            empty_text=_("暂无待审核的目录。"),
            items=items,
        )

    @classmethod
    def for_comment_periods(cls, periods, *, now) -> "Panel":
        items = []
        for period in periods:
            if period.ends_at > now:
                note = _("征求意见将于 %(ends)s 截止") % {
                    "ends": shown_datetime(timezone.localtime(period.ends_at))
                }
            else:
                note = _("已截止，意见采纳情况尚未公开")
            items.append(
                WorkItem(
                    title=period.title,
                    url=reverse("participation:staff_period", args=[period.pk]),
                    note=note,
                )
            )
        return cls(
            title=_("本部门的征求意见"),
            empty_text=_("没有即将截止或待公开采纳情况的征求意见。"),
            items=items,
        )

    @classmethod
    def for_public_input(cls, opinion_rows, activities, *, now) -> "Panel":
        """What the public sent that waits for the department: opinions to moderate and to
        dispose of, per comment period, and hearing registrations to decide, per hearing,
        each with its count and a link to the filtered register."""
        items = []
        for row in opinion_rows:
            url = reverse("participation:staff_period", args=[row["period_id"]])
            if row["pending"]:
                items.append(
                    # The count is in the link: one period may have two links.
                    WorkItem(
                        title=ngettext(
                            "%(period)s：%(count)d条意见待审核是否公开显示",
                            "%(period)s：%(count)d条意见待审核是否公开显示",
                            row["pending"],
                        )
                        % {"period": row["period__title"], "count": row["pending"]},
                        url=f"{url}?moderation=pending",
                    )
                )
            if row["undisposed"]:
                items.append(
                    # The count is in the link: one period may have two links.
                    WorkItem(
                        title=ngettext(
                            "%(period)s：%(count)d条意见待处理（采纳情况）",
                            "%(period)s：%(count)d条意见待处理（采纳情况）",
                            row["undisposed"],
                        )
                        % {"period": row["period__title"], "count": row["undisposed"]},
                        url=f"{url}?undisposed=on",
                    )
                )
        for activity in activities:
            count = activity.new_registrations
            closes = activity.registration_closes_at
            if closes is not None and closes > now:
                note = ngettext(
                    "%(count)d人报名，报名将于%(closes)s截止，截止后选定听证代表",
                    "%(count)d人报名，报名将于%(closes)s截止，截止后选定听证代表",
                    count,
                ) % {"count": count, "closes": shown_datetime(closes)}
            else:
                note = ngettext(
                    "%(count)d人报名，待选定听证代表",
                    "%(count)d人报名，待选定听证代表",
                    count,
                ) % {"count": count}
            items.append(
                WorkItem(
                    title=activity.title,
                    url=reverse("participation:registration_list", args=[activity.pk]),
                    note=note,
                )
            )
        return cls(
            title=_("待处理的公众意见和报名"),
            empty_text=_("没有待审核、待处理的公众意见，也没有待选定代表的听证报名。"),
            items=items,
        )

    @classmethod
    def for_letters(cls, addressees, *, can_sign: bool) -> "Panel":
        """Letters of solicitation the department was sent as a body and has not answered:
        each links to its answer page, saying whether the answer awaits drafting or the
        leader's signature, and by when."""
        items = []
        for addressee in addressees:
            solicitation = addressee.solicitation
            if addressee.prepared_at and can_sign:
                note = _("反馈意见已起草，待您签发")
            elif addressee.prepared_at:
                note = _("反馈意见已起草，待单位负责人签发")
            else:
                note = _("待起草反馈意见")
            items.append(
                WorkItem(
                    title=_("%(sender)s：%(title)s")
                    % {"sender": solicitation.matter.department.name, "title": solicitation.title},
                    url=reverse("solicitations:answer", args=[solicitation.pk, addressee.pk]),
                    note=_("%(note)s；请于%(date)s前反馈")
                    % {"note": note, "date": shown_date(solicitation.deadline)},
                )
            )
        return cls(
            title=_("待反馈的征求意见函"),
            empty_text=_("没有待本单位反馈的征求意见函。"),
            items=items,
        )

    @classmethod
    def for_orders(cls, orders, *, can_sign: bool, today) -> "Panel":
        """督办 orders the department has not yet reported on, soonest due first: whether
        the report awaits drafting, the leader's signature or a second round."""
        items = []
        for order in orders:
            if order.drafted and can_sign:
                note = _("办理情况已起草，待您签发")
            elif order.drafted:
                note = _("办理情况已起草，待单位负责人签发")
            elif order.status == order.Status.RETURNED:
                note = _("办理情况被退回，请重新办理")
            else:
                note = _("待起草办理情况")
            late = order.due_date < today
            items.append(
                WorkItem(
                    title=f"{order.reference} {order.title}",
                    url=reverse("oversight:detail", args=[order.pk]),
                    note=(
                        _("%(note)s；已超过办理时限（%(date)s）")
                        if late
                        else _("%(note)s；请于%(date)s前报送")
                    )
                    % {"note": note, "date": shown_date(order.due_date)},
                )
            )
        return cls(
            title=_("督办事项"),
            empty_text=_("没有待本单位办理的督办事项。"),
            items=items,
        )

    @classmethod
    def for_orders_to_decide(cls, orders) -> "Panel":
        """督办 reports the departments have signed, waiting for the office."""
        return cls(
            title=_("待审核的督办办理情况"),
            empty_text=_("没有待审核的督办办理情况。"),
            items=[
                WorkItem(
                    title=f"{order.reference} {order.title}",
                    url=reverse("oversight:detail", args=[order.pk]),
                    note=_("%(department)s · %(time)s报送")
                    % {
                        "department": order.department.name,
                        "time": shown_date(timezone.localdate(order.answered_at)),
                    },
                )
                for order in orders
            ],
        )

    @classmethod
    def for_execution(cls, block) -> "Panel":
        """The department's catalog of the year carried out: the execution rate, and the
        items late to start or behind, each linking to its list."""
        items = []
        if block.lines:
            line = block.lines[0]
            items.append(
                WorkItem(
                    title=_("执行率：%(rate)s") % {"rate": line.rate_display},
                    url=line.url,
                    note=_("目录事项%(items)d项，已启动%(started)d项，已完成协商%(completed)d项")
                    % {
                        "items": line.figures["items"],
                        "started": line.figures["started"],
                        "completed": line.figures["completed"],
                    },
                )
            )
            for key, label in (
                ("not_started", _("逾期未启动的目录事项")),
                ("behind", _("进度滞后的目录事项")),
            ):
                if line.figures[key]:
                    items.append(
                        WorkItem(
                            title=str(label),
                            url=f"{line.url}&state={key}",
                            note=npgettext(
                                "catalog items", "%(count)d项", "%(count)d项", line.figures[key]
                            )
                            % {"count": line.figures[key]},
                        )
                    )
        return cls(
            title=_("%(year)d年度计划目录执行情况") % {"year": block.year},
            empty_text=_("本年度还没有备案的计划目录。"),
            items=items,
        )

    @classmethod
    def for_sign_off(cls, plans) -> "Panel":
        return cls(
            title=_("待负责人审签的目录"),
            empty_text=_("没有待您审签的年度计划目录。"),
            items=[
                WorkItem(
                    title=_("%(year)d年度计划目录") % {"year": plan.year},
                    url=reverse("annual_plans:staff_detail", args=[plan.pk]),
                    note=_("待您审签，审签后经办人方可报送"),
                )
                for plan in plans
            ],
        )

    @classmethod
    def for_proposals(cls, counts: dict, *, list_url: str, office: bool = False) -> "Panel":
        """建议提案: a department's items to sign for, due within 15 days and overdue; or
        the office's queues. Each line links to its list; empty queues are left out."""
        if office:
            lines = (
                ("registered", _("待交办的建议提案")),
                ("returned", _("退回待重新交办的建议提案")),
                ("extensions", _("待审批的延期申请")),
                ("replied", _("已答复待测评的建议提案")),
            )
            parameter = "queue"
        else:
            lines = (
                ("assigned", _("待签收的建议提案")),
                ("due_soon", _("15天内到期的建议提案")),
                ("overdue", _("逾期未答复的建议提案")),
            )
            parameter = "tab"
        items = [
            WorkItem(
                title=str(label),
                url=f"{list_url}?{parameter}={key}",
                note=ngettext("%(count)d件", "%(count)d件", counts[key]) % {"count": counts[key]},
            )
            for key, label in lines
            if counts.get(key)
        ]
        return cls(
            title=_("建议提案办理"),
            empty_text=_("没有待交办、待审批或待测评的建议提案。")
            if office
            else _("没有待签收、即将到期或逾期的建议提案。"),
            items=items,
        )
