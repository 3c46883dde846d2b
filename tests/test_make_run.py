"""`make run` as a newcomer meets it (issue 21, items 2 and 19): absolute links name the
address actually served, and the portal shows its own error pages, not Django's."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_BASE_URL = f'{sys.executable} -c "import os; print(os.environ[\'PORTAL_BASE_URL\'])"'

MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(
    MAKE is None, reason="not a missing service: the `make` binary is not on PATH"
)


def _demo_steps(**env) -> list[str]:
    """The base URL each step of `make demo` (migrate, seed, open data) runs with."""
    environment = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"} | env
    result = subprocess.run(
        [MAKE, "-s", "-o", "setup", "demo", "PORT=8123", f"MANAGE={PRINT_BASE_URL}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.split()


def test_make_run_on_another_port_writes_that_port_into_absolute_links():
    assert _demo_steps() == ["http://127.0.0.1:8123"] * 3


def test_a_configured_base_url_wins():
    steps = _demo_steps(PORTAL_BASE_URL="https://xieshang.qingdao.gov.cn")
    assert steps == ["https://xieshang.qingdao.gov.cn"] * 3


LOCAL_PAGES = """
import django
from django.test import Client
django.setup()
client = Client()
missing = client.get("/no-such-page/")
css = client.get("/static/css/portal.css")
print(missing.status_code, "Using the URLconf" in missing.content.decode(), "页面不存在" in missing.content.decode())
print(css.status_code)
"""


@pytest.mark.parametrize(("debug", "expected"), [("", "404 False True"), ("true", "404 True False")])
def test_make_run_shows_the_portal_s_404_and_make_dev_django_s(tmp_path, debug, expected):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "consult_portal.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": debug,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", LOCAL_PAGES],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    missing, css = result.stdout.split("\n")[:2]
    assert missing == expected
    assert css == "200"  # static files are served either way
