"""Every write to a matter: what it refuses, in the words the user sees, and its ledger row."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from PIL import Image

from core.exceptions import TransitionError
from matters import services
from matters.models import (
    Document,
    LedgerEntry,
    Matter,
    PolicyArea,
    ProcedureStep,
    StageChange,
)
from matters.procedures import EVIDENCED_STEPS, StepType
from tests.factories import (
    MINIMAL_PDF,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
)

pytestmark = pytest.mark.django_db

S = StepType

KINDS = ["legislative", "decision", "key_matter", "budget"]

# kind -> (the stage before its decision stage, steps an unflagged matter needs to enter it)
BEFORE_DECISION = {
    "legislative": ("review", [S.DRAFT_PUBLICATION]),
    "decision": ("legality_review", []),
    "key_matter": ("consultation", [S.STAKEHOLDER_CONSULTATION]),
    "budget": ("consultation", [S.QUESTIONNAIRE]),
}
DECISION_STAGE = {
    "legislative": ("decision", "决定"),
    "decision": ("collective_decision", "集体讨论决定"),
    "key_matter": ("decision", "决策"),
    "budget": ("decision", "审议决定"),
}
# Steps that let an unflagged matter of the kind walk from its first stage to its last.
WALKING_STEPS = {
    "legislative": [S.DRAFT_PUBLICATION],
    "decision": [S.COLLECTIVE_DECISION],
    "key_matter": [S.STAKEHOLDER_CONSULTATION, S.RESULT_FEEDBACK],
    "budget": [S.QUESTIONNAIRE, S.PERFORMANCE_SUPERVISION],
}
FIRST_AND_LAST_STAGE = {
    "legislative": ("project_approval", "post_evaluation", "立法后评估"),
    "decision": ("initiation", "post_evaluation", "决策后评估"),
    "key_matter": ("topic_selection", "feedback", "反馈公开"),
    "budget": ("drafting", "performance_evaluation", "绩效评价"),
}

MAJOR_DECISION_BLOCKERS = (
    "缺少“公众参与”记录（重大行政决策须经公众参与）；"
    "缺少“专家论证”记录（重大行政决策须经专家论证）；"
    "缺少“风险评估”记录（重大行政决策须经风险评估）；"
    "缺少“合法性审查”记录（重大行政决策须经合法性审查）"
)
FOUR_STEPS = [S.PUBLIC_PARTICIPATION, S.EXPERT_ARGUMENTATION, S.RISK_ASSESSMENT, S.LEGALITY_REVIEW]


# --- helpers -------------------------------------------------------------------------


@pytest.fixture
def department():
    return DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")


@pytest.fixture
def staff(department):
    return StaffFactory(department=department, full_name="李娜")


def record(matter, by, step_type, *, occurred_on=None, **extra):
    # A step of EVIDENCED_STEPS is put on record by the app holding its evidence: a
    # questionnaire or poll by surveys from a closed survey (tests/surveys), 专家论证,
    # 书面征求意见 and 征求党外人士意见 by solicitations from a completed argumentation or a
    # closed letter (tests/solicitations). Here the procedure rule is what is tested, so
    # such a step is recorded as that app records it; typed notes of them are refused
    # (test_a_typed_note_of_an_evidenced_step_is_refused).
    extra.setdefault("evidenced", step_type in EVIDENCED_STEPS)
    return services.step_record(
        matter=matter,
        by=by,
        step_type=step_type,
        occurred_on=occurred_on or timezone.localdate(),
        responsible_person="王强",
        summary="已按规定完成并形成书面材料。",
        **extra,
    )


def walk_to(matter, by, stage):
    """Advance until the matter is at ``stage``; the needed steps must be on record."""
    while matter.stage != stage:
        matter = services.matter_advance_stage(matter=matter, by=by)
    return matter


def ledger_mark():
    return LedgerEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def ledger_since(mark):
    return list(LedgerEntry.objects.filter(pk__gt=mark).order_by("pk"))


def the_one_ledger_row_since(mark):
    rows = ledger_since(mark)
    assert len(rows) == 1, [row.action for row in rows]
    return rows[0]


def refusal(call):
    """The message of the TransitionError ``call`` raises; nothing may reach the ledger."""
    mark = ledger_mark()
    with pytest.raises(TransitionError) as caught:
        call()
    assert ledger_since(mark) == []
    return caught.value


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def weasyprint_pdf():
    import weasyprint

    return weasyprint.HTML(string="<p>测试</p>").write_pdf()


def attach(matter, by, content, name="草案.pdf", **extra):
    return services.document_attach(
        matter=matter,
        by=by,
        upload=SimpleUploadedFile(name, content),
        title="征求意见稿",
        category=Document.Category.DRAFT,
        **extra,
    )


# --- advancing: refusals of each kind ----------------------------------------------


def test_major_decision_cannot_reach_collective_decision_without_the_four_steps(staff):
    matter = make_matter(by=staff, kind="decision", is_major_decision=True)
    matter = walk_to(matter, staff, "legality_review")

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == f"不能进入“集体讨论决定”阶段：{MAJOR_DECISION_BLOCKERS}。"
    assert error.missing == MAJOR_DECISION_BLOCKERS.split("；")
    matter.refresh_from_db()
    assert matter.stage == "legality_review"
    assert not matter.stage_changes.filter(to_stage="collective_decision").exists()


def test_major_decision_refusal_names_only_the_steps_still_missing(staff):
    matter = make_matter(by=staff, kind="decision", is_major_decision=True)
    matter = walk_to(matter, staff, "legality_review")
    record(matter, staff, S.PUBLIC_PARTICIPATION)
    record(matter, staff, S.RISK_ASSESSMENT)

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“集体讨论决定”阶段："
        "缺少“专家论证”记录（重大行政决策须经专家论证）；"
        "缺少“合法性审查”记录（重大行政决策须经合法性审查）。"
    )


def test_major_decision_reaches_collective_decision_once_the_four_steps_are_recorded(staff):
    matter = make_matter(by=staff, kind="decision", is_major_decision=True)
    # Steps count wherever they were recorded, even before their namesake stage.
    for step in FOUR_STEPS:
        record(matter, staff, step)
    matter = walk_to(matter, staff, "collective_decision")
    matter.refresh_from_db()
    assert matter.stage == "collective_decision"


def test_ordinary_decision_reaches_collective_decision_without_the_four_steps(staff):
    matter = make_matter(by=staff, kind="decision")
    matter = walk_to(matter, staff, "collective_decision")
    assert matter.stage == "collective_decision"


def test_decision_cannot_be_implemented_without_a_recorded_collective_decision(staff):
    matter = walk_to(make_matter(by=staff, kind="decision"), staff, "collective_decision")

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“公布执行”阶段：缺少“集体讨论决定”记录（决策公布执行前须记录集体讨论决定）。"
    )
    record(matter, staff, S.COLLECTIVE_DECISION)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "implementation"


def test_legislative_draft_cannot_enter_review_without_written_solicitation_or_published_draft(
    staff,
):
    matter = walk_to(make_matter(by=staff, kind="legislative"), staff, "drafting")
    record(matter, staff, S.SYMPOSIUM)  # a symposium is not a written solicitation

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“审查”阶段：缺少“书面征求意见或公布草案征求意见”记录"
        "（坚持开门立法，草案送审查前须书面征求意见或公布草案征求意见）。"
    )
    assert Matter.objects.get(pk=matter.pk).stage == "drafting"


@pytest.mark.parametrize("step", [S.WRITTEN_SOLICITATION, S.DRAFT_PUBLICATION])
def test_legislative_draft_enters_review_after_either_form_of_solicitation(staff, step):
    matter = walk_to(make_matter(by=staff, kind="legislative"), staff, "drafting")
    record(matter, staff, step)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "review"


def test_contested_legislative_matter_cannot_leave_review_without_special_argumentation(staff):
    matter = make_matter(by=staff, kind="legislative", is_contested=True)
    record(matter, staff, S.DRAFT_PUBLICATION)
    matter = walk_to(matter, staff, "review")

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“决定”阶段：缺少“专题协商论证”记录（事项争议较大，决定前须进行专题协商论证）。"
    )
    record(matter, staff, S.SPECIAL_ARGUMENTATION)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "decision"


def test_key_matter_cannot_reach_decision_without_public_participation(staff):
    matter = walk_to(make_matter(by=staff, kind="key_matter"), staff, "consultation")
    record(matter, staff, S.QUESTIONNAIRE)  # a budget form, not a key-matter one

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“决策”阶段："
        "缺少“利益相关方协商或民主恳谈会或听证会或居民论坛或座谈会或公众参与”记录"
        "（重点事项须吸纳社会公众特别是利益相关方参与协商后方可决策）。"
    )


@pytest.mark.parametrize(
    "step",
    [
        S.STAKEHOLDER_CONSULTATION,
        S.DEMOCRATIC_TALK,
        S.HEARING,
        S.RESIDENTS_FORUM,
        S.SYMPOSIUM,
        S.PUBLIC_PARTICIPATION,
    ],
)
def test_key_matter_reaches_decision_after_any_participation_form(staff, step):
    matter = walk_to(make_matter(by=staff, kind="key_matter"), staff, "consultation")
    record(matter, staff, step)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "decision"


def test_key_matter_cannot_publish_feedback_without_recording_how_opinions_were_used(staff):
    matter = make_matter(by=staff, kind="key_matter")
    record(matter, staff, S.RESIDENTS_FORUM)
    matter = walk_to(matter, staff, "results_use")

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“反馈公开”阶段：缺少“意见采纳情况反馈”记录（反馈公开前须记录意见采纳情况反馈）。"
    )


def test_budget_cannot_reach_deliberation_without_public_consultation(staff):
    matter = walk_to(make_matter(by=staff, kind="budget"), staff, "consultation")
    record(matter, staff, S.HEARING)  # a hearing is not one of the budget forms

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“审议决定”阶段："
        "缺少“征询恳谈或民主恳谈会或问卷调查或民意测验或网上互动”记录"
        "（预算方案审议前须经民主恳谈、征询恳谈、问卷调查、民意测验或网上互动等公众参与）。"
    )


@pytest.mark.parametrize(
    "step",
    [S.CONSULTATIVE_TALK, S.DEMOCRATIC_TALK, S.QUESTIONNAIRE, S.OPINION_POLL, S.ONLINE_INTERACTION],
)
def test_budget_reaches_deliberation_after_any_public_consultation_form(staff, step):
    matter = walk_to(make_matter(by=staff, kind="budget"), staff, "consultation")
    record(matter, staff, step)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "decision"


def test_budget_performance_evaluation_needs_the_supervision_record(staff):
    matter = make_matter(by=staff, kind="budget")
    record(matter, staff, S.OPINION_POLL)
    matter = walk_to(matter, staff, "execution_supervision")

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        "不能进入“绩效评价”阶段："
        "缺少“预算执行和绩效监督”记录（绩效评价前须记录预算执行和绩效监督情况）。"
    )
    record(matter, staff, S.PERFORMANCE_SUPERVISION)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "performance_evaluation"


# --- advancing: rules every kind shares before its decision stage --------------------


def at_the_door_of_decision(kind, by, **flags):
    """A matter of ``kind`` one stage before its decision stage, its kind's own steps done."""
    matter = make_matter(by=by, kind=kind, **flags)
    stage, steps = BEFORE_DECISION[kind]
    for step in steps:
        record(matter, by, step)
    return walk_to(matter, by, stage)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("flag", "step", "blocker"),
    [
        (
            "affects_stability",
            S.STABILITY_RISK_ASSESSMENT,
            "缺少“社会稳定风险评估”记录（事项可能影响社会稳定，决定前须进行社会稳定风险评估）",
        ),
        (
            "is_contested",
            S.SPECIAL_ARGUMENTATION,
            "缺少“专题协商论证”记录（事项争议较大，决定前须进行专题协商论证）",
        ),
        (
            "seeks_non_party_opinions",
            S.NON_PARTY_CONSULTATION,
            "缺少“征求党外人士意见”记录（事项列入征求党外人士意见目录，决定前须征求党外人士意见）",
        ),
    ],
)
def test_flagged_matter_cannot_enter_its_decision_stage_without_the_flags_step(
    staff, kind, flag, step, blocker
):
    matter = at_the_door_of_decision(kind, staff, **{flag: True})
    code, label = DECISION_STAGE[kind]

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == f"不能进入“{label}”阶段：{blocker}。"
    assert error.missing == [blocker]
    record(matter, staff, step)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == code


@pytest.mark.parametrize("kind", KINDS)
def test_flags_do_not_hold_back_stages_before_the_decision_stage(staff, kind):
    matter = at_the_door_of_decision(
        kind, staff, affects_stability=True, is_contested=True, seeks_non_party_opinions=True
    )
    assert matter.stage == BEFORE_DECISION[kind][0]


@pytest.mark.parametrize("kind", KINDS)
def test_major_decision_of_any_kind_needs_the_four_steps_before_its_decision_stage(staff, kind):
    matter = at_the_door_of_decision(kind, staff, is_major_decision=True)
    code, label = DECISION_STAGE[kind]

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == f"不能进入“{label}”阶段：{MAJOR_DECISION_BLOCKERS}。"
    for step in FOUR_STEPS:
        record(matter, staff, step)
    assert services.matter_advance_stage(matter=matter, by=staff).stage == code


def test_every_missing_step_is_named_in_one_refusal(staff):
    matter = at_the_door_of_decision(
        "decision",
        staff,
        is_major_decision=True,
        affects_stability=True,
        is_contested=True,
        seeks_non_party_opinions=True,
    )

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == (
        f"不能进入“集体讨论决定”阶段：{MAJOR_DECISION_BLOCKERS}；"
        "缺少“社会稳定风险评估”记录（事项可能影响社会稳定，决定前须进行社会稳定风险评估）；"
        "缺少“专题协商论证”记录（事项争议较大，决定前须进行专题协商论证）；"
        "缺少“征求党外人士意见”记录（事项列入征求党外人士意见目录，决定前须征求党外人士意见）。"
    )
    assert len(error.missing) == 7


@pytest.mark.parametrize("kind", KINDS)
def test_last_stage_cannot_advance(staff, kind):
    first, last, label = FIRST_AND_LAST_STAGE[kind]
    matter = make_matter(by=staff, kind=kind)
    assert matter.stage == first
    for step in WALKING_STEPS[kind]:
        record(matter, staff, step)
    matter = walk_to(matter, staff, last)

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert str(error) == f"事项已处于最后阶段“{label}”。"
    assert Matter.objects.get(pk=matter.pk).stage == last


def test_advance_is_recorded_as_a_forward_stage_change(staff):
    matter = make_matter(by=staff, kind="decision", stage_due_on=datetime.date(2026, 12, 1))
    entered_before = matter.stage_entered_at

    matter = services.matter_advance_stage(matter=matter, by=staff)

    change = StageChange.objects.get(matter=matter)
    assert (change.from_stage, change.to_stage) == ("initiation", "public_participation")
    assert change.direction == StageChange.Direction.FORWARD
    assert change.reason == ""
    assert change.changed_by == staff
    matter.refresh_from_db()
    assert matter.stage == "public_participation"
    assert matter.stage_entered_at == change.changed_at
    assert matter.stage_entered_at >= entered_before
    # The old stage's due date does not carry over to the new stage.
    assert matter.stage_due_on is None


# --- going back -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_going_back_needs_a_reason(staff, reason):
    matter = walk_to(make_matter(by=staff, kind="decision"), staff, "expert_argumentation")

    error = refusal(
        lambda: services.matter_return_stage(
            matter=matter, by=staff, to_stage="initiation", reason=reason
        )
    )

    assert str(error) == "退回阶段必须填写原因。"
    assert Matter.objects.get(pk=matter.pk).stage == "expert_argumentation"


@pytest.mark.parametrize(
    "to_stage",
    [
        "expert_argumentation",  # the current stage
        "risk_assessment",  # a later stage
        "no_such_stage",
        "drafting",  # a stage of another kind
    ],
)
def test_going_back_only_to_an_earlier_stage(staff, to_stage):
    matter = walk_to(make_matter(by=staff, kind="decision"), staff, "expert_argumentation")

    error = refusal(
        lambda: services.matter_return_stage(
            matter=matter, by=staff, to_stage=to_stage, reason="材料不全"
        )
    )

    assert str(error) == "只能退回到当前阶段之前的阶段。"
    assert Matter.objects.get(pk=matter.pk).stage == "expert_argumentation"


def test_first_stage_has_nowhere_to_go_back_to(staff):
    matter = make_matter(by=staff, kind="budget")
    error = refusal(
        lambda: services.matter_return_stage(
            matter=matter, by=staff, to_stage="drafting", reason="重新编制"
        )
    )
    assert str(error) == "只能退回到当前阶段之前的阶段。"


def test_going_back_is_recorded_as_a_back_stage_change_with_its_reason(staff):
    matter = walk_to(make_matter(by=staff, kind="decision"), staff, "risk_assessment")

    matter = services.matter_return_stage(
        matter=matter,
        by=staff,
        to_stage="public_participation",
        reason="  公众参与时间不足，需补充  ",
    )

    assert matter.stage == "public_participation"
    change = matter.stage_changes.order_by("-pk").first()
    assert (change.from_stage, change.to_stage) == ("risk_assessment", "public_participation")
    assert change.direction == StageChange.Direction.BACK
    assert change.reason == "公众参与时间不足，需补充"
    assert change.changed_by == staff
    assert Matter.objects.get(pk=matter.pk).stage == "public_participation"


def test_returned_matter_must_meet_the_requirements_again_to_move_forward(staff):
    matter = make_matter(by=staff, kind="decision", is_major_decision=True)
    for step in FOUR_STEPS:
        record(matter, staff, step)
    matter = walk_to(matter, staff, "collective_decision")
    matter = services.matter_return_stage(
        matter=matter, by=staff, to_stage="legality_review", reason="合法性审查意见需补正"
    )
    # The steps stay on record, so the matter may enter the decision stage again.
    assert services.matter_advance_stage(matter=matter, by=staff).stage == "collective_decision"


# --- procedure steps ------------------------------------------------------------------


def test_future_dated_step_is_refused(staff):
    matter = make_matter(by=staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    error = refusal(lambda: record(matter, staff, S.HEARING, occurred_on=tomorrow))

    assert str(error) == "程序步骤的日期不能晚于今天：只记录已经完成的步骤。"
    assert not ProcedureStep.objects.filter(matter=matter).exists()


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            S.WRITTEN_SOLICITATION,
            "书面征求意见须在事项页面的“书面征求意见”中发函，反馈截止或全部反馈后自动记录，"
            "不能手工录入。",
        ),
        (
            S.NON_PARTY_CONSULTATION,
            "征求党外人士意见须向民主党派、工商联或无党派人士发出征求意见函，收到其反馈后自动记录，"
            "不能手工录入。",
        ),
        (
            S.EXPERT_ARGUMENTATION,
            "专家论证须在事项页面的“专家论证”中组织，录入专家意见并完成论证后自动记录，不能手工录入。",
        ),
    ],
)
def test_a_typed_note_of_an_evidenced_step_is_refused(staff, step, message):
    # A letter of solicitation sent from the portal puts 书面征求意见 and 征求党外人士意见
    # on record when it closes; a typed note satisfies neither any more.
    matter = make_matter(by=staff, kind="legislative", seeks_non_party_opinions=True)

    error = refusal(lambda: record(matter, staff, step, evidenced=False))

    assert str(error) == message == str(EVIDENCED_STEPS[step])
    assert not ProcedureStep.objects.filter(matter=matter).exists()


def test_a_refused_written_solicitation_leaves_the_legislative_draft_in_drafting(staff):
    matter = walk_to(make_matter(by=staff, kind="legislative"), staff, "drafting")
    refusal(lambda: record(matter, staff, S.WRITTEN_SOLICITATION, evidenced=False))

    error = refusal(lambda: services.matter_advance_stage(matter=matter, by=staff))

    assert "缺少“书面征求意见或公布草案征求意见”记录" in str(error)
    assert Matter.objects.get(pk=matter.pk).stage == "drafting"


def test_step_dated_today_is_recorded_at_the_matters_current_stage(staff):
    matter = walk_to(make_matter(by=staff, kind="decision"), staff, "public_participation")

    step = record(matter, staff, S.HEARING, occurred_on=timezone.localdate(), is_public=False)

    assert step.matter == matter
    assert step.stage == "public_participation"
    assert step.occurred_on == timezone.localdate()
    assert step.recorded_by == staff
    assert step.is_public is False


# --- publishing -----------------------------------------------------------------------


def test_publish_makes_the_matter_public_with_its_time(staff):
    matter = make_matter(by=staff)
    assert matter.is_published is False
    before = timezone.now()

    matter = services.matter_publish(matter=matter, by=staff)

    matter.refresh_from_db()
    assert matter.is_published is True
    assert matter.published_at >= before


def test_second_publish_is_refused(staff):
    matter = services.matter_publish(matter=make_matter(by=staff), by=staff)
    error = refusal(lambda: services.matter_publish(matter=matter, by=staff))
    assert str(error) == "事项已经公开。"


@pytest.mark.parametrize("reason", ["", "  "])
def test_withdraw_needs_a_reason(staff, reason):
    matter = services.matter_publish(matter=make_matter(by=staff), by=staff)

    error = refusal(lambda: services.matter_withdraw(matter=matter, by=staff, reason=reason))

    assert str(error) == "撤回公开必须填写原因。"
    assert Matter.objects.get(pk=matter.pk).is_published is True


def test_withdrawing_an_unpublished_matter_is_refused(staff):
    matter = make_matter(by=staff)
    error = refusal(lambda: services.matter_withdraw(matter=matter, by=staff, reason="信息有误"))
    assert str(error) == "事项尚未公开。"


def test_withdrawn_matter_is_no_longer_public_and_may_be_published_again(staff):
    matter = services.matter_publish(matter=make_matter(by=staff), by=staff)

    services.matter_withdraw(matter=matter, by=staff, reason="事项名称有误，更正后重新公开")
    assert Matter.objects.get(pk=matter.pk).is_published is False

    services.matter_publish(matter=matter, by=staff)
    assert Matter.objects.get(pk=matter.pk).is_published is True


# --- creating and updating ------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_new_matter_starts_at_the_first_stage_of_its_kind(staff, kind):
    matter = make_matter(by=staff, kind=kind)
    assert matter.stage == FIRST_AND_LAST_STAGE[kind][0]
    assert matter.is_published is False
    assert matter.created_by == staff
    assert matter.department == staff.department


def test_create_refuses_a_planned_end_before_the_start(staff):
    error = refusal(
        lambda: make_matter(
            by=staff,
            planned_start=datetime.date(2026, 6, 1),
            planned_end=datetime.date(2026, 5, 31),
        )
    )
    assert str(error) == "计划完成日期不能早于计划开始日期。"
    assert not Matter.objects.exists()


def test_lead_department_is_never_its_own_co_organiser(staff, department):
    partner = DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")
    matter = make_matter(by=staff, co_departments=[department, partner])
    assert list(matter.co_departments.all()) == [partner]

    matter = services.matter_update(matter=matter, by=staff, co_departments=[department])
    assert list(matter.co_departments.all()) == []


def test_update_records_before_and_after_of_only_the_changed_fields(staff):
    matter = make_matter(by=staff, title="关于老旧小区加装电梯的协商事项")
    mark = ledger_mark()

    matter = services.matter_update(
        matter=matter,
        by=staff,
        title="关于既有住宅加装电梯的协商事项",
        summary=matter.summary,  # unchanged: not in the ledger
        year=2026,  # unchanged
        planned_end=datetime.date(2026, 10, 31),
        is_contested=True,
    )

    entry = the_one_ledger_row_since(mark)
    assert entry.action == LedgerEntry.Action.MATTER_UPDATED
    assert entry.before == {
        "title": "关于老旧小区加装电梯的协商事项",
        "planned_end": "2026-12-31",
        "is_contested": False,
    }
    assert entry.after == {
        "title": "关于既有住宅加装电梯的协商事项",
        "planned_end": "2026-10-31",
        "is_contested": True,
    }
    matter.refresh_from_db()
    assert matter.title == "关于既有住宅加装电梯的协商事项"
    assert matter.planned_end == datetime.date(2026, 10, 31)
    assert matter.is_contested is True


def test_update_records_policy_areas_and_co_organisers_as_codes(staff):
    education, elderly = (
        PolicyArea.objects.get(code="education"),
        PolicyArea.objects.get(code="elderly-care"),
    )
    partner = DepartmentFactory(code="jyj", name="青岛市教育局", short_name="市教育局")
    matter = make_matter(by=staff, policy_areas=[education])
    mark = ledger_mark()

    services.matter_update(
        matter=matter, by=staff, policy_areas=[education, elderly], co_departments=[partner]
    )

    entry = the_one_ledger_row_since(mark)
    assert entry.before == {"policy_areas": ["education"], "co_departments": []}
    assert entry.after == {
        "policy_areas": ["education", "elderly-care"],
        "co_departments": ["jyj"],
    }


def test_update_that_changes_nothing_writes_no_ledger_row(staff):
    matter = make_matter(by=staff)
    mark = ledger_mark()
    services.matter_update(matter=matter, by=staff, title=matter.title, year=matter.year)
    assert ledger_since(mark) == []


def test_kind_cannot_change_after_a_stage_move(staff):
    matter = services.matter_advance_stage(matter=make_matter(by=staff, kind="decision"), by=staff)

    error = refusal(lambda: services.matter_update(matter=matter, by=staff, kind="key_matter"))

    assert str(error) == "事项已推进过阶段，不能再更改协商类别。"
    matter.refresh_from_db()
    assert (matter.kind, matter.stage) == ("decision", "public_participation")


def test_kind_cannot_change_after_going_back_to_the_first_stage(staff):
    matter = services.matter_advance_stage(matter=make_matter(by=staff, kind="budget"), by=staff)
    matter = services.matter_return_stage(
        matter=matter, by=staff, to_stage="drafting", reason="预算口径调整"
    )
    error = refusal(lambda: services.matter_update(matter=matter, by=staff, kind="decision"))
    assert str(error) == "事项已推进过阶段，不能再更改协商类别。"


def test_kind_change_before_any_move_restarts_at_the_new_kinds_first_stage(staff):
    matter = make_matter(by=staff, kind="decision")
    mark = ledger_mark()

    matter = services.matter_update(matter=matter, by=staff, kind="legislative")

    assert Matter.objects.get(pk=matter.pk).stage == "project_approval"
    entry = the_one_ledger_row_since(mark)
    assert entry.before == {"kind": "decision", "stage": "initiation"}
    assert entry.after == {"kind": "legislative", "stage": "project_approval"}


def test_update_refuses_fields_that_are_not_editable(staff):
    matter = make_matter(by=staff)
    for field in ("stage", "is_published", "reference", "department"):
        with pytest.raises(TypeError):
            services.matter_update(matter=matter, by=staff, **{field: "x"})
    assert Matter.objects.get(pk=matter.pk).stage == "initiation"


def test_update_refuses_a_planned_end_before_the_start(staff):
    matter = make_matter(by=staff)
    error = refusal(
        lambda: services.matter_update(
            matter=matter, by=staff, planned_end=datetime.date(2026, 2, 1)
        )
    )
    assert str(error) == "计划完成日期不能早于计划开始日期。"
    assert Matter.objects.get(pk=matter.pk).planned_end == datetime.date(2026, 12, 31)


# --- reference numbers ----------------------------------------------------------------


def test_reference_numbers_are_readable_and_sequential_per_department_and_year(staff):
    references = [make_matter(by=staff).reference for _ in range(3)]
    assert references == ["2026-SFJ-001", "2026-SFJ-002", "2026-SFJ-003"]

    assert make_matter(by=staff, year=2027).reference == "2027-SFJ-001"
    other = StaffFactory(department=DepartmentFactory(code="fgw", name="青岛市发展和改革委员会"))
    assert make_matter(by=other).reference == "2026-FGW-001"
    assert make_matter(by=staff).reference == "2026-SFJ-004"


def test_reference_numbers_stay_unique_when_a_matter_moves_to_another_year(staff):
    first = make_matter(by=staff)
    make_matter(by=staff)
    services.matter_update(matter=first, by=staff, year=2025)

    third = make_matter(by=staff)

    assert third.reference == "2026-SFJ-003"
    references = list(Matter.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 3
    assert all(re.fullmatch(r"\d{4}-[A-Z0-9-]+-\d{3}", ref) for ref in references)


# --- drafts ---------------------------------------------------------------------------


def add_draft(matter, by, note="初稿"):
    return services.draft_add(
        matter=matter,
        by=by,
        title="青岛市城市更新条例（草案）",
        text="第一条 为了推进城市更新……",
        change_note=note,
    )


def test_drafts_are_numbered_one_two_three_per_matter(staff):
    matter = make_matter(by=staff)
    numbers = [add_draft(matter, staff, note).number for note in ("初稿", "修改稿", "送审稿")]
    assert numbers == [1, 2, 3]
    assert add_draft(make_matter(by=staff), staff).number == 1
    assert list(matter.drafts.values_list("number", flat=True)) == [1, 2, 3]


def test_draft_publish_makes_the_version_public(staff):
    draft = add_draft(make_matter(by=staff), staff)
    assert draft.is_published is False
    services.draft_publish(draft=draft, by=staff)
    draft.refresh_from_db()
    assert draft.is_published is True
    assert draft.published_at is not None


def test_second_draft_publish_is_refused(staff):
    draft = services.draft_publish(draft=add_draft(make_matter(by=staff), staff), by=staff)
    error = refusal(lambda: services.draft_publish(draft=draft, by=staff))
    assert str(error) == "该草案版本已经公开。"


# --- documents ------------------------------------------------------------------------


def test_a_real_pdf_is_attached_under_a_name_of_the_portals_making(staff, weasyprint_pdf):
    matter = make_matter(by=staff)

    document = attach(matter, staff, weasyprint_pdf, name="城市更新条例草案.pdf")

    digest = hashlib.sha256(weasyprint_pdf).hexdigest()
    document.refresh_from_db()
    assert document.content_type == "application/pdf"
    assert document.extension == "pdf"
    assert document.size == len(weasyprint_pdf)
    assert document.sha256 == digest
    assert document.original_name == "城市更新条例草案.pdf"
    assert document.file.name == f"matters/{matter.pk}/{digest[:16]}.pdf"
    assert document.download_name == "征求意见稿.pdf"
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == weasyprint_pdf


def test_type_is_read_from_the_content_not_the_name(staff):
    matter = make_matter(by=staff)
    pdf = attach(matter, staff, MINIMAL_PDF, name="说明.exe")
    png = attach(matter, staff, png_bytes(), name="现场照片.jpg")
    assert (pdf.extension, pdf.content_type) == ("pdf", "application/pdf")
    assert (png.extension, png.content_type) == ("png", "image/png")
    assert png.file.name.endswith(".png")


def test_a_document_may_belong_to_a_step_of_its_own_matter(staff):
    matter = make_matter(by=staff)
    step = record(matter, staff, S.HEARING)
    document = attach(matter, staff, MINIMAL_PDF, step=step)
    assert document.step == step


def test_a_step_of_another_matter_is_refused(staff):
    matter, other = make_matter(by=staff), make_matter(by=staff)
    step = record(other, staff, S.HEARING)
    error = refusal(lambda: attach(matter, staff, MINIMAL_PDF, step=step))
    assert str(error) == "所选程序步骤不属于该事项。"
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "这是一段纯文本，不是PDF文件。".encode(),
    ],
    ids=["html", "plain-text"],
)
def test_a_file_renamed_to_pdf_is_refused(staff, content):
    matter = make_matter(by=staff)
    mark = ledger_mark()

    with pytest.raises(ValidationError) as caught:
        attach(matter, staff, content, name="草案.pdf")

    assert caught.value.code == "bad_type"
    assert caught.value.messages == [
        "不支持的文件类型：仅接受 PDF、Word、Excel、JPEG 和 PNG 文件（按文件内容判断）。"
    ]
    assert not Document.objects.exists()
    assert ledger_since(mark) == []


def test_an_empty_file_is_refused(staff):
    matter = make_matter(by=staff)
    with pytest.raises(ValidationError) as caught:
        attach(matter, staff, b"", name="空文件.pdf")
    assert caught.value.code == "empty"
    assert caught.value.messages == ["文件为空，请重新选择。"]
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(staff, settings):
    settings.PORTAL_MAX_UPLOAD_MB = 1
    matter = make_matter(by=staff)
    big = b"%PDF-1.4\n" + b"0" * int(1.1 * 1024 * 1024)

    with pytest.raises(ValidationError) as caught:
        attach(matter, staff, big, name="超大文件.pdf")

    assert caught.value.code == "too_large"
    assert caught.value.messages == ["文件过大：上限为 1 MB。"]
    assert not Document.objects.exists()


def test_a_file_just_under_the_limit_is_accepted(staff, settings):
    settings.PORTAL_MAX_UPLOAD_MB = 1
    content = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
    assert len(content) == 1024 * 1024
    document = attach(make_matter(by=staff), staff, content)
    assert document.size == 1024 * 1024


@pytest.mark.parametrize("reason", ["", "   "])
def test_removing_a_document_needs_a_reason(staff, reason):
    document = attach(make_matter(by=staff), staff, MINIMAL_PDF)
    error = refusal(lambda: services.document_remove(document=document, by=staff, reason=reason))
    assert str(error) == "撤下附件必须填写原因。"
    assert Document.objects.get(pk=document.pk).is_removed is False


def test_removed_document_keeps_its_row_and_file(staff):
    document = attach(make_matter(by=staff), staff, MINIMAL_PDF)

    services.document_remove(document=document, by=staff, reason="上传了错误版本")

    document.refresh_from_db()
    assert document.is_removed is True
    assert default_storage.exists(document.file.name)


def test_removing_a_document_twice_is_refused(staff):
    document = attach(make_matter(by=staff), staff, MINIMAL_PDF)
    services.document_remove(document=document, by=staff, reason="上传了错误版本")
    error = refusal(lambda: services.document_remove(document=document, by=staff, reason="再撤"))
    assert str(error) == "该附件已撤下。"


# --- one ledger row per service -------------------------------------------------------


def assert_row(entry, *, action, actor, matter, obj=None):
    obj = obj or matter
    assert entry.action == action
    assert entry.actor == actor
    assert entry.matter_id == matter.pk
    assert entry.department_id == matter.department_id
    assert entry.object_type == obj._meta.model_name
    assert entry.object_id == obj.pk


def test_matter_create_writes_one_ledger_row_with_the_full_snapshot(staff):
    area = PolicyArea.objects.get(code="housing")
    partner = DepartmentFactory(code="zjj", name="青岛市住房和城乡建设局")
    mark = ledger_mark()

    matter = make_matter(
        by=staff,
        kind="key_matter",
        title="关于保障性租赁住房建设的协商事项",
        policy_areas=[area],
        co_departments=[partner],
        is_major_public_interest=True,
    )

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.MATTER_CREATED, actor=staff, matter=matter)
    assert entry.before == {}
    assert entry.after == {
        "title": "关于保障性租赁住房建设的协商事项",
        "kind": "key_matter",
        "year": 2026,
        "summary": matter.summary,
        "legal_basis": matter.legal_basis,
        "is_major_decision": False,
        "is_major_public_interest": True,
        "affects_stability": False,
        "is_contested": False,
        "seeks_non_party_opinions": False,
        "planned_start": "2026-03-01",
        "planned_end": "2026-12-31",
        "stage_due_on": None,
        "stage": "topic_selection",
        "co_departments": ["zjj"],
        "policy_areas": ["housing"],
    }
    assert matter.reference in entry.summary


def test_matter_update_writes_one_ledger_row(staff, department):
    leader = LeaderFactory(department=department)
    matter = make_matter(by=staff)
    mark = ledger_mark()

    services.matter_update(matter=matter, by=leader, legal_basis="《重大行政决策程序暂行条例》")

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.MATTER_UPDATED, actor=leader, matter=matter)
    assert entry.before == {"legal_basis": matter.legal_basis}
    assert entry.after == {"legal_basis": "《重大行政决策程序暂行条例》"}


def test_step_record_writes_one_ledger_row(staff):
    matter = make_matter(by=staff)
    mark = ledger_mark()

    step = record(matter, staff, S.HEARING, occurred_on=datetime.date(2026, 11, 20))

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.STEP_RECORDED, actor=staff, matter=matter, obj=step)
    assert entry.before == {}
    assert entry.after == {
        "step_type": "hearing",
        "stage": "initiation",
        "occurred_on": "2026-11-20",
        "responsible_person": "王强",
        "is_public": True,
    }


def test_matter_advance_stage_writes_one_ledger_row(staff):
    matter = make_matter(by=staff, kind="budget")
    mark = ledger_mark()

    services.matter_advance_stage(matter=matter, by=staff)

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.STAGE_ADVANCED, actor=staff, matter=matter)
    assert entry.before == {"stage": "drafting"}
    assert entry.after == {"stage": "consultation", "reason": ""}
    assert entry.summary == "阶段由“预算草案编制”推进至“协商征询”"


def test_matter_return_stage_writes_one_ledger_row(staff):
    matter = walk_to(make_matter(by=staff, kind="budget"), staff, "consultation")
    mark = ledger_mark()

    services.matter_return_stage(matter=matter, by=staff, to_stage="drafting", reason="口径调整")

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.STAGE_RETURNED, actor=staff, matter=matter)
    assert entry.before == {"stage": "consultation"}
    assert entry.after == {"stage": "drafting", "reason": "口径调整"}
    assert entry.summary == "阶段由“协商征询”退回至“预算草案编制”，原因：口径调整"


def test_matter_publish_by_the_general_office_is_ledgered_under_the_lead_department(staff):
    reviewer = ReviewerFactory()
    matter = make_matter(by=staff)
    mark = ledger_mark()

    services.matter_publish(matter=matter, by=reviewer)

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.MATTER_PUBLISHED, actor=reviewer, matter=matter)
    assert entry.department_id != reviewer.department_id
    assert entry.before == {"is_published": False}
    assert entry.after == {"is_published": True}


def test_matter_withdraw_writes_one_ledger_row(staff):
    matter = services.matter_publish(matter=make_matter(by=staff), by=staff)
    mark = ledger_mark()

    services.matter_withdraw(matter=matter, by=staff, reason="  内容需更正 ")

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.MATTER_WITHDRAWN, actor=staff, matter=matter)
    assert entry.before == {"is_published": True}
    assert entry.after == {"is_published": False, "reason": "内容需更正"}


def test_document_attach_writes_one_ledger_row(staff):
    matter = make_matter(by=staff)
    mark = ledger_mark()

    document = attach(matter, staff, MINIMAL_PDF, is_public=False)

    entry = the_one_ledger_row_since(mark)
    assert_row(
        entry, action=LedgerEntry.Action.DOCUMENT_ADDED, actor=staff, matter=matter, obj=document
    )
    assert entry.before == {}
    assert entry.after == {
        "title": "征求意见稿",
        "category": "draft",
        "sha256": hashlib.sha256(MINIMAL_PDF).hexdigest(),
        "size": len(MINIMAL_PDF),
        "is_public": False,
    }


def test_document_remove_writes_one_ledger_row(staff):
    matter = make_matter(by=staff)
    document = attach(matter, staff, MINIMAL_PDF)
    mark = ledger_mark()

    services.document_remove(document=document, by=staff, reason="上传了错误版本")

    entry = the_one_ledger_row_since(mark)
    assert_row(
        entry, action=LedgerEntry.Action.DOCUMENT_REMOVED, actor=staff, matter=matter, obj=document
    )
    assert entry.before == {"is_removed": False}
    assert entry.after == {"is_removed": True, "reason": "上传了错误版本"}


def test_draft_add_writes_one_ledger_row(staff):
    matter = make_matter(by=staff)
    mark = ledger_mark()

    draft = add_draft(matter, staff, "征求意见稿")

    entry = the_one_ledger_row_since(mark)
    assert_row(entry, action=LedgerEntry.Action.DRAFT_ADDED, actor=staff, matter=matter, obj=draft)
    assert entry.after == {"number": 1, "title": "青岛市城市更新条例（草案）"}
    assert entry.summary == "新增草案第1稿：征求意见稿"


def test_draft_publish_writes_one_ledger_row(staff):
    matter = make_matter(by=staff)
    draft = add_draft(matter, staff)
    mark = ledger_mark()

    services.draft_publish(draft=draft, by=staff)

    entry = the_one_ledger_row_since(mark)
    assert_row(
        entry, action=LedgerEntry.Action.DRAFT_PUBLISHED, actor=staff, matter=matter, obj=draft
    )
    assert entry.before == {"is_published": False}
    assert entry.after == {"is_published": True}


# --- the ledger is append-only --------------------------------------------------------


@pytest.fixture
def entry(staff):
    make_matter(by=staff)
    return LedgerEntry.objects.get()


def test_saving_an_existing_ledger_entry_is_refused(entry):
    original = entry.summary
    entry.summary = "篡改后的摘要"
    with pytest.raises(TypeError):
        entry.save()
    assert LedgerEntry.objects.get(pk=entry.pk).summary == original


def test_deleting_a_ledger_entry_is_refused(entry):
    with pytest.raises(TypeError):
        entry.delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_of_the_ledger_is_refused(entry):
    with pytest.raises(TypeError):
        LedgerEntry.objects.update(summary="篡改")
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(summary="篡改")
    with pytest.raises(TypeError):
        entry.matter.ledger_entries.update(summary="篡改")
    entry.summary = "篡改"
    # bulk_update runs in atomic(savepoint=False); the savepoint keeps the test usable.
    with pytest.raises(TypeError), transaction.atomic():
        LedgerEntry.objects.bulk_update([entry], ["summary"])
    assert LedgerEntry.objects.get(pk=entry.pk).summary != "篡改"


def test_bulk_delete_of_the_ledger_is_refused(entry):
    with pytest.raises(TypeError):
        LedgerEntry.objects.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(TypeError):
        entry.matter.ledger_entries.all().delete()
    assert LedgerEntry.objects.count() == 1


# --- an explicit time: the demo tells a year's story through the services ---------------

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
THEN = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def _later(minutes):
    return THEN + datetime.timedelta(minutes=minutes)


def test_matter_create_takes_up_the_matter_at_the_time_given(staff):
    matter = make_matter(by=staff, now=THEN)

    matter.refresh_from_db()
    assert matter.created_at == THEN
    assert matter.stage_entered_at == THEN


def test_step_record_puts_the_step_on_record_at_the_time_given(staff):
    matter = make_matter(by=staff, now=THEN)

    step = record(
        matter, staff, S.PUBLIC_PARTICIPATION, occurred_on=THEN.date(), now=_later(8 * 60)
    )

    step.refresh_from_db()
    assert step.created_at == _later(8 * 60)


def test_step_record_refuses_a_step_done_after_the_time_given(staff):
    matter = make_matter(by=staff, now=THEN)

    message = refusal(
        lambda: record(
            matter, staff, S.PUBLIC_PARTICIPATION, occurred_on=datetime.date(2026, 3, 3), now=THEN
        )
    )

    assert str(message) == "程序步骤的日期不能晚于今天：只记录已经完成的步骤。"


def test_advance_and_return_change_the_stage_at_the_time_given(staff):
    matter = make_matter(by=staff, kind="decision", now=THEN)

    matter = services.matter_advance_stage(matter=matter, by=staff, now=_later(30))
    matter = services.matter_return_stage(
        matter=matter, by=staff, to_stage="initiation", reason="补充材料", now=_later(60)
    )

    changes = list(StageChange.objects.filter(matter=matter).order_by("pk"))
    assert [change.changed_at for change in changes] == [_later(30), _later(60)]
    matter.refresh_from_db()
    assert matter.stage_entered_at == _later(60)


def test_matter_publish_publishes_at_the_time_given(staff):
    matter = make_matter(by=staff, now=THEN)

    services.matter_publish(matter=matter, by=ReviewerFactory(), now=_later(90))

    matter.refresh_from_db()
    assert matter.published_at == _later(90)


def test_document_attach_uploads_at_the_time_given(staff):
    matter = make_matter(by=staff, now=THEN)

    document = attach(matter, staff, MINIMAL_PDF, now=_later(45))

    document.refresh_from_db()
    assert document.uploaded_at == _later(45)


def test_draft_add_and_publish_at_the_times_given(staff):
    matter = make_matter(by=staff, now=THEN)

    draft = services.draft_add(
        matter=matter, by=staff, title="征求意见稿", text="正文", change_note="初稿", now=_later(20)
    )
    services.draft_publish(draft=draft, by=staff, now=_later(80))

    draft.refresh_from_db()
    assert (draft.created_at, draft.published_at) == (_later(20), _later(80))
