from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "matters"
    verbose_name = _("协商事项")

    def ready(self) -> None:
        from accounts.models import Department

        from .content_cache import watch

        watch(*self.get_models(), Department)
