"""Argumentations made through the services, for the PDF, procedure and public tests."""

import datetime

from django.utils import timezone

from participation.models import Participant
from solicitations import services
from solicitations.models import Argumentation, Conclusion
from solicitations.services import Opinion
from tests.factories import make_participant

HELD_ON = datetime.date(2026, 12, 7)
NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 15, 0))
EXPERTS = (
    ("张立新", "中国海洋大学法学院", "行政法"),
    ("刘思远", "青岛大学经济学院", "公共财政"),
    ("陈静", "青岛理工大学", "城市规划"),
    ("孙海涛", "山东社会科学院青岛分院", "社会治理"),
)
CONCLUSIONS = (Conclusion.AGREE, Conclusion.AGREE_AFTER_CHANGES, Conclusion.DISAGREE)
RECUSAL = "本人所在单位承担该事项前期研究课题，申请回避。"
SUMMARY = "专家组认为办法制定必要、总体可行，建议明确部门职责分工后按程序报审。"


def opinion(name: str, conclusion: str) -> Opinion:
    return Opinion(
        necessity=f"{name}：必要性意见，加装电梯需求迫切。",
        legality=f"{name}：合法性意见，与上位法不抵触。",
        feasibility=f"{name}：可行性意见，补助比例可行。",
        benefits=f"{name}：效益意见，惠及约12万户居民。",
        conditions=f"{name}：执行条件意见，需明确职责分工。",
        conclusion=conclusion,
        signed_on=HELD_ON,
    )


def open_argumentation(matter, staff, *, title="《青岛市既有住宅加装电梯管理办法》专家论证"):
    """An argumentation with three heard experts and a fourth recused, not yet completed."""
    argumentation = services.argumentation_create(
        matter=matter,
        by=staff,
        title=title,
        form=Argumentation.Form.MEETING,
        held_on=HELD_ON,
        now=NOW - datetime.timedelta(days=3),
    )
    for position, (name, affiliation, expertise) in enumerate(EXPERTS):
        participant = Participant.objects.filter(
            name=name, affiliation=affiliation
        ).first() or make_participant(
            by=staff,
            name=name,
            category=Participant.Category.EXPERT,
            affiliation=affiliation,
            expertise=expertise,
        )
        expert = services.expert_choose(
            argumentation=argumentation, by=staff, participant=participant
        )
        recused = position == len(EXPERTS) - 1
        services.expert_declare(
            expert=expert, by=staff, conflict=recused, note=RECUSAL if recused else "", now=NOW
        )
        if not recused:
            services.opinion_enter(
                expert=expert, by=staff, opinion=opinion(name, CONCLUSIONS[position]), now=NOW
            )
    return argumentation


def completed_argumentation(matter, staff, **kwargs):
    return services.argumentation_complete(
        argumentation=open_argumentation(matter, staff, **kwargs),
        by=staff,
        summary=SUMMARY,
        conclusion=Conclusion.AGREE_AFTER_CHANGES,
        now=NOW,
    )
