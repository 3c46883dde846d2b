"""Write every record and uploaded file to one dated archive. See ops/archive.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.models import Kind
from audit.services import in_trail_language, record
from ops.archive import ArchiveError, archive_export


class Command(BaseCommand):
    help = _(
        "将全部记录和上传文件导出为一个带日期的归档文件（consult-archive-年月日-时分秒.zip）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=_("归档文件所在目录（默认为当前目录）。"),
        )

    def handle(self, *args, output, **options):
        directory = output or Path.cwd()
        try:
            result = archive_export(directory=directory)
        except (ArchiveError, OSError) as error:
            raise CommandError(_("导出失败：%(error)s") % {"error": error}) from error
        _recorded(result)
        for label, count in result.counts.items():
            self.stdout.write(_("%(model)s：%(count)d 条") % {"model": label, "count": count})
        for name in result.missing_files:
            self.stderr.write(
                _("警告：文件 %(name)s 有记录但在文件存储中找不到，未能归档。") % {"name": name}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("已导出 %(rows)d 条记录、%(files)d 个文件到 %(path)s")
                % {
                    "rows": sum(result.counts.values()),
                    "files": len(result.files),
                    "path": result.path,
                }
            )
        )


@in_trail_language
def _recorded(result) -> None:
    """The archive holds every person's data: its export is a row of the security audit."""
    record(
        Kind.PERSONAL_DATA_EXPORTED,
        summary=_("导出全站数据归档（含个人信息）：%(name)s") % {"name": result.path.name},
        detail={"rows": sum(result.counts.values()), "files": len(result.files)},
    )
