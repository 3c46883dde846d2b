from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The outbox, read-only, for the general office to see what went out and what failed."""

    list_display = ["created_at", "kind", "recipient", "occasion", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient", "subject", "occasion"]
    date_hierarchy = "created_at"
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.access_admin")

    def has_module_permission(self, request):
        return request.user.has_perm("accounts.access_admin")
