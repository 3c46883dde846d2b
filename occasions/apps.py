from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccasionsConfig(AppConfig):
    name = "occasions"
    verbose_name = _("到期提醒")
