"""export_archive / import_archive: a whole portal round-trips through one archive.

Rows are committed (transactional tests): the export reads what another connection could
see, and the import is checked against a database emptied with ``flush``, as a restore
onto a new server would find it.
"""

import datetime
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from accounts.services import api_token_create
from annual_plans import services as plan_services
from matters import services as matter_services
from matters.models import Document, LedgerEntry, Matter, PolicyArea
from occasions.services import scan
from ops.archive import archived_models
from participation.models import Opinion
from participation.services import comments as comment_services
from participation.services import feedback as feedback_services
from participation.services import invitations as invitation_services
from participation.services import registrations as registration_services
from reminders.models import Reminder
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    StaffFactory,
    make_activity,
    make_participant,
    make_period,
    make_plan,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _world():
    """A small city: every kind of record the portal keeps, in several states."""
    sfj, jyj = DepartmentFactory(code="sfj"), DepartmentFactory(code="jyj")
    staff, other = StaffFactory(department=sfj), StaffFactory(department=jyj)
    api_token_create(user=staff)
    areas = list(PolicyArea.objects.order_by("pk")[:2])
    matter = matter_services.matter_create(
        by=staff,
        department=sfj,
        title="关于完善城市更新政策的协商事项",
        kind="decision",
        year=2026,
        summary="就老旧小区改造的资金分担和居民参与方式开展协商。",
        planned_start=datetime.date(2026, 3, 1),
        planned_end=datetime.date(2026, 12, 31),
        co_departments=[jyj],
        policy_areas=areas,
    )
    for name, content in [("草案.pdf", PDF), ("说明.pdf", PDF + b"% 2\n")]:
        matter_services.document_attach(
            matter=matter,
            by=staff,
            upload=SimpleUploadedFile(name, content),
            title=name.removesuffix(".pdf"),
            category=Document.Category.DRAFT,
        )
    removed = Document.objects.filter(matter=matter).order_by("pk").last()
    matter_services.document_remove(document=removed, by=staff, reason="上传错误")
    draft = matter_services.draft_add(
        matter=matter, by=staff, title="城市更新条例（草案）", text="第一条 ……", change_note="初稿"
    )
    matter_services.draft_publish(draft=draft, by=staff)
    matter = matter_services.matter_publish(matter=matter, by=staff)
    matter = matter_services.matter_advance_stage(matter=matter, by=staff)

    # Annual plans in every state, and an accepted mid-year amendment.
    for status in ["draft", "submitted", "returned", "accepted"]:
        make_plan(department=DepartmentFactory(), status=status, items=2)
    published = make_plan(department=sfj, by=staff, status="published", items=3)
    amendment = plan_services.amendment_start(plan=published, by=staff, reason="新增一项")
    items = [plan_services.ItemData.from_item(item) for item in published.items.all()]
    plan_services.amendment_save(amendment=amendment, by=staff, reason="新增一项", items=items[:2])
    plan_services.amendment_submit(amendment=amendment, by=staff)
    from tests.factories import ReviewerFactory

    plan_services.amendment_decide(amendment=amendment, by=ReviewerFactory(), accept=True)

    # A closed comment period with opinions disposed and its feedback report published.
    period = make_period(
        matter=matter, starts_at=timezone.now() - datetime.timedelta(days=40), days=30, draft=draft
    )
    for n, channel in enumerate(["letter", "hotline", "letter"]):
        comment_services.opinion_record(
            period=period,
            by=staff,
            channel=channel,
            received_on=timezone.localdate() - datetime.timedelta(days=20),
            content=f"第{n + 1}条意见：建议增加居民议事环节。",
            author_name="赵六六",
        )
    ids = list(Opinion.objects.filter(period=period).values_list("pk", flat=True))
    comment_services.opinions_moderate(
        period=period, by=staff, opinion_ids=ids[:2], moderation="shown"
    )
    comment_services.opinions_dispose(
        period=period, by=staff, opinion_ids=ids, disposition="adopted"
    )
    feedback_services.feedback_publish(period=period, by=staff, summary="意见均已采纳。")
    open_period = make_period(by=other)
    comment_services.opinion_submit(period=open_period, content="网上提交的意见", contact="1380")

    # A hearing with registrations and invitations; a symposium that was held.
    now = timezone.now()
    hearing = make_activity(
        matter=matter,
        by=staff,
        kind="hearing",
        status="notice_published",
        starts_in=datetime.timedelta(days=20),
        capacity=2,
        accepts_registrations=True,
        registration_closes_at=now + datetime.timedelta(days=5),
    )
    for n in range(3):
        registration_services.registration_create(
            activity=hearing, name=f"报名人{n}", phone=f"1380000000{n}", position="support"
        )
    experts = [make_participant(by=staff, name=f"专家{n}") for n in range(2)]
    invitation_services.invitations_send(
        activity=hearing,
        by=staff,
        reply_deadline=hearing.starts_at - datetime.timedelta(days=2),
        participants=experts,
    )
    make_activity(matter=matter, by=staff, status="held", starts_in=-datetime.timedelta(days=3))

    # Reminders recorded by the deadline scan (and sent, the transaction having committed).
    scan(now=datetime.datetime(2026, 3, 28, 9, 0, tzinfo=SHANGHAI))
    LeaderFactory(department=sfj)


def _model_rows():
    """Every archived row as the database returns it (times to the microsecond), with its
    many-to-many links, by model label: the contents to compare. Permissions are named by
    natural key, their ids being the database's own."""
    dump = {}
    for model in archived_models():
        rows = []
        m2m = [f.name for f in model._meta.local_many_to_many]
        for obj in model._base_manager.order_by("pk").prefetch_related(*m2m):
            row = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
            for name in m2m:
                row[name] = sorted(
                    related.natural_key() if isinstance(related, Permission) else related.pk
                    for related in getattr(obj, name).all()
                )
            rows.append(row)
        dump[model._meta.label_lower] = rows
    return dump


def _media_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _export(tmp_path) -> Path:
    call_command("export_archive", output=tmp_path / "out")
    (archive,) = (tmp_path / "out").glob("*.zip")
    return archive


def test_round_trip_restores_every_row_and_file_exactly(tmp_path, settings):
    _world()
    before = _model_rows()
    media = Path(settings.MEDIA_ROOT)
    files_before = _media_files(media)
    counts = {label: len(rows) for label, rows in before.items()}
    # The world really has every kind of record (a factory change must not hollow it out).
    for label in [
        "accounts.department", "accounts.user", "authtoken.token", "auth.group",
        "matters.matter", "matters.document", "matters.draftversion", "matters.ledgerentry",
        "matters.stagechange", "annual_plans.annualplan", "annual_plans.planitem",
        "annual_plans.planversion", "annual_plans.amendment", "annual_plans.amendmentitem",
        "participation.commentperiod", "participation.opinion", "participation.activity",
        "participation.registration", "participation.invitation", "participation.participant",
        "reminders.reminder", "matters.policyarea", "annual_plans.supersededplanitem",
    ]:  # fmt: skip
        assert counts[label] > 0, label
    assert len(files_before) == 2
    assert Reminder.objects.filter(status=Reminder.Status.SENT).exists()

    archive = _export(tmp_path)

    assert re.fullmatch(r"consult-archive-\d{8}-\d{6}\.zip", archive.name)
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    assert {entry["model"]: entry["count"] for entry in manifest["models"]} == counts
    assert manifest["migrations"]["matters"] == "0011_matter_area_names"
    assert sorted(manifest["files"]) == sorted(files_before)
    assert manifest["created_at"].endswith("+08:00")

    # A new server: the database emptied (flush truncates, content types and permissions
    # come back under new ids) and no uploaded files.
    call_command("flush", interactive=False, verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Matter.objects.exists() and not LedgerEntry.objects.exists()

    call_command("import_archive", str(archive), verbosity=0)

    assert _model_rows() == before
    assert _media_files(media) == files_before
    document = Document.objects.filter(is_removed=False).get()
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == PDF
    # Sequences were moved past the restored ids: a new row gets a fresh one.
    last = Matter.objects.order_by("pk").last()
    department = DepartmentFactory(code="new")
    assert department.pk > max(row["id"] for row in before["accounts.department"])
    new_entry = LedgerEntry.objects.create(
        department=department, object_type="department", object_id=department.pk,
        action="matter_created", summary="导入后的新台账记录",
    )  # fmt: skip
    assert new_entry.pk > max(row["id"] for row in before["matters.ledgerentry"])
    assert last.reference == before["matters.matter"][-1]["reference"]
    if connection.vendor == "postgresql":
        # The generated search columns were computed again on insert, not left empty.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM matters_matter WHERE search_vector IS NULL")
            assert cursor.fetchone() == (0,)


def test_import_into_a_database_with_records_is_refused_and_changes_nothing(tmp_path):
    _world()
    archive = _export(tmp_path)
    before = _model_rows()

    with pytest.raises(CommandError, match=r"只能导入到空数据库.*accounts\.department"):
        call_command("import_archive", str(archive), verbosity=0)

    assert _model_rows() == before


def _rewritten(archive: Path, copy: Path, member: str, change) -> Path:
    """A copy of ``archive`` whose ``member`` is ``change(data)``, every other member as is."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == member else data)
    return copy


def test_a_tampered_archive_is_refused(tmp_path):
    _world()
    archive = _export(tmp_path)
    tampered = _rewritten(
        archive,
        tmp_path / "tampered.zip",
        "data/participation.opinion.jsonl",
        lambda data: data.replace("建议增加".encode(), "建议删除".encode()),
    )
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match=r"participation\.opinion\.jsonl 的校验值不符"):
        call_command("import_archive", str(tampered), verbosity=0)

    assert not Opinion.objects.exists()
    assert not apps.get_model("accounts", "User").objects.exists()


def test_an_archive_of_another_migration_state_is_refused(tmp_path):
    _world()
    archive = _export(tmp_path)

    def older_matters(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["migrations"]["matters"] = "0008_list_indexes"
        return json.dumps(manifest).encode()

    other = _rewritten(archive, tmp_path / "other.zip", "manifest.json", older_matters)
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="迁移状态与当前数据库不一致（matters）"):
        call_command("import_archive", str(other), verbosity=0)

    assert not Matter.objects.exists()


def test_every_app_of_the_project_is_archived():
    """The archive holds the apps of settings.PROJECT_APPS: a new app installed beside
    them instead of among them would be left out of every archive without anyone
    noticing."""
    import sys
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    installed = Path(sys.prefix).resolve()
    own = {
        app.label
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(base)
        and not Path(app.path).resolve().is_relative_to(installed)
    }

    assert own == set(settings.PROJECT_APPS)


def test_an_archive_with_an_endless_line_is_refused_and_imports_nothing(tmp_path, monkeypatch):
    """Rows are read a line at a time; one line without end would be held whole."""
    _world()
    archive = _export(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    with zipfile.ZipFile(archive) as opened:
        longest = max(len(line) for line in opened.read("data/matters.matter.jsonl").splitlines())
    monkeypatch.setattr("ops.archive.LINE_LIMIT", longest - 1)

    with pytest.raises(CommandError, match=r"data/[a-z_.]+\.jsonl 中有一行超过"):
        call_command("import_archive", str(archive), verbosity=0)

    assert not Matter.objects.exists()
    assert not apps.get_model("accounts", "User").objects.exists()
