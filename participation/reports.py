"""The feedback report (意见采纳情况说明) as a PDF, in the portal's official style.

Rendering (fonts, stylesheet, page numbers "第 X 页 共 Y 页") is the portal's shared
WeasyPrint setup in ``core.pdf``. The report is public: it reads no names and no
contact data, only the opinions' content, article, disposition and answer.
"""

import datetime

from django.utils.translation import gettext as _

from core.pdf import chinese_date, chinese_datetime, deferred_full_collections, render_pdf

from .models import CommentPeriod
from .selectors.comments import feedback_stats


def feedback_context(period: CommentPeriod, *, now: datetime.datetime | None = None) -> dict:
    stats = feedback_stats(period=period)
    return {
        "title": _("“%(title)s”意见采纳情况说明") % {"title": period.title},
        "generated_on": chinese_date(now or period.report_published_at),
        "period": period,
        "matter": period.matter,
        "starts_at": chinese_datetime(period.starts_at),
        "ends_at": chinese_datetime(period.ends_at),
        "published_at": chinese_date(period.report_published_at),
        "stats": stats,
    }


def feedback_report_pdf(period: CommentPeriod, *, now: datetime.datetime | None = None) -> bytes:
    """Three queries: the period with its matter and department, the counts, the opinions."""
    with deferred_full_collections():
        period = CommentPeriod.objects.select_related("matter__department", "draft").get(
            pk=period.pk
        )
        return render_pdf("participation/pdf/feedback.html", feedback_context(period, now=now))
