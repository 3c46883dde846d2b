"""The general office's review of consultation matters.

Department staff write matters in their browser pages; here the office reads them, with
their steps, stage changes and ledger, and publishes or withdraws them through the
services. Nothing a department filed can be edited or deleted from the admin.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin_access import ReadOnlyInline, RulesModelAdmin
from core.admin_helpers import DepartmentKindFilter, run_per_object

from . import services
from .models import (
    Document,
    DraftVersion,
    LedgerEntry,
    Matter,
    PolicyArea,
    ProcedureStep,
    StageChange,
    ledger_action_choices,
)
from .rules import internal_matters_filter


class ProcedureStepInline(ReadOnlyInline):
    model = ProcedureStep
    fields = [
        "step_type",
        "stage",
        "occurred_on",
        "responsible_person",
        "summary",
        "is_public",
        "recorded_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ["changed_at", "from_stage", "to_stage", "direction", "reason", "changed_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class DraftVersionInline(ReadOnlyInline):
    model = DraftVersion
    fields = ["number", "title", "change_note", "is_published", "published_at", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = [
        "title",
        "category",
        "original_name",
        "size",
        "is_public",
        "is_removed",
        "uploaded_at",
    ]


class LedgerEntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ["created_at", "action", "summary", "actor"]
    classes = ["collapse"]
    verbose_name_plural = gettext_lazy("台账记录")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class MatterActionForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("撤回原因"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("撤回公开时必填。"),
    )


@admin.register(Matter)
class MatterAdmin(RulesModelAdmin):
    list_display = [
        "reference",
        "title",
        "kind",
        "department",
        "year",
        "stage_display",
        "is_published",
        "updated_at",
    ]
    list_filter = [
        "kind",
        "year",
        "is_published",
        "is_major_decision",
        "is_contested",
        "affects_stability",
        ("department__kind", DepartmentKindFilter),
        ("department", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "title", "summary", "department__name"]
    list_select_related = ["department"]
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {"fields": ["reference", "title", "kind", "department", "co_departments", "year"]},
        ),
        (gettext_lazy("内容"), {"fields": ["summary", "legal_basis", "policy_areas"]}),
        (
            gettext_lazy("事项性质"),
            {
                "fields": [
                    "is_major_decision",
                    "is_major_public_interest",
                    "affects_stability",
                    "is_contested",
                    "seeks_non_party_opinions",
                ]
            },
        ),
        (
            gettext_lazy("进度"),
            {
                "fields": [
                    "stage_display",
                    "stage_entered_at",
                    "stage_due_on",
                    "planned_start",
                    "planned_end",
                ]
            },
        ),
        (
            gettext_lazy("公开与记录"),
            {"fields": ["is_published", "published_at", "created_by", "created_at", "updated_at"]},
        ),
    ]
    inlines = [
        ProcedureStepInline,
        StageChangeInline,
        DraftVersionInline,
        DocumentInline,
        LedgerEntryInline,
    ]
    action_form = MatterActionForm
    actions = ["publish_selected", "withdraw_selected"]

    def rows_filter(self, user):
        return internal_matters_filter(user)

    @admin.display(description=gettext_lazy("当前阶段"))
    def stage_display(self, obj: Matter) -> str:
        return obj.stage_label

    def get_readonly_fields(self, request, obj=None):
        # Every field: the matter's content belongs to its department.
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_publish_permission(self, request):
        return self.allows(request, "publish")

    def _run(self, request, queryset, action, done_message) -> None:
        matters = queryset.select_related(None).only("pk", "title")
        run_per_object(self, request, matters, action, done_message, level=messages.WARNING)

    @admin.action(description=gettext_lazy("公开所选事项"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda matter: services.matter_publish(matter=matter, by=request.user),
            lambda count: (
                ngettext("已公开 %(count)d 个事项。", "已公开 %(count)d 个事项。", count)
                % {"count": count}
            ),
        )

    @admin.action(description=gettext_lazy("撤回公开所选事项"), permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if not reason:
            self.message_user(
                request, _("撤回公开必须填写原因：请在“撤回原因”中填写后再执行。"), messages.ERROR
            )
            return
        self._run(
            request,
            queryset,
            lambda matter: services.matter_withdraw(matter=matter, by=request.user, reason=reason),
            lambda count: (
                ngettext(
                    "已撤回 %(count)d 个事项的公开。", "已撤回 %(count)d 个事项的公开。", count
                )
                % {"count": count}
            ),
        )


class LedgerActionFilter(admin.SimpleListFilter):
    title = gettext_lazy("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return ledger_action_choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(LedgerEntry)
class LedgerEntryAdmin(RulesModelAdmin):
    list_display = ["created_at", "department", "matter", "action_name", "summary", "actor"]
    list_filter = [
        LedgerActionFilter,
        ("department", admin.RelatedOnlyFieldListFilter),
        "matter__kind",
        "matter__year",
        "created_at",
    ]
    search_fields = ["summary"]
    list_select_related = ["department", "matter", "actor"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "created_at",
        "department",
        "matter",
        "object_type",
        "object_id",
        "action",
        "summary",
        "before",
        "after",
        "actor",
    ]
    readonly_fields = fields
    department_field = "department_id"

    @admin.display(description=gettext_lazy("操作"), ordering="action")
    def action_name(self, obj: LedgerEntry) -> str:
        return obj.action_label



@admin.register(PolicyArea)
class PolicyAreaAdmin(RulesModelAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "code"]
