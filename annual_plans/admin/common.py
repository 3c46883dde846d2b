"""Pieces the annual plan admin pages share: the item columns and the read-only inlines.

Departments write their catalogs in their own pages; the office reads every filing here and
decides through ``annual_plans.services``; nothing a department filed is edited or deleted.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from accounts.admin_access import ReadOnlyInline

from ..models import Amendment, PlanItem, PlanVersion, SupersededPlanItem

ITEM_FIELDS = [
    "order",
    "title",
    "kind",
    "forms_display",
    "planned_start",
    "planned_end",
    "responsible_office",
    "is_major_decision",
    "seeks_non_party_opinions",
]
# A year outside this range is a typo in the address bar, not a catalog year.


class ItemFormsMixin:
    @admin.display(description=gettext_lazy("拟采取的协商形式"))
    def forms_display(self, obj) -> str:
        return "、".join(obj.form_labels) or "—"


class PlanItemInline(ItemFormsMixin, ReadOnlyInline):
    model = PlanItem
    fields = [*ITEM_FIELDS, "matter", "review_comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("matter")


class SupersededPlanItemInline(ItemFormsMixin, ReadOnlyInline):
    """The items a revision or an amendment replaced, as they were filed."""

    model = SupersededPlanItem
    fields = [*ITEM_FIELDS, "matter", "review_comment", "reason", "superseded_at"]
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("matter")


class PlanVersionInline(ReadOnlyInline):
    model = PlanVersion
    fields = ["number", "item_total", "note", "accepted_by", "accepted_at"]

    @admin.display(description=gettext_lazy("事项数"))
    def item_total(self, obj: PlanVersion) -> int:
        return len(obj.items)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("accepted_by")


class AmendmentInline(ReadOnlyInline):
    model = Amendment
    fields = [
        "status",
        "reason",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_comment",
    ]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by", "decided_by")
