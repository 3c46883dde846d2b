"""The statutory procedure of each kind, read from ``matters.procedures`` without a database."""

import itertools
from types import SimpleNamespace

import pytest

from matters.procedures import (
    EVIDENCED_STEPS,
    PROCEDURES,
    Kind,
    StepType,
    all_stage_choices,
    missing_requirements,
    procedure_for,
)

S = StepType

# kind -> every stage (code, label) in statutory order
EXPECTED_STAGES = {
    "legislative": [
        ("project_approval", "立项"),
        ("drafting", "起草"),
        ("review", "审查"),
        ("decision", "决定"),
        ("promulgation", "公布"),
        ("interpretation", "解释"),
        ("post_evaluation", "立法后评估"),
    ],
    "decision": [
        ("initiation", "启动"),
        ("public_participation", "公众参与"),
        ("expert_argumentation", "专家论证"),
        ("risk_assessment", "风险评估"),
        ("legality_review", "合法性审查"),
        ("collective_decision", "集体讨论决定"),
        ("implementation", "公布执行"),
        ("post_evaluation", "决策后评估"),
    ],
    "key_matter": [
        ("topic_selection", "议题遴选"),
        ("participants", "确定协商主体"),
        ("consultation", "协商实施"),
        ("decision", "决策"),
        ("results_use", "成果运用"),
        ("feedback", "反馈公开"),
    ],
    "budget": [
        ("drafting", "预算草案编制"),
        ("consultation", "协商征询"),
        ("decision", "审议决定"),
        ("execution_supervision", "执行监督"),
        ("performance_evaluation", "绩效评价"),
    ],
}

DECISION_STAGE = {
    "legislative": "decision",
    "decision": "collective_decision",
    "key_matter": "decision",
    "budget": "decision",
}

# The steps each kind needs, on an unflagged matter, before entering a stage.
BASE_REQUIREMENTS = {
    "legislative": {"review": {S.WRITTEN_SOLICITATION, S.DRAFT_PUBLICATION}},
    "decision": {"implementation": {S.COLLECTIVE_DECISION}},
    "key_matter": {
        "decision": {
            S.STAKEHOLDER_CONSULTATION,
            S.DEMOCRATIC_TALK,
            S.HEARING,
            S.RESIDENTS_FORUM,
            S.SYMPOSIUM,
            S.PUBLIC_PARTICIPATION,
        },
        "feedback": {S.RESULT_FEEDBACK},
    },
    "budget": {
        "decision": {
            S.CONSULTATIVE_TALK,
            S.DEMOCRATIC_TALK,
            S.QUESTIONNAIRE,
            S.OPINION_POLL,
            S.ONLINE_INTERACTION,
        },
        "performance_evaluation": {S.PERFORMANCE_SUPERVISION},
    },
}

KINDS = sorted(EXPECTED_STAGES)


def a_matter(kind, **flags):
    """What the procedure reads from a matter: its kind and flags."""
    values = {
        "kind": kind,
        "is_major_decision": False,
        "affects_stability": False,
        "is_contested": False,
        "seeks_non_party_opinions": False,
    }
    values.update(flags)
    return SimpleNamespace(**values)


def missing_steps(matter, stage, recorded=()):
    return [set(r.steps) for r in missing_requirements(matter, stage, set(recorded))]


def test_every_kind_has_a_procedure():
    assert set(PROCEDURES) == set(Kind.values) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_stages_are_in_statutory_order(kind):
    procedure = procedure_for(kind)
    assert [(stage.code, str(stage.label)) for stage in procedure.stages] == EXPECTED_STAGES[kind]
    assert procedure.codes == [code for code, _ in EXPECTED_STAGES[kind]]


@pytest.mark.parametrize("kind", KINDS)
def test_next_stage_walks_the_order_and_ends_at_the_last(kind):
    procedure = procedure_for(kind)
    codes = procedure.codes
    for current, following in itertools.pairwise(codes):
        assert procedure.next_stage(current).code == following
        assert procedure.index(following) == procedure.index(current) + 1
    assert procedure.next_stage(codes[-1]) is None


@pytest.mark.parametrize("kind", KINDS)
def test_decision_stage_is_a_stage_of_the_procedure(kind):
    procedure = procedure_for(kind)
    assert procedure.decision_stage == DECISION_STAGE[kind]
    assert procedure.decision_stage in procedure.codes


def test_unknown_stage_code_is_a_key_error():
    with pytest.raises(KeyError):
        procedure_for("decision").stage("no_such_stage")


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        procedure_for("lottery")


def test_all_stage_choices_lists_each_code_once_with_its_first_label():
    choices = all_stage_choices()
    codes = [code for code, _ in choices]
    assert len(codes) == len(set(codes))
    every_code = {code for stages in EXPECTED_STAGES.values() for code, _ in stages}
    assert set(codes) == every_code
    labels = dict(choices)
    # "drafting" is 起草 (legislative, declared first), not 预算草案编制 (budget)
    assert str(labels["drafting"]) == "起草"
    assert str(labels["collective_decision"]) == "集体讨论决定"


@pytest.mark.parametrize("kind", KINDS)
def test_unflagged_matter_needs_only_its_kinds_own_steps(kind):
    matter = a_matter(kind)
    for code in procedure_for(kind).codes:
        expected = BASE_REQUIREMENTS[kind].get(code)
        assert missing_steps(matter, code) == ([expected] if expected else []), code


@pytest.mark.parametrize("kind", KINDS)
def test_any_one_alternative_meets_a_requirement(kind):
    matter = a_matter(kind)
    for stage, alternatives in BASE_REQUIREMENTS[kind].items():
        for step in alternatives:
            assert missing_steps(matter, stage, [step]) == [], (stage, step)


@pytest.mark.parametrize("kind", KINDS)
def test_unrelated_steps_do_not_meet_a_requirement(kind):
    matter = a_matter(kind)
    for stage, alternatives in BASE_REQUIREMENTS[kind].items():
        unrelated = {S.OTHER, S.COLLECTIVE_DECISION, S.RESULT_FEEDBACK} - alternatives
        assert missing_steps(matter, stage, unrelated) == [alternatives], stage


@pytest.mark.parametrize("kind", KINDS)
def test_major_decision_needs_the_four_statutory_steps_before_its_decision_stage(kind):
    matter = a_matter(kind, is_major_decision=True)
    decision = DECISION_STAGE[kind]
    base = BASE_REQUIREMENTS[kind].get(decision)
    four = [
        {S.PUBLIC_PARTICIPATION},
        {S.EXPERT_ARGUMENTATION},
        {S.RISK_ASSESSMENT},
        {S.LEGALITY_REVIEW},
    ]
    assert missing_steps(matter, decision) == ([base] if base else []) + four
    recorded = [S.PUBLIC_PARTICIPATION, S.EXPERT_ARGUMENTATION, S.RISK_ASSESSMENT]
    remaining = missing_steps(matter, decision, recorded)
    # 公众参与 is also one of a key matter's participation forms; it meets both there.
    assert {S.LEGALITY_REVIEW} in remaining
    assert {S.PUBLIC_PARTICIPATION} not in remaining


@pytest.mark.parametrize("kind", KINDS)
def test_major_decision_steps_gate_no_other_stage(kind):
    plain = a_matter(kind)
    major = a_matter(kind, is_major_decision=True)
    for code in procedure_for(kind).codes:
        if code != DECISION_STAGE[kind]:
            assert missing_steps(major, code) == missing_steps(plain, code), code


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("flag", "step"),
    [
        ("affects_stability", S.STABILITY_RISK_ASSESSMENT),
        ("is_contested", S.SPECIAL_ARGUMENTATION),
        ("seeks_non_party_opinions", S.NON_PARTY_CONSULTATION),
    ],
)
def test_flag_adds_its_step_before_the_decision_stage_only(kind, flag, step):
    plain = a_matter(kind)
    flagged = a_matter(kind, **{flag: True})
    decision = DECISION_STAGE[kind]
    base = BASE_REQUIREMENTS[kind].get(decision)
    assert missing_steps(flagged, decision) == ([base] if base else []) + [{step}]
    assert {step} not in missing_steps(flagged, decision, [step])
    for code in procedure_for(kind).codes:
        if code != decision:
            assert missing_steps(flagged, code) == missing_steps(plain, code), code


def test_every_flag_together_lists_every_missing_step_in_order():
    matter = a_matter(
        "decision",
        is_major_decision=True,
        affects_stability=True,
        is_contested=True,
        seeks_non_party_opinions=True,
    )
    assert missing_steps(matter, "collective_decision") == [
        {S.PUBLIC_PARTICIPATION},
        {S.EXPERT_ARGUMENTATION},
        {S.RISK_ASSESSMENT},
        {S.LEGALITY_REVIEW},
        {S.STABILITY_RISK_ASSESSMENT},
        {S.SPECIAL_ARGUMENTATION},
        {S.NON_PARTY_CONSULTATION},
    ]
    everything = [
        S.PUBLIC_PARTICIPATION,
        S.EXPERT_ARGUMENTATION,
        S.RISK_ASSESSMENT,
        S.LEGALITY_REVIEW,
        S.STABILITY_RISK_ASSESSMENT,
        S.SPECIAL_ARGUMENTATION,
        S.NON_PARTY_CONSULTATION,
    ]
    assert missing_requirements(matter, "collective_decision", set(everything)) == []


def test_the_steps_the_portal_records_from_its_own_records():
    # Never typed in: surveys, argumentations and letters of solicitation put them there.
    assert set(EVIDENCED_STEPS) == {
        S.QUESTIONNAIRE,
        S.OPINION_POLL,
        S.EXPERT_ARGUMENTATION,
        S.WRITTEN_SOLICITATION,
        S.NON_PARTY_CONSULTATION,
    }
    assert "征求意见函" in str(EVIDENCED_STEPS[S.NON_PARTY_CONSULTATION])
    assert "发函" in str(EVIDENCED_STEPS[S.WRITTEN_SOLICITATION])


def test_a_typed_step_may_meet_the_review_rule_but_not_the_non_party_rule():
    # The review rule has an alternative anyone may type in (公布草案征求意见); the
    # non-party rule has none: only a letter answered by a non-party addressee meets it.
    [review] = missing_requirements(a_matter("legislative"), "review", set())
    assert set(review.steps) - set(EVIDENCED_STEPS) == {S.DRAFT_PUBLICATION}
    flagged = a_matter("legislative", seeks_non_party_opinions=True)
    [non_party] = missing_requirements(flagged, "decision", set())
    assert set(non_party.steps) <= set(EVIDENCED_STEPS)


def test_recorded_steps_may_be_plain_strings_from_the_database():
    matter = a_matter("legislative")
    assert missing_requirements(matter, "review", {"draft_publication"}) == []
    assert missing_requirements(matter, "review", {"symposium"}) != []


def test_requirement_describes_its_alternatives_joined_by_or():
    [legislative] = missing_requirements(a_matter("legislative"), "review", set())
    assert legislative.describe() == "书面征求意见或公布草案征求意见"
    assert str(legislative.because) == "坚持开门立法，草案送审查前须书面征求意见或公布草案征求意见"
    [budget] = missing_requirements(a_matter("budget"), "decision", set())
    assert budget.describe() == "征询恳谈或民主恳谈会或问卷调查或民意测验或网上互动"
    [stability] = missing_requirements(
        a_matter("key_matter", affects_stability=True), "decision", {S.HEARING}
    )
    assert stability.describe() == "社会稳定风险评估"
