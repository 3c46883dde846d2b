from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolicitationsConfig(AppConfig):
    name = "solicitations"
    verbose_name = _("书面征求意见和专家论证")

    def ready(self) -> None:
        from matters.evidence import register_step_source
        from matters.ledger_display import register_ledger_display
        from matters.models import register_ledger_actions
        from participation.services.feedback import register_publish_check

        from .events import Action
        from .models import Addressee, Argumentation, Expert, Solicitation
        from .services.letters import open_letters_reason, record_matter_solicitations

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
                "reference_number": _("文号"),
                "deadline": _("反馈截止日期"),
                "deemed_no_opinion": _("逾期未反馈的视为无意见"),
                "role": _("送达方式"),
                "addressees": _("征求意见对象"),
                "addressee": _("征求意见对象"),
                "answer": _("反馈意见"),
                "via": _("反馈方式"),
                "signer": _("签署人"),
                "late": _("逾期反馈"),
                "previous": _("原反馈状态"),
                "opinions": _("登记的意见"),
                "items": _("意见条数"),
                "status": _("反馈状态"),
                "sent": _("主送"),
                "answered": _("已反馈"),
                "deemed": _("视为无意见"),
                "no_reply": _("逾期未反馈"),
                "outstanding": _("未反馈"),
            },
            object_types=("argumentation", "expert", "solicitation", "addressee"),
            models=(Argumentation, Expert, Solicitation, Addressee),
        )
        # A letter past its deadline closes before its matter moves on.
        register_step_source(record_matter_solicitations)
        # A comment round's report waits for its letters still out.
        register_publish_check(open_letters_reason)
