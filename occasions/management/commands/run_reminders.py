import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from occasions import services
from reminders import services as outbox
from reminders.models import Reminder


def _moment(raw: str) -> datetime.datetime:
    moment = parse_datetime(raw)
    if moment is None:
        raise CommandError(
            _("时间格式无效：%(value)s（示例：2026-03-28T09:00:00+08:00）") % {"value": raw}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Record the reminders due at a moment (default: now), send them and list them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", type=_moment, help="ISO date-time, e.g. 2026-03-28T09:00:00+08:00"
        )
        parser.add_argument("--body", action="store_true", help="print each e-mail's plain text")

    def handle(self, *args, now=None, body=False, **options):
        now = now or timezone.now()
        # Sends are enqueued after each batch commits (and run at once without a broker).
        result = services.scan(now=now)
        # Normally already sent after commit; sending again is a no-op for a sent row, and
        # covers a caller whose commit has not happened yet (a surrounding transaction).
        outbox.enqueue_sends(list(result.recorded))
        swept = outbox.send_pending(now=now)
        rows = Reminder.objects.filter(pk__in=result.recorded).order_by("kind", "recipient", "pk")
        self.stdout.write(
            _("%(now)s：应提醒 %(due)d 条，新记录 %(recorded)d 条，补发待发送 %(swept)d 条。")
            % {
                "now": f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S%z}",
                "due": result.due,
                "recorded": len(result.recorded),
                "swept": swept,
            }
        )
        for row in rows:
            self.stdout.write(
                f"[{row.get_status_display()}] {row.get_kind_display()} {row.occasion} "
                f"→ {row.recipient}：{row.subject}  {row.link}"
            )
            if body:
                self.stdout.write(row.body_text)
