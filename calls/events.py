"""Ledger (台账) rows of public calls: one function per thing staff did, called by the
services inside their transaction. Every row is filed under its call (object type
``call``), so the call's history and the year's ledger find them together. A proposal
from the public is not a ledger row (as an opinion is not); its screening is."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from matters.events import ledger_value, record

from .models import Call, CallInvitee, Submission


class Action(models.TextChoices):
    CALL_CREATED = "call_created", pgettext_lazy("ledger", "新建公开征集")
    CALL_EDITED = "call_edited", pgettext_lazy("ledger", "修改公开征集")
    CALL_PUBLISHED = "call_published", pgettext_lazy("ledger", "发布公开征集")
    CALL_INVITED = "call_invited", pgettext_lazy("ledger", "邀请参与主体提出建议")
    CALL_SUBMISSION_ENTERED = "call_submission_entered", pgettext_lazy("ledger", "录入征集建议")
    CALL_SUBMISSION_SCREENED = "call_submission_screened", pgettext_lazy("ledger", "遴选征集建议")
    CALL_RESULTS_PUBLISHED = "call_results_published", pgettext_lazy("ledger", "公布遴选结果")
    CALL_CONTACTS_DELETED = "call_contacts_deleted", pgettext_lazy("ledger", "删除建议人联系方式")


FIELDS = ("kind", "title", "year", "scope", "guidance", "starts_at", "ends_at")


def snapshot(call: Call) -> dict:
    return {name: ledger_value(getattr(call, name)) for name in FIELDS}


def _row(call: Call, *, action, summary, by, before=None, after=None):
    return record(
        action=action,
        summary=f"{call.title}：{summary}",
        department_id=call.department_id,
        object_type="call",
        object_id=call.pk,
        actor=by,
        before=before,
        after={key: ledger_value(value) for key, value in (after or {}).items()},
    )


def call_created(call: Call, *, by):
    return _row(call, action=Action.CALL_CREATED, summary=_("新建"), by=by, after=snapshot(call))


def call_edited(call: Call, *, by, before: dict):
    after = snapshot(call)
    changed = [key for key in FIELDS if before.get(key) != after.get(key)]
    return _row(
        call,
        action=Action.CALL_EDITED,
        summary=_("修改"),
        by=by,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )


def call_published(call: Call, *, by):
    return _row(
        call,
        action=Action.CALL_PUBLISHED,
        summary=_("发布，%(start)s至%(end)s征集")
        % {
            "start": ledger_value(call.starts_at)[:10],
            "end": ledger_value(call.ends_at)[:10],
        },
        by=by,
        after={"starts_at": call.starts_at, "ends_at": call.ends_at},
    )


def participants_invited(call: Call, invited: list[CallInvitee], *, by):
    names = "、".join(invitee.participant.name for invitee in invited[:20])
    more = _("等%(n)d人") % {"n": len(invited)} if len(invited) > 20 else ""
    return _row(
        call,
        action=Action.CALL_INVITED,
        summary=_("邀请%(names)s%(more)s提出建议") % {"names": names, "more": more},
        by=by,
        after={"participants": [invitee.participant_id for invitee in invited]},
    )


def submission_entered(submission: Submission, *, by):
    return _row(
        submission.call,
        action=Action.CALL_SUBMISSION_ENTERED,
        summary=_("录入书面建议“%(title)s”（%(receipt)s）")
        % {"title": submission.title, "receipt": submission.receipt},
        by=by,
        after={
            "receipt": submission.receipt,
            "title": submission.title,
            "files": submission.files.count(),
        },
    )


def outcome_fields(submission: Submission) -> dict:
    return {
        "outcome": submission.get_outcome_display(),
        "note": submission.outcome_note,
        "plan_item": str(submission.plan_item) if submission.plan_item_id else "",
        "matter": submission.matter.reference if submission.matter_id else "",
        "merged_into": submission.merged_into.receipt if submission.merged_into_id else "",
        "transferred_to": submission.transferred_to.name if submission.transferred_to_id else "",
    }


def submission_screened(submission: Submission, *, by, before: dict):
    after = outcome_fields(submission)
    return _row(
        submission.call,
        action=Action.CALL_SUBMISSION_SCREENED,
        summary=_("“%(title)s”（%(receipt)s）：%(outcome)s")
        % {
            "title": submission.title,
            "receipt": submission.receipt,
            "outcome": submission.get_outcome_display(),
        },
        by=by,
        before={key: value for key, value in before.items() if value and value != after.get(key)},
        after={key: value for key, value in after.items() if value},
    )


def results_published(call: Call, *, by, counts: dict):
    return _row(
        call,
        action=Action.CALL_RESULTS_PUBLISHED,
        summary=_("公布遴选结果：收到建议%(total)d条，采纳%(adopted)d条") % counts,
        by=by,
        after={**counts, "summary": call.result_summary},
    )


def contacts_deleted(call: Call, *, count: int, days: int):
    """The retention job deleted the contacts of the call's proposals (no one acted)."""
    return _row(
        call,
        action=Action.CALL_CONTACTS_DELETED,
        summary=_("征集截止满%(days)d天，删除%(count)d条建议的联系方式")
        % {"days": days, "count": count},
        by=None,
        after={"count": count},
    )
