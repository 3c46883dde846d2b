"""Public catalogs: each department's published catalog, the municipal consolidated
catalogs, and the formal PDFs."""

from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.content_cache import public_page

from .. import reports
from ..forms import CatalogFilterForm
from ..selectors import (
    consolidated_items,
    plans_public_overview,
    plans_with_items,
    public_years,
)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # A download, as the link says and as every other document of the portal is.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
@public_page
def catalog_index(request):
    years = public_years()
    if years:
        return redirect("annual_plans:public_year", year=years[0])
    return render(request, "annual_plans/public_year.html", {"years": [], "plans": []})


@require_safe
@public_page
def catalog_year(request, year: int):
    # Lazy: the catalogs are a shared fragment of the page, and a kept copy needs none
    # of them.
    form = CatalogFilterForm(request.GET or None)

    def year_plans():
        plans = plans_public_overview(year=year)
        if form.is_valid() and form.cleaned_data["department_kind"]:
            plans = plans.filter(department__kind=form.cleaned_data["department_kind"])
        return list(plans)

    plans = SimpleLazyObject(year_plans)
    return render(
        request,
        "annual_plans/public_year.html",
        {
            "year": year,
            "years": SimpleLazyObject(public_years),
            "plans": plans,
            "form": form,
            "item_count": SimpleLazyObject(lambda: sum(plan.item_total for plan in plans)),
        },
    )


@require_safe
@public_page
def plan_public_detail(request, pk: int):
    plan = get_object_or_404(plans_with_items(), pk=pk)
    if not plan.is_public:
        raise Http404
    return render(
        request,
        "annual_plans/public_detail.html",
        {"plan": plan, "versions": plan.versions.order_by("number")},
    )


CONSOLIDATED = {
    "major-decisions": (
        {"major_decisions": True},
        gettext_lazy("重大行政决策事项目录"),
    ),
    "non-party": ({"non_party": True}, gettext_lazy("征求党外人士意见事项目录")),
}


@require_safe
@public_page
def consolidated(request, year: int, which: str):
    if which not in CONSOLIDATED:
        raise Http404
    filters, title = CONSOLIDATED[which]
    return render(
        request,
        "annual_plans/consolidated.html",
        {
            "year": year,
            "title": title,
            "which": which,
            "items": consolidated_items(year=year, **filters)
            .select_related(None)
            .annotate(
                department_short_name=F("plan__department__short_name"),
                matter_is_published=F("matter__is_published"),
            ),
        },
    )


@require_safe
@public_page  # a 500-item year takes seconds to render: kept like any public page
def consolidated_pdf(request, year: int):
    if year not in public_years():
        raise Http404
    return _pdf(
        reports.consolidated_catalog_pdf(year=year),
        _("%(year)d年度政府协商计划目录汇编.pdf") % {"year": year},
    )


@require_safe
def filing_form_pdf(request, pk: int):
    plan = get_object_or_404(plans_with_items(), pk=pk)
    if not request.user.has_perm("annual_plans.download_filing_form", plan):
        raise Http404
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _pdf(
        reports.filing_form_pdf(plan),
        _("%(department)s%(year)d年度政府协商计划目录备案表-%(stamp)s.pdf")
        % {"department": plan.department.short_name, "year": plan.year, "stamp": stamp},
    )
