"""Expert argumentation (专家论证): experts only from the registry's 专家 category, the
recusal declaration before any opinion, every heading of a signed opinion, completion
with at least three opinions, the 专家论证 step put on record, a ledger row for each
change, and nothing changed once completed."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import TransitionError
from matters.models import LedgerEntry, ProcedureStep
from matters.procedures import StepType
from participation.models import Participant
from solicitations import services
from solicitations.events import Action
from solicitations.models import Argumentation, Conclusion, Expert
from solicitations.services import Opinion
from tests.factories import StaffFactory, make_matter, make_participant

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 15, 0))


def opinion(**changes) -> Opinion:
    values = {
        "necessity": "老旧小区加装电梯需求迫切，制定办法有必要。",
        "legality": "与上位法不抵触，建议补充听证程序依据。",
        "feasibility": "财政补助比例可行，审批流程仍可简化。",
        "benefits": "惠及约12万户居民，社会效益明显。",
        "conditions": "需明确住建、规划、市场监管的职责分工。",
        "conclusion": Conclusion.AGREE_AFTER_CHANGES,
        "signed_on": TODAY,
        **changes,
    }
    return Opinion(**values)


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def argumentation(staff):
    matter = make_matter(by=staff, title="青岛市既有住宅加装电梯管理办法")
    return services.argumentation_create(
        matter=matter,
        by=staff,
        title="《青岛市既有住宅加装电梯管理办法》专家论证",
        form=Argumentation.Form.MEETING,
        held_on=TODAY,
        now=NOW - datetime.timedelta(days=3),
    )


def expert(by, name, **fields):
    return make_participant(by=by, name=name, category=Participant.Category.EXPERT, **fields)


def seated(argumentation, staff, names=("张立新", "赵敏", "王海")):
    return [
        services.expert_choose(argumentation=argumentation, by=staff, participant=expert(staff, n))
        for n in names
    ]


def with_opinions(argumentation, staff, names=("张立新", "赵敏", "王海")):
    experts = seated(argumentation, staff, names)
    for chosen in experts:
        services.expert_declare(expert=chosen, by=staff, conflict=False, now=NOW)
        services.opinion_enter(expert=chosen, by=staff, opinion=opinion(), now=NOW)
    return experts


def actions(argumentation) -> list[str]:
    return list(
        LedgerEntry.objects.filter(matter=argumentation.matter)
        .filter(action__startswith="argumentation")
        .order_by("pk")
        .values_list("action", flat=True)
    )


class TestPanel:
    def test_experts_come_from_the_registrys_expert_category(self, argumentation, staff):
        deputy = make_participant(by=staff, name="王建国", category="npc_deputy")
        with pytest.raises(TransitionError, match="“专家”类别"):
            services.expert_choose(argumentation=argumentation, by=staff, participant=deputy)

    def test_an_inactive_expert_or_one_already_seated_is_refused(self, argumentation, staff):
        retired = expert(staff, "孙退")
        Participant.objects.filter(pk=retired.pk).update(is_active=False)
        retired.refresh_from_db()
        with pytest.raises(TransitionError, match="已停用"):
            services.expert_choose(argumentation=argumentation, by=staff, participant=retired)
        (chosen,) = seated(argumentation, staff, ["张立新"])
        with pytest.raises(TransitionError, match="已在专家组中"):
            services.expert_choose(
                argumentation=argumentation, by=staff, participant=chosen.participant
            )
        assert argumentation.experts.count() == 1

    def test_the_record_keeps_the_registry_entry_as_it_was_when_chosen(self, argumentation, staff):
        (chosen,) = seated(argumentation, staff, ["张立新"])
        registry = chosen.participant
        registry.affiliation = "另一单位"
        registry.save()
        chosen.refresh_from_db()
        assert chosen.name == "张立新" and chosen.affiliation == "青岛大学"

    def test_one_seat_per_expert_is_held_by_the_database(self, argumentation, staff):
        (chosen,) = seated(argumentation, staff, ["张立新"])
        with pytest.raises(IntegrityError), transaction.atomic():
            Expert.objects.create(
                argumentation=argumentation, participant=chosen.participant, name="张立新"
            )


class TestDeclarationAndOpinion:
    def test_no_opinion_before_the_recusal_declaration(self, argumentation, staff):
        (chosen,) = seated(argumentation, staff, ["张立新"])
        with pytest.raises(TransitionError, match="回避声明"):
            services.opinion_enter(expert=chosen, by=staff, opinion=opinion(), now=NOW)

    def test_a_conflict_needs_its_reason_and_the_expert_gives_no_opinion(
        self, argumentation, staff
    ):
        (chosen,) = seated(argumentation, staff, ["张立新"])
        with pytest.raises(TransitionError, match="利害关系"):
            services.expert_declare(expert=chosen, by=staff, conflict=True, note=" ")
        services.expert_declare(
            expert=chosen, by=staff, conflict=True, note="曾为起草单位提供咨询服务"
        )
        chosen.refresh_from_db()
        assert chosen.is_recused and chosen.conflict_note == "曾为起草单位提供咨询服务"
        with pytest.raises(TransitionError, match="已声明回避"):
            services.opinion_enter(expert=chosen, by=staff, opinion=opinion(), now=NOW)

    def test_the_database_refuses_an_opinion_from_a_recused_expert(self, argumentation, staff):
        (chosen,) = seated(argumentation, staff, ["张立新"])
        services.expert_declare(expert=chosen, by=staff, conflict=True, note="亲属在起草单位")
        Expert.objects.filter(pk=chosen.pk).update(conclusion="")
        with pytest.raises(IntegrityError), transaction.atomic():
            Expert.objects.filter(pk=chosen.pk).update(conclusion=Conclusion.AGREE)

    @pytest.mark.parametrize(
        ("missing", "label"),
        [
            ("necessity", "必要性"),
            ("legality", "合法性"),
            ("feasibility", "可行性"),
            ("benefits", "经济社会效益"),
            ("conditions", "执行条件"),
        ],
    )
    def test_every_heading_is_answered(self, argumentation, staff, missing, label):
        (chosen,) = seated(argumentation, staff, ["张立新"])
        services.expert_declare(expert=chosen, by=staff, conflict=False)
        with pytest.raises(TransitionError, match=f"论证意见缺少：{label}"):
            services.opinion_enter(
                expert=chosen, by=staff, opinion=opinion(**{missing: "  "}), now=NOW
            )
        chosen.refresh_from_db()
        assert not chosen.has_opinion

    def test_a_conclusion_and_a_plausible_signature_date(self, argumentation, staff):
        (chosen,) = seated(argumentation, staff, ["张立新"])
        services.expert_declare(expert=chosen, by=staff, conflict=False)
        with pytest.raises(TransitionError, match="论证结论"):
            services.opinion_enter(expert=chosen, by=staff, opinion=opinion(conclusion=""), now=NOW)
        with pytest.raises(TransitionError, match="晚于今天"):
            services.opinion_enter(
                expert=chosen,
                by=staff,
                opinion=opinion(signed_on=TODAY + datetime.timedelta(days=1)),
                now=NOW,
            )
        with pytest.raises(TransitionError, match="早于组织论证"):
            services.opinion_enter(
                expert=chosen,
                by=staff,
                opinion=opinion(signed_on=TODAY - datetime.timedelta(days=30)),
                now=NOW,
            )

    def test_the_headings_read_in_the_source_documents_order(self, argumentation, staff):
        (chosen,) = with_opinions(argumentation, staff, ["张立新"])
        chosen.refresh_from_db()
        assert [heading for heading, _text in chosen.headings()] == [
            "必要性",
            "合法性",
            "可行性",
            "经济社会效益",
            "执行条件",
        ]
        assert chosen.get_conclusion_display() == "修改后同意"

    def test_a_declaration_cannot_change_once_the_opinion_is_in(self, argumentation, staff):
        (chosen,) = with_opinions(argumentation, staff, ["张立新"])
        with pytest.raises(TransitionError, match="不能再改回避声明"):
            services.expert_declare(expert=chosen, by=staff, conflict=True, note="后来发现")


class TestCompletion:
    def test_completion_puts_the_expert_argumentation_step_on_record(self, argumentation, staff):
        with_opinions(argumentation, staff)

        done = services.argumentation_complete(
            argumentation=argumentation,
            by=staff,
            summary="专家组认为办法总体可行，建议补充听证程序和职责分工。",
            conclusion=Conclusion.AGREE_AFTER_CHANGES,
            now=NOW,
        )

        assert done.status == Argumentation.Status.COMPLETED
        step = ProcedureStep.objects.get(matter=argumentation.matter)
        assert step.step_type == StepType.EXPERT_ARGUMENTATION
        assert step.occurred_on == TODAY
        assert "3位专家" in step.summary and "修改后同意" in step.summary
        assert done.step == step

    def test_fewer_than_three_opinions_is_not_a_panel(self, argumentation, staff):
        experts = with_opinions(argumentation, staff, ["张立新", "赵敏"])
        recused = seated(argumentation, staff, ["王海"])[0]
        services.expert_declare(expert=recused, by=staff, conflict=True, note="起草组成员")

        with pytest.raises(TransitionError, match="不少于3位，目前2位"):
            services.argumentation_complete(
                argumentation=argumentation,
                by=staff,
                summary="总结",
                conclusion=Conclusion.AGREE,
                now=NOW,
            )
        assert len(experts) == 2
        assert not ProcedureStep.objects.filter(matter=argumentation.matter).exists()

    def test_every_expert_declared_and_every_unconflicted_one_heard(self, argumentation, staff):
        with_opinions(argumentation, staff)
        late, silent = seated(argumentation, staff, ["刘一", "陈二"])
        services.expert_declare(expert=silent, by=staff, conflict=False)

        with pytest.raises(TransitionError) as refused:
            services.argumentation_complete(
                argumentation=argumentation,
                by=staff,
                summary="总结",
                conclusion=Conclusion.AGREE,
                now=NOW,
            )
        assert "尚未录入回避声明：刘一" in str(refused.value)
        assert "尚未录入论证意见：陈二" in str(refused.value)
        assert late.declaration == Expert.Declaration.PENDING

    def test_a_summary_and_a_conclusion_are_required(self, argumentation, staff):
        with_opinions(argumentation, staff)
        with pytest.raises(TransitionError, match="专家组论证意见"):
            services.argumentation_complete(
                argumentation=argumentation, by=staff, summary=" ", conclusion="agree", now=NOW
            )
        with pytest.raises(TransitionError, match="专家组结论"):
            services.argumentation_complete(
                argumentation=argumentation, by=staff, summary="总结", conclusion="", now=NOW
            )

    def test_an_argumentation_still_to_be_held_cannot_be_completed(self, staff):
        matter = make_matter(by=staff)
        planned = services.argumentation_create(
            matter=matter,
            by=staff,
            title="下周的论证会",
            form=Argumentation.Form.MEETING,
            held_on=TODAY + datetime.timedelta(days=7),
            now=NOW - datetime.timedelta(days=1),
        )
        with_opinions(planned, staff)
        with pytest.raises(TransitionError, match="还没有到"):
            services.argumentation_complete(
                argumentation=planned, by=staff, summary="总结", conclusion="agree", now=NOW
            )

    def test_nothing_changes_once_completed(self, argumentation, staff):
        experts = with_opinions(argumentation, staff)
        services.argumentation_complete(
            argumentation=argumentation, by=staff, summary="总结", conclusion="agree", now=NOW
        )
        for attempt in (
            lambda: services.expert_choose(
                argumentation=argumentation, by=staff, participant=expert(staff, "新专家")
            ),
            lambda: services.expert_declare(expert=experts[0], by=staff, conflict=False),
            lambda: services.opinion_enter(expert=experts[0], by=staff, opinion=opinion()),
            lambda: services.argumentation_complete(
                argumentation=argumentation, by=staff, summary="再次", conclusion="agree"
            ),
        ):
            with pytest.raises(TransitionError, match="已经完成"):
                attempt()

    def test_the_database_holds_a_completed_argumentation_to_its_conclusion(self, argumentation):
        with pytest.raises(IntegrityError), transaction.atomic():
            Argumentation.objects.filter(pk=argumentation.pk).update(status="completed")


class TestRecord:
    def test_every_change_writes_a_ledger_row(self, argumentation, staff):
        experts = with_opinions(argumentation, staff)
        services.argumentation_complete(
            argumentation=argumentation, by=staff, summary="总结", conclusion="agree", now=NOW
        )
        assert actions(argumentation) == [
            Action.ARGUMENTATION_CREATED,
            *[Action.EXPERT_CHOSEN] * len(experts),
            *[Action.EXPERT_DECLARED, Action.OPINION_ENTERED] * len(experts),
            Action.ARGUMENTATION_COMPLETED,
        ]
        completed = LedgerEntry.objects.get(action=Action.ARGUMENTATION_COMPLETED)
        assert completed.department_id == argumentation.matter.department_id
        assert "3位专家" in completed.summary and "同意" in completed.summary

    def test_a_draft_of_another_matter_is_refused(self, staff):
        from matters.services import draft_add

        other = make_matter(by=staff)
        draft = draft_add(matter=other, by=staff, title="草案", text="正文", change_note="初稿")
        with pytest.raises(TransitionError, match="不属于本事项"):
            services.argumentation_create(
                matter=make_matter(by=staff),
                by=staff,
                title="论证",
                form="written",
                held_on=TODAY,
                draft=draft,
            )
