"""Invitations and hearing registrations in the admin: the general office reads them.

Nothing is edited here: replies come through the personal links, choices through the
department's pages, both via the services that write the ledger.
"""

from django.contrib import admin

from accounts.admin_access import RulesModelAdmin as ReadOnlyAdmin

from ..models import Draw, Invitation, Registration


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "participant",
        "activity",
        "status",
        "reply_deadline",
        "replied_at",
        "attended",
        "sent_at",
    ]
    list_filter = ["status", "attended", "participant__category"]
    search_fields = ["participant__name", "activity__title", "activity__matter__title"]
    list_select_related = ["participant", "activity"]
    department_field = "activity__matter__department_id"
    fields = [
        "activity",
        "participant",
        "status",
        "decline_reason",
        "reply_deadline",
        "replied_at",
        "attended",
        "sent_at",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    show_full_result_count = False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name", "activity", "position", "status", "created_at"]
    list_filter = ["status", "position"]
    search_fields = ["name", "activity__title"]
    list_select_related = ["activity"]
    department_field = "activity__matter__department_id"
    fields = [
        "activity",
        "name",
        "phone",
        "email",
        "position",
        "statement",
        "status",
        "notified_at",
        "created_at",
    ]
    readonly_fields = fields
    show_full_result_count = False


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ["activity", "seed", "places", "drawn_by", "drawn_at"]
    list_select_related = ["activity", "drawn_by"]
    department_field = "activity__matter__department_id"
    fields = ["activity", "seed", "places", "candidates", "selected", "drawn_by", "drawn_at"]
    readonly_fields = fields
