"""Build today's open-data archive now (the nightly task does the same)."""

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from api.opendata import build_archive


class Command(BaseCommand):
    help = _("立即生成今天的开放数据包（每晚的定时任务也会生成），并保留最近 14 个。")

    def handle(self, *args, **options):
        path = build_archive()
        self.stdout.write(
            self.style.SUCCESS(
                _("开放数据包已生成：%(path)s（%(size)s）")
                % {"path": path, "size": filesizeformat(path.stat().st_size)}
            )
        )
