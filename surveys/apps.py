from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("问卷调查")

    def ready(self) -> None:
        from core.content_cache import watch
        from matters.evidence import register_step_source
        from matters.ledger_display import register_ledger_display
        from matters.models import register_ledger_actions, register_ledger_object_year
        from reminders.services import on_sent

        from .events import Action
        from .models import Option, PanelMember, Question, Response, Section, Survey
        from .services import mark_panel_sent, record_matter_surveys

        register_ledger_actions(Action.choices)
        register_ledger_object_year(
            "survey", lambda year: Survey.objects.filter(year=year).values("pk")
        )
        register_ledger_object_year(
            "response", lambda year: Response.objects.filter(survey__year=year).values("pk")
        )
        # What the public pages show: the survey and its questions. A response changes
        # only counters (updated without signals); pages showing them expire on their own.
        watch(Survey, Section, Question, Option)
        on_sent("panelmember", mark_panel_sent)
        register_step_source(record_matter_surveys)
        register_ledger_display(
            labels={
                "opens_at": _("开始时间"),
                "closes_at": _("结束时间"),
                "audience": _("调查对象"),
                "results_shown": _("结果公开"),
                "one_response_per_person": _("每人限答一次"),
                "allow_resume": _("允许保存后继续填写"),
                "questions": _("题目数"),
                "responses": _("有效答卷数"),
                "participants": _("受邀参与主体"),
                "number": _("答卷编号"),
                "channel": _("渠道"),
                "reason": _("原因"),
            },
            models=(Survey, PanelMember, Response),
        )
