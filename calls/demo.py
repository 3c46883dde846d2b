"""Demo public calls (公开征集): last year's topic call, screened and its result
published (proposals taken into that year's catalogs, merged, passed to a department, not
taken); this year's call for next year's topics, open, with proposals some of which are
screened; and the 市司法局's call for next year's legislative projects, open, to which the
registry's deputies are invited by personal link (one has proposed, with a PDF attached).
Built once:
run again, it changes nothing. Everything goes through ``calls.services``, at the times
the story says."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Department
from annual_plans.deadlines import SHANGHAI
from annual_plans.models import PlanItem
from core.pdf import render_pdf
from participation.models import Participant

from . import services
from .models import Call

YEAR = 2026

TOPICS = [
    (
        "关于推进老旧小区加装电梯的协商议题",
        "老旧小区老年人多，上下楼难，加装电梯协调难度大。",
        "简化审批，完善补贴，建立协商议事机制。",
    ),
    (
        "关于规范居家社区养老服务的协商议题",
        "社区养老服务站点少、服务时间短。",
        "增加站点，延长服务时间，引入专业机构。",
    ),
    ("关于加装电梯费用分摊办法的建议", "低层住户与高层住户费用分摊争议多。", "出台分摊指导意见。"),
    ("关于中小学课后服务收费的协商议题", "课后服务收费标准各区不一。", "统一收费标准，公开收支。"),
    ("关于在小区内设置广告牌的建议", "希望允许在小区内设置更多商业广告。", ""),
]
LEGISLATION = [
    (
        "关于制定青岛市物业管理条例实施细则的建议",
        "物业服务纠纷多，现行规定较原则。",
        "明确业主委员会职责和物业服务标准。",
    ),
    (
        "关于制定电动自行车管理规定的建议",
        "电动自行车停放、充电安全问题突出。",
        "规范停放充电，明确管理责任。",
    ),
]


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def _call(*, by, department, kind, title, year, starts_at, ends_at, scope, guidance):
    call = services.call_create(
        by=by,
        department=department,
        kind=kind,
        title=title,
        year=year,
        scope=scope,
        guidance=guidance,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    return services.call_publish(call=call, by=by, now=starts_at - datetime.timedelta(days=1))


def _propose(call, rows, *, start):
    made = []
    for n, (title, reasons, measures) in enumerate(rows):
        made.append(
            services.submission_submit(
                call=call,
                title=title,
                reasons=reasons,
                measures=measures,
                author_name="市民" if n % 2 else "",
                now=start + datetime.timedelta(days=2 + n),
            )
        )
    return made


@transaction.atomic
def seed_calls(by_name: dict) -> dict:
    if Call.objects.exists():
        return {"calls": Call.objects.count()}
    office = by_name.get("bgt_wangli")
    justice = by_name.get("sfj_zhangwei")
    if office is None or justice is None:
        return {"calls": 0}
    bgt = office.department
    now = timezone.now()
    scope = "涉及全市经济社会发展全局、与群众切身利益密切相关的重要事项。"
    guidance = (
        "请写明议题名称、提出的理由和依据，以及建议措施。征集结束后，市政府办公厅将会同有关部门"
        "逐条研究，遴选结果在本页公布，可凭回执编号查询。"
    )

    # Last year's call for this year's topics: closed, screened, result published.
    past = _call(
        by=office,
        department=bgt,
        kind=Call.Kind.TOPICS,
        title=f"{YEAR}年度政府协商议题公开征集",
        year=YEAR,
        starts_at=at(YEAR - 1, 11, 1),
        ends_at=at(YEAR - 1, 11, 30, 18),
        scope=scope,
        guidance=guidance,
    )
    first, second, third, fourth, fifth = _propose(past, TOPICS, start=at(YEAR - 1, 11, 1))
    items = {
        code: PlanItem.objects.filter(plan__year=YEAR, plan__department__code=code)
        .order_by("order")
        .first()
        for code in ("zjj", "mzj")
    }
    screened = at(YEAR - 1, 12, 10)
    if items["zjj"] is not None:
        services.submission_screen(
            submission=first, by=office, outcome="adopted", plan_item=items["zjj"], now=screened
        )
    else:
        services.submission_screen(
            submission=first, by=office, outcome="rejected", note="已另行部署。", now=screened
        )
    if items["mzj"] is not None:
        services.submission_screen(
            submission=second, by=office, outcome="adopted", plan_item=items["mzj"], now=screened
        )
    else:
        services.submission_screen(
            submission=second, by=office, outcome="rejected", note="已另行部署。", now=screened
        )
    services.submission_screen(
        submission=third, by=office, outcome="merged", merged_into=first, now=screened
    )
    education = (
        Department.objects.filter(code="jyj").first()
        or Department.objects.exclude(pk=bgt.pk).order_by("sort_order").first()
    )
    services.submission_screen(
        submission=fourth, by=office, outcome="transferred", transferred_to=education, now=screened
    )
    services.submission_screen(
        submission=fifth,
        by=office,
        outcome="rejected",
        note="小区内设置广告牌属于业主共同决定事项，不属于政府协商范围。",
        now=screened,
    )
    services.results_publish(
        call=past,
        by=office,
        summary=(
            "本次征集共收到议题建议5条。经研究，采纳2条，分别纳入有关部门年度计划目录；"
            "1条与相近议题合并；1条转交有关部门研究办理；1条不属于政府协商范围，不予采纳。"
        ),
        now=at(YEAR - 1, 12, 15),
    )

    # This year's call for next year's topics: open.
    current = _call(
        by=office,
        department=bgt,
        kind=Call.Kind.TOPICS,
        title=f"{YEAR + 1}年度政府协商议题公开征集",
        year=YEAR + 1,
        starts_at=min(at(YEAR, 11, 20), now - datetime.timedelta(days=10)),
        ends_at=max(at(YEAR, 12, 31, 18), now + datetime.timedelta(days=20)),
        scope=scope,
        guidance=guidance,
    )
    fresh = _propose(current, TOPICS[:3], start=current.starts_at)
    services.submission_screen(
        submission=fresh[2], by=office, outcome="merged", merged_into=fresh[0], now=now
    )

    # The justice bureau's call for next year's legislative projects: open.
    legislation = _call(
        by=justice,
        department=justice.department,
        kind=Call.Kind.LEGISLATION,
        title=f"{YEAR + 1}年度立法项目建议征集",
        year=YEAR + 1,
        starts_at=min(at(YEAR, 11, 25), now - datetime.timedelta(days=5)),
        ends_at=max(at(YEAR, 12, 25, 18), now + datetime.timedelta(days=15)),
        scope="需要制定、修改或者废止的地方性法规和政府规章项目。",
        guidance="请写明项目名称、立法的必要性和可行性、拟解决的主要问题和主要制度措施。",
    )
    _propose(legislation, LEGISLATION, start=legislation.starts_at)
    if Participant.objects.filter(category=Participant.Category.NPC_DEPUTY, is_active=True):
        _invited_proposal(legislation, by=justice)
    return {"calls": Call.objects.count()}


def _invited_proposal(call: Call, *, by) -> None:
    """The city's deputies are invited to the legislative call; the first proposes."""
    batch = services.call_invite(
        call=call, by=by, categories=[Participant.Category.NPC_DEPUTY], now=call.starts_at
    )
    title = "关于修订青岛市养犬管理规定的建议"
    attachment = render_pdf(
        "matters/pdf/demo_explanation.html",
        {
            "title": f"{title}（立法建议稿）",
            "department": batch.created[0].participant.name,
            "summary": "现行规定对文明养犬、犬只登记和伤人事件处置的规定较原则，建议细化。",
            "legal_basis": "《中华人民共和国动物防疫法》",
            "without_participation": True,  # a citizen's draft, not a department's
        },
    )
    services.submission_submit_by_link(
        invitee=batch.created[0],
        title=title,
        reasons="犬只伤人、扰民事件时有发生，群众反映强烈，现行规定执行难。",
        measures="明确养犬登记、免疫和牵引要求，细化执法职责和处罚标准。",
        files=[SimpleUploadedFile("养犬管理立法建议稿.pdf", attachment)],
        now=call.starts_at + datetime.timedelta(days=1),
    )
