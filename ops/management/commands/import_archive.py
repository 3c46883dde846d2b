"""Restore an archive written by ``export_archive`` into an empty, migrated database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.archive import ArchiveError, archive_import


class Command(BaseCommand):
    help = _("将 export_archive 导出的归档恢复到已迁移的空数据库，并恢复上传文件。")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("归档文件路径"))

    def handle(self, *args, path, **options):
        try:
            result = archive_import(path=path)
        except (ArchiveError, OSError) as error:
            raise CommandError(_("导入失败：%(error)s") % {"error": error}) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("已导入 %(rows)d 条记录、%(files)d 个文件。")
                % {"rows": sum(result.counts.values()), "files": len(result.files)}
            )
        )
