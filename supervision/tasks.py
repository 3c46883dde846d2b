"""The year's supervision report, built by a worker (``report.report_build``)."""

from celery import shared_task

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
