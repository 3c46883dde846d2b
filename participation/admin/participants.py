from django.contrib import admin

from ..models import Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "affiliation", "expertise", "is_organisation", "is_active"]
    list_filter = ["category", "is_active", "is_organisation"]
    search_fields = ["name", "affiliation", "expertise"]
    list_select_related = ["created_by"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_per_page = 50

    # Departments keep the registry through their pages (with ledger rows); the office
    # reads it here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("participation.use_registry")

    def has_module_permission(self, request):
        return request.user.has_perm("participation.use_registry")
