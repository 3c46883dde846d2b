"""Comment periods and opinions in the admin: read-only, for the general office.

Departments run their periods on their own pages; the office reads them here (the
``participation.*.view`` admin rules).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from accounts.admin_access import RulesModelAdmin as ReadOnlyForOfficeAdmin

from ..models import CommentPeriod, Opinion


@admin.register(CommentPeriod)
class CommentPeriodAdmin(ReadOnlyForOfficeAdmin):
    list_display = [
        "title",
        "matter",
        "department_name",
        "starts_at",
        "ends_at",
        "opinion_count",
        "report_published_at",
    ]
    list_filter = [
        "matter__department",
        "matter__kind",
        ("report_published_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "matter__title", "matter__reference"]
    date_hierarchy = "starts_at"
    list_select_related = ["matter__department"]
    department_field = "matter__department_id"
    fields = [
        "matter",
        "draft",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "shortened_reason",
        "created_by",
        "created_at",
        "report_summary",
        "report_published_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_opinion_count=Count("opinions"))

    @admin.display(description=gettext_lazy("牵头部门"), ordering="matter__department__name")
    def department_name(self, obj: CommentPeriod) -> str:
        return obj.matter.department.name

    @admin.display(description=gettext_lazy("意见数"), ordering="_opinion_count")
    def opinion_count(self, obj: CommentPeriod) -> int:
        return obj._opinion_count


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyForOfficeAdmin):
    list_display = [
        "short_content",
        "period",
        "channel",
        "moderation",
        "disposition",
        "received_on",
    ]
    list_filter = ["channel", "disposition", "moderation"]
    search_fields = ["content", "article", "period__title"]
    list_select_related = ["period"]
    department_field = "matter__department_id"
    fields = [
        "period",
        "matter",
        "channel",
        "received_on",
        "content",
        "article",
        "author_name",
        "contact",
        "moderation",
        "disposition",
        "response",
        "disposed_at",
        "disposed_by",
        "recorded_by",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("意见内容"))
    def short_content(self, obj: Opinion) -> str:
        return obj.content[:40]
