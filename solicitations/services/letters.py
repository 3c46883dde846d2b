"""Written solicitation (书面征求意见): the only writers of letters and their addressees,
each change with its ledger row in the same transaction.

A department drafts a letter on a draft of its matter within one of the matter's comment
rounds, addresses it to departments and district governments (bodies that answer through
their own staff, signed by their leader) and to people and organisations of the registry
(who answer by a personal link, or on paper typed in by the sending department), and
sends it. Answers are due by the end of the deadline day, Beijing time. After it, or once
every main addressee has answered, the letter closes: where the letter says so, those who
have not answered are deemed to have no opinion (视为无意见). Late answers are still taken
and marked late. A closed letter with answers (a deemed 无意见 is one: the letter said so)
puts 书面征求意见 on the matter's record, and
an answer from a democratic party, the federation of industry and commerce or a non-party
person puts 征求党外人士意见 there too.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from accounts.selectors import people_to_remind
from core.content_cache import content_changed
from core.dates import SHANGHAI, day_end, shown_date
from core.exceptions import TransitionError
from matters.models import Matter
from matters.procedures import StepType
from matters.services import matter_touch, step_record
from participation.models import CommentPeriod, Opinion, Participant
from participation.tokens import absolute_url, new_token, token_hash
from reminders.models import Reminder
from reminders.services import outbox_record, outbox_row

from .. import events
from ..models import Addressee, AnswerItem, Solicitation

Status = Solicitation.Status

# The longest opinion the register takes (``Opinion.content``).
MAX_OPINION = 5000


def is_past_deadline(solicitation: Solicitation, now: datetime.datetime) -> bool:
    return now >= day_end(solicitation.deadline)


def category_of_department(department: Department) -> str:
    if department.kind in (Department.Kind.DISTRICT, Department.Kind.FUNCTIONAL_AREA):
        return Addressee.DISTRICT
    return Addressee.DEPARTMENT


def _lock(solicitation: Solicitation) -> Solicitation:
    return (
        Solicitation.objects.select_for_update(of=("self",))
        .select_related("matter", "period")
        .get(pk=solicitation.pk)
    )


def _check_draft(solicitation: Solicitation) -> None:
    if solicitation.status != Status.DRAFT:
        raise TransitionError(_("征求意见函已经发出，不能再修改。"))


@dataclass
class Letter:
    """What the drafting staff type in."""

    title: str
    reference_number: str
    body: str
    deadline: datetime.date | None
    contact_name: str
    contact_phone: str
    deemed_no_opinion: bool


def _check_letter(letter: Letter, *, today: datetime.date) -> Letter:
    letter.title = letter.title.strip()
    letter.body = letter.body.strip()
    letter.contact_name = letter.contact_name.strip()
    letter.contact_phone = letter.contact_phone.strip()
    letter.reference_number = letter.reference_number.strip()
    if not letter.title:
        raise TransitionError(_("请填写函件标题。"))
    if not letter.body:
        raise TransitionError(_("请填写函件正文。"))
    if letter.deadline is None:
        raise TransitionError(_("请填写反馈截止日期。"))
    if letter.deadline < today:
        raise TransitionError(_("反馈截止日期不能早于今天。"))
    if not letter.contact_name or not letter.contact_phone:
        raise TransitionError(_("请填写联系人和联系电话。"))
    return letter


@transaction.atomic
def solicitation_create(
    *,
    matter: Matter,
    period: CommentPeriod,
    by,
    letter: Letter,
    now: datetime.datetime | None = None,
) -> Solicitation:
    now = now or timezone.now()
    if period.matter_id != matter.pk:
        raise TransitionError(_("所选征求意见不属于本事项。"))
    if period.report_published_at:
        raise TransitionError(_("这次征求意见的采纳情况已经公开，不能再书面征求意见。"))
    letter = _check_letter(letter, today=timezone.localdate(now))
    solicitation = Solicitation.objects.create(
        matter=matter,
        period=period,
        draft=period.draft,
        title=letter.title,
        reference_number=letter.reference_number,
        body=letter.body,
        deadline=letter.deadline,
        contact_name=letter.contact_name,
        contact_phone=letter.contact_phone,
        deemed_no_opinion=letter.deemed_no_opinion,
        created_by=by,
        created_at=now,
    )
    events.solicitation_created(solicitation, by=by)
    return solicitation


@transaction.atomic
def solicitation_update(
    *, solicitation: Solicitation, by, letter: Letter, now: datetime.datetime | None = None
) -> Solicitation:
    """Change the letter before it is sent."""
    now = now or timezone.now()
    solicitation = _lock(solicitation)
    _check_draft(solicitation)
    letter = _check_letter(letter, today=timezone.localdate(now))
    for field in (
        "title",
        "reference_number",
        "body",
        "deadline",
        "contact_name",
        "contact_phone",
        "deemed_no_opinion",
    ):
        setattr(solicitation, field, getattr(letter, field))
    solicitation.save()
    events.solicitation_updated(solicitation, by=by)
    return solicitation


@transaction.atomic
def addressees_add(
    *,
    solicitation: Solicitation,
    by,
    departments: Iterable[Department] = (),
    participants: Iterable[Participant] = (),
    categories: Iterable[str] = (),
    role: str = Addressee.Role.MAIN,
) -> list[Addressee]:
    """Address the letter to bodies, to people, and to every active registry entry of the
    given categories. Those already addressed are left as they are. Returns the new ones."""
    solicitation = _lock(solicitation)
    _check_draft(solicitation)
    if role not in Addressee.Role.values:
        raise TransitionError(_("请选择主送或抄送。"))
    departments = list(departments)
    for department in departments:
        if department.pk == solicitation.matter.department_id:
            raise TransitionError(_("不需要向本部门征求意见。"))
        if not department.is_active:
            raise TransitionError(_("%(name)s已停用。") % {"name": department.name})
    chosen = {participant.pk: participant for participant in participants}
    categories = [c for c in categories if c]
    unknown = [c for c in categories if c not in Participant.Category.values]
    if unknown:
        raise TransitionError(_("未知的参与主体类别。"))
    if categories:
        for participant in Participant.objects.filter(category__in=categories, is_active=True):
            chosen.setdefault(participant.pk, participant)
    for participant in chosen.values():
        if not participant.is_active:
            raise TransitionError(_("%(name)s已停用。") % {"name": participant.name})
    if not departments and not chosen:
        raise TransitionError(_("请选择征求意见的单位、个人或类别。"))
    have_departments = set(
        solicitation.addressees.filter(department__isnull=False).values_list(
            "department_id", flat=True
        )
    )
    have_participants = set(
        solicitation.addressees.filter(participant__isnull=False).values_list(
            "participant_id", flat=True
        )
    )
    rows = [
        Addressee(
            solicitation=solicitation,
            role=role,
            department=department,
            name=department.name,
            category=category_of_department(department),
        )
        for department in departments
        if department.pk not in have_departments
    ] + [
        Addressee(
            solicitation=solicitation,
            role=role,
            participant=participant,
            name=participant.name,
            category=participant.category,
            email=participant.email,
        )
        for participant in sorted(chosen.values(), key=lambda p: (p.category, p.name, p.pk))
        if participant.pk not in have_participants
    ]
    try:
        with transaction.atomic():
            added = Addressee.objects.bulk_create(rows)
    except IntegrityError as error:  # added by someone else meanwhile
        raise TransitionError(_("所选对象已在征求意见名单中，请刷新后重试。")) from error
    if added:
        events.addressees_added(solicitation, by=by, addressees=added)
    return added


@transaction.atomic
def addressee_remove(*, addressee: Addressee, by) -> None:
    solicitation = _lock(addressee.solicitation)
    _check_draft(solicitation)
    addressee = Addressee.objects.select_for_update().get(pk=addressee.pk)
    events.addressee_removed(solicitation, by=by, addressee=addressee)
    addressee.delete()


def answer_path(addressee: Addressee) -> str:
    return reverse("solicitations:answer", args=[addressee.solicitation_id, addressee.pk])


def link_url(token: str) -> str:
    return absolute_url(reverse("solicitations:link_answer", args=[token]))


def _letter_emails(solicitation: Solicitation, addressees: list[Addressee], *, now) -> list:
    """The letter by e-mail: a personal link to each addressed person with an e-mail, the
    answer page to the staff and leaders of each addressed body."""
    context = {"solicitation": solicitation, "deadline": shown_date(solicitation.deadline)}
    subject = _("征求意见函：%(title)s（请于%(date)s前反馈）") % {
        "title": solicitation.title,
        "date": shown_date(solicitation.deadline),
    }
    rows = []
    members: dict[int, list] = {}
    body_ids = {a.department_id for a in addressees if a.is_body}
    if body_ids:
        for user in people_to_remind().filter(department_id__in=body_ids, in_department_role=True):
            members.setdefault(user.department_id, []).append(user)
    for addressee in addressees:
        if addressee.is_body:
            for user in members.get(addressee.department_id, []):
                rows.append(
                    outbox_row(
                        kind=Reminder.Kind.SOLICITATION_LETTER,
                        obj=addressee,
                        recipient=user.email,
                        user=user,
                        occasion="letter",
                        subject=subject,
                        template="solicitations/emails/letter",
                        context={
                            **context,
                            "addressee": addressee,
                            "link": absolute_url(answer_path(addressee)),
                            "by_body": True,
                        },
                        now=now,
                    )
                )
        elif addressee.email and addressee.token:
            rows.append(
                outbox_row(
                    kind=Reminder.Kind.SOLICITATION_LETTER,
                    obj=addressee,
                    recipient=addressee.email,
                    occasion="letter",
                    subject=subject,
                    template="solicitations/emails/letter",
                    context={**context, "addressee": addressee, "by_body": False},
                    secret=link_url(addressee.token),
                    now=now,
                )
            )
    return rows


@transaction.atomic
def solicitation_send(
    *, solicitation: Solicitation, by, now: datetime.datetime | None = None
) -> Solicitation:
    """Send the letter: every person with an e-mail gets a personal link (kept only as a
    hash), every body's staff the answer page."""
    now = now or timezone.now()
    solicitation = _lock(solicitation)
    _check_draft(solicitation)
    if solicitation.period.report_published_at:
        raise TransitionError(_("这次征求意见的采纳情况已经公开，不能再书面征求意见。"))
    if solicitation.deadline < timezone.localdate(now):
        raise TransitionError(_("反馈截止日期已过，请先修改截止日期。"))
    addressees = list(solicitation.addressees.select_for_update().order_by("pk"))
    if not any(a.role == Addressee.Role.MAIN for a in addressees):
        raise TransitionError(_("请至少选择一个主送单位或个人。"))
    for addressee in addressees:
        addressee.token = ""
        if not addressee.is_body and addressee.email:
            addressee.token = new_token()
            addressee.token_hash = token_hash(addressee.token)
    Addressee.objects.bulk_update(
        [a for a in addressees if a.token], ["token_hash"], batch_size=500
    )
    solicitation.status = Status.SENT
    solicitation.sent_by = by
    solicitation.sent_at = now
    solicitation.save(update_fields=["status", "sent_by", "sent_at"])
    outbox_record(_letter_emails(solicitation, addressees, now=now))
    events.solicitation_sent(solicitation, by=by, addressees=addressees)
    matter_touch(matter_id=solicitation.matter_id)
    return solicitation


@dataclass
class Answer:
    """An answer as given: 有意见 with its opinions (article, content), or 无意见."""

    answer: str
    items: list[tuple[str, str]]
    note: str = ""


def _check_answer(answer: Answer) -> list[tuple[str, str]]:
    if answer.answer not in Addressee.Answer.values:
        raise TransitionError(_("请选择“有意见”或“无意见”。"))
    items = [
        ((article or "").strip()[:100], (content or "").strip())
        for article, content in answer.items
        if (content or "").strip()
    ]
    if answer.answer == Addressee.Answer.OPINIONS and not items:
        raise TransitionError(_("选择“有意见”的，请至少填写一条意见。"))
    if answer.answer == Addressee.Answer.NONE and items:
        raise TransitionError(_("选择“无意见”的，不需要填写意见内容。"))
    for _article, content in items:
        if len(content) > MAX_OPINION:
            raise TransitionError(_("每条意见不超过%(n)d字，请分条填写。") % {"n": MAX_OPINION})
    return items


def _lock_addressee(addressee: Addressee) -> tuple[Solicitation, Addressee]:
    solicitation = _lock(addressee.solicitation)
    addressee = Addressee.objects.select_for_update().get(pk=addressee.pk)
    addressee.solicitation = solicitation
    return solicitation, addressee


def _check_can_answer(solicitation: Solicitation, addressee: Addressee) -> None:
    if solicitation.status == Status.DRAFT:
        raise TransitionError(_("征求意见函尚未发出。"))
    if addressee.status == Addressee.Status.ANSWERED:
        raise TransitionError(_("%(name)s已经反馈，不能再修改。") % {"name": addressee.name})


def _take_answer(addressee: Addressee, answer: Answer) -> list[tuple[str, str]]:
    """Check the answer and put it on the addressee (its opinions replacing any drafted
    before); the caller saves the addressee."""
    items = _check_answer(answer)
    addressee.items.all().delete()
    AnswerItem.objects.bulk_create(
        AnswerItem(addressee=addressee, article=article, content=content)
        for article, content in items
    )
    addressee.answer = answer.answer
    addressee.note = answer.note.strip()
    return items


def _give(
    solicitation: Solicitation,
    addressee: Addressee,
    *,
    by,
    via: str,
    signer_name: str,
    received_on: datetime.date,
    now: datetime.datetime,
) -> Addressee:
    """The answer is given: its opinions join the round's register, the addressee is
    answered (late when received after the deadline day)."""
    items = list(addressee.items.order_by("pk"))
    if addressee.answer == Addressee.Answer.OPINIONS:
        if solicitation.period.report_published_at:
            raise TransitionError(
                _("这次征求意见的采纳情况已经公开，不能再登记新的意见；请与%(contact)s联系。")
                % {"contact": solicitation.contact_name}
            )
        for item in items:
            item.opinion = Opinion.objects.create(
                period=solicitation.period,
                matter_id=solicitation.matter_id,
                channel=Opinion.Channel.WRITTEN,
                content=item.content,
                article=item.article,
                author_name=addressee.name[:50],
                received_on=received_on,
                recorded_by=by,
                # Never listed publicly (``opinions_public``); nothing to moderate. Staff
                # may still hide its text from the feedback report.
                moderation=Opinion.Moderation.SHOWN,
            )
        AnswerItem.objects.bulk_update(items, ["opinion"])
        content_changed()
    previous = addressee.status
    addressee.status = Addressee.Status.ANSWERED
    addressee.via = via
    addressee.signer_name = signer_name
    addressee.signed_by = by if via == Addressee.Via.BODY else None
    addressee.answered_at = now
    addressee.is_late = received_on > solicitation.deadline
    addressee.token_hash = ""  # a personal link answers once
    addressee.save()
    events.answer_given(solicitation, addressee=addressee, by=by, previous=previous, items=items)
    matter_touch(matter_id=solicitation.matter_id)
    if solicitation.status == Status.CLOSED:
        _record_steps(solicitation, now=now)
    else:
        _close_if_due(solicitation, now=now)
    return addressee


@transaction.atomic
def body_answer_prepare(
    *, addressee: Addressee, by, answer: Answer, now: datetime.datetime | None = None
) -> Addressee:
    """A body's staff draft its answer (it may be drafted again until it is signed)."""
    now = now or timezone.now()
    solicitation, addressee = _lock_addressee(addressee)
    _check_can_answer(solicitation, addressee)
    if not addressee.is_body:
        raise TransitionError(_("只有单位通过平台反馈。"))
    items = _take_answer(addressee, answer)
    addressee.prepared_by = by
    addressee.prepared_at = now
    addressee.save()
    events.answer_prepared(solicitation, addressee=addressee, by=by, items=len(items))
    return addressee


@transaction.atomic
def body_answer_sign(
    *, addressee: Addressee, by, now: datetime.datetime | None = None
) -> Addressee:
    """The body's leader signs the prepared answer; it is then given."""
    now = now or timezone.now()
    solicitation, addressee = _lock_addressee(addressee)
    _check_can_answer(solicitation, addressee)
    if not addressee.prepared_at:
        raise TransitionError(_("反馈意见尚未起草，请先由本单位工作人员起草。"))
    return _give(
        solicitation,
        addressee,
        by=by,
        via=Addressee.Via.BODY,
        signer_name=by.display_name,
        received_on=timezone.localdate(now),
        now=now,
    )


def addressee_by_token(token: str) -> Addressee | None:
    if not token or len(token) > 100:
        return None
    return (
        Addressee.objects.select_related("solicitation", "solicitation__matter")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def link_answer(
    *, addressee: Addressee, answer: Answer, signer_name: str, now: datetime.datetime | None = None
) -> Addressee:
    """A person answers through their personal link, signing with their name."""
    now = now or timezone.now()
    solicitation, addressee = _lock_addressee(addressee)
    _check_can_answer(solicitation, addressee)
    signer_name = signer_name.strip()
    if not signer_name:
        raise TransitionError(_("请填写签名（姓名或单位名称）。"))
    _take_answer(addressee, answer)
    return _give(
        solicitation,
        addressee,
        by=None,
        via=Addressee.Via.LINK,
        signer_name=signer_name[:100],
        received_on=timezone.localdate(now),
        now=now,
    )


@transaction.atomic
def paper_answer_enter(
    *,
    addressee: Addressee,
    by,
    answer: Answer,
    received_on: datetime.date,
    signer_name: str,
    now: datetime.datetime | None = None,
) -> Addressee:
    """The sending department types in an answer received on paper."""
    now = now or timezone.now()
    solicitation, addressee = _lock_addressee(addressee)
    _check_can_answer(solicitation, addressee)
    if received_on is None:
        raise TransitionError(_("请填写收到日期。"))
    if received_on > timezone.localdate(now):
        raise TransitionError(_("收到日期不能晚于今天。"))
    if solicitation.sent_at and received_on < timezone.localdate(solicitation.sent_at):
        raise TransitionError(_("收到日期不能早于发函日期。"))
    signer_name = signer_name.strip() or addressee.name
    _take_answer(addressee, answer)
    return _give(
        solicitation,
        addressee,
        by=by,
        via=Addressee.Via.PAPER,
        signer_name=signer_name[:100],
        received_on=received_on,
        now=now,
    )


def _close_if_due(solicitation: Solicitation, *, now: datetime.datetime) -> bool:
    """Close a sent letter once its deadline day is over or every main addressee has
    answered; outstanding main addressees are then deemed to have no opinion where the
    letter says so. Called with the letter locked."""
    if solicitation.status != Status.SENT:
        return False
    addressees = list(solicitation.addressees.select_for_update().order_by("pk"))
    main = [a for a in addressees if a.role == Addressee.Role.MAIN]
    past = is_past_deadline(solicitation, now)
    if not past and any(a.is_outstanding for a in main):
        return False
    deemed = []
    for addressee in addressees:
        if not addressee.is_outstanding:
            continue
        if not past:  # every main addressee answered; copies may still answer
            continue
        if addressee.role == Addressee.Role.MAIN and solicitation.deemed_no_opinion:
            addressee.status = Addressee.Status.DEEMED
            deemed.append(addressee)
        else:
            addressee.status = Addressee.Status.NO_REPLY
        addressee.save(update_fields=["status"])
    solicitation.status = Status.CLOSED
    solicitation.closed_at = now
    solicitation.save(update_fields=["status", "closed_at"])
    for addressee in deemed:
        events.answer_deemed(solicitation, addressee=addressee)
    events.solicitation_closed(solicitation, counts=counts_of(addressees))
    _record_steps(solicitation, now=now)
    matter_touch(matter_id=solicitation.matter_id)
    return True


def counts_of(addressees: Iterable[Addressee]) -> dict[str, int]:
    counts = {"sent": 0, **{status: 0 for status in Addressee.Status.values}}
    for addressee in addressees:
        if addressee.role != Addressee.Role.MAIN:
            continue
        counts["sent"] += 1
        counts[addressee.status] += 1
    return counts


def _record_steps(solicitation: Solicitation, *, now: datetime.datetime) -> None:
    """Put the steps a closed letter supports on the matter's record (each once)."""
    addressees = list(solicitation.addressees.all())
    counts = counts_of(addressees)
    on = min(solicitation.deadline, timezone.localdate(now))
    by = solicitation.sent_by or solicitation.created_by
    changed = []
    heard = counts[Addressee.Status.ANSWERED] + counts[Addressee.Status.DEEMED]
    if solicitation.step_id is None and heard:
        solicitation.step = step_record(
            matter=solicitation.matter,
            by=by,
            step_type=StepType.WRITTEN_SOLICITATION,
            occurred_on=on,
            responsible_person=by.display_name,
            summary=_(
                "%(title)s：书面征求%(sent)d个单位和个人意见，%(answered)d个反馈，"
                "%(deemed)d个逾期视为无意见。"
            )
            % {
                "title": solicitation.title,
                "sent": counts["sent"],
                "answered": counts[Addressee.Status.ANSWERED],
                "deemed": counts[Addressee.Status.DEEMED],
            },
            evidenced=True,
            now=now,
        )
        changed.append("step")
    non_party = [
        a
        for a in addressees
        if a.status == Addressee.Status.ANSWERED and a.category in Addressee.NON_PARTY_CATEGORIES
    ]
    if solicitation.non_party_step_id is None and non_party:
        answered_on = max(timezone.localdate(a.answered_at) for a in non_party)
        solicitation.non_party_step = step_record(
            matter=solicitation.matter,
            by=by,
            step_type=StepType.NON_PARTY_CONSULTATION,
            occurred_on=min(answered_on, timezone.localdate(now)),
            responsible_person=by.display_name,
            summary=_("%(title)s：%(names)s书面反馈意见。")
            % {"title": solicitation.title, "names": "、".join(a.name for a in non_party)},
            evidenced=True,
            now=now,
        )
        changed.append("non_party_step")
    if changed:
        solicitation.save(update_fields=changed)


def solicitations_due(*, now: datetime.datetime, matter: Matter | None = None):
    """Sent letters whose deadline day is over."""
    today = now.astimezone(SHANGHAI).date()
    queryset = Solicitation.objects.filter(status=Status.SENT, deadline__lt=today)
    if matter is not None:
        queryset = queryset.filter(matter=matter)
    return queryset


@transaction.atomic
def solicitation_close_due(
    *, solicitation: Solicitation, now: datetime.datetime | None = None
) -> bool:
    now = now or timezone.now()
    return _close_if_due(_lock(solicitation), now=now)


def record_matter_solicitations(matter: Matter, *, now: datetime.datetime) -> None:
    """``matters.evidence`` source: the matter's letters past their deadline closed."""
    for solicitation in solicitations_due(now=now, matter=matter):
        solicitation_close_due(solicitation=solicitation, now=now)


def close_due_solicitations(*, now: datetime.datetime | None = None) -> int:
    """Every letter past its deadline closed (a periodic task); returns how many."""
    now = now or timezone.now()
    count = 0
    for solicitation in solicitations_due(now=now).order_by("pk"):
        if solicitation_close_due(solicitation=solicitation, now=now):
            count += 1
    return count


def open_letters_reason(period: CommentPeriod) -> list[str]:
    """``participation`` publish check: a round's report waits for its letters still out."""
    waiting = list(
        Solicitation.objects.filter(period=period, status=Status.SENT).order_by("deadline", "pk")
    )
    if not waiting:
        return []
    return [
        _(
            "征求意见函“%(title)s”还在征求中（%(date)s截止），书面征求意见结束后才能公开意见采纳情况。"
        )
        % {"title": letter.title, "date": shown_date(letter.deadline)}
        for letter in waiting
    ]
