"""import_archive refuses a zip bomb before it inflates it, and a member whose header
understates what it inflates to while it checks it. Peak memory is measured with
tracemalloc around the command."""

import hashlib
import json
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from matters.models import Matter
from tests.hostile_files import lie_about_size, zip_with

pytestmark = pytest.mark.django_db

PEAK_LIMIT = 50 * 1024 * 1024
BOMB = "files/documents/2026/bomb.pdf"


def _archive(tmp_path, *, lying: bool):
    manifest = {
        "format": 1,
        "models": [],
        "files": ["documents/2026/bomb.pdf"],
        "members": {BOMB: hashlib.sha256(b"\0" * 1024).hexdigest()},
    }
    data = zip_with({"manifest.json": json.dumps(manifest).encode()}, bomb=BOMB)
    if lying:
        data = lie_about_size(data, BOMB, 5000)
    path = tmp_path / "consult-archive-20260101-000000.zip"
    path.write_bytes(data)
    assert path.stat().st_size < 400 * 1024
    return path


@pytest.mark.parametrize("lying", [False, True], ids=["honest-header", "understated-header"])
def test_an_archive_bomb_is_refused_in_bounded_memory(tmp_path, lying):
    path = _archive(tmp_path, lying=lying)

    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as caught:
            call_command("import_archive", str(path), verbosity=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "文件解压后过大，可能是压缩炸弹，已拒绝导入。" in str(caught.value)
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB"
    assert not Matter.objects.exists()


def test_the_size_limit_of_an_archive_is_a_setting(tmp_path, settings):
    """Stored uploads inflate about 1:1, so a large archive of honest files is limited by
    the setting, not by the ratio."""
    settings.PORTAL_ARCHIVE_MAX_UNPACKED_GB = 0
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("manifest.json", b"{}")
        archive.writestr("files/a.pdf", b"%PDF-1.4 " * 10)

    with pytest.raises(CommandError, match="文件解压后过大"):
        call_command("import_archive", str(path), verbosity=0)
