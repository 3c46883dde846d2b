from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package as an app: commands that compose every app (seed_demo)."""

    name = "consult_portal"
    verbose_name = _("政府协商工作平台")
