"""The nightly open-data archive: everything an anonymous API client may read, in one zip.

The archive holds the API's CSV exports and JSON arrays built by the v1 serializers, so
the files say exactly what the API says. It is written to a temporary file in the same
folder and moved into place with ``os.replace``, so a download never sees half a zip;
rows are streamed in chunks, so memory stays flat however many matters there are.
"""

import datetime
import io
import json
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

from accounts.city import city_name
from accounts.models import Department
from annual_plans.models import PlanItem
from calls.selectors import calls_public
from participation.selectors.comments import with_open_for_comment
from proposals.selectors import with_public_parts as with_public_proposal_parts

from .csv import csv_lines
from .urls_util import absolute_url
from .v1 import exports, serializers
from .v1.visibility import visible_activities, visible_matters, visible_plans, visible_proposals

FOLDER = "opendata"
KEEP = 14
CHUNK_SIZE = 2000
# A temporary file this old was left by a build that was killed; nothing still writes it.
STALE_PART_SECONDS = 6 * 60 * 60
_PART_PREFIX = ".building-"
_PART_SUFFIX = ".zip.part"


@dataclass(frozen=True)
class Archive:
    name: str
    day: datetime.date
    size: int
    path: Path


def archive_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def archive_name(day: datetime.date) -> str:
    return f"{settings.PORTAL_OPENDATA_PREFIX}-{day:%Y%m%d}.zip"


def archive_day(name: str) -> datetime.date | None:
    """The date in an archive's file name, or None for any other name."""
    match = re.fullmatch(
        re.escape(settings.PORTAL_OPENDATA_PREFIX) + r"-(\d{8})\.zip", name, flags=re.ASCII
    )
    if match is None:
        return None
    try:
        return datetime.datetime.strptime(match[1], "%Y%m%d").date()
    except ValueError:
        return None


def archive_path(name: str) -> Path | None:
    """The existing archive called ``name``; None when the name is not an archive name."""
    if archive_day(name) is None:
        return None
    path = archive_folder() / name
    return path if path.is_file() else None


def list_archives() -> list[Archive]:
    """The archives on disk, newest first."""
    folder = archive_folder()
    if not folder.is_dir():
        return []
    archives = []
    for entry in os.scandir(folder):
        day = archive_day(entry.name)
        if day is None or not entry.is_file():
            continue
        try:
            size = entry.stat().st_size
        except FileNotFoundError:  # pruned by a concurrent build
            continue
        archives.append(Archive(name=entry.name, day=day, size=size, path=Path(entry.path)))
    return sorted(archives, key=lambda archive: archive.day, reverse=True)


def latest_archive() -> Archive | None:
    archives = list_archives()
    return archives[0] if archives else None


def build_archive(*, now: datetime.datetime | None = None) -> Path:
    """Write today's archive (replacing one already built today), prune old ones, and
    return its path."""
    now = now or timezone.now()
    folder = archive_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / archive_name(timezone.localdate(now))
    fd, part = tempfile.mkstemp(dir=folder, prefix=_PART_PREFIX, suffix=_PART_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as raw:
            _write_zip(raw, now=now)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(part, 0o644)  # mkstemp makes it private; a web server may serve it
        os.replace(part, target)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
    prune(keep=KEEP)
    return target


def prune(*, keep: int = KEEP) -> list[str]:
    """Delete all but the newest ``keep`` archives, and temporary files of killed builds.
    Returns the names deleted."""
    deleted = []
    for archive in list_archives()[keep:]:
        archive.path.unlink(missing_ok=True)
        deleted.append(archive.name)
    cutoff = time.time() - STALE_PART_SECONDS
    for part in archive_folder().glob(f"{_PART_PREFIX}*{_PART_SUFFIX}"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink(missing_ok=True)
        except FileNotFoundError:
            pass
    return deleted


# ----------------------------------------------------------------------------- contents


def _write_zip(raw, *, now: datetime.datetime) -> None:
    # The archive is the Chinese original, whichever language the caller has active.
    with (
        zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        translation.override(settings.LANGUAGE_CODE),
    ):
        _write_contents(archive, now=now)


def _write_contents(archive: zipfile.ZipFile, *, now: datetime.datetime) -> None:
    anonymous = AnonymousUser()
    context = {"request": None}
    stamp = timezone.localtime(now).timetuple()[:6]

    def matters():
        queryset = with_open_for_comment(visible_matters(anonymous), now=now)
        return queryset.order_by("pk").iterator(chunk_size=CHUNK_SIZE)

    def catalogs():
        return visible_plans(anonymous).order_by("pk").iterator(chunk_size=CHUNK_SIZE)

    def catalog_items():
        plans = visible_plans(anonymous).order_by().values("pk")
        return (
            PlanItem.objects.filter(plan__in=plans)
            .select_related("plan__department")
            .order_by("plan_id", "order", "pk")
            .iterator(chunk_size=CHUNK_SIZE)
        )

    def activities():
        return visible_activities(anonymous).order_by("pk").iterator(chunk_size=CHUNK_SIZE)

    def proposals():
        queryset = with_public_proposal_parts(visible_proposals(anonymous))
        return queryset.order_by("pk").iterator(chunk_size=CHUNK_SIZE)

    def calls():
        return calls_public().order_by("pk").iterator(chunk_size=CHUNK_SIZE)

    def departments():
        return (
            Department.objects.filter(is_active=True)
            .order_by("sort_order", "code", "pk")
            .iterator(chunk_size=CHUNK_SIZE)
        )

    counts = {
        "matters.csv": _write_csv(
            archive, "matters.csv", stamp, exports.matter_columns(), matters()
        ),
        "catalog-items.csv": _write_csv(
            archive, "catalog-items.csv", stamp, exports.catalog_item_columns(), catalog_items()
        ),
        "matters.json": _write_json(
            archive,
            "matters.json",
            stamp,
            serializers.MatterListSerializer(context=context),
            matters(),
        ),
        "catalogs.json": _write_json(
            archive,
            "catalogs.json",
            stamp,
            serializers.CatalogSerializer(context=context),
            catalogs(),
        ),
        "activities.json": _write_json(
            archive,
            "activities.json",
            stamp,
            serializers.ActivitySerializer(context=context),
            activities(),
        ),
        "proposals.csv": _write_csv(
            archive, "proposals.csv", stamp, exports.proposal_columns(), proposals()
        ),
        "proposals.json": _write_json(
            archive,
            "proposals.json",
            stamp,
            serializers.ProposalDetailSerializer(context=context),
            proposals(),
        ),
        "calls.json": _write_json(
            archive,
            "calls.json",
            stamp,
            serializers.CallSerializer(context={**context, "now": now}),
            calls(),
        ),
        "departments.json": _write_json(
            archive,
            "departments.json",
            stamp,
            serializers.DepartmentSerializer(context=context),
            departments(),
        ),
    }
    with _open_text(archive, "README.txt", stamp) as out:
        out.write(readme(now=now, counts=counts))


def _open_text(archive: zipfile.ZipFile, name: str, stamp) -> io.TextIOWrapper:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return io.TextIOWrapper(archive.open(info, "w"), encoding="utf-8", newline="")


def _write_csv(
    archive: zipfile.ZipFile,
    name: str,
    stamp,
    columns: Sequence[tuple[str, Callable]],
    objects: Iterable,
) -> int:
    header = [str(label) for label, _get in columns]
    count = 0

    def rows():
        nonlocal count
        for obj in objects:
            count += 1
            yield [get(obj) for _label, get in columns]

    with _open_text(archive, name, stamp) as out:
        for line in csv_lines(header, rows()):
            out.write(line)
    return count


def _write_json(archive: zipfile.ZipFile, name: str, stamp, serializer, objects: Iterable) -> int:
    """A JSON array, one object per line, written as the rows arrive."""
    count = 0
    with _open_text(archive, name, stamp) as out:
        out.write("[")
        for obj in objects:
            out.write(",\n" if count else "\n")
            out.write(
                json.dumps(serializer.to_representation(obj), cls=JSONEncoder, ensure_ascii=False)
            )
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


def readme(*, now: datetime.datetime, counts: dict[str, int]) -> str:
    city = city_name()
    local = timezone.localtime(now)
    offset = local.strftime("%z")
    api = absolute_url(reverse("api:v1:api-root"))
    docs = absolute_url(reverse("api:docs"))
    files = [
        ("matters.csv", _("已公开的协商事项，每行一项（UTF-8 带 BOM，可直接用 Excel 打开）")),
        ("catalog-items.csv", _("已公示的年度计划目录中的事项，每行一项（UTF-8 带 BOM）")),
        ("matters.json", _("已公开的协商事项，字段与接口 /api/v1/matters/ 的列表相同")),
        ("catalogs.json", _("已公示的年度计划目录及其事项，字段与接口 /api/v1/catalogs/ 相同")),
        ("activities.json", _("已发布公告的协商活动，字段与接口 /api/v1/activities/ 相同")),
        (
            "proposals.csv",
            _("可以公开的人大代表建议和政协提案及其最近一次答复，每行一件（UTF-8 带 BOM）"),
        ),
        (
            "proposals.json",
            _("可以公开的建议提案及其各轮答复，字段与接口 /api/v1/proposals/ 的详情相同"),
        ),
        (
            "calls.json",
            _("已发布的公开征集及其遴选结果（不含建议人信息），字段与接口 /api/v1/calls/ 相同"),
        ),
        ("departments.json", _("启用中的部门，字段与接口 /api/v1/departments/ 相同")),
    ]
    lines = [
        _("%(city)s政府协商工作平台 开放数据包") % {"city": city},
        "",
        _("生成时间：%(time)s（UTC%(offset)s）")
        % {"time": local.strftime("%Y-%m-%d %H:%M"), "offset": f"{offset[:3]}:{offset[3:]}"},
        "",
        _(
            "本数据包收录平台上已公开的数据，与开放接口匿名访问时返回的内容一致，"
            "不含个人联系方式（建议提案只列提出人的姓名和身份）。"
            "JSON 文件为 UTF-8 编码的数组，每行一个对象。"
        ),
        "",
        _("文件说明："),
    ]
    for name, description in files:
        lines.append(
            _("%(name)s：%(description)s，共 %(count)d 条。")
            % {"name": name, "description": description, "count": counts.get(name, 0)}
        )
    lines += [
        "",
        _("开放接口：%(url)s") % {"url": api},
        _("接口文档（含各字段说明）：%(url)s") % {"url": docs},
        "",
        _("本数据由%(city)s人民政府办公厅公开，可自由使用，请注明来源。") % {"city": city},
    ]
    # Windows Notepad users are the readers most likely to open this file.
    return "\r\n".join(lines) + "\r\n"
