"""Worker processes freeze what they loaded at start (core.process)."""

import os
import subprocess
import sys
from types import SimpleNamespace

from celery.signals import worker_process_init
from django.conf import settings

from core import process


def test_freezing_loads_every_view_then_freezes_what_is_alive(monkeypatch):
    calls = []
    monkeypatch.setattr(process.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(process.gc, "freeze", lambda: calls.append("freeze"))
    imported = []
    monkeypatch.setattr(
        process, "get_resolver", lambda: imported.append(True) or SimpleNamespace(url_patterns=[])
    )

    process.freeze_loaded_objects()

    assert imported == [True]
    assert calls == ["collect", "freeze"]


def test_a_celery_worker_process_freezes_once_started(monkeypatch):
    frozen = []
    monkeypatch.setattr(process.gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(process.gc, "collect", lambda: 0)

    worker_process_init.send(sender=None)

    assert frozen == [True]


def test_the_wsgi_application_starts_with_its_loaded_objects_frozen():
    script = (
        "import gc, sys\n"
        "import consult_portal.wsgi\n"
        "sys.stdout.write(str(gc.get_freeze_count()) + ' ' + str(len(gc.get_objects())))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "consult_portal.settings.test"}
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    frozen, tracked = (int(part) for part in completed.stdout.split())
    # The project, Django and their URLconf: tens of thousands of objects, none left for
    # a full collection to walk.
    assert frozen > 20_000
    assert tracked < frozen // 10
