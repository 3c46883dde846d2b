"""Surveys in the admin: read only, for the office's and the administrators' look-ups.
Every change is made in the staff pages through ``surveys.services``; responses and their
answers are read on the results pages, not here."""

from django.contrib import admin

from accounts.admin_access import ReadOnlyInline, RulesModelAdmin

from .models import Question, Survey


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ["section", "position", "kind", "text", "required"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")


@admin.register(Survey)
class SurveyAdmin(RulesModelAdmin):
    list_display = [
        "title",
        "kind",
        "department",
        "opens_at",
        "closes_at",
        "audience",
        "response_count",
    ]
    list_filter = ["year", "kind", "audience", "results_shown", "is_offline_record", "department"]
    search_fields = ["title", "matter__reference", "matter__title"]
    list_select_related = ["department"]
    show_full_result_count = False
    fields = [
        "matter",
        "department",
        "kind",
        "year",
        "title",
        "introduction",
        "opens_at",
        "closes_at",
        "audience",
        "one_response_per_person",
        "results_shown",
        "allow_resume",
        "published_at",
        "cancelled_at",
        "cancel_reason",
        "is_offline_record",
        "reported_responses",
        "response_count",
        "suspected_duplicates",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [QuestionInline]
    department_field = "department_id"
