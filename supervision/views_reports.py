"""The year's supervision report pages: the office asks for a year's report, watches it
being built, and downloads it. The building is the worker's (``tasks``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.permissions import require_perm
from core.years import parse_year

from . import tasks
from .models import SupervisionReport


@login_required
@require_safe
def report_list(request):
    require_perm(request, "supervision.view_dashboard")
    this_year = timezone.localdate().year
    return render(
        request,
        "dashboard/reports.html",
        {
            "reports": SupervisionReport.objects.select_related("requested_by")[:50],
            "years": list(range(this_year, this_year - 6, -1)),
            "year": this_year,
        },
    )


@login_required
@require_POST
def report_request(request):
    require_perm(request, "supervision.view_dashboard")
    try:
        year = parse_year(request.POST.get("year"))
    except ValueError:
        year = None
    if year is None:
        messages.error(request, _("年度须为四位数字，例如 2026。"))
        return redirect("report_list")
    report = tasks.report_request(year=year, by=request.user)
    messages.success(
        request, _("正在生成%(year)d年度督查报告，完成后可在本页下载。") % {"year": year}
    )
    return redirect("report_detail", pk=report.pk)


@login_required
@require_safe
def report_detail(request, pk: int):
    require_perm(request, "supervision.view_dashboard")
    report = get_object_or_404(SupervisionReport.objects.select_related("requested_by"), pk=pk)
    return render(request, "dashboard/report_detail.html", {"report": report})


@login_required
@require_safe
def report_download(request, pk: int):
    require_perm(request, "supervision.view_dashboard")
    report = get_object_or_404(SupervisionReport, pk=pk, status=SupervisionReport.Status.DONE)
    if not report.file:
        raise Http404
    name = _("%(year)d年度政府协商工作督查报告-%(day)s.pdf") % {
        "year": report.year,
        "day": timezone.localtime(report.as_of).strftime("%Y%m%d"),
    }
    response = FileResponse(report.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
