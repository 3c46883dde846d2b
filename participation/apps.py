from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("协商参与")

    def ready(self) -> None:
        from core.content_cache import watch
        from matters.ledger_display import register_ledger_display
        from matters.models import register_ledger_actions
        from reminders.services import on_sent

        from . import signals
        from .events import Action
        from .models import Activity, CommentPeriod, Invitation, Opinion, Participant, Registration

        register_ledger_actions(Action.choices)
        # Opinions are watched in .signals: one waiting for moderation changes no page.
        watch(*(model for model in self.get_models() if model is not Opinion))
        signals.watch_opinions()
        # The outbox tells when an invitation or a selection result has actually gone out.
        from .services.invitations import mark_invitations_sent
        from .services.registrations import mark_registrations_notified

        on_sent("invitation", mark_invitations_sent)
        on_sent("registration", mark_registrations_notified)
        # The words the ledger page shows for what participation's rows record.
        register_ledger_display(
            labels={
                "total": _("意见总数"),
                "by_disposition": _("按处理结果"),
                "dispositions": _("处理结果"),
                "rate": _("采纳率"),
                "count": _("数量"),
                "ids": _("意见"),
                "opinion": _("意见"),
                "selected": _("选定"),
                "candidates": _("报名人"),
                "present": _("出席"),
                "absent": _("缺席"),
                "attended": _("出席"),
                "without_email": _("无电子邮箱"),
                "categories": _("类别"),
                "reply_deadline": _("回复截止时间"),
                "resent": _("重新发送"),
                "places": _("名额"),
                "seed": _("随机种子"),
                "fields": _("修改的字段"),
                "days": _("天数"),
                "shortened_reason": _("缩短期限的理由"),
                "problems": _("问题"),
            },
            models=(Opinion, CommentPeriod, Activity, Invitation, Registration, Participant),
        )
