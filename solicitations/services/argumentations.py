"""Expert argumentation (专家论证): the only writers of its rows, each change with its
ledger row in the same transaction.

The department organises an argumentation on its matter, chooses experts from the
registry's 专家 category, records each expert's recusal declaration (回避声明) and then
their signed opinion under the five headings, and completes it with the panel's summary
and conclusion. Completion puts the 专家论证 step on the matter's record; nothing changes
after that.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import shown_date
from core.exceptions import TransitionError
from matters.models import DraftVersion, Matter
from matters.procedures import StepType
from matters.services import step_record
from participation.models import Participant

from .. import events
from ..models import HEADINGS, Argumentation, Conclusion, Expert

# Fewer than this many experts' opinions is not a panel: the usual rule for a major
# administrative decision's argumentation is an odd number of at least three.
MINIMUM_EXPERTS = 3


def _lock(argumentation: Argumentation) -> Argumentation:
    return (
        Argumentation.objects.select_for_update(of=("self",))
        .select_related("matter", "draft")
        .get(pk=argumentation.pk)
    )


def _check_open(argumentation: Argumentation) -> None:
    if not argumentation.is_open:
        raise TransitionError(_("专家论证已经完成，不能再修改。"))


@transaction.atomic
def argumentation_create(
    *,
    matter: Matter,
    by,
    title: str,
    form: str,
    held_on: datetime.date,
    draft: DraftVersion | None = None,
    now: datetime.datetime | None = None,
) -> Argumentation:
    now = now or timezone.now()
    title = title.strip()
    if not title:
        raise TransitionError(_("请填写论证名称。"))
    if form not in Argumentation.Form.values:
        raise TransitionError(_("请选择论证方式。"))
    if held_on is None:
        raise TransitionError(_("请填写论证日期。"))
    if draft is not None and draft.matter_id != matter.pk:
        raise TransitionError(_("所选草案不属于本事项。"))
    argumentation = Argumentation.objects.create(
        matter=matter,
        draft=draft,
        title=title,
        form=form,
        held_on=held_on,
        created_by=by,
        created_at=now,
    )
    events.argumentation_created(argumentation, by=by)
    return argumentation


@transaction.atomic
def expert_choose(*, argumentation: Argumentation, by, participant: Participant) -> Expert:
    """Put a registry expert on the panel (the registry's entry as it is now)."""
    argumentation = _lock(argumentation)
    _check_open(argumentation)
    if participant.category != Participant.Category.EXPERT:
        raise TransitionError(
            _("论证专家须从参与主体库的“专家”类别中选择：%(name)s属于“%(category)s”。")
            % {"name": participant.name, "category": participant.get_category_display()}
        )
    if not participant.is_active:
        raise TransitionError(_("%(name)s已停用，不能选为论证专家。") % {"name": participant.name})
    if argumentation.experts.filter(participant=participant).exists():
        raise TransitionError(_("%(name)s已在专家组中。") % {"name": participant.name})
    try:
        with transaction.atomic():
            expert = Expert.objects.create(
                argumentation=argumentation,
                participant=participant,
                name=participant.name,
                affiliation=participant.affiliation,
                expertise=participant.expertise,
            )
    except IntegrityError as error:  # chosen by someone else meanwhile
        raise TransitionError(_("%(name)s已在专家组中。") % {"name": participant.name}) from error
    events.expert_chosen(expert, by=by)
    return expert


def _lock_expert(expert: Expert) -> tuple[Argumentation, Expert]:
    argumentation = _lock(expert.argumentation)
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    expert.argumentation = argumentation
    return argumentation, expert


@transaction.atomic
def expert_declare(
    *, expert: Expert, by, conflict: bool, note: str = "", now: datetime.datetime | None = None
) -> Expert:
    """The expert's recusal declaration (回避声明). With a conflict of interest the expert
    withdraws (回避) and gives no opinion; the reason is kept. A declaration can be made
    again while no opinion is on record (a declaration typed in wrongly)."""
    now = now or timezone.now()
    argumentation, expert = _lock_expert(expert)
    _check_open(argumentation)
    if expert.has_opinion:
        raise TransitionError(_("已录入论证意见的专家不能再改回避声明。"))
    note = note.strip()
    if conflict and not note:
        raise TransitionError(_("请说明存在的利害关系。"))
    expert.declaration = Expert.Declaration.RECUSED if conflict else Expert.Declaration.NO_CONFLICT
    expert.conflict_note = note if conflict else ""
    expert.declared_at = now
    expert.save(update_fields=["declaration", "conflict_note", "declared_at"])
    events.expert_declared(expert, by=by)
    return expert


@dataclass
class Opinion:
    """An expert's signed opinion as typed in from the signed paper."""

    necessity: str
    legality: str
    feasibility: str
    benefits: str
    conditions: str
    conclusion: str
    signed_on: datetime.date | None


@transaction.atomic
def opinion_enter(
    *, expert: Expert, by, opinion: Opinion, now: datetime.datetime | None = None
) -> Expert:
    """Record an expert's signed opinion: every heading answered, a conclusion, the date
    of the signature (not in the future, not before the argumentation was organised)."""
    now = now or timezone.now()
    argumentation, expert = _lock_expert(expert)
    _check_open(argumentation)
    if expert.declaration == Expert.Declaration.PENDING:
        raise TransitionError(_("请先录入%(name)s的回避声明。") % {"name": expert.name})
    if expert.is_recused:
        raise TransitionError(_("%(name)s已声明回避，不出具论证意见。") % {"name": expert.name})
    missing = [str(label) for name, label in HEADINGS if not getattr(opinion, name).strip()]
    if missing:
        raise TransitionError(_("论证意见缺少：%(headings)s。") % {"headings": "、".join(missing)})
    if opinion.conclusion not in Conclusion.values:
        raise TransitionError(_("请选择论证结论。"))
    if opinion.signed_on is None:
        raise TransitionError(_("请填写专家签名日期。"))
    if opinion.signed_on > timezone.localdate(now):
        raise TransitionError(_("签名日期不能晚于今天。"))
    organised = timezone.localdate(argumentation.created_at)
    if opinion.signed_on < organised:
        raise TransitionError(
            _("签名日期不能早于组织论证的日期（%(date)s）。") % {"date": shown_date(organised)}
        )
    for name, _label in HEADINGS:
        setattr(expert, name, getattr(opinion, name).strip())
    expert.conclusion = opinion.conclusion
    expert.signed_on = opinion.signed_on
    expert.entered_by = by
    expert.entered_at = now
    expert.save()
    events.opinion_entered(expert, by=by)
    return expert


def completion_problems(argumentation: Argumentation) -> list[str]:
    """Why the argumentation cannot be completed yet (empty when it can)."""
    experts = list(argumentation.experts.all())
    problems = []
    undeclared = [e.name for e in experts if e.declaration == Expert.Declaration.PENDING]
    if undeclared:
        problems.append(_("尚未录入回避声明：%(names)s。") % {"names": "、".join(undeclared)})
    waiting = [
        e.name
        for e in experts
        if e.declaration == Expert.Declaration.NO_CONFLICT and not e.has_opinion
    ]
    if waiting:
        problems.append(_("尚未录入论证意见：%(names)s。") % {"names": "、".join(waiting)})
    given = sum(1 for e in experts if e.has_opinion)
    if given < MINIMUM_EXPERTS:
        problems.append(
            _("出具论证意见的专家不少于%(minimum)d位，目前%(n)d位。")
            % {"minimum": MINIMUM_EXPERTS, "n": given}
        )
    return problems


@transaction.atomic
def argumentation_complete(
    *,
    argumentation: Argumentation,
    by,
    summary: str,
    conclusion: str,
    now: datetime.datetime | None = None,
) -> Argumentation:
    """Close the argumentation with the panel's summary and conclusion; put the 专家论证
    step on the matter's record (dated the argumentation's day)."""
    now = now or timezone.now()
    argumentation = _lock(argumentation)
    _check_open(argumentation)
    summary = summary.strip()
    if not summary:
        raise TransitionError(_("请填写专家组论证意见。"))
    if conclusion not in Conclusion.values:
        raise TransitionError(_("请选择专家组结论。"))
    problems = completion_problems(argumentation)
    if problems:
        raise TransitionError(" ".join(str(problem) for problem in problems))
    if argumentation.held_on > timezone.localdate(now):
        raise TransitionError(
            _("论证日期（%(date)s）还没有到，论证完成后再记录。")
            % {"date": shown_date(argumentation.held_on)}
        )
    experts = argumentation.experts.filter(conclusion__gt="").count()
    step = step_record(
        matter=argumentation.matter,
        by=by,
        step_type=StepType.EXPERT_ARGUMENTATION,
        occurred_on=argumentation.held_on,
        responsible_person=by.get_full_name() or by.get_username(),
        summary=_("%(title)s：%(n)d位专家出具论证意见，专家组结论为“%(conclusion)s”。")
        % {
            "title": argumentation.title,
            "n": experts,
            "conclusion": Conclusion(conclusion).label,
        },
        evidenced=True,
        now=now,
    )
    argumentation.summary = summary
    argumentation.conclusion = conclusion
    argumentation.status = Argumentation.Status.COMPLETED
    argumentation.completed_by = by
    argumentation.completed_at = now
    argumentation.step = step
    argumentation.save()
    events.argumentation_completed(argumentation, by=by, experts=experts)
    return argumentation
