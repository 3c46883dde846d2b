from django.contrib import admin

from accounts.admin_access import RulesModelAdmin

from ..models import Participant


@admin.register(Participant)
class ParticipantAdmin(RulesModelAdmin):
    list_display = ["name", "category", "affiliation", "expertise", "is_organisation", "is_active"]
    list_filter = ["category", "is_active", "is_organisation"]
    search_fields = ["name", "affiliation", "expertise"]
    list_select_related = ["created_by"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_per_page = 50

    # Departments keep the registry through their pages (with ledger rows); the office
    # reads it here.
