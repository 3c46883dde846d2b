from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualPlansConfig(AppConfig):
    name = "annual_plans"
    verbose_name = _("年度计划目录")

    def ready(self) -> None:
        from matters.content_cache import watch
        from matters.models import register_ledger_actions

        from .events import Action

        register_ledger_actions(Action.choices)
        watch(*self.get_models())
