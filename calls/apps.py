from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("公开征集")

    def ready(self) -> None:
        from core.content_cache import watch
        from matters.ledger_display import register_ledger_display
        from matters.models import register_ledger_actions, register_ledger_object_year
        from reminders.services import on_sent

        from .events import Action
        from .models import Call, Submission
        from .services import mark_invitees_sent

        register_ledger_actions(Action.choices)
        # Every row is filed under its call: the year's ledger finds them by its year.
        register_ledger_object_year(
            "call", lambda year: Call.objects.filter(year=year).values("pk")
        )
        register_ledger_display(
            labels={
                "kind": _("征集类别"),
                "scope": _("征集范围"),
                "guidance": _("征集说明"),
                "starts_at": _("开始时间"),
                "ends_at": _("截止时间"),
                "receipt": _("回执编号"),
                "outcome": _("遴选结果"),
                "note": _("遴选说明"),
                "plan_item": _("纳入的目录事项"),
                "matter": _("纳入的协商事项"),
                "merged_into": _("合并到"),
                "transferred_to": _("转交单位"),
                "total": _("收到建议"),
                "adopted": _("采纳"),
                "merged": _("合并"),
                "rejected": _("不予采纳"),
                "transferred": _("转交"),
                "pending": _("待遴选"),
                "summary": _("遴选结果说明"),
                "participants": _("受邀参与主体"),
                "files": _("附件数"),
            },
            object_types=("call",),
            models=(Call, Submission),
        )
        # A proposal from the public does not drop the cached pages (a flood of them would
        # empty the cache): the counts on the public pages may trail by
        # PORTAL_PAGE_CACHE_SECONDS. Staff changes to calls drop them at once, and the
        # services drop them when a published result changes.
        watch(Call)
        on_sent("callinvitee", mark_invitees_sent)
