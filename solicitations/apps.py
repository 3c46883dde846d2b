from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolicitationsConfig(AppConfig):
    name = "solicitations"
    verbose_name = _("书面征求意见和专家论证")

    def ready(self) -> None:
        from matters.ledger_display import register_ledger_display
        from matters.models import register_ledger_actions

        from .events import Action
        from .models import Argumentation, Expert

        # Every row names its matter: the year's ledger finds them by the matter's year.
        register_ledger_actions(Action.choices)
        register_ledger_display(
            labels={
                "form": _("论证方式"),
                "held_on": _("论证日期"),
                "draft": _("草案版本"),
                "participant": _("专家"),
                "name": _("姓名"),
                "declaration": _("回避声明"),
                "note": _("利害关系说明"),
                "conclusion": _("结论"),
                "signed_on": _("签名日期"),
                "experts": _("出具意见的专家数"),
            },
            models=(Argumentation, Expert),
        )
