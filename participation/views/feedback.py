"""The feedback report: staff write and publish it; everyone reads it and its PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.content_cache import public_page
from core.exceptions import TransitionError
from core.permissions import require_perm

from ..forms.comments import FeedbackForm
from ..models import CommentPeriod
from ..reports import feedback_report_pdf
from ..selectors.comments import adoption_rates, feedback_stats, period_is_closed
from ..services.feedback import feedback_publish, publish_blockers


@login_required
def feedback_edit(request, pk: int):
    period = get_object_or_404(
        CommentPeriod.objects.select_related("matter__department", "draft"), pk=pk
    )
    require_perm(request, "participation.view_internal", period)
    can_manage = request.user.has_perm("participation.manage", period)
    form = FeedbackForm(request.POST or None, initial={"summary": period.report_summary})
    if request.method == "POST":
        require_perm(request, "participation.manage", period)
        if form.is_valid():
            try:
                feedback_publish(
                    period=period, by=request.user, summary=form.cleaned_data["summary"]
                )
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("意见采纳情况说明已公开。"))
                return redirect("participation:feedback_edit", pk=pk)
    stats = feedback_stats(period=period)
    is_closed = period_is_closed(period, now=timezone.now())
    blockers = [] if period.report_published_at else publish_blockers(period)
    return render(
        request,
        "participation/feedback/edit.html",
        {
            "period": period,
            "matter": period.matter,
            "form": form,
            "stats": stats,
            "can_manage": can_manage,
            "is_closed": is_closed,
            # What the page already lists as a reason to refuse disables the button.
            "can_publish": is_closed and not stats.undisposed and not blockers,
            "blockers": blockers,
            "published": period.report_published_at is not None,
        },
    )


@require_safe
@public_page  # a report of 1,000 opinions takes seconds to render: kept like any public page
def feedback_pdf(request, pk: int):
    period = get_object_or_404(CommentPeriod.objects.select_related("matter"), pk=pk)
    public = period.matter.is_published and period.report_published_at is not None
    if not public:
        raise Http404
    pdf = feedback_report_pdf(period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, _("意见采纳情况说明-%(reference)s.pdf") % {"reference": period.matter.reference}
    )
    return response


@login_required
@require_safe
def adoption_rate_list(request):
    require_perm(request, "participation.view_adoption_rates")
    year = request.GET.get("year", "")
    all_rows = adoption_rates()
    years = sorted({row.year for row in all_rows}, reverse=True)
    rows = [row for row in all_rows if not year.isdigit() or row.year == int(year)]
    return render(
        request,
        "participation/feedback/adoption_rates.html",
        {"rows": rows, "year": year, "years": years},
    )
