"""The search test corpus: matters, catalog items, activities, feedback reports, drafts
and opinions in natural Chinese, with near-misses (养殖 beside 养老, 校园 and 学前 beside
学校, 老年大学 ...) and items nobody may find (an unpublished matter, a draft catalog, an
activity without a notice, a period without a published report).

Every object has a key; ``tests/search/queries.py`` names the keys each query must find.
The prefix of a key says its type: m_ matter, i_ catalog item, a_ activity, f_ feedback
report, d_ draft version, o_ opinion.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

DEPARTMENTS = {
    "mzj": ("青岛市民政局", "市民政局"),
    "zjj": ("青岛市住房和城乡建设局", "市住房城乡建设局"),
    "czj": ("青岛市财政局", "市财政局"),
    "jyj": ("青岛市教育局", "市教育局"),
    "cgj": ("青岛市城市管理局", "市城市管理局"),
    "ybj": ("青岛市医疗保障局", "市医疗保障局"),
    "fgw": ("青岛市发展和改革委员会", "市发展改革委"),
    "hyj": ("青岛市海洋发展局", "市海洋发展局"),
    "rsj": ("青岛市人力资源和社会保障局", "市人力资源社会保障局"),
}

# key: (department, title, summary, published)
MATTERS = {
    "m_yanglao_sheshi": (
        "mzj",
        "社区居家养老服务设施布局规划",
        "统筹全市社区养老服务中心、日间照料中心和老年助餐点的布局，就设施选址和服务半径"
        "听取老年人及其家属的意见。",
        True,
    ),
    "m_laojiu": (
        "zjj",
        "老旧小区改造资金分担办法",
        "明确老旧小区改造中政府、产权单位和居民的资金分担比例，同步推进加装电梯、停车设施"
        "和无障碍环境建设。",
        True,
    ),
    "m_wuye": (
        "zjj",
        "物业服务收费管理办法（修订）",
        "规范住宅小区物业服务收费行为，要求物业服务企业公示服务项目和收费标准，建立业主监督机制。",
        True,
    ),
    "m_yusuan": (
        "czj",
        "2026年市级预算草案编制协商",
        "围绕教育、养老、医疗等重点民生支出，听取人大代表、政协委员和社会公众对市级预算安排"
        "的意见。",
        True,
    ),
    "m_kehou": (
        "jyj",
        "中小学校课后服务实施方案",
        "规范学校课后服务的时间、内容和收费，保障学生在校期间的安全。",
        True,
    ),
    "m_laji": (
        "cgj",
        "生活垃圾分类管理实施办法",
        "推进居民小区生活垃圾分类投放、分类收运和分类处理，明确物业服务企业的管理责任。",
        True,
    ),
    "m_tingche": (
        "fgw",
        "中心城区公共停车场收费价格调整方案",
        "实行差别化停车收费，缓解医院、学校周边停车难问题。",
        True,
    ),
    "m_yibao": (
        "ybj",
        "城乡居民医保缴费标准调整",
        "调整2026年度城乡居民基本医疗保险个人缴费标准，完善医保待遇保障机制。",
        True,
    ),
    "m_dianti": (
        "zjj",
        "既有住宅加装电梯补贴办法",
        "对既有多层住宅加装电梯给予财政补贴，简化规划审批流程，明确低层住户补偿办法。",
        True,
    ),
    "m_xiaoyuan": (
        "jyj",
        "校园周边交通安全综合治理",
        "整治中小学及幼儿园校园周边道路交通秩序，增设护学岗，规范接送车辆临时停放。",
        True,
    ),
    "m_yangzhi": (
        "hyj",
        "海水养殖用海管理办法",
        "规范近海养殖用海审批，保护海洋生态环境。",
        True,
    ),
    "m_laonian_daxue": (
        "jyj",
        "老年大学办学规模扩容方案",
        "扩大市老年大学办学规模，增加线上课程，满足老年人多样化的学习需求。",
        True,
    ),
    "m_gengxin": (
        "zjj",
        "《青岛市城市更新条例（草案）》立法协商",
        "就城市更新中的老旧小区改造、历史街区保护和居民参与开展立法协商。",
        True,
    ),
    "m_tudi": (
        "fgw",
        "农村集体经营性建设用地入市办法",
        "明确集体经营性建设用地入市的范围、程序和收益分配。",
        True,
    ),
    "m_jigou_hidden": (
        "mzj",
        "养老机构等级评定办法",
        "拟对全市养老机构开展等级评定，评定结果向社会公布。",
        False,
    ),
    # Found by its policy area alone: neither its title nor its summary says 养老.
    "m_zhangzhe": (
        "mzj",
        "长者食堂建设运营指引",
        "鼓励街道引入餐饮企业运营长者食堂，为高龄、独居人员提供就餐优惠。",
        True,
    ),
}

AREA_NAMES = {
    "elderly-care": "养老",
    "civil-affairs": "民政",
    "marine": "海洋",
    "education": "教育",
}

# key: the codes of the matter's policy areas (none for a matter not named here)
MATTER_AREAS = {
    "m_yanglao_sheshi": ("elderly-care", "civil-affairs"),
    "m_zhangzhe": ("elderly-care",),
    "m_yangzhi": ("marine",),
    "m_laonian_daxue": ("education",),
}

# department: (published, [(key, title, responsible office), ...])
PLAN_ITEMS = {
    "mzj": (
        True,
        [
            ("i_yanglao_sheshi", "社区养老服务设施布局规划", "养老服务处"),
            ("i_jujia", "居家养老服务补贴标准调整", "养老服务处"),
        ],
    ),
    "zjj": (
        True,
        [
            ("i_wuye", "物业管理条例实施细则", "房地产市场监管处"),
            ("i_laojiu", "老旧小区改造年度计划", "城市更新处"),
        ],
    ),
    "czj": (True, [("i_yusuan", "部门预算绩效评价办法", "预算处")]),
    "jyj": (
        True,
        [
            ("i_xueqian", "学前教育收费标准调整", "学前教育处"),
            ("i_shitang", "学校食堂食品安全管理办法", "体育卫生与艺术教育处"),
            ("i_xueyou", "学有所教专项行动方案", "基础教育处"),
        ],
    ),
    "ybj": (True, [("i_yibao", "医保定点医药机构管理办法", "医药服务管理处")]),
    "cgj": (True, [("i_laji", "垃圾分类收运体系建设方案", "环境卫生处")]),
    "rsj": (False, [("i_hulu_hidden", "养老护理员职业技能提升计划", "职业能力建设处")]),
}

# key: (matter key, kind, title, agenda, public)
ACTIVITIES = {
    "a_yanglao_tingzheng": (
        "m_yanglao_sheshi",
        "hearing",
        "社区养老服务设施布局规划听证会",
        "一、介绍规划草案\n二、听证代表发言\n三、答复询问",
        True,
    ),
    "a_wuye": (
        "m_wuye",
        "symposium",
        "物业服务收费管理座谈会",
        "听取业主代表和物业服务企业的意见",
        True,
    ),
    "a_yusuan": (
        "m_yusuan",
        "democratic_talk",
        "市级预算草案民主恳谈会",
        "向居民代表介绍2026年预算安排，听取对教育、养老支出的意见",
        True,
    ),
    "a_kehou": (
        "m_kehou",
        "symposium",
        "课后服务家长座谈会",
        "邀请家长代表和学校负责人座谈课后服务安排",
        True,
    ),
    "a_laji": (
        "m_laji",
        "residents_forum",
        "垃圾分类居民论坛",
        "讨论小区垃圾分类投放点设置和督导员配备",
        True,
    ),
    "a_dianti": (
        "m_dianti",
        "residents_forum",
        "加装电梯居民协商会",
        "就加装电梯补贴和低层住户补偿听取居民意见",
        True,
    ),
    "a_tingche": (
        "m_tingche",
        "hearing",
        "停车收费价格听证会",
        "听证中心城区公共停车场收费调整方案",
        True,
    ),
    "a_lunzheng_hidden": (
        "m_yanglao_sheshi",
        "argumentation",
        "养老服务专家论证会",
        "论证社区养老服务设施配建标准",
        False,
    ),
}

# key: (matter key, period title, report summary or None when not published)
FEEDBACK = {
    "f_yanglao": (
        "m_yanglao_sheshi",
        "《社区居家养老服务设施布局规划》公开征求意见",
        "共收到意见36条，采纳关于增加老年助餐点的建议，部分采纳关于养老服务人员配备的建议。",
    ),
    "f_wuye": (
        "m_wuye",
        "《物业服务收费管理办法（修订）》公开征求意见",
        "共收到意见20条，采纳关于物业服务收费公示的建议。",
    ),
    "f_yusuan": (
        "m_yusuan",
        "《2026年市级预算草案》公开征求意见",
        "共收到意见15条，预算安排中增加了学校校舍维修资金。",
    ),
    "f_yibao": (
        "m_yibao",
        "《城乡居民医保缴费标准调整方案》公开征求意见",
        "共收到意见12条，部分采纳关于减轻困难群众医保缴费负担的建议。",
    ),
    "f_laji_hidden": (
        "m_laji",
        "《生活垃圾分类管理实施办法》公开征求意见",
        None,
    ),
}

# key: (matter key, title, text)
DRAFTS = {
    "d_yanglao": (
        "m_yanglao_sheshi",
        "社区居家养老服务设施布局规划（征求意见稿）",
        "第一条 为完善社区居家养老服务设施布局，满足老年人就近养老需求，制定本规划。",
    ),
    "d_jigou": (
        "m_jigou_hidden",
        "养老机构等级评定办法（草稿）",
        "第一条 本办法适用于本市行政区域内依法登记的养老机构。",
    ),
    "d_wuye": (
        "m_wuye",
        "物业服务收费管理办法（修订草案）",
        "第五条 物业服务收费实行政府指导价和市场调节价。",
    ),
    "d_kehou": (
        "m_kehou",
        "中小学校课后服务实施方案（送审稿）",
        "第三条 学校应当在每个工作日提供不少于两小时的课后服务。",
    ),
    "d_dianti": (
        "m_dianti",
        "既有住宅加装电梯补贴办法（草案）",
        "第四条 加装电梯的，每台补贴不超过20万元。",
    ),
}

# Open comment periods that receive the opinions below: matter key -> period title.
OPEN_PERIODS = {
    "m_yanglao_sheshi": "《社区养老服务设施配建标准》公开征求意见",
    "m_wuye": "《物业服务收费管理办法（修订）》第二次公开征求意见",
    "m_tingche": "《中心城区公共停车场收费价格调整方案》公开征求意见",
    "m_kehou": "《中小学校课后服务实施方案》公开征求意见",
}

# key: (matter key of the open period, content, contact)
OPINIONS = {
    "o_yanglao": (
        "m_yanglao_sheshi",
        "建议在老旧小区配建养老服务站，方便老人就近养老。",
        "13912345678",
    ),
    "o_yibao": (
        "m_yanglao_sheshi",
        "希望养老服务站能协助老年人办理医保报销。",
        "13800001111",
    ),
    "o_wuye": (
        "m_wuye",
        "物业费应当按服务质量分级收取，物业公司要定期公开账目。",
        "wang@example.com",
    ),
    "o_tingche": ("m_tingche", "停车收费调整后，建议对夜间停车给予优惠。", "0532-80001234"),
    "o_kehou": ("m_kehou", "学校课后服务应当免费，减轻家长负担。", "13700002222"),
}

HIDDEN = {"m_jigou_hidden", "i_hulu_hidden", "a_lunzheng_hidden", "f_laji_hidden"}
STAFF_ONLY = set(DRAFTS) | set(OPINIONS)
ALL_KEYS = (
    set(MATTERS)
    | {key for _published, items in PLAN_ITEMS.values() for key, _t, _o in items}
    | set(ACTIVITIES)
    | set(FEEDBACK)
    | STAFF_ONLY
)
PUBLIC = ALL_KEYS - HIDDEN - STAFF_ONLY
# What the general office may find: everything but the hidden items.
FINDABLE = ALL_KEYS - HIDDEN

# The section of the search page each key prefix belongs to.
SECTION_OF_PREFIX = {
    "m": "matters",
    "i": "items",
    "a": "activities",
    "f": "feedback",
    "d": "drafts",
    "o": "opinions",
}


def searchable_text(key: str) -> str:
    """The text a search may look in for ``key``: title and body, as indexed (and for
    a matter the names of its policy areas)."""
    if key in MATTERS:
        names = [AREA_NAMES[code] for code in MATTER_AREAS.get(key, ())]
        return "\n".join([MATTERS[key][1], MATTERS[key][2], *names])
    for _published, items in PLAN_ITEMS.values():
        for item_key, title, office in items:
            if item_key == key:
                return title + "\n" + office
    if key in ACTIVITIES:
        return ACTIVITIES[key][2] + "\n" + ACTIVITIES[key][3]
    if key in FEEDBACK:
        return FEEDBACK[key][1] + "\n" + (FEEDBACK[key][2] or "")
    if key in DRAFTS:
        return DRAFTS[key][1] + "\n" + DRAFTS[key][2]
    return OPINIONS[key][1]


@dataclass
class Corpus:
    objects: dict = field(default_factory=dict)  # key -> model instance
    keys: dict = field(default_factory=dict)  # (section code, pk) -> key
    departments: dict = field(default_factory=dict)  # code -> Department
    staff: dict = field(default_factory=dict)  # department code -> User
    office: object = None  # a general office reviewer

    def add(self, key: str, obj) -> None:
        self.objects[key] = obj
        self.keys[(SECTION_OF_PREFIX[key[0]], obj.pk)] = key

    def key_of(self, section: str, obj) -> str:
        return self.keys[(section, obj.pk)]


def build_corpus() -> Corpus:
    """Builds the corpus through the services, as departments would."""
    from annual_plans import services as plan_services
    from annual_plans.models import PlanItem
    from matters import services as matter_services
    from matters.models import PolicyArea
    from participation.models import CommentPeriod
    from participation.services import comments as comment_services
    from participation.services.feedback import feedback_publish
    from tests.factories import (
        DepartmentFactory,
        LeaderFactory,
        ReviewerFactory,
        StaffFactory,
        make_activity,
        make_matter,
    )

    corpus = Corpus()
    now = timezone.now()
    for code, (name, short_name) in DEPARTMENTS.items():
        department = DepartmentFactory(code=code, name=name, short_name=short_name)
        corpus.departments[code] = department
        corpus.staff[code] = StaffFactory(department=department, username=f"{code}_staff")
    reviewer = corpus.office = ReviewerFactory()

    for key, (code, title, summary, published) in MATTERS.items():
        matter = make_matter(
            by=corpus.staff[code],
            title=title,
            summary=summary,
            policy_areas=PolicyArea.objects.filter(code__in=MATTER_AREAS.get(key, ())),
        )
        if published:
            matter = matter_services.matter_publish(matter=matter, by=corpus.staff[code])
        corpus.add(key, matter)

    for code, (published, rows) in PLAN_ITEMS.items():
        staff = corpus.staff[code]
        plan = plan_services.plan_start(department=corpus.departments[code], year=2026, by=staff)
        plan = plan_services.plan_save(
            plan=plan,
            by=staff,
            items=[
                plan_services.ItemData(
                    title=title,
                    kind="decision",
                    forms=["public_participation"],
                    planned_start=datetime.date(2026, 4, 1),
                    planned_end=datetime.date(2026, 9, 30),
                    responsible_office=office,
                )
                for _key, title, office in rows
            ],
            contact_person="王丽",
            contact_phone="0532-85911234",
            is_empty=False,
            empty_reason="",
        )
        if published:
            leader = LeaderFactory(department=corpus.departments[code])
            plan = plan_services.plan_sign_off(plan=plan, by=leader)
            plan = plan_services.plan_submit(plan=plan, by=staff)
            plan = plan_services.plan_accept(plan=plan, by=reviewer)
            plan = plan_services.plan_publish(plan=plan, by=reviewer)
        items = list(PlanItem.objects.filter(plan=plan).order_by("order", "pk"))
        for (key, title, _office), item in zip(rows, items, strict=True):
            assert item.title == title
            corpus.add(key, item)

    for key, (matter_key, kind, title, agenda, public) in ACTIVITIES.items():
        matter = corpus.objects[matter_key]
        activity = make_activity(
            matter=matter,
            by=corpus.staff[matter.department.code],
            kind=kind,
            title=title,
            agenda=agenda,
            status="notice_published" if public else "planned",
        )
        corpus.add(key, activity)

    for key, (matter_key, title, report) in FEEDBACK.items():
        matter = corpus.objects[matter_key]
        staff = corpus.staff[matter.department.code]
        period = comment_services.comment_period_open(
            matter=matter,
            by=staff,
            title=title,
            starts_at=now - datetime.timedelta(days=40),
            ends_at=now - datetime.timedelta(days=5),
        )
        if report is not None:
            period = feedback_publish(period=period, by=staff, summary=report)
        corpus.add(key, CommentPeriod.objects.get(pk=period.pk))

    for key, (matter_key, title, text) in DRAFTS.items():
        matter = corpus.objects[matter_key]
        draft = matter_services.draft_add(
            matter=matter,
            by=corpus.staff[matter.department.code],
            title=title,
            text=text,
            change_note="初稿。",
        )
        corpus.add(key, draft)

    periods = {}
    for matter_key, title in OPEN_PERIODS.items():
        matter = corpus.objects[matter_key]
        periods[matter_key] = comment_services.comment_period_open(
            matter=matter,
            by=corpus.staff[matter.department.code],
            title=title,
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=30),
        )
    for key, (matter_key, content, contact) in OPINIONS.items():
        matter = corpus.objects[matter_key]
        opinion = comment_services.opinion_record(
            period=periods[matter_key],
            by=corpus.staff[matter.department.code],
            channel="letter",
            received_on=timezone.localdate(),
            content=content,
            author_name="张先生",
            contact=contact,
        )
        corpus.add(key, opinion)
    return corpus
