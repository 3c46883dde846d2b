"""Celery application. Periodic schedules live in ``consult_portal.schedules``."""

import os

from celery import Celery
from celery.signals import worker_process_init

from core.process import freeze_loaded_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult_portal.settings.local")

app = Celery("consult_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_worker_objects(**kwargs) -> None:
    """Each worker process, once started, as a gunicorn worker does (``process``)."""
    freeze_loaded_objects()
