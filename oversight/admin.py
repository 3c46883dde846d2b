"""Supervision orders in the admin: read only, for the office's and the administrators'
look-ups. Every change is made on the staff pages through ``oversight.services``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from accounts.admin_access import ReadOnlyInline, RulesModelAdmin

from .models import Answer, Order, Urging


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["round", "status", "body", "signed_by", "signed_at", "is_late", "decision_note"]


class UrgingInline(ReadOnlyInline):
    model = Urging
    fields = ["at", "by", "note", "was_overdue"]


@admin.register(Order)
class OrderAdmin(RulesModelAdmin):
    list_display = ["reference_display", "title", "about", "department", "status", "due_date"]
    list_filter = ["year", "about", "status", "department"]
    search_fields = ["title", "requirement"]
    list_select_related = ["department"]
    fields = [
        "year",
        "number",
        "about",
        "plan_item",
        "matter",
        "period",
        "proposal",
        "department",
        "title",
        "requirement",
        "due_date",
        "status",
        "round",
        "issued_by",
        "issued_at",
        "urge_count",
        "last_urged_at",
        "answered_at",
        "closed_at",
        "withdraw_reason",
    ]
    readonly_fields = fields
    inlines = [AnswerInline, UrgingInline]
    department_field = "department_id"

    @admin.display(description=gettext_lazy("编号"), ordering="number")
    def reference_display(self, obj: Order) -> str:
        return obj.reference
