from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.models import SecurityEvent
from audit.services import verify


class Command(BaseCommand):
    help = _("校验安全审计记录的摘要链：发现被修改、删除或插入的记录时列出并以非零状态退出。")

    def handle(self, *args, **options):
        breaks = verify()
        total = SecurityEvent.objects.count()
        if breaks:
            for item in breaks:
                self.stderr.write(str(item))
            raise CommandError(
                _("安全审计记录共%(total)d条，发现%(count)d处断裂。")
                % {"total": total, "count": len(breaks)}
            )
        self.stdout.write(
            self.style.SUCCESS(_("安全审计记录共%(total)d条，摘要链完整。") % {"total": total})
        )
