from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search page: one query across the apps' searchable tables."""

    name = "search"
    verbose_name = _("站内搜索")
