"""Filings in the admin: the list, the per-year overview, and the review page where the
office accepts, returns (with comments overall and per item) or publishes a catalog."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin_access import RulesModelAdmin
from accounts.rules import can_access_admin
from core.admin_helpers import DepartmentKindFilter, run_per_object
from core.dates import shown_datetime
from core.exceptions import TransitionError
from core.years import parse_year
from matters.models import LedgerEntry

from .. import selectors, services
from ..deadlines import SHANGHAI, deadline_for, default_deadline
from ..models import Amendment, AnnualPlan, FilingDeadline
from ..selectors import FilingState
from .common import (
    AmendmentInline,
    PlanItemInline,
    PlanVersionInline,
    SupersededPlanItemInline,
)


class PendingAmendmentFilter(admin.SimpleListFilter):
    title = gettext_lazy("是否有待审核的年中调整")
    parameter_name = "pending_amendment"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("有")), ("no", gettext_lazy("无"))]

    def queryset(self, request, queryset):
        pending = Exists(
            Amendment.objects.filter(plan=OuterRef("pk"), status=Amendment.Status.PENDING)
        )
        if self.value() == "yes":
            return queryset.filter(pending)
        if self.value() == "no":
            return queryset.filter(~pending)
        return queryset


class ReviewActionForm(ActionForm):
    comment = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 1, "cols": 36, "placeholder": gettext_lazy("退回修改、不同意调整时必填")}
        ),
    )


class PlanReviewForm(forms.Form):
    """The review page: one optional comment per item and the overall comment."""

    ACCEPT, RETURN = "accept", "return"

    comment = forms.CharField(
        label=gettext_lazy("总体审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=gettext_lazy("退回修改时必填；同意备案时可不填。"),
    )

    def __init__(self, *args, items, decision: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.decision = decision
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=item.title,
                required=False,
                initial=item.review_comment,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
            )

    def item_rows(self):
        return [(item, self[f"item_{item.pk}"]) for item in self.items]

    def item_comments(self) -> dict[int, str]:
        return {
            item.pk: self.cleaned_data[f"item_{item.pk}"]
            for item in self.items
            if self.cleaned_data.get(f"item_{item.pk}")
        }

    def clean(self):
        cleaned = super().clean()
        if self.decision not in (self.ACCEPT, self.RETURN):
            raise forms.ValidationError(_("请选择“同意备案”或“退回修改”。"))
        if self.decision == self.RETURN and not cleaned.get("comment"):
            self.add_error("comment", _("退回修改必须填写总体审核意见。"))
        if self.decision == self.ACCEPT and self.item_comments():
            # Accepting clears item comments; refuse rather than drop what was typed.
            raise forms.ValidationError(
                _("填写了逐项意见时不能直接同意备案：请选择“退回修改”，或清空逐项意见后再同意。")
            )
        return cleaned


@admin.register(AnnualPlan)
class AnnualPlanAdmin(RulesModelAdmin):
    list_display = [
        "department",
        "year",
        "status",
        "review_link",
        "late_badge",
        "first_submitted_at",
        "submitted_at",
        "item_count",
        "version_display",
        "reviewed_by",
    ]
    list_filter = [
        "year",
        "status",
        ("department__kind", DepartmentKindFilter),
        "is_late",
        PendingAmendmentFilter,
    ]
    search_fields = ["department__name"]
    list_select_related = ["department", "reviewed_by"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["department", "year", "status", "version_display", "late_badge"]}),
        (
            gettext_lazy("报送"),
            {
                "fields": [
                    "is_empty",
                    "empty_reason",
                    "contact_person",
                    "contact_phone",
                    "signed_off_by",
                    "signed_off_at",
                    "first_submitted_at",
                    "submitted_at",
                ]
            },
        ),
        (
            gettext_lazy("审核与公示"),
            {"fields": ["reviewed_by", "reviewed_at", "review_comment", "published_at"]},
        ),
        (
            gettext_lazy("台账记录"),
            {
                "fields": ["ledger", "created_by", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [PlanItemInline, PlanVersionInline, AmendmentInline, SupersededPlanItemInline]
    action_form = ReviewActionForm
    actions = ["accept_selected", "return_selected", "publish_selected"]
    department_field = "department_id"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_review_permission(self, request):
        # Deciding filings is the general office's: a system administrator only reads.
        return self.allows(request, "review")

    # Columns and read-only fields

    # Not the is_late field itself: the admin draws a True boolean as a green tick, which
    # read as approval of a late filing.
    @admin.display(description=gettext_lazy("逾期报送"), ordering="is_late")
    def late_badge(self, obj: AnnualPlan) -> str:
        if not obj.is_late:
            return "—"
        return format_html('<span class="plan-badge plan-badge-late">{}</span>', _("逾期"))

    @admin.display(description=gettext_lazy("现行版本"), ordering="version")
    def version_display(self, obj: AnnualPlan) -> str:
        # A version exists from the first acceptance on: a filed plan has none yet, not "0".
        if not obj.version:
            return _("尚未备案")
        return _("第%(number)d版") % {"number": obj.version}

    @admin.display(description=gettext_lazy("事项数"), ordering="item_count")
    def item_count(self, obj: AnnualPlan) -> int:
        return obj.item_count

    @admin.display(description=gettext_lazy("审核"))
    def review_link(self, obj: AnnualPlan) -> str:
        if not obj.can_review():
            return ""
        return format_html('<a href="{}">{}</a>', self._review_url(obj.pk), _("审核"))

    @admin.display(description=gettext_lazy("台账记录"))
    def ledger(self, obj: AnnualPlan) -> str:
        entries = (
            LedgerEntry.objects.filter(object_type="annualplan", object_id=obj.pk)
            .select_related("actor")
            .order_by("created_at", "pk")
        )
        rows = [
            (shown_datetime(timezone.localtime(e.created_at)), e.summary, e.actor) for e in entries
        ]
        if not rows:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}（{}）</li>", rows))

    # Pages

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        custom = [
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name="{}_{}_overview".format(*info),
            ),
            path(
                "review/<int:pk>/",
                self.admin_site.admin_view(self.review_view),
                name="{}_{}_review".format(*info),
            ),
            path(
                "publish/<int:pk>/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
        ]
        # Before the defaults, whose "<path:object_id>/" would swallow these addresses.
        return custom + super().get_urls()

    def _review_url(self, pk: int) -> str:
        return reverse(f"{self.admin_site.name}:annual_plans_annualplan_review", args=[pk])

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if can_access_admin(request.user):
            extra_context["overview_url"] = reverse(
                f"{self.admin_site.name}:annual_plans_annualplan_overview"
            )
        return super().changelist_view(request, extra_context)

    def _publish_url(self, pk: int) -> str:
        return reverse(f"{self.admin_site.name}:annual_plans_annualplan_publish", args=[pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_review_permission(request):
            if obj.can_review():
                context["review_url"] = self._review_url(obj.pk)
            if obj.can_publish():
                context["publish_url"] = self._publish_url(obj.pk)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def publish_view(self, request, pk: int):
        """向社会公示 one accepted catalog, after a confirmation: it cannot be taken back."""
        if not self.has_review_permission(request):
            raise PermissionDenied
        plan = get_object_or_404(AnnualPlan.objects.select_related("department"), pk=pk)
        change_url = reverse(
            f"{self.admin_site.name}:annual_plans_annualplan_change", args=[plan.pk]
        )
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                services.plan_publish(plan=plan, by=request.user)
            except TransitionError as error:
                self.message_user(
                    request,
                    _("“%(plan)s”：%(error)s") % {"plan": plan, "error": error},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("已向社会公示“%(plan)s”。") % {"plan": plan}, messages.SUCCESS
                )
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("向社会公示%(plan)s") % {"plan": plan},
            "plan": plan,
            "can_publish": plan.can_publish(),
            "unconfirmed": request.method == "POST",
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/annual_plans/publish.html", context)

    def review_view(self, request, pk: int):
        """Accept, or return with an overall comment and optional comments on each item."""
        if not self.has_review_permission(request):
            raise PermissionDenied
        plan = get_object_or_404(selectors.plans_with_items(), pk=pk)
        items = list(plan.items.all())
        if request.method == "POST":
            decision = (
                PlanReviewForm.ACCEPT
                if "_accept" in request.POST
                else PlanReviewForm.RETURN
                if "_return" in request.POST
                else None
            )
            form = PlanReviewForm(request.POST, items=items, decision=decision)
            if form.is_valid():
                try:
                    self._decide(request, plan, form)
                except TransitionError as error:
                    # Someone else decided first, or the service refused: keep what was typed.
                    self.message_user(
                        request,
                        _("“%(plan)s”：%(error)s") % {"plan": plan, "error": error},
                        messages.ERROR,
                    )
                    plan.refresh_from_db(fields=["status"])
                else:
                    return redirect(
                        f"{self.admin_site.name}:annual_plans_annualplan_change", plan.pk
                    )
        else:
            form = PlanReviewForm(items=items)
            if not plan.can_review():
                self.message_user(
                    request,
                    _("该目录当前状态为“%(status)s”，不在待审核状态。")
                    % {"status": plan.get_status_display()},
                    messages.WARNING,
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("审核%(plan)s") % {"plan": plan},
            "plan": plan,
            "form": form,
            "can_review": plan.can_review(),
            "publish_url": self._publish_url(plan.pk) if plan.can_publish() else "",
            "change_url": reverse(
                f"{self.admin_site.name}:annual_plans_annualplan_change", args=[plan.pk]
            ),
        }
        return TemplateResponse(request, "admin/annual_plans/review.html", context)

    def _decide(self, request, plan: AnnualPlan, form: PlanReviewForm) -> None:
        comment = form.cleaned_data["comment"]
        if form.decision == PlanReviewForm.ACCEPT:
            services.plan_accept(plan=plan, by=request.user, comment=comment)
            message = _("已同意“%(plan)s”备案。")
        else:
            services.plan_return(
                plan=plan, by=request.user, comment=comment, item_comments=form.item_comments()
            )
            message = _("已将“%(plan)s”退回修改。")
        self.message_user(request, message % {"plan": plan}, messages.SUCCESS)

    def overview_view(self, request):
        """Every department that must file, with where it stands for the chosen year."""
        if not can_access_admin(request.user):
            raise PermissionDenied
        this_year = timezone.localtime(timezone.now(), SHANGHAI).year
        year = _chosen_year(request, default=this_year)
        state = request.GET.get("state") or ""
        if state and state not in FilingState.LABELS:
            messages.error(
                request, _("报送情况“%(state)s”无效，已显示全部部门。") % {"state": state}
            )
            state = ""
        moved = FilingDeadline.objects.filter(year=year).select_related("set_by").first()
        rows = selectors.filing_overview(year=year)
        counts = selectors.overview_counts(rows)
        years = set(AnnualPlan.objects.values_list("year", flat=True).distinct())
        years |= {this_year, this_year + 1, year}
        change_name = f"{self.admin_site.name}:annual_plans_annualplan_change"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("%(year)d年度计划目录报送情况") % {"year": year},
            "year": year,
            "years": sorted(years, reverse=True),
            "state": state,
            "deadline": moved.deadline if moved else deadline_for(year),
            "default_deadline": default_deadline(year),
            "moved": moved,
            "total": len(rows),
            "counts": [
                {"state": key, "label": label, "count": counts[key]}
                for key, label in FilingState.LABELS.items()
            ],
            "rows": [
                {
                    "row": row,
                    "url": reverse(change_name, args=[row.plan.pk]) if row.plan else "",
                }
                for row in rows
                if not state or row.state == state
            ],
            "changelist_url": reverse(f"{self.admin_site.name}:annual_plans_annualplan_changelist"),
        }
        return TemplateResponse(request, "admin/annual_plans/overview.html", context)

    # Actions

    def _run(self, request, queryset, action, done_message) -> None:
        run_per_object(self, request, queryset.select_related("department"), action, done_message)

    @admin.action(description=gettext_lazy("同意备案"), permissions=["review"])
    def accept_selected(self, request, queryset):
        comment = (request.POST.get("comment") or "").strip()
        self._run(
            request,
            queryset,
            lambda plan: services.plan_accept(plan=plan, by=request.user, comment=comment),
            lambda count: (
                ngettext("已同意 %(count)d 份目录备案。", "已同意 %(count)d 份目录备案。", count)
                % {"count": count}
            ),
        )

    @admin.action(description=gettext_lazy("退回修改"), permissions=["review"])
    def return_selected(self, request, queryset):
        comment = (request.POST.get("comment") or "").strip()
        if not comment:
            self.message_user(
                request,
                _("退回修改必须填写审核意见：请在“审核意见”中填写后再执行。"),
                messages.ERROR,
            )
            return
        self._run(
            request,
            queryset,
            lambda plan: services.plan_return(plan=plan, by=request.user, comment=comment),
            lambda count: (
                ngettext("已退回 %(count)d 份目录修改。", "已退回 %(count)d 份目录修改。", count)
                % {"count": count}
            ),
        )

    @admin.action(description=gettext_lazy("向社会公示"), permissions=["review"])
    def publish_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda plan: services.plan_publish(plan=plan, by=request.user),
            lambda count: (
                ngettext(
                    "已向社会公示 %(count)d 份目录。", "已向社会公示 %(count)d 份目录。", count
                )
                % {"count": count}
            ),
        )


def _chosen_year(request, *, default: int) -> int:
    raw = request.GET.get("year")
    try:
        year = parse_year(raw)
    except ValueError:
        messages.error(
            request,
            _("年度“%(raw)s”无效，已显示%(year)d年度。") % {"raw": raw, "year": default},
        )
        return default
    return default if year is None else year
