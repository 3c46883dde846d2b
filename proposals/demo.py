"""Demo suggestions and proposals (建议提案办理): a realistic 2026 in Qingdao, 44 items of
both kinds in every state — registered, awaiting sign-for, returned (awaiting reassignment
or reassigned), in handling with contacts and co-departments' opinions, with a pending, an
approved and a refused extension, replied awaiting the rating, closed, rated 不满意 and in
their second round (one replied again), evaluated by the third-party panel, key items led by
a city leader; most of them public.

Every item is built through ``proposals.services`` with ``now`` set to a date in 2026 (the
holiday calendar knows 2026), so nothing depends on the day the demo is seeded. An item that
exists already (its kind, year and number) is left alone: running it again changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import Department, User
from core.dates import SHANGHAI
from matters.models import PolicyArea
from participation.models import Participant
from participation.services import participants

from . import services
from .models import Proposal

YEAR = 2026
S, P = Proposal.Kind.SUGGESTION, Proposal.Kind.PROPOSAL
NPC_SESSION = "市十七届人大五次会议"
CPPCC_SESSION = "市政协十五届五次会议"
OFFICE = "bgt_wangli"
PANEL = "青岛市社会科学院（第三方评估机构）"

# (staff, leader) of each department that leads or co-handles a demo item.
PEOPLE = {
    "mzj": ("mzj_liuyang", "mzj_chenjing"),
    "jyj": ("jyj_gaoyan", "jyj_mabin"),
    "jtj": ("jtj_hanxue", "jtj_luozhi"),
    "zjj": ("zjj_wulei", "zjj_fanghong"),
    "cgj": ("cgj_xuli", "cgj_tangjun"),
    "hyfzj": ("hyfzj_songtao", "hyfzj_yuqing"),
    "shinan": ("shinan_zhengxia", "shinan_huangbo"),
    "czj": ("czj_sunmin", "czj_sunmin"),
    "fgw": ("fgw_zhoujie", "fgw_zhoujie"),
}
PREFIX = {
    "mzj": "青民",
    "jyj": "青教",
    "jtj": "青交",
    "zjj": "青建",
    "cgj": "青城管",
    "hyfzj": "青海发",
    "shinan": "南政",
    "fgw": "青发改",
}

C = Participant.Category
# (name, category, affiliation, e-mail): deputies and members without an address rate on
# paper, as many do.
AUTHORS = [
    ("刘志刚", C.NPC_DEPUTY, "市人大代表、即墨区通济街道社区党委书记", "liuzg@example.cn"),
    ("孙丽华", C.NPC_DEPUTY, "市人大代表、青岛市市立医院护士长", "sunlh@example.cn"),
    ("陈海涛", C.NPC_DEPUTY, "市人大代表、家电企业高级工程师", "chenht@example.cn"),
    ("杨秀英", C.NPC_DEPUTY, "市人大代表、李沧区虎山路街道居民", ""),
    ("赵国庆", C.NPC_DEPUTY, "市人大代表、平度市蔬菜专业合作社理事长", ""),
    ("周晓燕", C.NPC_DEPUTY, "市人大代表、市北区中学教师", "zhouxy@example.cn"),
    ("吴建军", C.NPC_DEPUTY, "市人大代表、港口集团码头装卸工", "wujj@example.cn"),
    ("郑敏", C.NPC_DEPUTY, "市人大代表、崂山区中韩街道社区工作者", "zhengmin@example.cn"),
    ("林海", C.NPC_DEPUTY, "市人大代表、黄岛区渔业合作社负责人", "linhai@example.cn"),
    ("高雪", C.NPC_DEPUTY, "市人大代表、律师", "gaoxue@example.cn"),
    ("许文博", C.CPPCC_MEMBER, "市政协委员、海洋大学教授", "xuwb@example.cn"),
    ("胡静", C.CPPCC_MEMBER, "市政协委员、大学附属医院主任医师", "hujing@example.cn"),
    ("马志远", C.CPPCC_MEMBER, "市政协委员、民营企业负责人", "mazy@example.cn"),
    ("何丽", C.CPPCC_MEMBER, "市政协委员、实验幼儿园园长", "heli@example.cn"),
    ("罗建华", C.CPPCC_MEMBER, "市政协委员、城市规划设计研究院总规划师", "luojh@example.cn"),
    ("梁晨", C.CPPCC_MEMBER, "市政协委员、律师", ""),
    ("宋雅", C.CPPCC_MEMBER, "市政协委员、科技大学副教授", "songya@example.cn"),
    ("唐宏", C.CPPCC_MEMBER, "市政协委员、物业管理行业协会副会长", "tanghong@example.cn"),
    ("韩冰", C.CPPCC_MEMBER, "市政协委员、海洋科学研究所研究员", "hanbing@example.cn"),
    ("冯涛", C.CPPCC_MEMBER, "市政协委员、交通运输协会秘书长", ""),
    ("民建青岛市委", C.DEMOCRATIC_PARTY, "中国民主建国会青岛市委员会", "mj@example.cn"),
]
DEPUTIES = [name for name, category, *_ in AUTHORS if category == C.NPC_DEPUTY]
MEMBERS = [name for name, category, *_ in AUTHORS if category == C.CPPCC_MEMBER]


@dataclass
class Item:
    """One demo item and how far it has come (``stage``)."""

    kind: str
    title: str
    area: str
    department: str
    stage: str  # registered, assigned, returned, handling, replied, closed, second_round,
    # second_replied, second_closed
    reply_class: str = "B"
    rating: str = "satisfied"
    verdict: str = ""
    co: list[str] = field(default_factory=list)
    wrong: str = ""  # first assigned to this department, which returns it
    assigned_on: datetime.date = datetime.date(YEAR, 3, 2)
    due_date: datetime.date | None = None
    sign_days: int = 3
    reply_on: datetime.date | None = None
    extension: str = ""  # pending, approved, refused
    co_signers: int = 1
    public: bool = True
    leader: str = ""  # the city leader who leads a key item
    recess: bool = False
    body: str = ""


D = datetime.date
ITEMS = [
    # ---------------------------------------------------------------- deputies' suggestions
    Item(S, "关于加快社区嵌入式养老服务设施建设的建议", "elderly-care", "mzj", "closed",
         reply_class="A", verdict="completed", reply_on=D(2026, 5, 12)),
    Item(S, "关于扩大家庭养老床位覆盖面的建议", "elderly-care", "mzj", "closed",
         rating="basically_satisfied", co=["czj"], reply_on=D(2026, 5, 20)),
    Item(S, "关于完善农村互助养老幸福院运营保障的建议", "elderly-care", "mzj", "second_round",
         reply_class="C", rating="dissatisfied", reply_on=D(2026, 10, 20),
         assigned_on=D(2026, 8, 3), recess=True),
    Item(S, "关于增加普惠性幼儿园学位供给的建议", "education", "jyj", "closed",
         reply_class="A", reply_on=D(2026, 5, 8)),
    Item(S, "关于推进中小学课后服务提质增效的建议", "education", "jyj", "replied",
         assigned_on=D(2026, 8, 3), reply_on=D(2026, 10, 28), recess=True),
    Item(S, "关于缓解老城区中小学周边交通拥堵的建议", "transport", "jtj", "closed",
         rating="basically_satisfied", co=["cgj"], reply_on=D(2026, 5, 25)),
    Item(S, "关于优化地铁与公交接驳线路的建议", "transport", "jtj", "handling",
         extension="pending", assigned_on=D(2026, 9, 1), recess=True),
    Item(S, "关于增加老旧小区停车泊位的建议", "transport", "cgj", "closed",
         wrong="jtj", verdict="continue", reply_on=D(2026, 5, 26)),
    Item(S, "关于规范住宅小区物业服务收费的建议", "property-management", "zjj", "second_closed",
         reply_class="C", rating="dissatisfied", reply_on=D(2026, 5, 15)),
    Item(S, "关于加强老旧小区改造后长效管理的建议", "urban-renewal", "zjj", "handling",
         extension="approved", assigned_on=D(2026, 8, 3), recess=True),
    Item(S, "关于推进生活垃圾分类进小区的建议", "environment", "cgj", "closed",
         reply_class="A", verdict="completed", reply_on=D(2026, 5, 18)),
    Item(S, "关于加强近岸海域生态保护修复的建议", "marine", "hyfzj", "closed",
         rating="basically_satisfied", verdict="research", reply_on=D(2026, 5, 28)),
    Item(S, "关于支持现代化海洋牧场建设的建议", "marine", "hyfzj", "assigned",
         assigned_on=D(2026, 11, 30), recess=True),
    Item(S, "关于在老城区增设便民早餐网点的建议", "business-environment", "shinan", "closed",
         reply_class="A", reply_on=D(2026, 4, 28)),
    Item(S, "关于加快建设城市慢行交通系统的建议", "transport", "jtj", "registered", recess=True),
    Item(S, "关于提高学前教育保教质量的建议", "education", "jyj", "closed",
         verdict="priority", leader="陈永新（副市长）", reply_on=D(2026, 5, 22)),
    Item(S, "关于完善既有住宅加装电梯政策的建议", "housing", "zjj", "returned",
         wrong="mzj", assigned_on=D(2026, 11, 23), recess=True),
    Item(S, "关于推进养老护理员职业化建设的建议", "elderly-care", "mzj", "handling",
         extension="refused", assigned_on=D(2026, 9, 1), recess=True),
    Item(S, "关于加强校园周边食品安全监管的建议", "education", "jyj", "closed",
         reply_class="C", rating="basically_satisfied", verdict="not_again",
         reply_on=D(2026, 6, 15)),
    Item(S, "关于规范网约车经营秩序的建议", "transport", "jtj", "second_replied",
         rating="dissatisfied", reply_on=D(2026, 5, 27)),
    Item(S, "关于加快建设社区老年食堂的建议", "civil-affairs", "mzj", "assigned",
         assigned_on=D(2026, 11, 30), recess=True),
    Item(S, "关于提升海水浴场管理服务水平的建议", "marine", "hyfzj", "handling",
         assigned_on=D(2026, 7, 1), recess=True),
    # -------------------------------------------------------------- CPPCC members' proposals
    Item(P, "关于构建“一刻钟”居家养老服务圈的提案", "elderly-care", "mzj", "closed",
         reply_class="A", verdict="completed", leader="陈永新（副市长）", co=["fgw"],
         reply_on=D(2026, 5, 19)),
    Item(P, "关于发展智慧养老产业的提案", "elderly-care", "mzj", "closed",
         rating="basically_satisfied", co=["fgw"], reply_on=D(2026, 5, 26)),
    Item(P, "关于推动学前教育普惠优质发展的提案", "education", "jyj", "closed",
         reply_class="A", verdict="completed", reply_on=D(2026, 5, 14)),
    Item(P, "关于加强中小学生心理健康教育的提案", "education", "jyj", "handling",
         assigned_on=D(2026, 9, 1), due_date=D(2026, 12, 31), recess=True),
    Item(P, "关于破解医院周边停车难问题的提案", "transport", "cgj", "second_round",
         rating="dissatisfied", co=["jtj"], assigned_on=D(2026, 8, 3),
         reply_on=D(2026, 10, 26), recess=True),
    Item(P, "关于完善城市公共停车设施规划的提案", "transport", "jtj", "handling",
         wrong="cgj", assigned_on=D(2026, 9, 1), recess=True),
    Item(P, "关于提升住宅小区物业服务质量的提案", "property-management", "zjj", "closed",
         rating="basically_satisfied", verdict="continue", public=False,
         reply_on=D(2026, 5, 21)),
    Item(P, "关于建立物业服务质量评价公开制度的提案", "property-management", "zjj", "replied",
         public=False, assigned_on=D(2026, 8, 3), reply_on=D(2026, 10, 30), recess=True),
    Item(P, "关于深化生活垃圾分类工作的提案", "environment", "cgj", "closed",
         verdict="research", reply_on=D(2026, 5, 25)),
    Item(P, "关于加快建设现代海洋城市的提案", "marine", "hyfzj", "closed",
         rating="basically_satisfied", verdict="priority", leader="刘海波（副市长）",
         reply_on=D(2026, 5, 29)),
    Item(P, "关于推进海洋科技成果就地转化的提案", "marine", "hyfzj", "closed",
         reply_class="A", reply_on=D(2026, 5, 13)),
    Item(P, "关于加强海岸带综合保护与利用的提案", "marine", "hyfzj", "replied",
         assigned_on=D(2026, 8, 3), reply_on=D(2026, 10, 27), recess=True),
    Item(P, "关于持续优化营商环境支持民营经济发展的提案", "business-environment", "fgw",
         "handling", co_signers=0, assigned_on=D(2026, 9, 1), recess=True),
    Item(P, "关于推进老旧小区适老化改造的提案", "urban-renewal", "zjj", "registered",
         recess=True),
    Item(P, "关于完善普惠托育服务体系的提案", "education", "jyj", "assigned",
         assigned_on=D(2026, 11, 30), recess=True),
    Item(P, "关于改善历史城区停车秩序的提案", "transport", "shinan", "closed",
         reply_on=D(2026, 5, 11)),
    Item(P, "关于加强城市排水防涝设施建设的提案", "environment", "cgj", "returned",
         wrong="zjj", assigned_on=D(2026, 11, 23), recess=True),
    Item(P, "关于提升公交出行吸引力的提案", "transport", "jtj", "second_closed",
         rating="dissatisfied", reply_on=D(2026, 5, 18)),
    Item(P, "关于推进校园足球特色学校建设的提案", "education", "jyj", "handling",
         assigned_on=D(2026, 9, 1), recess=True),
    Item(P, "关于发展夜间经济激发消费活力的提案", "culture-tourism", "shinan", "closed",
         rating="basically_satisfied", public=False, reply_on=D(2026, 5, 6)),
    Item(P, "关于加强社区养老服务人才队伍建设的提案", "elderly-care", "mzj", "closed",
         reply_class="A", sign_days=12, reply_on=D(2026, 5, 28)),
    Item(P, "关于规范校外培训机构管理的提案", "education", "jyj", "handling",
         assigned_on=D(2026, 7, 1), recess=True),
]  # fmt: skip

REPLY_TEXT = {
    "A": "经认真研究，您提出的问题已经解决。我们已将相关措施纳入部门工作并组织实施，"
    "取得了阶段性成效，后续将持续跟踪落实情况。",
    "B": "经认真研究，您提出的建议已列入%(year)d年度工作计划，正在逐步推进。"
    "我们将会同有关部门细化措施、明确时限，并及时向您通报进展。",
    "C": "经认真研究，受现有政策和财力等条件限制，您提出的问题暂时不能解决。"
    "我们已将有关情况向您作了说明解释，并将在今后工作中积极创造条件，逐步研究解决。",
}
CONTACT_METHODS = ["phone", "in_person", "meeting", "inspection", "written"]
CONTACT_NOTES = {
    "phone": "电话联系提出人，介绍办理思路和初步意见，听取补充意见。",
    "in_person": "登门面商，详细听取提出人意见，双方就办理方案达成共识。",
    "meeting": "召开座谈会，邀请提出人和相关部门、社区代表参加，共同研究解决办法。",
    "inspection": "邀请提出人实地视察项目现场，介绍工作进展，现场交流意见。",
    "written": "书面函告提出人办理进展，并附相关政策文件。",
}


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def seed_authors(office: User) -> dict[str, Participant]:
    """The deputies and members who raise the demo items, added to the registry once."""
    found = {}
    for n, (name, category, affiliation, email) in enumerate(AUTHORS):
        existing = Participant.objects.filter(name=name, affiliation=affiliation).first()
        found[name] = existing or participants.participant_create(
            by=office,
            name=name,
            category=category,
            affiliation=affiliation,
            email=email,
            phone=f"1385320{n:04d}",
            is_organisation=category == C.DEMOCRATIC_PARTY,
        )
    return found


class _Seeder:
    def __init__(self, departments: dict[str, Department], users: dict[str, User], authors):
        self.departments = departments
        self.users = users
        self.authors = authors
        self.office = users[OFFICE]
        self.areas = {area.code: area for area in PolicyArea.objects.all()}
        self.count = {S: 0, P: 0}

    def staff(self, code: str) -> User:
        return self.users[PEOPLE[code][0]]

    def leader(self, code: str) -> User:
        return self.users[PEOPLE[code][1]]

    def _authors(self, item: Item, n: int) -> list[Participant]:
        if item.co_signers == 0 and item.kind == P:
            return [self.authors["民建青岛市委"]]
        pool = DEPUTIES if item.kind == S else MEMBERS
        names = [pool[(n + i * 3) % len(pool)] for i in range(1 + item.co_signers)]
        return [self.authors[name] for name in names]

    @transaction.atomic
    def seed(self, item: Item, n: int) -> Proposal | None:
        self.count[item.kind] += 1
        number = f"{self.count[item.kind] * 7 + 3:04d}"
        if Proposal.objects.filter(kind=item.kind, year=YEAR, number=number).exists():
            return None
        authors = self._authors(item, n)
        proposal = services.proposal_register(
            by=self.office,
            kind=item.kind,
            year=YEAR,
            number=number,
            title=item.title,
            body=item.body or self._body(item),
            lead_author=authors[0],
            co_signers=authors[1:],
            session="" if item.recess else (NPC_SESSION if item.kind == S else CPPCC_SESSION),
            source=Proposal.Source.RECESS if item.recess else Proposal.Source.SESSION,
            policy_area=self.areas.get(item.area),
            is_public=item.public,
            is_key=bool(item.leader),
            leading_leader=item.leader,
        )
        if item.stage != "registered":
            self._handle(proposal, item)
        return proposal

    def _body(self, item: Item) -> str:
        topic = item.title.removeprefix("关于").removesuffix("的建议").removesuffix("的提案")
        return (
            f"近年来，我市在{topic}方面做了大量工作，取得了积极成效，但仍存在统筹不够、"
            "投入不足、群众获得感不强等问题。为此建议：一是加强统筹规划，明确牵头部门和"
            "工作目标；二是加大政策和资金支持力度，完善配套措施；三是建立常态化评估和"
            "公开机制，广泛听取群众意见，推动工作落到实处。"
        )

    def _handle(self, proposal: Proposal, item: Item) -> None:
        office, day = self.office, item.assigned_on
        if item.wrong:
            services.proposal_assign(
                proposal, by=office, department=self.departments[item.wrong], now=at(day)
            )
            services.proposal_return(
                proposal,
                by=self.staff(item.wrong),
                reason="经研究，该事项主要涉及的职责不在本单位，建议调整交办。",
                now=at(day + datetime.timedelta(days=2)),
            )
            if item.stage == "returned":
                return
            day += datetime.timedelta(days=4)
        code = item.department
        services.proposal_assign(
            proposal,
            by=office,
            department=self.departments[code],
            co_departments=[(self.departments[co], "assisting") for co in item.co],
            due_date=item.due_date,
            now=at(day),
        )
        if item.stage == "assigned":
            return
        services.proposal_sign_for(
            proposal, by=self.staff(code), now=at(day + datetime.timedelta(days=item.sign_days))
        )
        self._contact(proposal, item, day + datetime.timedelta(days=item.sign_days + 15))
        for co in proposal.co_departments.all():
            services.co_opinion_submit(
                co,
                by=self.staff(co.department.code),
                opinion="我单位同意主办单位的办理意见，将在职责范围内做好配合，"
                "并提供相关数据和政策支持。",
                now=at(day + datetime.timedelta(days=item.sign_days + 30)),
            )
        if item.extension:
            self._extension(proposal, item)
        if item.stage == "handling":
            return
        reply = self._reply(proposal, item, item.reply_on, item.reply_class, round_=1)
        if item.stage == "replied":
            return
        self._rate(reply, item.rating, item.reply_on + datetime.timedelta(days=12))
        proposal.refresh_from_db()
        if item.stage.startswith("second"):
            opened = item.reply_on + datetime.timedelta(days=12)
            self._contact(proposal, item, opened + datetime.timedelta(days=6), second=True)
            if item.stage == "second_round":
                return
            second_on = opened + datetime.timedelta(days=20)
            second = self._reply(proposal, item, second_on, "B", round_=2)
            if item.stage == "second_replied":
                return
            self._rate(second, "basically_satisfied", second_on + datetime.timedelta(days=10))
        if item.verdict:
            services.evaluation_record(
                proposal,
                by=office,
                verdict=item.verdict,
                panel=PANEL,
                evaluated_on=datetime.date(YEAR, 11, 16),
                note="办理程序规范，与提出人沟通充分；结论依据走访提出人和承办单位自评材料作出。",
                now=at(datetime.date(YEAR, 11, 20)),
            )

    def _contact(self, proposal, item: Item, on: datetime.date, *, second=False) -> None:
        method = CONTACT_METHODS[(len(item.title) + int(second)) % len(CONTACT_METHODS)]
        services.contact_record(
            proposal,
            by=self.staff(item.department),
            contacted_on=on,
            method=method,
            note=("二次办理中，" if second else "") + CONTACT_NOTES[method],
            now=at(on, 16),
        )

    def _extension(self, proposal: Proposal, item: Item) -> None:
        proposal.refresh_from_db()
        due = proposal.due_date
        asked = at(due - datetime.timedelta(days=14))
        extension = services.extension_request(
            proposal,
            by=self.staff(item.department),
            requested_due_date=min(due + datetime.timedelta(days=45), datetime.date(YEAR, 12, 31)),
            reason="该事项涉及规划调整和资金安排，需进一步开展实地调研并征求相关部门意见。",
            now=asked,
        )
        if item.extension == "pending":
            return
        services.extension_decide(
            extension,
            by=self.office,
            approve=item.extension == "approved",
            note="" if item.extension == "approved" else "现有期限内可以完成答复，请按期答复。",
            now=asked + datetime.timedelta(days=2),
        )

    def _reply(self, proposal, item: Item, on: datetime.date, reply_class: str, *, round_):
        code = item.department
        now = at(on)
        reply = services.reply_save(
            proposal,
            by=self.staff(code),
            document_number=f"{PREFIX[code]}{'建' if item.kind == S else '提'}字〔{YEAR}〕"
            f"{(len(item.title) * 3 + round_) % 90 + 10}号",
            body=REPLY_TEXT[reply_class] % {"year": YEAR},
            reply_class=reply_class,
            contact_person=self.staff(code).display_name,
            contact_phone=f"0532-8591{len(item.title):04d}",
            copy_to="市人大常委会代表工作委员会，市政府办公厅"
            if item.kind == S
            else "市政协提案委员会，市政府办公厅",
            now=now,
        )
        services.reply_sign_off(reply, by=self.leader(code), now=now)
        for co in proposal.co_departments.select_related("department"):
            services.reply_countersign(
                reply, by=self.leader(co.department.code), department=co.department, now=now
            )
        reply = services.reply_send(reply, by=self.staff(code), now=now)
        # 三方面复: the paper letter reaches the authors and the transferring body within days
        # (recorded before the e-mail goes, so the demo keeps the dates of its year).
        for to, days in (("authors", 2), ("body", 3)):
            services.reply_record_delivery(
                reply, by=self.office, to=to, now=now + datetime.timedelta(days=days)
            )
        return reply

    def _rate(self, reply, result: str, on: datetime.date) -> None:
        # Co-signers first: the lead author's rating is the one that moves the item on.
        ratings = sorted(
            reply.ratings.select_related("author"), key=lambda r: r.author.role == "lead"
        )
        for rating in ratings:
            services.rating_record_paper(
                rating,
                by=self.office,
                result=result,
                comment=""
                if result != "dissatisfied"
                else "答复内容较为原则，具体措施和时限不明确。",
                now=at(on),
            )


def seed_proposals(departments: dict[str, Department], users: dict[str, User]) -> dict[str, int]:
    """The demo year of suggestions and proposals; returns the counts the command prints."""
    if OFFICE not in users or any(name not in users for pair in PEOPLE.values() for name in pair):
        return {"proposals": Proposal.objects.filter(year=YEAR).count()}
    seeder = _Seeder(departments, users, seed_authors(users[OFFICE]))
    for n, item in enumerate(ITEMS):
        seeder.seed(item, n)
    return {"proposals": Proposal.objects.filter(year=YEAR).count()}
