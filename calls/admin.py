"""Public calls in the admin: read only, for the office's and the administrators'
look-ups. Every change is made on the staff pages through ``calls.services``; proposers'
contact details are not shown here."""

from django.contrib import admin

from accounts.admin_access import RulesModelAdmin

from .models import Call


@admin.register(Call)
class CallAdmin(RulesModelAdmin):
    list_display = ["title", "kind", "year", "department", "starts_at", "ends_at"]
    list_filter = ["kind", "year", "department"]
    search_fields = ["title"]
    list_select_related = ["department"]
    fields = [
        "kind",
        "title",
        "year",
        "department",
        "scope",
        "guidance",
        "starts_at",
        "ends_at",
        "published_at",
        "results_published_at",
        "result_summary",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    department_field = "department_id"
