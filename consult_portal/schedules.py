"""Every periodic task, in one place; settings build ``CELERY_BEAT_SCHEDULE`` from it.

Reminders are found by a frequent scan of what is due rather than by long ETAs on the
broker, so nothing is lost when a worker or Redis restarts.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "reminders-scan": {
        "task": "occasions.tasks.scan_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "reminders-send-pending": {
        "task": "reminders.tasks.send_pending_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # Surveys that have closed with responses go on their matter's record (the advance of
    # a matter also does it at once, so the procedure rule never waits for this).
    "surveys-record-closed": {
        "task": "surveys.tasks.record_closed_surveys",
        "schedule": crontab(minute="*/5"),
    },
    # Letters of solicitation past their deadline day close (deemed answers, the steps on
    # the matter's record); the advance of a matter also does it at once.
    "solicitations-close-due": {
        "task": "solicitations.tasks.close_due_solicitations",
        "schedule": crontab(minute="*/15"),
    },
    # CELERY_TIMEZONE is Asia/Shanghai, so this is 02:30 Beijing time, after the day's work.
    "opendata-build-archive": {
        "task": "api.tasks.build_open_data_archive",
        "schedule": crontab(hour=2, minute=30),
    },
    # Personal data past its retention period (participation.services.retention), 03:00
    # Beijing time.
    "portal-expire-personal-data": {
        "task": "portal.tasks.expire_personal_data",
        "schedule": crontab(hour=3, minute=0),
    },
    # Security audit rows past their retention period (never under 180 days), 03:15.
    "audit-purge": {
        "task": "audit.tasks.purge_security_audit",
        "schedule": crontab(hour=3, minute=15),
    },
}
