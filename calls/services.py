"""Public calls (公开征集): draw up and publish a call, take proposals from the public
(and on paper), screen each, publish the result.

Each service checks the state it needs and says, in the user's words, why it refuses; the
views check who may act (``calls.rules``).
"""

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_plans.models import PlanItem
from core.content_cache import content_changed
from core.exceptions import TransitionError, require_text
from core.uploads import CheckedUpload, check_upload
from matters.models import Matter
from participation import tokens
from participation.models import Participant
from participation.services.comments import new_receipt, normalise_receipt
from participation.services.invitations import LinkBatch, invite_by_link, invitees
from reminders.models import Reminder
from reminders.services import outbox_row

from . import events
from .models import Call, CallInvitee, Submission, SubmissionFile
from .selectors import outcome_counts

Outcome = Submission.Outcome
RECEIPT_PREFIX = "ZJ"
MAX_TEXT = 5000
# What a call's fields may be set to through ``call_create`` and ``call_update``.
CALL_FIELDS = ("kind", "title", "year", "scope", "guidance", "starts_at", "ends_at")


def _check_period(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise TransitionError(_("截止时间须晚于开始时间。"))


def _lock(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


@transaction.atomic
def call_create(*, by, department, **fields) -> Call:
    fields = {name: fields[name] for name in CALL_FIELDS}
    _check_period(fields["starts_at"], fields["ends_at"])
    call = Call.objects.create(department=department, created_by=by, **fields)
    events.call_created(call, by=by)
    return call


@transaction.atomic
def call_update(*, call: Call, by, **fields) -> Call:
    """Change a call's particulars. Once published, its period may still be extended but
    not started later or shortened to before now; its kind and year stay."""
    call = _lock(call)
    if call.results_published_at is not None:
        raise TransitionError(_("遴选结果已经公布，不能再修改征集。"))
    before = events.snapshot(call)
    fields = {name: fields[name] for name in CALL_FIELDS if name in fields}
    now = timezone.now()
    if call.published_at is not None:
        if fields.get("kind", call.kind) != call.kind or fields.get("year", call.year) != call.year:
            raise TransitionError(_("征集已发布，不能修改征集类别和年度。"))
        if fields.get("starts_at", call.starts_at) != call.starts_at and call.starts_at <= now:
            raise TransitionError(_("征集已经开始，不能修改开始时间。"))
        if fields.get("ends_at", call.ends_at) < min(call.ends_at, now):
            raise TransitionError(_("截止时间不能早于现在。"))
    for name, value in fields.items():
        setattr(call, name, value)
    _check_period(call.starts_at, call.ends_at)
    call.save()
    if before != events.snapshot(call):
        events.call_edited(call, by=by, before=before)
        if call.published_at is not None:
            content_changed()
    return call


@transaction.atomic
def call_publish(*, call: Call, by, now: datetime.datetime | None = None) -> Call:
    now = now or timezone.now()
    call = _lock(call)
    if call.published_at is not None:
        raise TransitionError(_("征集已经发布。"))
    if call.ends_at <= now:
        raise TransitionError(_("截止时间已过，请先修改征集时间。"))
    call.published_at = now
    call.save(update_fields=["published_at"])
    events.call_published(call, by=by)
    content_changed()
    return call


def checked_files(uploads: Sequence) -> list[tuple[object, CheckedUpload]]:
    """Check the files sent with a proposal (``core.uploads``: type read from the content,
    size, archive bombs); refuse more than ``PORTAL_CALL_MAX_FILES`` of them."""
    uploads = [upload for upload in uploads or () if upload]
    limit = settings.PORTAL_CALL_MAX_FILES
    if len(uploads) > limit:
        raise TransitionError(_("附件最多%(limit)d个。") % {"limit": limit})
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            raise TransitionError(
                _("附件“%(name)s”：%(error)s") % {"name": upload.name, "error": error.messages[0]}
            ) from None
    return checked


def _save(submission: Submission, files: list[tuple[object, CheckedUpload]]) -> Submission:
    submission.save()
    for upload, checked in files:
        attachment = SubmissionFile(
            submission=submission,
            original_name=upload.name[:255],
            content_type=checked.content_type,
            extension=checked.extension,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    return submission


def _submission(call: Call, *, title, reasons, measures, policy_area, author_name, contact):
    return Submission(
        call=call,
        receipt=new_receipt(RECEIPT_PREFIX),
        title=require_text(title, _("请填写建议题目。"), limit=200),
        reasons=require_text(reasons, _("请填写理由和依据。"), limit=MAX_TEXT),
        measures=(measures or "").strip()[:MAX_TEXT],
        policy_area=policy_area,
        author_name=(author_name or "").strip()[:50],
        contact=(contact or "").strip()[:100],
    )


@transaction.atomic
def submission_submit(
    *,
    call: Call,
    title: str,
    reasons: str,
    measures: str = "",
    policy_area=None,
    author_name: str = "",
    contact: str = "",
    files: Sequence = (),
    client_hash: str = "",
    now: datetime.datetime | None = None,
) -> Submission:
    """A member of the public proposes, online, while the call is open."""
    now = now or timezone.now()
    call = Call.objects.get(pk=call.pk)
    if not call.is_open(now):
        raise TransitionError(_("征集已结束或尚未开始，不能提交建议。"))
    files = checked_files(files)
    submission = _submission(
        call,
        title=title,
        reasons=reasons,
        measures=measures,
        policy_area=policy_area,
        author_name=author_name,
        contact=contact,
    )
    submission.client_hash = client_hash
    submission.submitted_at = now
    return _save(submission, files)


@transaction.atomic
def submission_enter(
    *,
    call: Call,
    by,
    received_on: datetime.date,
    title: str,
    reasons: str,
    measures: str = "",
    policy_area=None,
    author_name: str = "",
    contact: str = "",
    files: Sequence = (),
) -> Submission:
    """Staff type in a proposal that came by letter or in person, dated when it arrived
    (which must fall within the call's period), with its scanned pages if any."""
    call = Call.objects.get(pk=call.pk)
    if call.published_at is None:
        raise TransitionError(_("征集尚未发布，不能录入建议。"))
    starts, ends = (timezone.localdate(moment) for moment in (call.starts_at, call.ends_at))
    if not starts <= received_on <= ends:
        raise TransitionError(
            _("收到日期须在征集期间内（%(start)s至%(end)s）。")
            % {"start": starts.isoformat(), "end": ends.isoformat()}
        )
    files = checked_files(files)
    submission = _submission(
        call,
        title=title,
        reasons=reasons,
        measures=measures,
        policy_area=policy_area,
        author_name=author_name,
        contact=contact,
    )
    submission.channel = Submission.Channel.PAPER
    submission.entered_by = by
    submission.submitted_at = datetime.datetime.combine(
        received_on, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    _save(submission, files)
    events.submission_entered(submission, by=by)
    return submission


# -- invited participants ----------------------------------------------------------------


def link_url(token: str) -> str:
    return tokens.absolute_url(reverse("calls:link", args=[token]))


def _invitation_email(invitee: CallInvitee, token: str, *, now) -> Reminder:
    call = invitee.call
    return outbox_row(
        kind=Reminder.Kind.CALL_INVITATION,
        obj=invitee,
        recipient=invitee.participant.email,
        occasion=f"sent-{now:%Y%m%d%H%M%S%f}",
        subject=_("邀请您就“%(title)s”提出建议") % {"title": call.title},
        template="calls/emails/invitation",
        context={
            "call": call,
            "participant": invitee.participant,
            "starts_at": timezone.localtime(call.starts_at),
            "ends_at": timezone.localtime(call.ends_at),
        },
        secret=link_url(token),
        now=now,
    )


def mark_invitees_sent(ids: list[int], sent_at) -> None:
    """Called by the outbox once an invitation to propose has gone out."""
    CallInvitee.objects.filter(pk__in=ids).update(sent_at=sent_at)


@transaction.atomic
def call_invite(
    *,
    call: Call,
    by,
    participants: Iterable[Participant] = (),
    categories: Iterable[str] = (),
    now: datetime.datetime | None = None,
) -> LinkBatch:
    """Invite the chosen registry participants and every active one of ``categories`` to
    propose by a personal link, e-mailed through the outbox. Someone already invited is
    reported, not invited twice. A call may invite before it is published; the link works
    while the call is open."""
    now = now or timezone.now()
    call = _lock(call)
    if call.ends_at <= now or call.results_published_at is not None:
        raise TransitionError(_("征集已经截止，不能再邀请。"))
    batch = invite_by_link(
        invitees(participants=participants, categories=categories),
        invited=set(call.invitees.values_list("participant_id", flat=True)),
        create=lambda participant, token_hash: CallInvitee.objects.create(
            call=call,
            participant=participant,
            category=participant.category,
            token_hash=token_hash,
            created_by=by,
            created_at=now,
        ),
        email=lambda invitee, token: _invitation_email(invitee, token, now=now),
    )
    if batch.created:
        events.participants_invited(call, batch.created, by=by)
    return batch


def invitee_by_token(token: str) -> CallInvitee | None:
    return (
        CallInvitee.objects.select_related("call__department", "participant")
        .filter(token_hash=tokens.token_hash(token), call__published_at__isnull=False)
        .first()
    )


@transaction.atomic
def submission_submit_by_link(
    *,
    invitee: CallInvitee,
    title: str,
    reasons: str,
    measures: str = "",
    policy_area=None,
    files: Sequence = (),
    now: datetime.datetime | None = None,
) -> Submission:
    """An invited participant proposes through the personal link while the call is open,
    signed with the registry's name (the registry holds the contact)."""
    now = now or timezone.now()
    invitee = (
        CallInvitee.objects.select_for_update().select_related("participant").get(pk=invitee.pk)
    )
    call = Call.objects.get(pk=invitee.call_id)
    if not call.is_open(now):
        raise TransitionError(_("征集已结束或尚未开始，不能提交建议。"))
    limit = settings.PORTAL_CALL_PROPOSALS_PER_LINK
    if invitee.submissions.count() >= limit:
        raise TransitionError(
            _("每个邀请链接最多提交%(limit)d条建议；如需补充，请与征集单位联系。")
            % {"limit": limit}
        )
    files = checked_files(files)
    submission = _submission(
        call,
        title=title,
        reasons=reasons,
        measures=measures,
        policy_area=policy_area,
        author_name=invitee.participant.name,
        contact="",
    )
    submission.channel = Submission.Channel.LINK
    submission.invitee = invitee
    submission.submitted_at = now
    return _save(submission, files)


def _check_adoption(call: Call, plan_item: PlanItem | None, matter: Matter | None) -> None:
    if plan_item is None and matter is None:
        raise TransitionError(_("采纳的建议须写明纳入的目录事项或协商事项。"))
    if plan_item is not None and plan_item.plan.year != call.year:
        raise TransitionError(_("只能纳入%(year)d年度计划目录中的事项。") % {"year": call.year})
    if matter is not None and matter.year != call.year:
        raise TransitionError(_("只能纳入%(year)d年度的协商事项。") % {"year": call.year})


@transaction.atomic
def submission_screen(
    *,
    submission: Submission,
    by,
    outcome: str,
    note: str = "",
    plan_item: PlanItem | None = None,
    matter: Matter | None = None,
    merged_into: Submission | None = None,
    transferred_to=None,
    now: datetime.datetime | None = None,
) -> Submission:
    """Record the screening of one proposal (遴选): taken into a catalog item or a matter,
    merged into another proposal of the call, not taken (with the reason), or passed to
    the department it belongs to. It may be screened again until the result is out; a
    department a proposal was passed to may then take it or not."""
    now = now or timezone.now()
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call", "plan_item", "matter", "merged_into", "transferred_to")
        .get(pk=submission.pk)
    )
    call = submission.call
    if outcome not in Outcome.values or outcome == Outcome.PENDING:
        raise TransitionError(_("请选择遴选结果。"))
    note = (note or "").strip()
    before = events.outcome_fields(submission)
    keep_transfer = submission.transferred_to if submission.outcome == Outcome.TRANSFERRED else None
    submission.plan_item = submission.matter = submission.merged_into = None
    submission.transferred_to = keep_transfer
    if outcome == Outcome.ADOPTED:
        _check_adoption(call, plan_item, matter)
        submission.plan_item, submission.matter = plan_item, matter
    elif outcome == Outcome.MERGED:
        if merged_into is None or merged_into.call_id != call.pk or merged_into.pk == submission.pk:
            raise TransitionError(_("请选择同一征集中要合并到的建议。"))
        merged_into = Submission.objects.get(pk=merged_into.pk)
        if merged_into.outcome == Outcome.MERGED:
            raise TransitionError(
                _("“%(title)s”已经合并到其他建议，请直接合并到那一条。")
                % {"title": merged_into.title}
            )
        if submission.merged.exists():
            raise TransitionError(_("已有其他建议合并到这一条，不能再把它合并出去。"))
        submission.merged_into = merged_into
    elif outcome == Outcome.REJECTED:
        if not note:
            raise TransitionError(_("不予采纳的，请写明理由。"))
    elif outcome == Outcome.TRANSFERRED:
        if transferred_to is None:
            raise TransitionError(_("请选择转交的单位。"))
        if transferred_to.pk == call.department_id:
            raise TransitionError(_("不能转交给征集单位自己。"))
        submission.transferred_to = transferred_to
    submission.outcome = outcome
    submission.outcome_note = note
    submission.screened_by = by
    submission.screened_at = now
    submission.save()
    events.submission_screened(submission, by=by, before=before)
    if call.results_published_at is not None:
        content_changed()
    return submission


@transaction.atomic
def results_publish(*, call: Call, by, summary: str, now: datetime.datetime | None = None) -> Call:
    """Publish the screening result (遴选结果): once the call has closed and every
    proposal is screened."""
    now = now or timezone.now()
    call = _lock(call)
    if call.published_at is None or now < call.ends_at:
        raise TransitionError(_("征集结束后才能公布遴选结果。"))
    if call.results_published_at is not None:
        raise TransitionError(_("遴选结果已经公布。"))
    pending = call.submissions.filter(outcome=Outcome.PENDING).count()
    if pending:
        raise TransitionError(
            _("还有%(count)d条建议尚未遴选，请全部遴选后再公布结果。") % {"count": pending}
        )
    call.result_summary = require_text(summary, _("请填写遴选结果说明。"), limit=MAX_TEXT)
    call.results_published_at = now
    call.save(update_fields=["result_summary", "results_published_at"])
    events.results_published(call, by=by, counts=outcome_counts(call))
    content_changed()
    return call


def submission_by_receipt(call: Call, text: str) -> Submission | None:
    receipt = normalise_receipt(text, RECEIPT_PREFIX)
    if not receipt:
        return None
    return (
        call.submissions.select_related(
            "plan_item__plan__department", "matter", "merged_into", "transferred_to"
        )
        .filter(receipt=receipt)
        .first()
    )


@transaction.atomic
def contacts_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the contacts left with proposals once their call closed more than
    ``PORTAL_OPINION_CONTACT_RETENTION_DAYS`` ago (as opinions' are, and as the privacy
    notice says): one ledger row per call. Safe to run twice."""
    now = now or timezone.now()
    days = settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS
    expired = Submission.objects.filter(
        call__ends_at__lt=now - datetime.timedelta(days=days)
    ).exclude(contact="")
    per_call = dict(
        expired.order_by()
        .values_list("call_id")
        .annotate(n=Count("pk"))
        .values_list("call_id", "n")
    )
    if not per_call:
        return 0
    list(Submission.objects.select_for_update().filter(pk__in=expired.values("pk")).values("pk"))
    total = expired.update(contact="")
    for call in Call.objects.filter(pk__in=per_call):
        events.contacts_deleted(call, count=per_call[call.pk], days=days)
    return total
