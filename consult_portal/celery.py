"""Celery application. Periodic schedules live in ``consult_portal.schedules``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult_portal.settings.local")

app = Celery("consult_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
