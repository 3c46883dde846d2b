from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualPlansConfig(AppConfig):
    name = "annual_plans"
    verbose_name = _("年度计划目录")

    def ready(self) -> None:
        from core.content_cache import watch
        from matters.models import register_ledger_actions, register_ledger_object_year

        from .events import Action
        from .models import AnnualPlan, FilingDeadline

        register_ledger_actions(Action.choices)
        # The ledger's year filter finds a catalog's rows by the catalog's year.
        register_ledger_object_year(
            "annualplan", lambda year: AnnualPlan.objects.filter(year=year).values("pk")
        )
        register_ledger_object_year(
            "filingdeadline", lambda year: FilingDeadline.objects.filter(year=year).values("pk")
        )
        watch(*self.get_models())
