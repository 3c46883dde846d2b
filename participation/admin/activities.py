from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_access import RulesModelAdmin

from ..models import Activity


@admin.register(Activity)
class ActivityAdmin(RulesModelAdmin):
    """Read-only: the general office supervises activities; departments run them."""

    list_display = ["title", "kind", "status", "starts_at", "matter", "department", "is_public"]
    list_filter = ["kind", "status", "is_public", ("starts_at", admin.DateFieldListFilter)]
    search_fields = ["title", "matter__title", "matter__reference"]
    date_hierarchy = "starts_at"
    list_select_related = ["matter__department"]
    list_per_page = 50
    department_field = "matter__department_id"

    @admin.display(description=_("牵头部门"))
    def department(self, activity):
        return activity.matter.department.short_name

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Activity._meta.fields]
