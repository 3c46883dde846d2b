"""Demo participation: a participant registry, an open comment period with opinions, a
closed one with its published feedback report, a hearing open for registration and a
symposium whose minutes are out. Everything goes through the services; existing rows are
left alone, so running it again changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from matters.models import Matter

from .models import Activity, CommentPeriod, Opinion, Participant
from .services import activities, comments, feedback, invitations, participants

P = Participant.Category
PARTICIPANTS = [
    ("王建国", P.NPC_DEPUTY, "市人大代表、市南区八大关街道", "社区治理", "wangjg@example.cn"),
    ("李晓梅", P.CPPCC_MEMBER, "市政协委员、青岛大学", "社会保障", "lixm@example.cn"),
    ("张立新", P.EXPERT, "中国海洋大学法学院", "行政法", "zhanglx@example.cn"),
    ("赵敏", P.EXPERT, "青岛市老年医学研究所", "老年医学", "zhaomin@example.cn"),
    ("孙浩", P.LEGAL_ADVISER, "山东琴岛律师事务所", "政府法律顾问", "sunhao@example.cn"),
    ("刘芳", P.PUBLIC_REPRESENTATIVE, "市北区居民代表", "", ""),
    ("周强", P.STAKEHOLDER, "青岛市养老服务行业协会", "养老机构运营", "zhouq@example.cn"),
    ("民建青岛市委", P.DEMOCRATIC_PARTY, "中国民主建国会青岛市委员会", "", "mj@example.cn"),
    ("青岛市工商业联合会", P.FEDERATION_OF_COMMERCE, "青岛市工商联", "民营经济", ""),
    ("陈卫东", P.NON_PARTY, "无党派人士", "城市规划", "chenwd@example.cn"),
    ("青岛市妇女联合会", P.PEOPLES_ORGANISATION, "青岛市妇联", "妇女儿童权益", ""),
    ("青岛市社区志愿服务联合会", P.SOCIAL_ORGANISATION, "社会组织", "志愿服务", ""),
    ("马丽", P.SPECIAL_SUPERVISOR, "政府工作特约监督员", "政务公开", "mali@example.cn"),
    ("青岛市监察委员会", P.SUPERVISORY_COMMISSION, "青岛市监察委员会", "", ""),
    ("青岛警备区", P.GARRISON, "青岛警备区", "", ""),
    ("青岛市中级人民法院", P.COURT, "青岛市中级人民法院", "", ""),
    ("青岛市人民检察院", P.PROCURATORATE, "青岛市人民检察院", "", ""),
]

ORGANISATIONS = (
    P.DEMOCRATIC_PARTY,
    P.FEDERATION_OF_COMMERCE,
    P.PEOPLES_ORGANISATION,
    P.SOCIAL_ORGANISATION,
    *Participant.INSTITUTIONS,
)

OPINIONS = [
    ("第十二条", "建议将社区嵌入式养老服务设施的配建标准写得更具体，明确每百户配建面积。", "市民"),
    ("第二十条", "家庭养老床位的补贴对象应当覆盖失能、半失能老人，并明确补贴标准的调整机制。", ""),
    ("", "希望条例对养老护理员的职业培训和薪酬待遇作出规定，稳定护理队伍。", "李先生"),
    ("第八条", "农村互助养老幸福院的运营经费来源应当有保障，建议写入财政补助条款。", ""),
    ("", "建议明确老年助餐服务的食品安全监管责任部门。", "崂山区居民"),
    ("第三十五条", "对养老机构违规收取押金的处罚力度偏轻，建议提高罚款上限。", ""),
]
D = Opinion.Disposition
CLOSED_OPINIONS = [
    ("online", "物业费调整应与服务质量挂钩，建议建立服务质量评价结果公开制度。", D.ADOPTED, ""),
    (
        "online",
        "老旧小区物业费标准不宜上调，居民承受能力有限。",
        D.PARTLY_ADOPTED,
        "对老旧小区设置过渡期，三年内分步调整到位。",
    ),
    (
        "letter",
        "建议取消电梯运行维护费单列，并入物业服务费。",
        D.NOT_ADOPTED,
        "电梯运维成本差异较大，单列收费更能体现公平，便于业主监督。",
    ),
    (
        "hotline",
        "小区停车位紧张，希望增加车位。",
        D.OUT_OF_SCOPE,
        "该问题不属于物业服务收费标准调整事项，已转市城市管理局办理。",
    ),
    ("symposium", "建议政府指导价实行动态调整，每三年评估一次。", D.ADOPTED, ""),
]


def _at(days: int, hour: int = 9) -> datetime.datetime:
    base = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=days)


def seed_registry(by: User) -> list[Participant]:
    people = []
    for name, category, affiliation, expertise, email in PARTICIPANTS:
        existing = Participant.objects.filter(name=name, affiliation=affiliation).first()
        people.append(
            existing
            or participants.participant_create(
                by=by,
                name=name,
                category=category,
                affiliation=affiliation,
                expertise=expertise,
                email=email,
                phone="0532-8888" + f"{len(people):04d}",
                is_organisation=category in ORGANISATIONS,
            )
        )
    return people


@transaction.atomic
def _open_period(matter: Matter, by: User) -> None:
    if CommentPeriod.objects.filter(matter=matter).exists():
        return
    period = comments.comment_period_open(
        matter=matter,
        by=by,
        title=f"{matter.title}公开征求意见",
        description="欢迎社会各界对草案提出意见建议。",
        draft=matter.drafts.filter(is_published=True).order_by("-number").first(),
        starts_at=_at(-10),
        ends_at=_at(25, 18),
    )
    ids = []
    for n, (article, content, author) in enumerate(OPINIONS):
        opinion = comments.opinion_submit(
            period=period,
            content=content,
            article=article,
            author_name=author,
            contact="138" + f"{n:08d}",
            now=_at(-9 + n),
        )
        ids.append(opinion.pk)
    comments.opinions_moderate(period=period, by=by, opinion_ids=ids[:4], moderation="shown")
    comments.opinion_record(
        period=period,
        by=by,
        channel=Opinion.Channel.LETTER,
        received_on=timezone.localdate() - datetime.timedelta(days=3),
        content="来信建议：条例应明确街道、社区在居家养老服务中的职责分工。",
        author_name="市民来信",
    )


@transaction.atomic
def _closed_period(matter: Matter, by: User) -> None:
    if CommentPeriod.objects.filter(matter=matter).exists():
        return
    period = comments.comment_period_open(
        matter=matter,
        by=by,
        title=f"{matter.title}征求意见",
        starts_at=_at(-70),
        ends_at=_at(-35, 18),
        now=_at(-71),
    )
    for n, (channel, content, disposition, response) in enumerate(CLOSED_OPINIONS):
        if channel == "online":
            opinion = comments.opinion_submit(period=period, content=content, now=_at(-69 + n))
        else:
            opinion = comments.opinion_record(
                period=period,
                by=by,
                channel=channel,
                received_on=(_at(-60 + n)).date(),
                content=content,
            )
        comments.opinions_dispose(
            period=period,
            by=by,
            opinion_ids=[opinion.pk],
            disposition=disposition,
            response=response,
        )
    feedback.feedback_publish(
        period=period,
        by=by,
        summary="本次征求意见共收到意见建议5条，经逐条研究，采纳和部分采纳3条，未采纳的已说明理由。",
    )


@transaction.atomic
def _activities(matter: Matter, by: User, registry: list[Participant]) -> None:
    if Activity.objects.filter(matter=matter).exists():
        return
    hearing = activities.activity_schedule(
        matter=matter,
        by=by,
        kind=Activity.Kind.HEARING,
        title=f"{matter.title}立法听证会",
        starts_at=_at(20, 14),
        ends_at=_at(20, 17),
        place="青岛市民政局三楼会议室（市南区延安三路）",
        agenda="一、主持人宣布听证事项和纪律\n二、起草单位说明草案\n三、听证参加人陈述意见\n四、总结",
        capacity=12,
        accepts_registrations=True,
        registration_closes_at=_at(12, 18),
        notice_published_at=_at(0),
        materials_published_at=_at(5),
    )
    activities.activity_publish_notice(activity=hearing, by=by)
    invitations.invitations_send(
        activity=hearing,
        by=by,
        reply_deadline=_at(15, 18),
        categories=[P.NPC_DEPUTY, P.CPPCC_MEMBER, P.EXPERT],
    )
    symposium = activities.activity_schedule(
        matter=matter,
        by=by,
        kind=Activity.Kind.SYMPOSIUM,
        title="养老服务条例立法座谈会",
        starts_at=_at(3, 9),
        ends_at=_at(3, 11),
        place="市民政局会议室",
        agenda="听取养老机构、社区和老年人代表对草案的意见。",
        notice_published_at=_at(0),
    )
    activities.activity_publish_notice(activity=symposium, by=by)


ELDERLY_CARE = "《青岛市养老服务条例（草案）》"


def seed_participation(users: dict[str, User]) -> dict[str, int]:
    staff = users["mzj_liuyang"]
    registry = seed_registry(staff)
    elderly = Matter.objects.filter(
        title="《青岛市养老服务条例（草案）》", is_published=True
    ).first()
    if elderly is not None:
        _open_period(elderly, staff)
        _activities(elderly, staff, registry)
    fees = Matter.objects.filter(title="青岛市住宅物业服务收费标准调整", is_published=True).first()
    fgw = users.get("fgw_zhoujie")
    if fees is not None and fgw is not None:
        _closed_period(fees, fgw)
    return {
        "participants": Participant.objects.count(),
        "periods": CommentPeriod.objects.count(),
        "opinions": Opinion.objects.count(),
        "activities": Activity.objects.count(),
    }
