from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app builds on and that imports none of them: errors, caching, search,
    PDFs, dates, uploads, middleware. An app so its template tags load."""

    name = "core"
    verbose_name = _("公共基础")
