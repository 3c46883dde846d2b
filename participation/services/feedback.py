"""The feedback report (意见采纳情况说明) of a comment period."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import TransitionError
from matters.services import matter_touch
from reminders.models import Reminder
from reminders.services import outbox_record, outbox_row

from .. import events
from ..models import CommentPeriod, Opinion
from ..selectors.comments import feedback_stats, period_is_closed
from .comments import is_email, receipt_link

# What a higher app holds that must finish before a period's report is published (a
# letter of solicitation still waiting for answers): callables ``check(period) -> list of
# reasons``, registered from the app's AppConfig.ready(), so this app imports none of them.
_PUBLISH_CHECKS: list = []


def register_publish_check(check) -> None:
    if check not in _PUBLISH_CHECKS:
        _PUBLISH_CHECKS.append(check)


def publish_blockers(period: CommentPeriod) -> list[str]:
    """Reasons held by other apps why the report cannot be published yet."""
    return [str(reason) for check in _PUBLISH_CHECKS for reason in check(period)]


@transaction.atomic
def feedback_publish(
    *, period: CommentPeriod, by, summary: str, now: datetime.datetime | None = None
) -> CommentPeriod:
    """Publish the report: only after the period closed and every opinion is disposed."""
    now = now or timezone.now()
    period = CommentPeriod.objects.select_for_update().select_related("matter").get(pk=period.pk)
    summary = (summary or "").strip()
    if period.report_published_at is not None:
        raise TransitionError(_("意见采纳情况说明已经公开。"))
    if not period_is_closed(period, now=now):
        raise TransitionError(_("征求意见尚未结束，结束后才能公开意见采纳情况。"))
    # Locks the opinions too: no disposition changes under the report being published.
    list(Opinion.objects.select_for_update().filter(period=period).values_list("pk", flat=True))
    stats = feedback_stats(period=period, with_groups=False)
    if stats.undisposed:
        raise TransitionError(
            _("还有%(count)d条意见尚未处理，全部处理后才能公开意见采纳情况。")
            % {"count": stats.undisposed}
        )
    blockers = publish_blockers(period)
    if blockers:
        raise TransitionError(" ".join(blockers))
    if not summary:
        raise TransitionError(_("请填写意见采纳情况说明。"))
    period.report_summary = summary
    period.report_published_at = now
    period.save(update_fields=["report_summary", "report_published_at"])
    events.feedback_published(period, by=by, stats=stats)
    # Those who commented online and left an e-mail address are told, through the outbox
    # in this transaction, where to find the answer with their receipt number.
    outbox_record(
        [
            _published_email(opinion, period, now=now)
            for opinion in Opinion.objects.filter(period=period)
            .exclude(receipt="")
            .only("pk", "period_id", "contact", "receipt", "disposition")
            if is_email(opinion.contact)
        ]
    )
    matter_touch(matter_id=period.matter_id)
    return period


def _published_email(opinion: Opinion, period: CommentPeriod, *, now) -> Reminder:
    return outbox_row(
        kind=Reminder.Kind.FEEDBACK_PUBLISHED,
        obj=opinion,
        recipient=opinion.contact,
        occasion="published",
        subject=_("“%(title)s”意见采纳情况已公开（意见编号%(receipt)s）")
        % {"title": period.title, "receipt": opinion.receipt},
        template="participation/emails/feedback_published",
        context={"opinion": opinion, "period": period, "link": receipt_link(opinion)},
        now=now,
    )
