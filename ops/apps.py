from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the portal: the archive (export and import) and the demo data."""

    name = "ops"
    verbose_name = _("运行维护")
