"""The statutory procedure of each kind of consultation matter, in one declarative place.

Each kind has ordered stages. A requirement names the procedure steps that must be on
record before a matter may enter a stage (leaving a stage is entering the next one), and
the matters it applies to. ``missing_requirements`` is all the service needs to refuse an
advance with a message that names exactly what is missing.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LEGISLATIVE = "legislative", _("政府立法协商")
    DECISION = "decision", _("行政决策协商")
    KEY_MATTER = "key_matter", _("重点事项协商")
    BUDGET = "budget", _("政府预算协商")


class StepType(models.TextChoices):
    # Statutory procedures of major administrative decisions
    PUBLIC_PARTICIPATION = "public_participation", _("公众参与")
    EXPERT_ARGUMENTATION = "expert_argumentation", _("专家论证")
    RISK_ASSESSMENT = "risk_assessment", _("风险评估")
    LEGALITY_REVIEW = "legality_review", _("合法性审查")
    COLLECTIVE_DECISION = "collective_decision", _("集体讨论决定")
    # Required by a matter's flags
    STABILITY_RISK_ASSESSMENT = "stability_risk_assessment", _("社会稳定风险评估")
    SPECIAL_ARGUMENTATION = "special_argumentation", _("专题协商论证")
    NON_PARTY_CONSULTATION = "non_party_consultation", _("征求党外人士意见")
    # Legislative forms
    PROPOSAL_CALL = "proposal_call", _("公开征集立法项目建议")
    WRITTEN_SOLICITATION = "written_solicitation", _("书面征求意见")
    LEGISLATIVE_RESEARCH = "legislative_research", _("立法调研")
    ARGUMENTATION_MEETING = "argumentation_meeting", _("论证会")
    SYMPOSIUM = "symposium", _("座谈会")
    ATTENDANCE = "attendance", _("列席和旁听")
    HEARING = "hearing", _("听证会")
    DRAFT_PUBLICATION = "draft_publication", _("公布草案征求意见")
    # Key matters and grassroots livelihood matters
    STAKEHOLDER_CONSULTATION = "stakeholder_consultation", _("利益相关方协商")
    DEMOCRATIC_TALK = "democratic_talk", _("民主恳谈会")
    RESIDENTS_FORUM = "residents_forum", _("居民论坛")
    DEPUTIES_OPINIONS = "deputies_opinions", _("听取人大代表、政协委员意见")
    # Budget forms
    CONSULTATIVE_TALK = "consultative_talk", _("征询恳谈")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    OPINION_POLL = "opinion_poll", _("民意测验")
    ONLINE_INTERACTION = "online_interaction", _("网上互动")
    PERFORMANCE_SUPERVISION = "performance_supervision", _("预算执行和绩效监督")
    # Any kind
    RESULT_FEEDBACK = "result_feedback", _("意见采纳情况反馈")
    OTHER = "other", _("其他")


@dataclass(frozen=True)
class Stage:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Requirement:
    """Before ``stage`` is entered, one step of each group in ``steps`` must be on record.

    ``steps`` is a tuple of alternatives: ``(A, B)`` means A or B will do.
    """

    stage: str
    steps: tuple[StepType, ...]
    applies: Callable[[object], bool]
    because: str | Promise

    def describe(self) -> str:
        """The steps that would satisfy it: "书面征求意见或公布草案征求意见"."""
        return str(_("或")).join(str(step.label) for step in self.steps)


def always(matter) -> bool:
    return True


def is_major_decision(matter) -> bool:
    return matter.is_major_decision


def is_contested(matter) -> bool:
    return matter.is_contested


def affects_stability(matter) -> bool:
    return matter.affects_stability


def seeks_non_party_opinions(matter) -> bool:
    return matter.seeks_non_party_opinions


@dataclass(frozen=True)
class Procedure:
    kind: Kind
    stages: tuple[Stage, ...]
    decision_stage: str
    requirements: tuple[Requirement, ...]

    @property
    def codes(self) -> list[str]:
        return [stage.code for stage in self.stages]

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)

    def index(self, code: str) -> int:
        return self.codes.index(code)

    def next_stage(self, code: str) -> Stage | None:
        position = self.index(code) + 1
        return self.stages[position] if position < len(self.stages) else None

    def steps_completing(self, matter, code: str) -> list[tuple[StepType, ...]]:
        """The steps that must be on record for stage ``code`` to count as completed, as
        groups of alternatives (docs/PROCEDURE.md):

        - a stage named after a step (公众参与, 专家论证, 风险评估, 合法性审查, 集体讨论决定)
          needs that step;
        - a stage needs what the procedure requires before the next stage is entered,
          except steps that have a stage of their own (those count for that stage).
        A stage that needs nothing is completed once the matter has moved past it.
        """
        groups = [(StepType(code),)] if code in StepType.values else []
        following = self.next_stage(code)
        if following is not None:
            own_stages = set(self.codes)
            for requirement in self.requirements_for(matter, following.code):
                if not own_stages.intersection(requirement.steps):
                    groups.append(requirement.steps)
        return groups

    def requirements_for(self, matter, stage: str) -> list[Requirement]:
        """Requirements of this stage that apply to the matter, shared rules included."""
        shared = [
            Requirement(self.decision_stage, rule.steps, rule.applies, rule.because)
            for rule in SHARED_BEFORE_DECISION
        ]
        return [
            requirement
            for requirement in (*self.requirements, *shared)
            if requirement.stage == stage and requirement.applies(matter)
        ]


S = StepType

# Rules every kind obeys before its decision stage, from the matter's flags.
SHARED_BEFORE_DECISION = (
    Requirement(
        "",
        (S.STABILITY_RISK_ASSESSMENT,),
        affects_stability,
        _("事项可能影响社会稳定，决定前须进行社会稳定风险评估"),
    ),
    Requirement(
        "",
        (S.SPECIAL_ARGUMENTATION,),
        is_contested,
        _("事项争议较大，决定前须进行专题协商论证"),
    ),
    Requirement(
        "",
        (S.NON_PARTY_CONSULTATION,),
        seeks_non_party_opinions,
        _("事项列入征求党外人士意见目录，决定前须征求党外人士意见"),
    ),
)

MAJOR_DECISION_STEPS = (
    Requirement(
        "",
        (S.PUBLIC_PARTICIPATION,),
        is_major_decision,
        _("重大行政决策须经公众参与"),
    ),
    Requirement(
        "",
        (S.EXPERT_ARGUMENTATION,),
        is_major_decision,
        _("重大行政决策须经专家论证"),
    ),
    Requirement("", (S.RISK_ASSESSMENT,), is_major_decision, _("重大行政决策须经风险评估")),
    Requirement("", (S.LEGALITY_REVIEW,), is_major_decision, _("重大行政决策须经合法性审查")),
)


def _at(stage: str, requirements: tuple[Requirement, ...]) -> tuple[Requirement, ...]:
    return tuple(Requirement(stage, r.steps, r.applies, r.because) for r in requirements)


PROCEDURES: dict[str, Procedure] = {
    Kind.LEGISLATIVE: Procedure(
        kind=Kind.LEGISLATIVE,
        stages=(
            Stage("project_approval", _("立项")),
            Stage("drafting", _("起草")),
            Stage("review", _("审查")),
            Stage("decision", _("决定")),
            Stage("promulgation", _("公布")),
            Stage("interpretation", _("解释")),
            Stage("post_evaluation", _("立法后评估")),
        ),
        decision_stage="decision",
        requirements=(
            Requirement(
                "review",
                (S.WRITTEN_SOLICITATION, S.DRAFT_PUBLICATION),
                always,
                _("坚持开门立法，草案送审查前须书面征求意见或公布草案征求意见"),
            ),
            *_at("decision", MAJOR_DECISION_STEPS),
        ),
    ),
    Kind.DECISION: Procedure(
        kind=Kind.DECISION,
        stages=(
            Stage("initiation", _("启动")),
            Stage("public_participation", _("公众参与")),
            Stage("expert_argumentation", _("专家论证")),
            Stage("risk_assessment", _("风险评估")),
            Stage("legality_review", _("合法性审查")),
            Stage("collective_decision", _("集体讨论决定")),
            Stage("implementation", _("公布执行")),
            Stage("post_evaluation", _("决策后评估")),
        ),
        decision_stage="collective_decision",
        requirements=(
            *_at("collective_decision", MAJOR_DECISION_STEPS),
            Requirement(
                "implementation",
                (S.COLLECTIVE_DECISION,),
                always,
                _("决策公布执行前须记录集体讨论决定"),
            ),
        ),
    ),
    Kind.KEY_MATTER: Procedure(
        kind=Kind.KEY_MATTER,
        stages=(
            Stage("topic_selection", _("议题遴选")),
            Stage("participants", _("确定协商主体")),
            Stage("consultation", _("协商实施")),
            Stage("decision", _("决策")),
            Stage("results_use", _("成果运用")),
            Stage("feedback", _("反馈公开")),
        ),
        decision_stage="decision",
        requirements=(
            Requirement(
                "decision",
                (
                    S.STAKEHOLDER_CONSULTATION,
                    S.DEMOCRATIC_TALK,
                    S.HEARING,
                    S.RESIDENTS_FORUM,
                    S.SYMPOSIUM,
                    S.PUBLIC_PARTICIPATION,
                ),
                always,
                _("重点事项须吸纳社会公众特别是利益相关方参与协商后方可决策"),
            ),
            *_at("decision", MAJOR_DECISION_STEPS),
            Requirement(
                "feedback",
                (S.RESULT_FEEDBACK,),
                always,
                _("反馈公开前须记录意见采纳情况反馈"),
            ),
        ),
    ),
    Kind.BUDGET: Procedure(
        kind=Kind.BUDGET,
        stages=(
            Stage("drafting", _("预算草案编制")),
            Stage("consultation", _("协商征询")),
            Stage("decision", _("审议决定")),
            Stage("execution_supervision", _("执行监督")),
            Stage("performance_evaluation", _("绩效评价")),
        ),
        decision_stage="decision",
        requirements=(
            Requirement(
                "decision",
                (
                    S.CONSULTATIVE_TALK,
                    S.DEMOCRATIC_TALK,
                    S.QUESTIONNAIRE,
                    S.OPINION_POLL,
                    S.ONLINE_INTERACTION,
                ),
                always,
                _("预算方案审议前须经民主恳谈、征询恳谈、问卷调查、民意测验或网上互动等公众参与"),
            ),
            *_at("decision", MAJOR_DECISION_STEPS),
            Requirement(
                "performance_evaluation",
                (S.PERFORMANCE_SUPERVISION,),
                always,
                _("绩效评价前须记录预算执行和绩效监督情况"),
            ),
        ),
    ),
}


# Steps the portal records itself from what was done in it, never from a typed note: a
# questionnaire or poll is on record once a survey held in the portal has closed with
# responses (``surveys``); 专家论证 once an argumentation organised in the portal is
# completed with the experts' signed opinions (``solicitations``); 书面征求意见 once a letter
# sent from the portal has closed with answers, and 征求党外人士意见 once a democratic
# party, the federation of industry and commerce or a non-party person has answered one.
# The message says where the step comes from instead. Steps of these types recorded before
# (typed notes) stay on record and keep counting.
EVIDENCED_STEPS: dict[StepType, Promise] = {
    S.QUESTIONNAIRE: _("问卷调查须在“问卷调查”中建立，结束并收到答卷后自动记录，不能手工录入。"),
    S.OPINION_POLL: _("民意测验须在“问卷调查”中建立，结束并收到答卷后自动记录，不能手工录入。"),
    S.EXPERT_ARGUMENTATION: _(
        "专家论证须在事项页面的“专家论证”中组织，录入专家意见并完成论证后自动记录，不能手工录入。"
    ),
    S.WRITTEN_SOLICITATION: _(
        "书面征求意见须在事项页面的“书面征求意见”中发函，反馈截止或全部反馈后自动记录，"
        "不能手工录入。"
    ),
    S.NON_PARTY_CONSULTATION: _(
        "征求党外人士意见须向民主党派、工商联或无党派人士发出征求意见函，收到其反馈后自动记录，"
        "不能手工录入。"
    ),
}


def procedure_for(kind: str) -> Procedure:
    return PROCEDURES[Kind(kind)]


def all_stage_choices() -> list[tuple[str, str]]:
    """(code, label) for every stage of every kind, each code once, for filters and forms."""
    seen: dict[str, str | Promise] = {}
    for procedure in PROCEDURES.values():
        for stage in procedure.stages:
            seen.setdefault(stage.code, stage.label)
    return list(seen.items())


STAGE_SEPARATOR = "."


def stage_choices_by_kind() -> list[tuple[str, list[tuple[str, str]]]]:
    """The stages grouped by kind, each in its own kind's words, for filters.

    The same code means different stages in different kinds ("consultation" is 协商实施 of
    a key matter and 协商征询 of a budget), so a choice is ``kind.stage``; ``split_stage``
    reads it back. Each kind has one vocabulary: its procedure's stages.
    """
    return [
        (
            kind.label,
            [
                (f"{kind.value}{STAGE_SEPARATOR}{stage.code}", stage.label)
                for stage in procedure.stages
            ],
        )
        for kind, procedure in ((Kind(kind), procedure) for kind, procedure in PROCEDURES.items())
    ]


def split_stage(value: str) -> tuple[str, str]:
    """``"budget.consultation"`` → ``("budget", "consultation")``; a bare code has no kind."""
    kind, separator, code = value.rpartition(STAGE_SEPARATOR)
    return (kind, code) if separator else ("", value)


def missing_requirements(matter, stage: str, recorded: Collection[str]) -> list[Requirement]:
    """The requirements for entering ``stage`` that the recorded step types do not meet."""
    procedure = procedure_for(matter.kind)
    return [
        requirement
        for requirement in procedure.requirements_for(matter, stage)
        if not any(step in recorded for step in requirement.steps)
    ]
