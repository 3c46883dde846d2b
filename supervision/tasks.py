"""The year's supervision report: asked for by the office (``report_request``), built by a
worker (``report.report_build``)."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import SupervisionReport
from .report import report_build


@shared_task
def build_supervision_report(report_id: int) -> int:
    """Build a queued report. A report already built or being built is left alone, so a
    task delivered twice does the work once."""
    claimed = SupervisionReport.objects.filter(
        pk=report_id, status=SupervisionReport.Status.QUEUED
    ).update(status=SupervisionReport.Status.RUNNING)
    if not claimed:
        return report_id
    report_build(SupervisionReport.objects.get(pk=report_id))
    return report_id


@transaction.atomic
def report_request(*, year: int, by) -> SupervisionReport:
    """Queue the year's report as of now; the worker starts once the row is committed."""
    report = SupervisionReport.objects.create(year=year, as_of=timezone.now(), requested_by=by)
    transaction.on_commit(lambda: build_supervision_report.delay(report.pk))
    return report
