from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("督办")

    def ready(self) -> None:
        from matters.ledger_display import register_ledger_display
        from matters.models import register_ledger_actions, register_ledger_object_year

        from .events import Action
        from .models import Answer, Order, Urging

        register_ledger_actions(Action.choices)
        # Every row is filed under its order: the year's ledger finds them by its year.
        register_ledger_object_year(
            "order", lambda year: Order.objects.filter(year=year).values("pk")
        )
        register_ledger_display(
            labels={
                "about": _("督办类别"),
                "requirement": _("督办事项及要求"),
                "due_date": _("办理时限"),
                "round": _("办理轮次"),
                "body": _("办理情况"),
                "late": _("逾期报送"),
                "note": _("意见"),
                "reason": _("理由"),
                "urge_count": _("催办次数"),
                "overdue": _("已超过办理时限"),
            },
            object_types=("order",),
            models=(Order, Answer, Urging),
        )
