from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("邮件通知")

    def ready(self) -> None:
        # Registers the outbox's Celery tasks in every process, not only in workers (whose
        # autodiscovery finds them): the services enqueue the send task by its name.
        from . import tasks  # noqa: F401
