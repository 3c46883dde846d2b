"""Mid-year amendments (年中调整) in the admin: the proposal beside the current items, and
the office's decision."""

from django.contrib import admin, messages
from django.db.models import Case, Count, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin_access import ReadOnlyInline, RulesModelAdmin
from core.admin_helpers import DepartmentKindFilter, run_per_object

from .. import services
from ..item_matters import amendment_matter_effects
from ..models import Amendment, AmendmentItem
from .common import ITEM_FIELDS, ItemFormsMixin
from .plans import ReviewActionForm


class AmendmentItemInline(ItemFormsMixin, ReadOnlyInline):
    model = AmendmentItem
    fields = ITEM_FIELDS


@admin.register(Amendment)
class AmendmentAdmin(RulesModelAdmin):
    list_display = [
        "department",
        "year",
        "status",
        "reason",
        "item_count",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "plan__year", ("plan__department__kind", DepartmentKindFilter)]
    search_fields = ["plan__department__name", "reason"]
    list_select_related = ["plan__department", "requested_by", "decided_by"]
    show_full_result_count = False
    fields = [
        "plan",
        "status",
        "reason",
        "requested_by",
        "requested_at",
        "changes",
        "current_items",
        "decided_by",
        "decided_at",
        "decision_comment",
    ]
    inlines = [AmendmentItemInline]
    action_form = ReviewActionForm
    actions = ["accept_selected", "reject_selected"]
    department_field = "plan__department_id"

    def get_queryset(self, request):
        # A department's amendment still being drafted is not the office's business yet.
        return (
            super()
            .get_queryset(request)
            .exclude(status=Amendment.Status.DRAFT)
            .annotate(item_count=Count("items"))
        )

    def get_ordering(self, request):
        # Pending requests first: they are what the office has to act on.
        pending_first = Case(When(status=Amendment.Status.PENDING, then=Value(0)), default=Value(1))
        return [pending_first.asc(), "-requested_at", "-created_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_review_permission(self, request):
        return self.allows(request, "review")

    @admin.display(description=gettext_lazy("部门"), ordering="plan__department__sort_order")
    def department(self, obj: Amendment):
        return obj.plan.department

    @admin.display(description=gettext_lazy("年度"), ordering="plan__year")
    def year(self, obj: Amendment) -> int:
        return obj.plan.year

    @admin.display(description=gettext_lazy("调整后事项数"), ordering="item_count")
    def item_count(self, obj: Amendment) -> int:
        return obj.item_count

    @admin.display(description=gettext_lazy("现行目录事项"))
    def current_items(self, obj: Amendment) -> str:
        items = list(obj.plan.items.all())
        if not items:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} 至 {}</td><td>{}</td></tr>",
            (
                (i.order, i.title, i.get_kind_display(), i.planned_start, i.planned_end,
                 i.responsible_office)
                for i in items
            ),
        )  # fmt: skip
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("序号"),
            _("事项名称"),
            _("协商类别"),
            _("计划时间"),
            _("责任处室"),
        )
        return format_html(
            '<p>{}</p><table class="plan-compare">{}{}</table>',
            _("第%(version)d版（调整前）") % {"version": obj.plan.version},
            head,
            rows,
        )

    @admin.display(description=gettext_lazy("调整内容"))
    def changes(self, obj: Amendment) -> str:
        """What the proposal adds, removes and changes, by item title."""
        current = {item.title: item.snapshot() for item in obj.plan.items.all()}
        proposed = {item.title: item.snapshot() for item in obj.items.all()}
        lines = [_("新增：%(title)s") % {"title": t} for t in proposed if t not in current]
        lines += [_("删除：%(title)s") % {"title": t} for t in current if t not in proposed]
        lines += [
            _("修改：%(title)s") % {"title": t}
            for t in proposed
            if t in current and proposed[t] != current[t]
        ]
        if not lines:
            return _("与现行目录相同。")
        lines += [effect.text for effect in amendment_matter_effects(obj)]
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines))
        )

    def _run(self, request, queryset, decide, done_message) -> None:
        run_per_object(
            self, request, queryset.select_related("plan__department"), decide, done_message
        )

    @admin.action(description=gettext_lazy("同意调整"), permissions=["review"])
    def accept_selected(self, request, queryset):
        comment = (request.POST.get("comment") or "").strip()
        self._run(
            request,
            queryset,
            lambda a: services.amendment_decide(
                amendment=a, by=request.user, accept=True, comment=comment
            ),
            lambda count: (
                ngettext("已同意 %(count)d 项年中调整。", "已同意 %(count)d 项年中调整。", count)
                % {"count": count}
            ),
        )

    @admin.action(description=gettext_lazy("不同意调整"), permissions=["review"])
    def reject_selected(self, request, queryset):
        comment = (request.POST.get("comment") or "").strip()
        if not comment:
            self.message_user(
                request,
                _("不同意调整必须填写审核意见：请在“审核意见”中填写后再执行。"),
                messages.ERROR,
            )
            return
        self._run(
            request,
            queryset,
            lambda a: services.amendment_decide(
                amendment=a, by=request.user, accept=False, comment=comment
            ),
            lambda count: (
                ngettext(
                    "已不同意 %(count)d 项年中调整。", "已不同意 %(count)d 项年中调整。", count
                )
                % {"count": count}
            ),
        )
