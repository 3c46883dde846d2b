"""Suggestions and proposals in the admin: read only, for the office's and the
administrators' look-ups. Every change is made in the staff pages through
``proposals.services`` (see proposals/views/office.py); authors' contact details stay in
the participant registry and are not shown here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from accounts.admin_access import ReadOnlyInline, RulesModelAdmin

from .models import Author, Proposal


class AuthorInline(ReadOnlyInline):
    model = Author
    fields = ["participant", "role", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant")


@admin.register(Proposal)
class ProposalAdmin(RulesModelAdmin):
    list_display = [
        "reference_display",
        "title",
        "kind",
        "status",
        "lead_department",
        "due_date",
        "reply_class",
        "satisfaction",
    ]
    list_filter = ["year", "kind", "status", "lead_department", "is_key", "is_public"]
    search_fields = ["number", "title"]
    list_select_related = ["lead_department"]
    show_full_result_count = False
    fields = [
        "kind",
        "year",
        "number",
        "session",
        "source",
        "title",
        "body",
        "policy_area",
        "is_public",
        "is_key",
        "leading_leader",
        "status",
        "lead_department",
        "assigned_at",
        "sign_for_deadline",
        "signed_at",
        "due_date",
        "round",
        "reply_class",
        "replied_at",
        "satisfaction",
        "verdict",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [AuthorInline]
    department_field = "lead_department_id"

    @admin.display(description=gettext_lazy("编号"), ordering="number")
    def reference_display(self, obj: Proposal) -> str:
        return obj.reference
