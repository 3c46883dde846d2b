"""``{% matter_comments matter %}``: the comment periods on the public matter page.

Open periods show their days left and the comment form; closed ones with a published
feedback report show its counts: one query, plus one per published report.
"""

from django import template
from django.utils import timezone

from ..forms.comments import OpinionForm
from ..selectors.comments import (
    comment_periods_of_matter,
    days_left,
    feedback_stats,
    period_is_closed,
    period_is_open,
)

register = template.Library()


@register.inclusion_tag("participation/comments/matter_comments.html", takes_context=True)
def matter_comments(context, matter):
    now = timezone.now()
    periods = list(comment_periods_of_matter(matter=matter))
    for period in periods:
        period.is_open = period_is_open(period, now=now)
        period.is_closed = period_is_closed(period, now=now)
        period.days_left = days_left(period, now=now) if period.is_open else None
        period.form = OpinionForm(auto_id=f"id_p{period.pk}_%s") if period.is_open else None
        period.report = (
            feedback_stats(period=period, with_groups=False)
            if period.report_published_at is not None
            else None
        )
    return {
        "matter": matter,
        "periods": periods,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
