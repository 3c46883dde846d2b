from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public REST API: a versioned contract composed from every app's selectors.

    It lives in an app of its own, above the domain apps, so that one resource may
    show several apps' data (a matter with its comment period and opinion counts)
    while the dependency arrows still point down, and so that a v2 can live beside v1.
    """

    name = "api"
    verbose_name = _("开放接口")
