from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The portal's own pages around the apps: home, workbench, navigation, site identity."""

    name = "portal"
    verbose_name = _("门户")
