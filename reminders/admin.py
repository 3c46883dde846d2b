from django.contrib import admin

from accounts.admin_access import RulesModelAdmin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(RulesModelAdmin):
    """The outbox, read-only, for the general office to see what went out and what failed."""

    list_display = ["created_at", "kind", "recipient", "occasion", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient", "subject", "occasion"]
    date_hierarchy = "created_at"
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Reminder._meta.fields]

