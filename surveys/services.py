"""Every change to a survey: building it, publishing it, inviting the panel, taking a
response (online, by personal link, or typed in from paper or a phone call), voiding
one, and putting a closed survey on the matter's record.

Each is one function, in one transaction, writing its ledger row (``events``); a
response adds to the tallies in the same transaction, so results never disagree with
the responses they count.
"""

import datetime
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from core.dates import shown_date
from core.exceptions import TransitionError
from matters.models import Matter
from matters.procedures import StepType
from matters.services import step_record
from participation import tokens
from participation.models import Participant
from participation.services.invitations import LinkBatch, invite_by_link, invitees
from reminders.models import Reminder
from reminders.services import outbox_row

from . import events, tallies
from .models import Answer, Option, PanelMember, Question, Response, ResumeDraft, Section, Survey
from .questions import CHOICE_KINDS, Choice, Spec, parse_answers, question_type

EDITABLE_WHEN_PUBLISHED = ("title", "introduction", "closes_at", "results_shown")
SURVEY_FIELDS = (
    "title",
    "introduction",
    "opens_at",
    "closes_at",
    "audience",
    "one_response_per_person",
    "results_shown",
    "allow_resume",
)


class AnswersInvalid(TransitionError):
    """The answers of a response break a question's rules: ``errors`` by question id."""

    def __init__(self, errors: Mapping[int, str]):
        super().__init__(_("答卷中有%(n)d处需要修改。") % {"n": len(errors)})
        self.errors = dict(errors)


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).select_related("matter").get(pk=survey.pk)


def _touch(survey: Survey) -> None:
    """Saving the survey row bumps ``updated_at`` (the API's ``modified_since``) and, through
    the content cache's signals, retires the public pages that show it."""
    survey.save(update_fields=["updated_at"])


def _check_times(opens_at, closes_at) -> None:
    if opens_at is None or closes_at is None:
        raise TransitionError(_("请填写开始时间和结束时间。"))
    if closes_at <= opens_at:
        raise TransitionError(_("结束时间必须晚于开始时间。"))


def _check_matter(matter: Matter | None, department: Department) -> None:
    if matter is not None and matter.department_id != department.pk:
        raise TransitionError(_("事项的问卷调查由事项的牵头部门组织。"))


# -- building ---------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    by,
    department: Department,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    matter: Matter | None = None,
    kind: str = Survey.Kind.QUESTIONNAIRE,
    introduction: str = "",
    audience: str = Survey.Audience.PUBLIC,
    one_response_per_person: bool = True,
    results_shown: str = Survey.ResultsShown.AFTER_CLOSE,
    allow_resume: bool = False,
    now: datetime.datetime | None = None,
) -> Survey:
    """A draft survey with its first page; questions are added before it is published."""
    now = now or timezone.now()
    _check_times(opens_at, closes_at)
    _check_matter(matter, department)
    if kind == Survey.Kind.POLL and allow_resume:
        allow_resume = False  # one question: nothing to continue later
    survey = Survey.objects.create(
        matter=matter,
        department=department,
        kind=kind,
        year=matter.year if matter else timezone.localtime(opens_at).year,
        title=title.strip(),
        introduction=introduction.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience,
        one_response_per_person=one_response_per_person,
        results_shown=results_shown,
        allow_resume=allow_resume,
        created_by=by,
        created_at=now,
    )
    Section.objects.create(survey=survey, position=1)
    events.survey_created(survey, by=by)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by, now: datetime.datetime | None = None, **changes) -> Survey:
    """Change the survey's settings. Once published only the title, introduction, the
    closing time (not into the past) and when results are shown may change."""
    now = now or timezone.now()
    survey = _lock(survey)
    if survey.cancelled_at or survey.is_offline_record:
        raise TransitionError(_("已撤销的问卷或线下调查记录不能修改。"))
    unknown = set(changes) - set(SURVEY_FIELDS)
    if unknown:
        raise TransitionError(
            _("不能修改这些项目：%(fields)s。") % {"fields": "、".join(sorted(unknown))}
        )
    if survey.published_at is not None:
        frozen = [
            name
            for name in set(changes) - set(EDITABLE_WHEN_PUBLISHED)
            if changes[name] != getattr(survey, name)
        ]
        if frozen:
            raise TransitionError(_("问卷已发布，只能修改标题、说明、结束时间和结果公开方式。"))
        if "closes_at" in changes and changes["closes_at"] != survey.closes_at:
            if survey.status_at(now) == Survey.Status.CLOSED:
                raise TransitionError(_("调查已结束，不能再修改结束时间。"))
            if changes["closes_at"] <= now:
                raise TransitionError(_("新的结束时间必须晚于现在。"))
    before = events.snapshot(survey)
    for name, value in changes.items():
        setattr(survey, name, value.strip() if isinstance(value, str) else value)
    _check_times(survey.opens_at, survey.closes_at)
    if survey.kind == Survey.Kind.POLL:
        survey.allow_resume = False
    survey.save()
    after = events.snapshot(survey)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        events.survey_edited(
            survey,
            by=by,
            what=_("修改设置"),
            before={k: before[k] for k in changed},
            after=changed,
        )
    return survey


def _check_editable(survey: Survey) -> None:
    if not survey.can_edit_questions():
        raise TransitionError(_("问卷发布后不能再修改题目（已收到的答卷将与题目不一致）。"))


@transaction.atomic
def section_add(*, survey: Survey, by, title: str = "", description: str = "") -> Section:
    survey = _lock(survey)
    _check_editable(survey)
    if survey.kind == Survey.Kind.POLL:
        raise TransitionError(_("民意测验只有一道题，不分页。"))
    position = (survey.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(
        survey=survey, position=position, title=title.strip(), description=description.strip()
    )
    events.survey_edited(survey, by=by, what=_("增加第%(n)d页") % {"n": position})
    _touch(survey)
    return section


@transaction.atomic
def section_update(*, section: Section, by, title: str, description: str = "") -> Section:
    survey = _lock(section.survey)
    _check_editable(survey)
    section.title, section.description = title.strip(), description.strip()
    section.save(update_fields=["title", "description"])
    events.survey_edited(survey, by=by, what=_("修改第%(n)d页") % {"n": section.position})
    _touch(survey)
    return section


@transaction.atomic
def section_delete(*, section: Section, by) -> None:
    survey = _lock(section.survey)
    _check_editable(survey)
    if section.questions.exists():
        raise TransitionError(_("请先删除或移走本页的题目。"))
    if survey.sections.count() <= 1:
        raise TransitionError(_("问卷至少要有一页。"))
    position = section.position
    section.delete()
    for later in survey.sections.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    events.survey_edited(survey, by=by, what=_("删除第%(n)d页") % {"n": position})
    _touch(survey)


@dataclass
class QuestionInput:
    """What the builder submits for a question. ``options``: (label, is_other) pairs;
    ``rows``: the matrix's row labels."""

    kind: str
    text: str
    help_text: str = ""
    required: bool = True
    settings: dict = field(default_factory=dict)
    options: Sequence[tuple[str, bool]] = ()
    rows: Sequence[str] = ()
    shown_if: Option | None = None


def _clean_labels(labels: Iterable[str]) -> list[str]:
    return [label.strip() for label in labels if label and label.strip()]


def _check_question(survey: Survey, section: Section, data: QuestionInput, *, question=None):
    if data.kind not in Question.Kind.values:
        raise TransitionError(_("未知的题型。"))
    if not data.text.strip():
        raise TransitionError(_("请填写题目。"))
    options = [(label.strip(), bool(other)) for label, other in data.options if label.strip()]
    labels = [label for label, _other in options]
    if len(set(labels)) != len(labels):
        raise TransitionError(_("选项不能重复。"))
    rows = _clean_labels(data.rows)
    if len(set(rows)) != len(rows):
        raise TransitionError(_("矩阵行不能重复。"))
    if data.kind not in (*CHOICE_KINDS, "matrix", "ranking") and options:
        raise TransitionError(_("此题型没有选项。"))
    if data.kind != "matrix" and rows:
        raise TransitionError(_("只有矩阵题有行。"))
    spec = Spec(
        id=0,
        kind=data.kind,
        text=data.text,
        settings=data.settings,
        choices=tuple(Choice(i, label, other) for i, (label, other) in enumerate(options, 1)),
        rows=tuple(Choice(i, label) for i, label in enumerate(rows, 1)),
    )
    problems = question_type(spec).settings_errors(spec)
    if problems:
        raise TransitionError("".join(problems))
    if data.shown_if is not None:
        controlling = data.shown_if.question
        if controlling.survey_id != survey.pk or data.shown_if.is_row:
            raise TransitionError(_("显示条件须是本问卷中某道选择题的选项。"))
        if controlling.kind not in CHOICE_KINDS:
            raise TransitionError(_("显示条件只能依据单选题或多选题的选项。"))
        if question is not None and controlling.pk == question.pk:
            raise TransitionError(_("题目不能以自己的选项为显示条件。"))
        earlier = (controlling.section.position, controlling.position) < (
            section.position,
            question.position if question is not None else 10**6,
        )
        if not earlier:
            raise TransitionError(_("显示条件须依据排在本题之前的题目。"))
    return options, rows


def _save_options(question: Question, options, rows) -> None:
    Option.objects.bulk_create(
        [
            Option(question=question, position=n, label=label, is_other=other)
            for n, (label, other) in enumerate(options, 1)
        ]
        + [
            Option(question=question, position=n, label=label, is_row=True)
            for n, label in enumerate(rows, 1)
        ]
    )


@transaction.atomic
def question_add(
    *, survey: Survey, by, section: Section | None = None, data: QuestionInput
) -> Question:
    survey = _lock(survey)
    _check_editable(survey)
    section = section or survey.sections.order_by("-position").first()
    if section.survey_id != survey.pk:
        raise TransitionError(_("所选页不属于本问卷。"))
    if survey.kind == Survey.Kind.POLL:
        if survey.questions.exists():
            raise TransitionError(_("民意测验只有一道题。"))
        if data.kind not in CHOICE_KINDS:
            raise TransitionError(_("民意测验的题目须是单选题或多选题。"))
    options, rows = _check_question(survey, section, data)
    position = (section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question.objects.create(
        survey=survey,
        section=section,
        position=position,
        kind=data.kind,
        text=data.text.strip(),
        help_text=data.help_text.strip(),
        required=data.required,
        settings=data.settings,
        shown_if=data.shown_if,
    )
    _save_options(question, options, rows)
    events.survey_edited(
        survey,
        by=by,
        what=_("增加%(kind)s“%(text)s”")
        % {"kind": question.get_kind_display(), "text": question.text},
    )
    _touch(survey)
    return question


@transaction.atomic
def question_update(*, question: Question, by, data: QuestionInput) -> Question:
    survey = _lock(question.survey)
    _check_editable(survey)
    if survey.kind == Survey.Kind.POLL and data.kind not in CHOICE_KINDS:
        raise TransitionError(_("民意测验的题目须是单选题或多选题。"))
    options, rows = _check_question(survey, question.section, data, question=question)
    depended_on = set(
        Option.objects.filter(question=question, controls__isnull=False).values_list(
            "label", flat=True
        )
    )
    if depended_on and (
        data.kind not in CHOICE_KINDS or depended_on - {label for label, _o in options}
    ):
        raise TransitionError(_("其他题目以本题的选项为显示条件，请先修改那些题目的显示条件。"))
    question.kind = data.kind
    question.text = data.text.strip()
    question.help_text = data.help_text.strip()
    question.required = data.required
    question.settings = data.settings
    question.shown_if = data.shown_if
    question.save()
    # Nothing has been answered yet (questions change only before publishing), so the
    # options are written afresh, except those other questions are shown on: they keep
    # their row, so the condition still points at them.
    controlling = set(
        Option.objects.filter(question=question, controls__isnull=False).values_list(
            "pk", flat=True
        )
    )
    question.options.exclude(pk__in=controlling).delete()
    kept = {o.label: o for o in question.options.all()}
    for n, option in enumerate(kept.values(), 1):
        option.position = 10_000 + n  # out of the way of the positions written below
        option.save(update_fields=["position"])
    for n, (label, other) in enumerate(options, 1):
        if label in kept:
            kept[label].position, kept[label].is_other = n, other
            kept[label].save(update_fields=["position", "is_other"])
        else:
            Option.objects.create(question=question, position=n, label=label, is_other=other)
    Option.objects.bulk_create(
        [
            Option(question=question, position=n, label=label, is_row=True)
            for n, label in enumerate(rows, 1)
        ]
    )
    events.survey_edited(survey, by=by, what=_("修改题目“%(text)s”") % {"text": question.text})
    _touch(survey)
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    survey = _lock(question.survey)
    _check_editable(survey)
    if Question.objects.filter(shown_if__question=question).exists():
        raise TransitionError(_("其他题目以本题的选项为显示条件，请先修改那些题目的显示条件。"))
    section, position, text = question.section, question.position, question.text
    question.delete()
    for later in section.questions.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    events.survey_edited(survey, by=by, what=_("删除题目“%(text)s”") % {"text": text})
    _touch(survey)


@transaction.atomic
def question_move(*, question: Question, by, up: bool) -> Question:
    """Swap the question with its neighbour on the same page (a question shown on
    condition cannot move above the question it depends on)."""
    survey = _lock(question.survey)
    _check_editable(survey)
    siblings = list(question.section.questions.order_by("position"))
    index = siblings.index(question)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return question
    other = siblings[other_index]
    first, second = (other, question) if up else (question, other)
    if second.shown_if_id and second.shown_if.question_id == first.pk:
        raise TransitionError(_("有显示条件的题目不能移到其所依据的题目之前。"))
    a, b = question.position, other.position
    question.position, other.position = 0, a
    question.save(update_fields=["position"])
    other.save(update_fields=["position"])
    question.position = b
    question.save(update_fields=["position"])
    events.survey_edited(
        survey, by=by, what=_("调整题目“%(text)s”的顺序") % {"text": question.text}
    )
    _touch(survey)
    return question


def publish_problems(survey: Survey, *, now: datetime.datetime) -> list[str]:
    """What stops the survey from being published, each named."""
    problems = []
    specs = tallies.specs_of(survey)
    if not specs:
        problems.append(_("问卷还没有题目。"))
    if survey.kind == Survey.Kind.POLL and len(specs) != 1:
        problems.append(_("民意测验须有且只有一道单选题或多选题。"))
    for spec in specs:
        for problem in question_type(spec).settings_errors(spec):
            problems.append(_("第%(n)d题：%(problem)s") % {"n": spec.position, "problem": problem})
    empty = [s.position for s in survey.sections.all() if not s.questions.exists()]
    if empty:
        problems.append(_("第%(pages)s页没有题目。") % {"pages": "、".join(str(n) for n in empty)})
    if survey.closes_at <= now:
        problems.append(_("结束时间已过，请先修改结束时间。"))
    return problems


@transaction.atomic
def survey_publish(*, survey: Survey, by, now: datetime.datetime | None = None) -> Survey:
    """Publish: it opens at its start time (at once if that has passed) and its questions
    are fixed from now on."""
    now = now or timezone.now()
    survey = _lock(survey)
    if survey.published_at is not None or survey.cancelled_at or survey.is_offline_record:
        raise TransitionError(_("问卷已发布或已撤销。"))
    problems = publish_problems(survey, now=now)
    if problems:
        raise TransitionError(
            _("不能发布：%(problems)s") % {"problems": "".join(problems)}, missing=problems
        )
    survey.published_at = now
    survey.save(update_fields=["published_at", "updated_at"])
    events.survey_published(survey, by=by)
    return survey


@transaction.atomic
def survey_cancel(
    *, survey: Survey, by, reason: str, now: datetime.datetime | None = None
) -> Survey:
    """Withdraw a survey that has not closed. Its responses are kept (and counted nowhere)."""
    now = now or timezone.now()
    survey = _lock(survey)
    if not reason.strip():
        raise TransitionError(_("撤销问卷须说明原因。"))
    if (
        survey.cancelled_at
        or survey.is_offline_record
        or survey.status_at(now) == Survey.Status.CLOSED
    ):
        raise TransitionError(_("已结束或已撤销的问卷不能撤销。"))
    survey.cancelled_at = now
    survey.cancel_reason = reason.strip()
    survey.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    events.survey_cancelled(survey, by=by)
    return survey


# -- the panel --------------------------------------------------------------------------


def panel_url(token: str) -> str:
    return tokens.absolute_url(reverse("surveys:panel_answer", args=[token]))


def _invitation_email(member: PanelMember, token: str, *, now) -> Reminder:
    survey = member.survey
    return outbox_row(
        kind=Reminder.Kind.SURVEY_INVITATION,
        obj=member,
        recipient=member.participant.email,
        occasion=f"sent-{now:%Y%m%d%H%M%S%f}",
        subject=_("邀请您填写“%(title)s”") % {"title": survey.title},
        template="surveys/emails/invitation",
        context={
            "survey": survey,
            "participant": member.participant,
            "opens_at": timezone.localtime(survey.opens_at),
            "closes_at": timezone.localtime(survey.closes_at),
        },
        secret=panel_url(token),
        now=now,
    )


def mark_panel_sent(ids: list[int], sent_at) -> None:
    """Called by the outbox once an invitation to answer has gone out."""
    PanelMember.objects.filter(pk__in=ids).update(sent_at=sent_at)


@transaction.atomic
def panel_invite(
    *,
    survey: Survey,
    by,
    participants: Iterable[Participant] = (),
    categories: Iterable[str] = (),
    now: datetime.datetime | None = None,
) -> LinkBatch:
    """Invite the chosen participants and every active one of ``categories`` to answer by a
    personal link, e-mailed through the outbox. Someone already invited is reported."""
    now = now or timezone.now()
    survey = _lock(survey)
    if not survey.takes_panel:
        raise TransitionError(_("本问卷不面向受邀参与主体。"))
    if (
        survey.cancelled_at
        or survey.is_offline_record
        or survey.status_at(now) == Survey.Status.CLOSED
    ):
        raise TransitionError(_("已结束或已撤销的问卷不能再邀请。"))
    batch = invite_by_link(
        invitees(participants=participants, categories=categories),
        invited=set(survey.panel.values_list("participant_id", flat=True)),
        create=lambda participant, token_hash: PanelMember.objects.create(
            survey=survey,
            participant=participant,
            category=participant.category,
            token_hash=token_hash,
            created_by=by,
            created_at=now,
        ),
        email=lambda member, token: _invitation_email(member, token, now=now),
    )
    if batch.created:
        events.panel_invited(survey, batch.created, by=by)
    return batch


def panel_member_by_token(token: str) -> PanelMember | None:
    return (
        PanelMember.objects.select_related("survey", "participant")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )


# -- responses --------------------------------------------------------------------------


def browser_hash(mark: str) -> str:
    """The stored form of a browser's mark (a random value in a signed cookie)."""
    if not mark:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:survey-browser:{mark}".encode()).hexdigest()


def _suspected(survey: Survey, client_hash: str, now) -> bool:
    """Another valid public response came from the same address within the window."""
    if not client_hash:
        return False
    window = datetime.timedelta(seconds=settings.PORTAL_SURVEY_DUPLICATE_WINDOW)
    return Response.objects.filter(
        survey=survey,
        client_hash=client_hash,
        submitted_at__gte=now - window,
        voided_at__isnull=True,
    ).exists()


def _write_answers(response: Response, specs: Sequence[Spec], values: Mapping[int, object]) -> None:
    rows = []
    for spec in specs:
        value = values.get(spec.id)
        if value is None:
            continue
        for row in question_type(spec).rows(spec, value):
            rows.append(
                Answer(
                    response=response,
                    question_id=spec.id,
                    option_id=row.option_id,
                    row_id=row.row_id,
                    rank=row.rank,
                    number=row.number,
                    text=row.text,
                )
            )
    Answer.objects.bulk_create(rows)


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    data: Mapping,
    channel: str = Response.Channel.ONLINE,
    panel_member: PanelMember | None = None,
    client_hash: str = "",
    browser: str = "",
    entered_by=None,
    specs: Sequence[Spec] | None = None,
    resume_token: str = "",
    now: datetime.datetime | None = None,
) -> Response:
    """Take one response: ``data`` is the submitted form (``{field: [values]}``).

    Refused, with nothing stored: answers that break a question's rules (``AnswersInvalid``
    names each), a survey not open (offline answers may be typed in after it closed), a
    second response by one personal link, and, where the survey allows one response per
    person, a second one from the same browser. A public response from an address that
    answered within ``PORTAL_SURVEY_DUPLICATE_WINDOW`` is taken and marked a suspected
    duplicate for staff to look at: many people share an address (an office, a campus).
    """
    now = now or timezone.now()
    specs = specs if specs is not None else tallies.specs_of(survey)
    values, errors = parse_answers(specs, data)
    if errors:
        raise AnswersInvalid(errors)
    if not values:
        raise TransitionError(_("答卷是空的：请至少回答一道题。"))
    survey = _lock(survey)
    status = survey.status_at(now)
    offline = channel in (Response.Channel.PAPER, Response.Channel.PHONE)
    if offline:
        if entered_by is None:
            raise TransitionError(_("线下答卷由工作人员录入。"))
        if status not in (Survey.Status.OPEN, Survey.Status.CLOSED):
            raise TransitionError(_("问卷尚未开始或已撤销，不能录入答卷。"))
    elif status != Survey.Status.OPEN:
        raise TransitionError(
            _("问卷尚未开始。")
            if status == Survey.Status.PLANNED
            else _("问卷调查已结束，不再接受答卷。")
        )
    category = ""
    if channel == Response.Channel.PANEL:
        if panel_member is None or panel_member.survey_id != survey.pk:
            raise TransitionError(_("答卷链接无效。"))
        if Response.objects.filter(panel_member=panel_member).exists():
            raise TransitionError(_("您已经通过此链接提交过答卷，每个链接只能提交一次。"))
        category = panel_member.category
    elif channel == Response.Channel.ONLINE and not survey.takes_public:
        raise TransitionError(_("本问卷只面向受邀参与主体，请使用邀请邮件中的个人链接。"))
    browser_key = browser_hash(browser) if channel == Response.Channel.ONLINE else ""
    if (
        browser_key
        and survey.one_response_per_person
        and Response.objects.filter(
            survey=survey, browser_hash=browser_key, voided_at__isnull=True
        ).exists()
    ):
        raise TransitionError(_("您已经提交过本问卷，每人只能提交一次。"))
    suspected = channel == Response.Channel.ONLINE and _suspected(survey, client_hash, now)
    number = survey.received + 1
    response = Response.objects.create(
        survey=survey,
        number=number,
        channel=channel,
        category=category,
        panel_member=panel_member if channel == Response.Channel.PANEL else None,
        submitted_at=now,
        client_hash=client_hash if channel == Response.Channel.ONLINE else "",
        browser_hash=browser_key,
        suspected_duplicate=suspected,
        entered_by=entered_by if offline else None,
    )
    _write_answers(response, specs, values)
    tallies.add(
        survey_id=survey.pk,
        channel=channel,
        category=category,
        counts=tallies.counts_for(specs, values),
    )
    # Counters by ``update``: a response does not retire the public pages (they expire
    # within ``PORTAL_PAGE_CACHE_SECONDS``), and the row is already locked.
    Survey.objects.filter(pk=survey.pk).update(
        received=F("received") + 1,
        response_count=F("response_count") + 1,
        suspected_duplicates=F("suspected_duplicates") + int(suspected),
    )
    if panel_member is not None and channel == Response.Channel.PANEL:
        PanelMember.objects.filter(pk=panel_member.pk).update(answered_at=now)
    if offline:
        events.response_entered(response, by=entered_by)
    # A "save and continue" draft has done its work once the response is in.
    drafts = Q(pk__in=[])
    if resume_token:
        drafts |= Q(token_hash=tokens.token_hash(resume_token))
    if panel_member is not None and channel == Response.Channel.PANEL:
        drafts |= Q(panel_member=panel_member)
    ResumeDraft.objects.filter(drafts, survey=survey).delete()
    return response


@transaction.atomic
def response_void(
    *, response: Response, by, reason: str, now: datetime.datetime | None = None
) -> Response:
    """Void a response (a duplicate, a test, an offline entry typed twice): it stays on
    record with the reason and counts nowhere from now on."""
    now = now or timezone.now()
    if not reason.strip():
        raise TransitionError(_("作废答卷须说明原因。"))
    survey = _lock(response.survey)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.voided_at is not None:
        raise TransitionError(_("这份答卷已经作废。"))
    specs = tallies.specs_of(survey)
    values = tallies.stored_values(response, specs)
    tallies.add(
        survey_id=survey.pk,
        channel=response.channel,
        category=response.category,
        counts=tallies.counts_for(specs, values),
        sign=-1,
    )
    response.voided_at = now
    response.voided_by = by
    response.void_reason = reason.strip()
    response.save(update_fields=["voided_at", "voided_by", "void_reason"])
    Survey.objects.filter(pk=survey.pk).update(
        response_count=F("response_count") - 1,
        suspected_duplicates=F("suspected_duplicates") - int(response.suspected_duplicate),
    )
    response.survey = survey
    events.response_voided(response, by=by)
    return response


# -- save and continue ------------------------------------------------------------------


def resume_url(token: str) -> str:
    return tokens.absolute_url(reverse("surveys:resume", args=[token]))


@transaction.atomic
def resume_save(
    *,
    survey: Survey,
    data: Mapping[str, list[str]],
    token: str = "",
    panel_member: PanelMember | None = None,
    now: datetime.datetime | None = None,
) -> tuple[ResumeDraft, str]:
    """Keep what was typed so far under a personal link (a new one unless ``token`` is the
    draft's own); only where the survey allows it and while it is open."""
    now = now or timezone.now()
    if not survey.allow_resume:
        raise TransitionError(_("本问卷不支持保存后继续填写。"))
    if survey.status_at(now) != Survey.Status.OPEN:
        raise TransitionError(_("问卷调查已结束，不能再保存。"))
    draft = None
    if token:
        draft = ResumeDraft.objects.filter(
            survey=survey, token_hash=tokens.token_hash(token)
        ).first()
    if draft is None:
        token = tokens.new_token()
        draft = ResumeDraft(
            survey=survey, token_hash=tokens.token_hash(token), panel_member=panel_member
        )
    draft.data = {key: list(values) for key, values in data.items()}
    draft.updated_at = now
    draft.save()
    return draft, token


def resume_find(token: str) -> ResumeDraft | None:
    return (
        ResumeDraft.objects.select_related("survey", "panel_member")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )


# -- on the matter's record -------------------------------------------------------------


STEP_OF_KIND = {
    Survey.Kind.QUESTIONNAIRE: StepType.QUESTIONNAIRE,
    Survey.Kind.POLL: StepType.OPINION_POLL,
}


def closed_surveys_to_record(*, now: datetime.datetime, matter: Matter | None = None):
    """Closed surveys of matters with at least one response and not yet on record."""
    found = Survey.objects.filter(
        matter__isnull=False,
        published_at__isnull=False,
        cancelled_at__isnull=True,
        closes_at__lte=now,
        response_count__gt=0,
        step__isnull=True,
    )
    if matter is not None:
        found = found.filter(matter=matter)
    return found.select_related("matter", "created_by")


@transaction.atomic
def survey_record_closure(*, survey: Survey, now: datetime.datetime | None = None) -> Survey:
    """Put a closed survey with responses on its matter's record as a 问卷调查 or 民意测验
    step (once: safe to call again)."""
    now = now or timezone.now()
    survey = _lock(survey)
    if survey.step_id or survey.matter_id is None or survey.status_at(now) != Survey.Status.CLOSED:
        return survey
    if survey.response_count < 1:
        return survey
    closed_on = timezone.localdate(survey.closes_at)
    channels = (
        Response.objects.filter(survey=survey, voided_at__isnull=True)
        .values_list("channel", flat=True)
        .distinct()
    )
    labels = "、".join(str(Response.Channel(c).label) for c in sorted(set(channels)))
    step = step_record(
        matter=survey.matter,
        by=survey.created_by,
        step_type=STEP_OF_KIND[survey.kind],
        occurred_on=min(closed_on, timezone.localdate(now)),
        responsible_person=survey.created_by.display_name,
        summary=_("“%(title)s”%(start)s至%(end)s开展，收回有效答卷%(n)d份（%(channels)s）。")
        % {
            "title": survey.title,
            "start": shown_date(survey.opens_at),
            "end": shown_date(survey.closes_at),
            "n": survey.response_count,
            "channels": labels,
        },
        evidenced=True,
        now=now,
    )
    survey.step = step
    survey.save(update_fields=["step", "updated_at"])
    events.survey_closed(survey, by=survey.created_by)
    return survey


def record_matter_surveys(matter: Matter, *, now: datetime.datetime) -> None:
    """``matters.evidence`` source: the matter's closed surveys put on record."""
    for survey in closed_surveys_to_record(now=now, matter=matter):
        survey_record_closure(survey=survey, now=now)


def record_closed_surveys(*, now: datetime.datetime | None = None) -> int:
    """Every closed survey not yet on record (a periodic task); returns how many."""
    now = now or timezone.now()
    count = 0
    for survey in closed_surveys_to_record(now=now):
        try:
            survey_record_closure(survey=survey, now=now)
        except IntegrityError:  # recorded by another worker meanwhile
            continue
        count += 1
    return count
