from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """The general office's supervision (督查统计): every department's figures in one place."""

    name = "supervision"
    verbose_name = _("督查统计")
