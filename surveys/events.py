"""Ledger (台账) rows of surveys: one function per thing that happened, called by the
services inside their transaction. A public response writes no row (it is counted, not
acted on); a response typed in by staff and a voided one do."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.dates import shown_date
from matters.events import ledger_value, record

from .models import PanelMember, Response, Survey


class Action(models.TextChoices):
    SURVEY_CREATED = "survey_created", pgettext_lazy("ledger", "建立问卷")
    SURVEY_EDITED = "survey_edited", pgettext_lazy("ledger", "修改问卷")
    SURVEY_PUBLISHED = "survey_published", pgettext_lazy("ledger", "发布问卷")
    SURVEY_CANCELLED = "survey_cancelled", pgettext_lazy("ledger", "撤销问卷")
    SURVEY_CLOSED = "survey_closed", pgettext_lazy("ledger", "问卷调查结束")
    PANEL_INVITED = "survey_panel_invited", pgettext_lazy("ledger", "邀请答卷")
    RESPONSE_ENTERED = "survey_response_entered", pgettext_lazy("ledger", "录入线下答卷")
    RESPONSE_VOIDED = "survey_response_voided", pgettext_lazy("ledger", "作废答卷")


def _row(survey: Survey, *, action, summary, by, obj=None, before=None, after=None):
    target = obj or survey
    return record(
        action=action,
        summary=f"{survey.title}：{summary}",
        department_id=survey.department_id,
        object_type=target._meta.model_name,
        object_id=target.pk,
        actor=by,
        matter=survey.matter,
        before=before,
        after={key: ledger_value(value) for key, value in (after or {}).items()},
    )


def snapshot(survey: Survey) -> dict:
    return {
        "title": survey.title,
        "kind": survey.kind,
        "opens_at": ledger_value(survey.opens_at),
        "closes_at": ledger_value(survey.closes_at),
        "audience": survey.audience,
        "results_shown": survey.results_shown,
        "one_response_per_person": survey.one_response_per_person,
        "allow_resume": survey.allow_resume,
    }


def survey_created(survey: Survey, *, by):
    return _row(
        survey,
        action=Action.SURVEY_CREATED,
        summary=_("建立%(kind)s") % {"kind": survey.get_kind_display()},
        by=by,
        after=snapshot(survey),
    )


def survey_edited(survey: Survey, *, by, what: str, before=None, after=None):
    return _row(
        survey, action=Action.SURVEY_EDITED, summary=what, by=by, before=before, after=after
    )


def survey_published(survey: Survey, *, by):
    return _row(
        survey,
        action=Action.SURVEY_PUBLISHED,
        summary=_("发布，调查时间%(start)s至%(end)s")
        % {"start": shown_date(survey.opens_at), "end": shown_date(survey.closes_at)},
        by=by,
        after=snapshot(survey) | {"questions": survey.questions.count()},
    )


def survey_cancelled(survey: Survey, *, by):
    return _row(
        survey,
        action=Action.SURVEY_CANCELLED,
        summary=_("撤销：%(reason)s") % {"reason": survey.cancel_reason},
        by=by,
        after={"reason": survey.cancel_reason},
    )


def survey_closed(survey: Survey, *, by):
    return _row(
        survey,
        action=Action.SURVEY_CLOSED,
        summary=_("调查结束，有效答卷%(n)d份") % {"n": survey.response_count},
        by=by,
        after={"responses": survey.response_count},
    )


def panel_invited(survey: Survey, members: list[PanelMember], *, by):
    names = "、".join(member.participant.name for member in members[:20])
    more = _("等%(n)d人") % {"n": len(members)} if len(members) > 20 else ""
    return _row(
        survey,
        action=Action.PANEL_INVITED,
        summary=_("邀请%(names)s%(more)s答卷") % {"names": names, "more": more},
        by=by,
        after={"participants": [member.participant_id for member in members]},
    )


def response_entered(response: Response, *, by):
    survey = response.survey
    return _row(
        survey,
        action=Action.RESPONSE_ENTERED,
        summary=_("录入%(channel)s第%(n)d号")
        % {"channel": response.get_channel_display(), "n": response.number},
        by=by,
        obj=response,
        after={"channel": response.channel, "number": response.number},
    )


def response_voided(response: Response, *, by):
    survey = response.survey
    return _row(
        survey,
        action=Action.RESPONSE_VOIDED,
        summary=_("作废第%(n)d号答卷：%(reason)s")
        % {"n": response.number, "reason": response.void_reason},
        by=by,
        obj=response,
        after={"number": response.number, "reason": response.void_reason},
    )
