"""Demo expert argumentations (专家论证), for the demo matters whose procedure needs one.

``matters.demo`` builds each matter in its own time and, when it comes to the 专家论证
step, calls ``argue`` (``seed_demo`` passes it): a panel of four experts from the
registry's 专家 category, one of whom declares a conflict of interest and withdraws; the
other three give signed opinions under the five headings; the argumentation is completed
with the panel's summary and conclusion, which puts the step on the matter's record on the
argumentation's day. Everything goes through ``solicitations.services`` and
``participation.services``; the demo experts are added to the registry when missing.

The matters are built once, so running the demo again changes nothing here either.
"""

import datetime
from zoneinfo import ZoneInfo

from accounts.models import User
from matters.models import Matter, ProcedureStep
from participation.demo import PARTICIPANTS
from participation.models import Participant
from participation.services import participants

from . import services
from .models import Argumentation, Conclusion, Expert

SHANGHAI = ZoneInfo("Asia/Shanghai")
P = Participant.Category

# name, affiliation, expertise — the first two are also in ``participation.demo``'s registry.
EXPERTS = (
    ("张立新", "中国海洋大学法学院", "行政法"),
    ("赵敏", "青岛市老年医学研究所", "老年医学"),
    ("刘思远", "青岛大学经济学院", "区域经济与公共财政"),
    ("陈静", "青岛理工大学建筑与城乡规划学院", "城市规划"),
    ("孙海涛", "山东社会科学院青岛分院", "社会治理与风险评估"),
)
# The panel: seats in EXPERTS, the last of them declaring a conflict of interest.
PANEL = (0, 2, 3, 4)
RECUSED = 4
CONFLICT_NOTE = "本人所在单位承担了该事项前期研究课题，与论证事项存在利害关系，申请回避。"

OPINIONS = {
    0: (
        "{title}涉及群众切身利益，现行规定已不适应实际需要，出台是必要的。",
        "与上位法不抵触；建议在草案中写明听证和公开征求意见的法定依据，"
        "对涉及减损权利的条款逐条说明理由。",
        "主要制度设计可以落地，审批和备案环节仍可进一步简化。",
        "有利于规范管理、稳定社会预期，预计社会效益明显。",
        "需明确牵头部门与配合部门的职责分工，设置不少于三十日的过渡期。",
        Conclusion.AGREE_AFTER_CHANGES,
    ),
    2: (
        "{title}回应了各方长期反映的问题，有必要尽快推进。",
        "程序合法，依据充分。",
        "财政承受能力经测算可以支撑，建议分年度安排资金并与中期财政规划衔接。",
        "直接惠及面较广，对带动相关产业和就业有积极作用，成本收益比较合理。",
        "建议建立实施情况年度评估制度，评估结果向社会公开。",
        Conclusion.AGREE,
    ),
    3: (
        "{title}与城市总体规划和专项规划方向一致，是必要的。",
        "未发现与现行法律法规相冲突的内容。",
        "空间布局和建设时序基本可行，部分片区用地条件需进一步核实。",
        "有利于改善人居环境，需关注对周边居民出行的短期影响。",
        "建议与规划、住建、交通等部门建立联席会商机制，确保按期实施。",
        Conclusion.AGREE_AFTER_CHANGES,
    ),
}

SUMMARY = (
    "专家组听取了起草部门的情况说明，审阅了相关材料。经论证，专家组认为：{title}"
    "制定必要，与上位法不抵触，主要制度设计总体可行，社会效益明显。"
    "建议起草部门进一步写明听证和征求意见的法定依据，明确部门职责分工和过渡期安排，"
    "并建立实施情况评估制度。专家组同意修改完善后按程序报审。"
)


def _on(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def demo_experts(by: User) -> list[Participant]:
    """The demo's registry experts, added through the registry's service when missing; one
    also in ``participation.demo``'s registry gets the contact details it has there."""
    contacts = {
        (name, affiliation): {"email": email, "phone": "0532-8888" + f"{position:04d}"}
        for position, (name, _category, affiliation, _expertise, email) in enumerate(PARTICIPANTS)
    }
    people = []
    for name, affiliation, expertise in EXPERTS:
        existing = Participant.objects.filter(name=name, affiliation=affiliation).first()
        people.append(
            existing
            or participants.participant_create(
                by=by,
                name=name,
                category=P.EXPERT,
                affiliation=affiliation,
                expertise=expertise,
                **contacts.get((name, affiliation), {}),
            )
        )
    return people


def argue(
    *, matter: Matter, by: User, occurred_on: datetime.date, now: datetime.datetime
) -> ProcedureStep:
    """A completed argumentation held on ``occurred_on``; returns the step it recorded."""
    organised = min(_on(occurred_on, 9), now)
    experts = demo_experts(by)
    named = matter.title if matter.title.startswith("《") else f"《{matter.title}》"
    title = f"{named}专家论证"
    argumentation = services.argumentation_create(
        matter=matter,
        by=by,
        title=title,
        form=Argumentation.Form.MEETING,
        held_on=occurred_on,
        draft=matter.drafts.order_by("-number").first(),
        now=organised,
    )
    for seat in PANEL:
        expert = services.expert_choose(
            argumentation=argumentation, by=by, participant=experts[seat]
        )
        recused = seat == RECUSED
        services.expert_declare(
            expert=expert,
            by=by,
            conflict=recused,
            note=CONFLICT_NOTE if recused else "",
            now=organised,
        )
        if recused:
            continue
        *headings, conclusion = OPINIONS[seat]
        necessity, legality, feasibility, benefits, conditions = (
            text.format(title=named) for text in headings
        )
        services.opinion_enter(
            expert=expert,
            by=by,
            opinion=services.Opinion(
                necessity=necessity,
                legality=legality,
                feasibility=feasibility,
                benefits=benefits,
                conditions=conditions,
                conclusion=conclusion,
                signed_on=occurred_on,
            ),
            now=now,
        )
    argumentation = services.argumentation_complete(
        argumentation=argumentation,
        by=by,
        summary=SUMMARY.format(title=named),
        conclusion=Conclusion.AGREE_AFTER_CHANGES,
        now=now,
    )
    return argumentation.step


def seed_argumentations() -> dict[str, int]:
    """What the demo holds (the argumentations are made with the matters, by ``argue``)."""
    completed = Argumentation.objects.filter(status=Argumentation.Status.COMPLETED)
    return {
        "argumentations": completed.count(),
        "experts": Expert.objects.filter(argumentation__in=completed).count(),
    }
