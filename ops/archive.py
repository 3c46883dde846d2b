"""The whole portal in one dated archive, and back (``export_archive`` / ``import_archive``).

Nothing filed is ever deleted, so the archive is how the records outlive the server: every
row of every model of the project's apps, the auth and token rows they depend on, and every
uploaded file a ``FileField`` names, with a manifest that pins the migration state, the row
counts and a SHA-256 of each member.

Layout of ``consult-archive-YYYYMMDD-HHMMSS.zip`` (Asia/Shanghai time)::

    manifest.json
    data/<app_label>.<model>.jsonl    one serialized row a line, in pk order
    files/<storage name>              the uploaded file, byte for byte

Rows are written and read a line at a time (JSON Lines), so memory stays bounded on a
city's worth of ledger. Foreign keys are stored as primary keys, which the import keeps;
only content types and permissions, whose ids differ between databases, are stored by
natural key. Columns Django does not know (the stored search vectors PostgreSQL
generates) are not written: the database computes them again on insert.
"""

import datetime
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import muted as audit_muted
from core.archives import UnsafeArchive, ZipLimits, check_declared, iter_member, read_member
from core.content_cache import content_changed

FORMAT = 1
ARCHIVE_TIME_ZONE = ZoneInfo("Asia/Shanghai")
FILENAME_PREFIX = "consult-archive"
MANIFEST = "manifest.json"
# Rows outside the project's apps that its rows depend on or that users hold.
DEPENDENCY_MODELS = ("auth.group", "authtoken.token")
# Rows data migrations create in every migrated database (role groups, policy areas):
# an empty database already has them, and the import puts the archive's in their place.
SEEDED_MODELS = ("auth.group", "matters.policyarea")
# Created by post_migrate in every database, under ids that differ: referred to by name.
NATURAL_KEY_MODELS = (ContentType, Permission)
CHUNK_SIZE = 2000
COPY_BUFFER = 1024 * 1024
# A manifest lists every member with its checksum: some 150 bytes a file.
MANIFEST_LIMIT = 256 * 1024 * 1024
# One serialized row; the longest text a row holds (an opinion) is a few thousand characters.
LINE_LIMIT = 16 * 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message says why, in Chinese."""


def archive_limits() -> ZipLimits:
    total = settings.PORTAL_ARCHIVE_MAX_UNPACKED_GB * 1024**3
    # Uploaded files are stored, the rows' JSON deflates some 5-20:1; zeros reach 1000:1.
    return ZipLimits(
        max_members=1_000_000, max_member_bytes=total, max_total_bytes=total, max_ratio=500
    )


# ------------------------------------------------------------------------------ models


def archived_models() -> list[type[models.Model]]:
    """Every model the archive holds, each after the models it refers to."""
    chosen = [
        model
        for label in settings.PROJECT_APPS
        if apps.is_installed(label)
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    chosen += [apps.get_model(label) for label in DEPENDENCY_MODELS]
    return _dependency_order(chosen)


def _targets(model) -> set:
    return {
        f.remote_field.model
        for f in [*model._meta.local_fields, *model._meta.local_many_to_many]
        if f.is_relation and f.remote_field is not None
    }


def _dependency_order(chosen: list) -> list:
    known = set(chosen)
    for model in chosen:
        for target in _targets(model):
            if target not in known and not issubclass(target, NATURAL_KEY_MODELS):
                # A row would point at a table the archive does not carry.
                raise ArchiveError(
                    _("数据模型 %(model)s 引用了未归档的 %(target)s。")
                    % {"model": model._meta.label, "target": target._meta.label}
                )
    ordered, placed = [], set()
    pending = sorted(chosen, key=lambda m: m._meta.label_lower)
    while pending:
        ready = [m for m in pending if all(t in placed or t is m for t in _targets(m) & known)]
        if not ready:  # a cycle: loading is in one transaction, constraints are deferred
            ready = pending[:1]
        for model in ready:
            ordered.append(model)
            placed.add(model)
            pending.remove(model)
    return ordered


def _member(model) -> str:
    return f"data/{model._meta.label_lower}.jsonl"


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app (migration names sort by number)."""
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        latest[app_label] = max(latest.get(app_label, name), name)
    return dict(sorted(latest.items()))


# ------------------------------------------------------------------------------ export


class _ArchiveSerializer(jsonl.Serializer):
    """JSON Lines with primary keys, except content types and permissions by name."""

    def _value_from_field(self, obj, field):
        value = super()._value_from_field(obj, field)
        # DjangoJSONEncoder cuts times to milliseconds; an archive keeps them whole.
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return value

    def _natural(self, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL_KEY_MODELS)

    def handle_fk_field(self, obj, field):
        self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self._natural(field)
        super().handle_m2m_field(obj, field)


class _HashingWriter:
    """A text stream into a zip member that hashes and counts what goes through."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.lines = 0

    def write(self, text: str) -> None:
        data = text.encode()
        self.sha256.update(data)
        self.lines += data.count(b"\n")
        self.raw.write(data)


@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int]
    files: list[str]
    missing_files: list[str] = field(default_factory=list)


def archive_filename(now=None) -> str:
    local = (now or timezone.now()).astimezone(ARCHIVE_TIME_ZONE)
    return f"{FILENAME_PREFIX}-{local:%Y%m%d-%H%M%S}.zip"


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def archive_export(*, directory: Path, using: str = DEFAULT_DB_ALIAS, now=None) -> ExportResult:
    """Write the dated archive into ``directory`` and return what it holds.

    Read in one repeatable-read snapshot on PostgreSQL, so rows written meanwhile cannot
    leave a child in the archive without its parent.
    """
    now = now or timezone.now()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / archive_filename(now)
    if path.exists():
        raise ArchiveError(_("归档文件 %(path)s 已存在。") % {"path": path})
    partial = path.with_suffix(".zip.partial")
    ordered = archived_models()
    members: dict[str, str] = {}
    entries, counts, files, missing = [], {}, [], []
    connection = connections[using]
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with (
            transaction.atomic(using=using),
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
        ):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for model in ordered:
                name = _member(model)
                with archive.open(name, "w", force_zip64=True) as raw:
                    writer = _HashingWriter(raw)
                    m2m = [f.name for f in model._meta.local_many_to_many]
                    rows = (
                        model._base_manager.using(using)
                        .order_by("pk")
                        .prefetch_related(*m2m)
                        .iterator(chunk_size=CHUNK_SIZE)
                    )
                    _ArchiveSerializer().serialize(rows, stream=writer, ensure_ascii=False)
                members[name] = writer.sha256.hexdigest()
                counts[model._meta.label_lower] = writer.lines
                entries.append(
                    {"model": model._meta.label_lower, "member": name, "count": writer.lines}
                )
                for file_field in _file_fields(model):
                    names = (
                        model._base_manager.using(using)
                        .exclude(**{file_field.attname: ""})
                        .order_by(file_field.attname)
                        .values_list(file_field.attname, flat=True)
                        .distinct()
                    )
                    for stored in names.iterator(chunk_size=CHUNK_SIZE):
                        member = f"files/{stored}"
                        if member in members:
                            continue
                        if not file_field.storage.exists(stored):
                            missing.append(stored)
                            continue
                        members[member] = _copy_into(archive, member, file_field.storage, stored)
                        files.append(stored)
            manifest = {
                "format": FORMAT,
                "created_at": now.astimezone(ARCHIVE_TIME_ZONE).isoformat(),
                "django_version": django.get_version(),
                "database_vendor": connections[using].vendor,
                "migrations": migration_state(using),
                "models": entries,
                "files": files,
                "missing_files": missing,
                "members": members,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(path=path, counts=counts, files=files, missing_files=missing)


def _copy_into(archive: zipfile.ZipFile, member: str, storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as source, archive.open(member, "w", force_zip64=True) as out:
        while chunk := source.read(COPY_BUFFER):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------------------ import


@dataclass
class ImportResult:
    counts: dict[str, int]
    files: list[str]


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(read_member(archive, archive.getinfo(MANIFEST), limit=MANIFEST_LIMIT))
    except (KeyError, ValueError) as error:
        raise ArchiveError(_("归档中没有可读的清单文件 manifest.json。")) from error
    if manifest.get("format") != FORMAT:
        raise ArchiveError(
            _("不支持的归档格式版本：%(format)s。") % {"format": manifest.get("format")}
        )
    return manifest


def _verify_members(archive: zipfile.ZipFile, manifest: dict) -> None:
    expected = manifest.get("members", {})
    present = {info.filename for info in archive.infolist() if not info.is_dir()} - {MANIFEST}
    if present != set(expected):
        unexpected = sorted(present - set(expected)) + sorted(set(expected) - present)
        raise ArchiveError(
            _("归档内容与清单不符：%(members)s。") % {"members": "、".join(unexpected[:5])}
        )
    for member, checksum in expected.items():
        digest = hashlib.sha256()
        # Inflated a chunk at a time and refused past its declared size (UnsafeArchive).
        for chunk in iter_member(archive, archive.getinfo(member)):
            digest.update(chunk)
        if digest.hexdigest() != checksum:
            raise ArchiveError(
                _("归档成员 %(member)s 的校验值不符，文件可能已损坏或被改动。") % {"member": member}
            )


def _check_database(manifest: dict, ordered: list, using: str) -> None:
    current = migration_state(using)
    if manifest.get("migrations") != current:
        differing = sorted(
            label
            for label in set(current) | set(manifest.get("migrations", {}))
            if current.get(label) != manifest["migrations"].get(label)
        )
        raise ArchiveError(
            _("归档的数据库迁移状态与当前数据库不一致（%(apps)s），请先迁移到相同版本。")
            % {"apps": "、".join(differing)}
        )
    archived = {entry["model"] for entry in manifest["models"]}
    known = {model._meta.label_lower for model in ordered}
    if archived != known:
        raise ArchiveError(
            _("归档中的数据模型与当前系统不一致：%(models)s。")
            % {"models": "、".join(sorted(archived ^ known))}
        )
    occupied = [
        model._meta.label_lower
        for model in ordered
        if model._meta.label_lower not in SEEDED_MODELS
        and model._base_manager.using(using).exists()
    ]
    if occupied:
        raise ArchiveError(
            _("只能导入到空数据库，以下数据表已有记录：%(tables)s。")
            % {"tables": "、".join(occupied)}
        )


def _check_files(archive: zipfile.ZipFile, manifest: dict, storage) -> list[str]:
    """Names still to write; a different file already at one of them is refused."""
    to_write = []
    for name in manifest["files"]:
        try:
            validate_file_name(name, allow_relative_path=True)
        except SuspiciousFileOperation as error:
            raise ArchiveError(_("归档中的文件名不安全：%(name)s。") % {"name": name}) from error
        if not storage.exists(name):
            to_write.append(name)
            continue
        digest = hashlib.sha256()
        with storage.open(name, "rb") as existing:
            while chunk := existing.read(COPY_BUFFER):
                digest.update(chunk)
        if digest.hexdigest() != manifest["members"][f"files/{name}"]:
            raise ArchiveError(_("文件存储中已有同名但内容不同的文件：%(name)s。") % {"name": name})
    return to_write


def archive_import(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> ImportResult:
    """Restore an archive into an empty, migrated database and the file storage.

    Everything is checked before anything is written; the rows go in in one transaction,
    and the files written are taken away again if it fails.
    """
    from django.core.files.storage import default_storage

    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(_("无法读取归档文件 %(path)s。") % {"path": path}) from error
    with archive:
        try:
            # Before a byte is inflated; then every member is inflated once, bounded, to be
            # checked against the manifest before anything is written.
            check_declared(archive, archive_limits())
            manifest = _read_manifest(archive)
            _verify_members(archive, manifest)
        except UnsafeArchive as error:
            raise ArchiveError(str(error)) from error
        ordered = archived_models()
        by_label = {model._meta.label_lower: model for model in ordered}
        written: list[str] = []
        try:
            with transaction.atomic(using=using), audit_muted():
                _check_database(manifest, ordered, using)
                to_write = _check_files(archive, manifest, default_storage)
                counts = {}
                for label in SEEDED_MODELS:
                    # Only data migrations' rows are here: nothing can refer to them yet.
                    by_label[label]._base_manager.using(using).all().delete()
                for entry in manifest["models"]:
                    counts[entry["model"]] = _load_member(archive, entry, using)
                    if counts[entry["model"]] != entry["count"]:
                        raise ArchiveError(
                            _("数据模型 %(model)s 读入 %(read)d 条，清单记载 %(count)d 条。")
                            % {
                                "model": entry["model"],
                                "read": counts[entry["model"]],
                                "count": entry["count"],
                            }
                        )
                _reset_sequences(ordered, using)
                for name in to_write:
                    written.append(name)
                    with archive.open(f"files/{name}") as source:
                        saved = default_storage.save(name, source)
                    if saved != name:
                        written[-1] = saved
                        raise ArchiveError(_("文件 %(name)s 无法按原名恢复。") % {"name": name})
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    # Rows were saved raw, which the content cache's signals ignore: drop cached pages once.
    content_changed()
    return ImportResult(counts=counts, files=list(manifest["files"]))


def _load_member(archive: zipfile.ZipFile, entry: dict, using: str) -> int:
    loaded = 0
    with archive.open(entry["member"]) as raw:
        for obj in serializers.deserialize("jsonl", _lines(raw, entry["member"]), using=using):
            if obj.object._meta.label_lower != entry["model"]:
                raise ArchiveError(
                    _("归档成员 %(member)s 中混有其他数据模型的记录。")
                    % {"member": entry["member"]}
                )
            # A raw save_base: no save() override (the ledger's refuses a set pk), stored
            # auto_now values kept, and an INSERT, never an UPDATE, of each row.
            obj.save(using=using, force_insert=True)
            loaded += 1
    return loaded


def _lines(raw, member: str):
    """The member's lines, each read with a bound: one endless line would be held whole."""
    while line := raw.readline(LINE_LIMIT + 1):
        if len(line) > LINE_LIMIT:
            raise ArchiveError(
                _("归档成员 %(member)s 中有一行超过 %(limit)d MB，已拒绝导入。")
                % {"member": member, "limit": LINE_LIMIT // (1024 * 1024)}
            )
        yield line.decode("utf-8")


def _reset_sequences(ordered: list, using: str) -> None:
    connection = connections[using]
    tables = list(ordered)
    for model in ordered:
        tables += [
            f.remote_field.through
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
