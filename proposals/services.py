"""Every state change of a suggestion or proposal, one function each.

Each locks the item's row, checks the rule (raising ``TransitionError`` with a Chinese
message), changes the rows, writes the ledger row through ``proposals.events`` and records
its e-mails in the outbox, in one transaction. Times default to now; dates are Shanghai
dates. The working-day window comes from ``core.workdays`` (the official holiday schedule).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from core.exceptions import TransitionError, require_text
from core.uploads import check_upload
from core.workdays import add_months, add_workdays
from participation import tokens
from participation.models import Participant
from reminders.models import Reminder
from reminders.services import outbox_record, outbox_row

from . import events
from .models import (
    Assignment,
    Attachment,
    Author,
    CoDepartment,
    Contact,
    Evaluation,
    Extension,
    Proposal,
    Rating,
    Reply,
)

Status = Proposal.Status
IN_HANDLING = (Status.HANDLING, Status.SECOND_ROUND)

# Who may raise which kind: deputies raise suggestions; CPPCC members raise proposals, and
# so do the parties, the federation of commerce and people's organisations as bodies (集体提案).
AUTHOR_CATEGORIES = {
    Proposal.Kind.SUGGESTION: {Participant.Category.NPC_DEPUTY},
    Proposal.Kind.PROPOSAL: {
        Participant.Category.CPPCC_MEMBER,
        Participant.Category.DEMOCRATIC_PARTY,
        Participant.Category.FEDERATION_OF_COMMERCE,
        Participant.Category.PEOPLES_ORGANISATION,
    },
}


class RatingClosed(TransitionError):
    """The rating link has expired (the view answers 410)."""


class RatingGiven(TransitionError):
    """The link has been used: a rating is never changed through it."""


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _require_status(proposal: Proposal, *allowed: str, message: str) -> None:
    if proposal.status not in allowed:
        raise TransitionError(message)


# ---------------------------------------------------------------------------------- intake


@dataclass
class AuthorSpec:
    participant: Participant
    role: str = Author.Role.CO_SIGNER


def _check_authors(kind: str, lead: Participant, co_signers: Sequence[Participant]) -> None:
    allowed = AUTHOR_CATEGORIES[kind]
    for participant in (lead, *co_signers):
        if participant.category not in allowed:
            raise TransitionError(
                _("%(name)s是%(category)s，不能作为%(kind)s的提出人。")
                % {
                    "name": participant.name,
                    "category": participant.get_category_display(),
                    "kind": Proposal.Kind(kind).label,
                }
            )
    ids = [lead.pk, *(participant.pk for participant in co_signers)]
    if len(ids) != len(set(ids)):
        raise TransitionError(_("同一位代表委员只能列为提出人一次。"))


def _set_authors(proposal: Proposal, lead: Participant, co_signers: Sequence[Participant]):
    proposal.authors.all().delete()
    Author.objects.bulk_create(
        [Author(proposal=proposal, participant=lead, role=Author.Role.LEAD, position=0)]
        + [
            Author(
                proposal=proposal, participant=participant, role=Author.Role.CO_SIGNER, position=i
            )
            for i, participant in enumerate(co_signers, start=1)
        ]
    )


@transaction.atomic
def proposal_register(
    *,
    by,
    kind: str,
    year: int,
    number: str,
    title: str,
    body: str,
    lead_author: Participant,
    co_signers: Sequence[Participant] = (),
    session: str = "",
    source: str = Proposal.Source.SESSION,
    policy_area=None,
    is_public: bool = True,
    is_key: bool = False,
    leading_leader: str = "",
    imported: bool = False,
) -> Proposal:
    """Register one item (the office, one by one or from the congress's or CPPCC's list)."""
    number = require_text(number, _("请填写编号。"))
    _check_authors(kind, lead_author, co_signers)
    if Proposal.objects.filter(kind=kind, year=year, number=number).exists():
        raise TransitionError(
            _("%(year)d年已有编号为%(number)s的%(kind)s。")
            % {"year": year, "number": number, "kind": Proposal.Kind(kind).label}
        )
    proposal = Proposal.objects.create(
        kind=kind,
        year=year,
        number=number,
        title=require_text(title, _("请填写标题。")),
        body=require_text(body, _("请填写内容。")),
        session=session.strip(),
        source=source,
        policy_area=policy_area,
        is_public=is_public,
        is_key=is_key,
        leading_leader=leading_leader.strip(),
        created_by=by,
    )
    _set_authors(proposal, lead_author, co_signers)
    events.proposal_registered(proposal, by=by, imported=imported)
    return proposal


@transaction.atomic
def proposal_edit(
    proposal: Proposal,
    *,
    by,
    lead_author: Participant,
    co_signers: Sequence[Participant] = (),
    **fields,
) -> Proposal:
    """Correct what was registered (the office), until the item has been replied to."""
    proposal = _lock(proposal)
    if proposal.is_replied:
        raise TransitionError(_("已答复的建议提案不能再修改登记信息。"))
    _check_authors(fields.get("kind", proposal.kind), lead_author, co_signers)
    before = events.snapshot(proposal)
    for name, value in fields.items():
        setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    for name in ("number", "title", "body"):
        require_text(getattr(proposal, name), _("编号、标题和内容不能为空。"))
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise TransitionError(_("该年度已有相同编号的建议提案。")) from None
    _set_authors(proposal, lead_author, co_signers)
    after = events.snapshot(proposal)
    if before != after:
        events.proposal_edited(proposal, by=by, before=before, after=after)
    return proposal


@transaction.atomic
def attachment_add(proposal: Proposal, *, by, upload, title: str = "") -> Attachment:
    checked = check_upload(upload)  # ValidationError with a Chinese message
    proposal = _lock(proposal)
    attachment = Attachment(
        proposal=proposal,
        title=(title or upload.name)[:200],
        original_name=upload.name[:255],
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    events.attachment_added(proposal, attachment, by=by)
    return attachment


# ------------------------------------------------------------------------------ assignment


def default_due_date(proposal: Proposal, assigned_on: datetime.date) -> datetime.date:
    months = (
        settings.PORTAL_PROPOSAL_RECESS_DUE_MONTHS
        if proposal.source == Proposal.Source.RECESS
        else settings.PORTAL_PROPOSAL_DUE_MONTHS
    )
    return add_months(assigned_on, months)


def sign_for_deadline(assigned_on: datetime.date) -> datetime.date:
    """The last day to sign for or return: N working days after the day of assignment."""
    return add_workdays(assigned_on, settings.PORTAL_PROPOSAL_SIGN_FOR_WORKDAYS)


def co_opinion_due(due_date: datetime.date, today: datetime.date) -> datetime.date:
    """Co-departments answer the lead department this many days before the due date (but
    never before tomorrow, and always before the due date)."""
    due = due_date - datetime.timedelta(days=settings.PORTAL_PROPOSAL_CO_OPINION_DAYS)
    return max(due, min(today + datetime.timedelta(days=1), due_date - datetime.timedelta(days=1)))


def _check_department(department: Department, what: str) -> None:
    if not department.is_active or department.kind == Department.Kind.GENERAL_OFFICE:
        raise TransitionError(
            _("%(what)s必须是启用的承办单位：%(name)s不能承办。")
            % {"what": what, "name": department.name}
        )


@transaction.atomic
def proposal_assign(
    proposal: Proposal,
    *,
    by,
    department: Department,
    co_departments: Iterable[tuple[Department, str]] = (),
    due_date: datetime.date | None = None,
    is_key: bool | None = None,
    leading_leader: str | None = None,
    now: datetime.datetime | None = None,
) -> Assignment:
    """Assign (交办) to a lead department with optional co-departments; the office, for a
    registered item or one returned by its previous lead department (调整交办)."""
    now = now or timezone.now()
    today = local_date(now)
    proposal = _lock(proposal)
    _require_status(
        proposal,
        Status.REGISTERED,
        Status.RETURNED,
        message=_("只有待交办或已退回的建议提案可以交办。"),
    )
    _check_department(department, _("主办单位"))
    co_departments = list(co_departments)
    co_ids = [co.pk for co, _role in co_departments]
    if department.pk in co_ids:
        raise TransitionError(_("主办单位不能同时是协办单位。"))
    if len(co_ids) != len(set(co_ids)):
        raise TransitionError(_("同一协办单位只能选择一次。"))
    for co, _role in co_departments:
        _check_department(co, _("协办单位"))
    deadline = sign_for_deadline(today)
    due_date = due_date or default_due_date(proposal, today)
    if due_date <= deadline:
        raise TransitionError(_("答复期限必须晚于签收期限（%(date)s）。") % {"date": deadline})
    if is_key is not None:
        proposal.is_key = is_key
    if leading_leader is not None:
        proposal.leading_leader = leading_leader.strip()
    if proposal.leading_leader and not proposal.is_key:
        raise TransitionError(_("市领导领办的应为重点建议提案。"))
    assignment = Assignment.objects.create(
        proposal=proposal,
        department=department,
        co_departments=[{"department": co.pk, "role": role} for co, role in co_departments],
        assigned_at=now,
        sign_for_deadline=deadline,
        due_date=due_date,
        assigned_by=by,
    )
    proposal.co_departments.all().delete()
    opinion_due = co_opinion_due(due_date, today)
    CoDepartment.objects.bulk_create(
        CoDepartment(proposal=proposal, department=co, role=role, opinion_due=opinion_due)
        for co, role in co_departments
    )
    proposal.status = Status.ASSIGNED
    proposal.lead_department = department
    proposal.assigned_at = now
    proposal.sign_for_deadline = deadline
    proposal.signed_at = None
    proposal.due_date = due_date
    proposal.save()
    events.proposal_assigned(
        proposal, assignment, by=by, co_names=[co.name for co, _role in co_departments]
    )
    return assignment


def _pending_assignment(proposal: Proposal) -> Assignment:
    return (
        proposal.assignments.select_for_update()
        .select_related("department")
        .get(outcome=Assignment.Outcome.PENDING)
    )


@transaction.atomic
def proposal_sign_for(proposal: Proposal, *, by, now: datetime.datetime | None = None) -> Proposal:
    """The lead department signs for the item (签收). After the window it may still sign
    for it (late, as the figures show); it may no longer return it."""
    now = now or timezone.now()
    proposal = _lock(proposal)
    _require_status(proposal, Status.ASSIGNED, message=_("该建议提案不在待签收状态。"))
    assignment = _pending_assignment(proposal)
    assignment.outcome = Assignment.Outcome.SIGNED
    assignment.answered_at = now
    assignment.answered_by = by
    assignment.on_time = local_date(now) <= assignment.sign_for_deadline
    assignment.save()
    proposal.status = Status.HANDLING
    proposal.signed_at = now
    proposal.save()
    events.proposal_signed_for(proposal, assignment, by=by)
    return proposal


@transaction.atomic
def proposal_return(
    proposal: Proposal, *, by, reason: str, now: datetime.datetime | None = None
) -> Proposal:
    """The lead department returns the item with a reason (退回), within the window of
    working days from assignment; the office then assigns it again."""
    now = now or timezone.now()
    reason = require_text(reason, _("请填写退回理由。"))
    proposal = _lock(proposal)
    _require_status(proposal, Status.ASSIGNED, message=_("只有待签收的建议提案可以退回。"))
    assignment = _pending_assignment(proposal)
    if local_date(now) > assignment.sign_for_deadline:
        raise TransitionError(
            _("已超过退回期限（%(date)s），不能退回；确需调整交办的，请联系市政府办公厅。")
            % {"date": assignment.sign_for_deadline}
        )
    assignment.outcome = Assignment.Outcome.RETURNED
    assignment.answered_at = now
    assignment.answered_by = by
    assignment.return_reason = reason
    assignment.on_time = True
    assignment.save()
    events.proposal_returned(proposal, assignment, by=by)
    proposal.status = Status.RETURNED
    proposal.lead_department = None
    proposal.sign_for_deadline = None
    proposal.co_departments.all().delete()
    proposal.save()
    return proposal


# -------------------------------------------------------------------------------- handling


@transaction.atomic
def contact_record(
    proposal: Proposal,
    *,
    by,
    contacted_on: datetime.date,
    method: str,
    note: str,
    now: datetime.datetime | None = None,
) -> Contact:
    """Record a contact with the authors (沟通联系), required in each round before replying."""
    now = now or timezone.now()
    note = require_text(note, _("请填写沟通情况。"))
    proposal = _lock(proposal)
    _require_status(proposal, *IN_HANDLING, message=_("只有办理中的建议提案可以记录沟通联系。"))
    if contacted_on > local_date(now):
        raise TransitionError(_("联系日期不能晚于今天。"))
    if proposal.assigned_at and contacted_on < local_date(proposal.assigned_at):
        raise TransitionError(_("联系日期不能早于交办日期。"))
    if method not in Contact.Method.values:
        raise TransitionError(_("请选择联系方式。"))
    contact = Contact.objects.create(
        proposal=proposal,
        round=proposal.round,
        contacted_on=contacted_on,
        method=method,
        note=note,
        recorded_by=by,
    )
    events.contact_recorded(proposal, contact, by=by)
    return contact


def _current_reply(proposal: Proposal) -> Reply | None:
    return proposal.replies.select_for_update().filter(round=proposal.round).first()


@transaction.atomic
def co_opinion_submit(
    co_department: CoDepartment, *, by, opinion: str, now: datetime.datetime | None = None
) -> CoDepartment:
    """A co-department gives the lead department its opinion (协办意见), until the reply
    has gone; after its date it is accepted and shown as late."""
    now = now or timezone.now()
    opinion = require_text(opinion, _("请填写协办意见。"))
    proposal = _lock(co_department.proposal)
    _require_status(
        proposal, Status.ASSIGNED, *IN_HANDLING, message=_("该建议提案已答复，不能再提交协办意见。")
    )
    co_department = (
        CoDepartment.objects.select_for_update()
        .select_related("department")
        .get(pk=co_department.pk)
    )
    co_department.opinion = opinion
    co_department.opinion_at = now
    co_department.opinion_by = by
    co_department.save()
    events.co_opinion_submitted(proposal, co_department, by=by)
    return co_department


@transaction.atomic
def extension_request(
    proposal: Proposal,
    *,
    by,
    requested_due_date: datetime.date,
    reason: str,
    now: datetime.datetime | None = None,
) -> Extension:
    """The lead department asks the office to move the due date (延期), with a reason."""
    now = now or timezone.now()
    reason = require_text(reason, _("请填写延期理由。"))
    proposal = _lock(proposal)
    _require_status(proposal, *IN_HANDLING, message=_("只有办理中的建议提案可以申请延期。"))
    if proposal.extensions.filter(status=Extension.Status.PENDING).exists():
        raise TransitionError(_("已有一份延期申请在审批中。"))
    if requested_due_date <= proposal.due_date:
        raise TransitionError(
            _("申请延期的日期必须晚于现在的答复期限（%(date)s）。") % {"date": proposal.due_date}
        )
    extension = Extension.objects.create(
        proposal=proposal,
        round=proposal.round,
        previous_due_date=proposal.due_date,
        requested_due_date=requested_due_date,
        reason=reason,
        requested_by=by,
        requested_at=now,
    )
    events.extension_requested(proposal, extension, by=by)
    return extension


@transaction.atomic
def extension_decide(
    extension: Extension,
    *,
    by,
    approve: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Extension:
    """The office approves or refuses an extension; a refusal says why."""
    now = now or timezone.now()
    proposal = _lock(extension.proposal)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != Extension.Status.PENDING:
        raise TransitionError(_("该延期申请已审批。"))
    note = (note or "").strip()
    if not approve and not note:
        raise TransitionError(_("不同意延期时请填写理由。"))
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by = by
    extension.decided_at = now
    extension.decision_note = note
    extension.save()
    if approve and proposal.status in IN_HANDLING and proposal.round == extension.round:
        proposal.due_date = extension.requested_due_date
        proposal.save(update_fields=["due_date", "updated_at"])
        reply = _current_reply(proposal)
        if reply is not None and reply.status != Reply.Status.SENT:
            reply.due_date = proposal.due_date
            reply.save(update_fields=["due_date"])
    events.extension_decided(proposal, extension, by=by)
    return extension


# ----------------------------------------------------------------------------------- reply


@transaction.atomic
def reply_save(
    proposal: Proposal,
    *,
    by,
    document_number: str,
    body: str,
    reply_class: str,
    contact_person: str,
    contact_phone: str,
    copy_to: str = "",
    now: datetime.datetime | None = None,
) -> Reply:
    """Draft (or redraft) the reply letter of the current round. Changing a letter that
    was signed off or countersigned takes those back: they were given to other words."""
    now = now or timezone.now()
    proposal = _lock(proposal)
    _require_status(proposal, *IN_HANDLING, message=_("只有办理中的建议提案可以拟定答复。"))
    if reply_class not in Proposal.ReplyClass.values:
        raise TransitionError(_("请选择答复分类。"))
    values = {
        "document_number": require_text(document_number, _("请填写文号。")),
        "body": require_text(body, _("请填写答复正文。")),
        "reply_class": reply_class,
        "contact_person": require_text(contact_person, _("请填写联系人。")),
        "contact_phone": require_text(contact_phone, _("请填写联系电话。")),
        "copy_to": (copy_to or "").strip(),
    }
    reply = _current_reply(proposal)
    edited = reply is not None
    if reply is None:
        reply = Reply(
            proposal=proposal,
            round=proposal.round,
            drafted_by=by,
            drafted_at=now,
            due_date=proposal.due_date,
            **values,
        )
    else:
        if reply.status == Reply.Status.SENT:
            raise TransitionError(_("答复已发出，不能修改。"))
        if all(getattr(reply, name) == value for name, value in values.items()):
            return reply
        for name, value in values.items():
            setattr(reply, name, value)
        reply.status = Reply.Status.DRAFT
        reply.signed_off_by = None
        reply.signed_off_at = None
        reply.countersignatures = {}
    reply.save()
    events.reply_drafted(proposal, reply, by=by, edited=edited)
    return reply


def _lock_reply(reply: Reply) -> tuple[Proposal, Reply]:
    proposal = _lock(reply.proposal)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.round != proposal.round or proposal.status not in IN_HANDLING:
        raise TransitionError(_("这份答复不是当前办理轮次的答复。"))
    return proposal, reply


@transaction.atomic
def reply_sign_off(reply: Reply, *, by, now: datetime.datetime | None = None) -> Reply:
    """The lead department's leader signs the letter off (审签)."""
    now = now or timezone.now()
    proposal, reply = _lock_reply(reply)
    if reply.status != Reply.Status.DRAFT:
        raise TransitionError(_("只有拟稿状态的答复需要审签。"))
    reply.status = Reply.Status.SIGNED_OFF
    reply.signed_off_by = by
    reply.signed_off_at = now
    reply.save()
    events.reply_signed_off(proposal, reply, by=by)
    return reply


@transaction.atomic
def reply_countersign(
    reply: Reply, *, by, department: Department | None, now: datetime.datetime | None = None
) -> Reply:
    """A co-department countersigns the letter (会签)."""
    now = now or timezone.now()
    proposal, reply = _lock_reply(reply)
    if reply.status == Reply.Status.SENT:
        raise TransitionError(_("答复已发出。"))
    if department is None:  # an account of no department (the break-glass superuser)
        raise TransitionError(_("会签须由协办单位的账号办理。"))
    if not proposal.co_departments.filter(department=department).exists():
        raise TransitionError(_("%(name)s不是该建议提案的协办单位。") % {"name": department.name})
    key = str(department.pk)
    if key in reply.countersignatures:
        raise TransitionError(_("%(name)s已会签。") % {"name": department.name})
    reply.countersignatures = {
        **reply.countersignatures,
        key: {"by": by.pk, "name": by.display_name, "at": now.isoformat()},
    }
    reply.save(update_fields=["countersignatures"])
    events.reply_countersigned(proposal, reply, department, by=by)
    return reply


def missing_for_sending(proposal: Proposal, reply: Reply | None) -> list[str]:
    """What still stands between the current round's letter and sending it, in words."""
    missing = []
    if not proposal.contacts.filter(round=proposal.round).exists():
        missing.append(_("尚未记录与提出人的沟通联系"))
    if reply is None:
        missing.append(_("尚未拟定答复"))
        return missing
    if reply.status == Reply.Status.DRAFT:
        missing.append(_("答复尚未经负责人审签"))
    signed = set(reply.countersignatures)
    for co in proposal.co_departments.select_related("department"):
        if str(co.department_id) not in signed:
            missing.append(_("%(name)s尚未会签") % {"name": co.department.name})
    return missing


def rating_url(token: str) -> str:
    return tokens.absolute_url(reverse("proposals:rating", args=[token]))


@transaction.atomic
def reply_send(reply: Reply, *, by, now: datetime.datetime | None = None) -> Reply:
    """Send the signed-off letter: the item becomes 已答复, each author gets the letter and a
    personal rating link by e-mail, and the office has it in the portal at once."""
    now = now or timezone.now()
    proposal, reply = _lock_reply(reply)
    if reply.status == Reply.Status.SENT:
        raise TransitionError(_("答复已发出。"))
    missing = missing_for_sending(proposal, reply)
    if missing:
        raise TransitionError(_("还不能发出答复：%(missing)s。") % {"missing": "；".join(missing)})
    reply.status = Reply.Status.SENT
    reply.sent_at = now
    reply.sent_by = by
    reply.due_date = proposal.due_date
    reply.on_time = local_date(now) <= proposal.due_date
    reply.delivered_to_office_at = now
    reply.save()
    proposal.status = Status.REPLIED
    proposal.reply_class = reply.reply_class
    proposal.replied_at = now
    proposal.satisfaction = ""
    proposal.save()
    events.reply_sent(proposal, reply, by=by)
    expires_at = now + datetime.timedelta(days=settings.PORTAL_PROPOSAL_RATING_DAYS)
    rows = []
    for author in proposal.authors.select_related("participant"):
        token = tokens.new_token()
        rating = Rating.objects.create(
            reply=reply, author=author, token_hash=tokens.token_hash(token), expires_at=expires_at
        )
        if author.participant.email:
            rows.append(_reply_email(proposal, reply, rating, token, now=now))
    outbox_record(rows)
    return reply


def _reply_email(proposal, reply, rating, token, *, now) -> Reminder:
    return outbox_row(
        kind=Reminder.Kind.PROPOSAL_REPLY,
        obj=rating,
        recipient=rating.author.participant.email,
        occasion=f"reply-{reply.round}",
        subject=_("关于%(reference)s的答复及满意度测评") % {"reference": proposal.reference},
        template="proposals/emails/reply",
        context={
            "proposal": proposal,
            "reply": reply,
            "author": rating.author,
            "expires_at": timezone.localtime(rating.expires_at),
        },
        secret=rating_url(token),
        now=now,
    )


def mark_ratings_sent(ids: list[int], sent_at) -> None:
    """Called by the outbox once a rating link has gone out: the letter reached the authors."""
    Rating.objects.filter(pk__in=ids).update(sent_at=sent_at)
    Reply.objects.filter(
        ratings__pk__in=ids, ratings__author__role=Author.Role.LEAD, delivered_to_authors_at=None
    ).update(delivered_to_authors_at=sent_at)


DELIVERY_FIELDS = {
    "authors": "delivered_to_authors_at",
    "body": "delivered_to_body_at",
    "office": "delivered_to_office_at",
}


@transaction.atomic
def reply_record_delivery(
    reply: Reply, *, by, to: str, now: datetime.datetime | None = None
) -> Reply:
    """Record that the letter reached one of the three (三方面复): handed to an author
    without e-mail, sent to the congress's or CPPCC's office, filed with the general office."""
    now = now or timezone.now()
    reply = Reply.objects.select_for_update().select_related("proposal").get(pk=reply.pk)
    if reply.status != Reply.Status.SENT:
        raise TransitionError(_("答复尚未发出。"))
    field = DELIVERY_FIELDS.get(to)
    if field is None:
        raise TransitionError(_("请选择送达对象。"))
    if getattr(reply, field):
        raise TransitionError(_("已记录送达。"))
    setattr(reply, field, now)
    reply.save(update_fields=[field])
    events.reply_delivered(reply.proposal, reply, to=to, by=by)
    return reply


# ---------------------------------------------------------------------------------- rating


def rating_by_token(token: str) -> Rating:
    """The rating a personal link opens; ``Rating.DoesNotExist`` for any other string."""
    return Rating.objects.select_related(
        "reply__proposal__lead_department", "author__participant"
    ).get(token_hash=tokens.token_hash(token))


def _apply_rating(
    rating: Rating,
    *,
    result: str,
    comment: str,
    wants_second_round: bool,
    channel: str,
    by,
    now,
) -> Rating:
    if result not in Proposal.Satisfaction.values:
        raise TransitionError(_("请选择测评结果。"))
    proposal = _lock(rating.reply.proposal)
    rating.result = result
    rating.comment = (comment or "").strip()
    rating.wants_second_round = bool(wants_second_round)
    rating.channel = channel
    rating.rated_at = now
    rating.recorded_by = by
    rating.save()
    events.proposal_rated(proposal, rating, by=by)
    is_current = rating.reply.round == proposal.round and proposal.status == Status.REPLIED
    if rating.author.role == Author.Role.LEAD and is_current:
        proposal.satisfaction = result
        proposal.save(update_fields=["satisfaction", "updated_at"])
        wants_more = result == Proposal.Satisfaction.DISSATISFIED or rating.wants_second_round
        if wants_more and proposal.round < proposal.rounds_allowed:
            reason = (
                _("提出人测评不满意")
                if result == Proposal.Satisfaction.DISSATISFIED
                else _("提出人要求二次办理")
            )
            _open_round(proposal, by=by, reason=reason, now=now)
        elif not wants_more:
            proposal.status = Status.CLOSED
            proposal.save(update_fields=["status", "updated_at"])
            events.proposal_closed(
                proposal,
                by=by,
                reason=_("领衔提出人测评%(result)s") % {"result": rating.get_result_display()},
            )
    return rating


@transaction.atomic
def rating_submit(
    token: str,
    *,
    result: str,
    comment: str = "",
    wants_second_round: bool = False,
    now: datetime.datetime | None = None,
) -> Rating:
    """An author rates through the personal link: once, before the link expires."""
    now = now or timezone.now()
    rating = (
        Rating.objects.select_for_update()
        .select_related("reply__proposal", "author__participant")
        .get(token_hash=tokens.token_hash(token))
    )
    if rating.result:
        raise RatingGiven(_("您已完成测评，测评结果不能通过链接修改。"))
    if rating.expires_at <= now:
        raise RatingClosed(_("测评链接已过期。"))
    return _apply_rating(
        rating,
        result=result,
        comment=comment,
        wants_second_round=wants_second_round,
        channel=Rating.Channel.LINK,
        by=None,
        now=now,
    )


@transaction.atomic
def rating_record_paper(
    rating: Rating,
    *,
    by,
    result: str,
    comment: str = "",
    wants_second_round: bool = False,
    now: datetime.datetime | None = None,
) -> Rating:
    """The office enters a rating from the paper form (纸质测评表); the link then opens
    nothing more to rate."""
    now = now or timezone.now()
    rating = (
        Rating.objects.select_for_update()
        .select_related("reply__proposal", "author__participant")
        .get(pk=rating.pk)
    )
    if rating.result:
        raise TransitionError(_("该提出人已完成测评。"))
    return _apply_rating(
        rating,
        result=result,
        comment=comment,
        wants_second_round=wants_second_round,
        channel=Rating.Channel.PAPER,
        by=by,
        now=now,
    )


# ------------------------------------------------------------------------- further rounds


def _open_round(proposal: Proposal, *, by, reason: str, now) -> None:
    proposal.round += 1
    proposal.status = Status.SECOND_ROUND
    proposal.due_date = add_months(local_date(now), settings.PORTAL_PROPOSAL_SECOND_ROUND_MONTHS)
    proposal.save()
    events.second_round_opened(proposal, by=by, reason=reason)


@transaction.atomic
def further_round_allow(
    proposal: Proposal, *, by, reason: str, now: datetime.datetime | None = None
) -> Proposal:
    """The office decides that an item which has had its second round is handled once more
    (an item is 二次办理 only once unless the office decides otherwise)."""
    now = now or timezone.now()
    reason = require_text(reason, _("请填写决定再次办理的理由。"))
    proposal = _lock(proposal)
    _require_status(
        proposal, Status.REPLIED, Status.CLOSED, message=_("只有已答复的建议提案可以再次办理。")
    )
    proposal.further_rounds_allowed = max(proposal.further_rounds_allowed, proposal.round - 1)
    proposal.save(update_fields=["further_rounds_allowed", "updated_at"])
    events.further_round_allowed(proposal, by=by, reason=reason)
    _open_round(proposal, by=by, reason=reason, now=now)
    return proposal


@transaction.atomic
def proposal_close(
    proposal: Proposal, *, by, reason: str, now: datetime.datetime | None = None
) -> Proposal:
    """The office closes an item whose rating has not come (the links expired) or whose
    author's dissatisfaction has been dealt with (办结)."""
    now = now or timezone.now()
    reason = require_text(reason, _("请填写办结说明。"))
    proposal = _lock(proposal)
    _require_status(proposal, Status.REPLIED, message=_("只有已答复待测评的建议提案可以办结。"))
    proposal.status = Status.CLOSED
    proposal.save(update_fields=["status", "updated_at"])
    events.proposal_closed(proposal, by=by, reason=reason)
    return proposal


@transaction.atomic
def evaluation_record(
    proposal: Proposal,
    *,
    by,
    verdict: str,
    panel: str,
    evaluated_on: datetime.date,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Evaluation:
    """The office records the third-party panel's verdict (第三方评估) on a replied item."""
    now = now or timezone.now()
    panel = require_text(panel, _("请填写评估机构。"))
    if verdict not in Proposal.Verdict.values:
        raise TransitionError(_("请选择评估结论。"))
    if evaluated_on > local_date(now):
        raise TransitionError(_("评估日期不能晚于今天。"))
    proposal = _lock(proposal)
    if not proposal.is_replied:
        raise TransitionError(_("只有已答复的建议提案可以录入第三方评估结论。"))
    existing = Evaluation.objects.filter(proposal=proposal).first()
    before = existing.verdict if existing else ""
    evaluation, _created = Evaluation.objects.update_or_create(
        proposal=proposal,
        defaults={
            "verdict": verdict,
            "panel": panel,
            "evaluated_on": evaluated_on,
            "note": (note or "").strip(),
            "recorded_by": by,
        },
    )
    proposal.verdict = verdict
    proposal.save(update_fields=["verdict", "updated_at"])
    events.proposal_evaluated(proposal, evaluation, by=by, before=before)
    return evaluation
