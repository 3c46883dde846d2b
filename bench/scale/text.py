"""What the scale data says and how much of it there is: sizes at scale 1, Chinese text
to compose titles and opinions from, and the weights of each choice."""

from matters.procedures import Kind, StepType
from participation.models import Opinion

REFERENCE_PREFIX = "S-"
DEPARTMENT_PREFIX = "scale-"
USERNAME_PREFIX = "scale_"
EMAIL_DOMAIN = "@scale.example.cn"

# Sizes at --scale 1.0
MATTERS = 100_000
DEPARTMENTS = 300
PLAN_DEPARTMENTS = 250
YEARS = tuple(range(2019, 2027))
ITEMS_PER_PLAN = 20
OPINIONS = 500_000
INVITATIONS = 20_000
INVITATIONS_PER_ACTIVITY = 10
PARTICIPANTS = 2_000
COMMENTED_SHARE = 0.10  # of published matters, each with one comment period
HOT_MATTERS = 20  # contested matters that draw most opinions
TOP_SHARE = 0.06  # of all opinions, on the most contested matter (30,000 at scale 1)
HOT_SHARE = 0.24  # of all opinions, on the other hot matters
CHUNK = 10_000
# Suggestions and proposals (建议提案): one city year at twice the real number (Qingdao,
# 2018: 395 deputies' suggestions and 629 CPPCC proposals), five contacts an item.
PROPOSALS = 2_000
PROPOSAL_CONTACTS = 10_000
# Responses of the one scale survey (its answers are some 15 times as many rows).
SURVEY_RESPONSES = 100_000
# The scale survey is found by its title.
SURVEY_TITLE = "【规模测试】2027年预算重点支出方向问卷调查"
PROPOSAL_NUMBER_PREFIX = "S-"

# ---------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------

PLACES = (
    "市南区", "市北区", "李沧区", "崂山区", "城阳区", "即墨区", "黄岛区", "胶州市", "平度市",
    "莱西市", "西海岸新区", "高新区",
)  # fmt: skip
BUREAUS = (
    "民政局", "教育局", "财政局", "住房城乡建设局", "城市管理局", "交通运输局", "卫生健康局",
    "医疗保障局", "人力资源社会保障局", "生态环境分局", "自然资源局", "农业农村局", "商务局",
    "文化和旅游局", "应急管理局", "市场监管局", "司法局", "水务局", "体育局", "统计局",
    "退役军人事务局", "行政审批服务局", "大数据局", "发展和改革局", "科技局",
)  # fmt: skip
# (topic, policy area code)
TOPICS = (
    ("养老服务", "elderly-care"), ("居家养老", "elderly-care"), ("社区食堂", "elderly-care"),
    ("物业服务收费", "property-management"), ("物业管理", "property-management"),
    ("预算绩效管理", "budget"), ("政府预算", "budget"), ("专项资金", "budget"),
    ("中小学校建设", "education"), ("学校课后服务", "education"), ("学前教育", "education"),
    ("停车设施", "transport"), ("公共交通", "transport"), ("地铁线网", "transport"),
    ("垃圾分类", "environment"), ("海岸带保护", "marine"), ("大气污染防治", "environment"),
    ("医保支付", "health"), ("基层医疗", "health"), ("医保门诊统筹", "health"),
    ("既有住宅加装电梯", "urban-renewal"), ("老旧小区改造", "urban-renewal"),
    ("城中村改造", "urban-renewal"), ("保障性租赁住房", "housing"), ("住房公积金", "housing"),
    ("稳岗就业", "employment"), ("灵活就业人员社保", "employment"),
    ("营商环境优化", "business-environment"), ("个体工商户扶持", "business-environment"),
    ("文旅消费", "culture-tourism"), ("历史文化街区保护", "culture-tourism"),
    ("乡村振兴", "agriculture"), ("高标准农田", "agriculture"), ("渔港建设", "marine"),
    ("燃气安全", "safety"), ("电动自行车充电", "safety"), ("社会救助", "civil-affairs"),
    ("殡葬管理", "civil-affairs"), ("行政执法规范", "rule-of-law"), ("社区治理", "civil-affairs"),
)  # fmt: skip
DOCUMENTS = ("实施意见", "工作方案", "管理办法", "若干措施", "三年行动计划", "实施细则", "规划")
KEY_FORMS = ("项目", "民生实事", "提升行动", "专项整治")
OFFICES = (
    "办公室", "法规处", "政策法规处", "规划发展处", "财务处", "综合处", "行政审批处",
    "社会事务处", "公共服务处", "监督管理处",
)  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国晓红玉兰海波宁浩宇鹏飞"
ORGANISATIONS = (
    "青岛大学", "中国海洋大学", "青岛科技大学", "山东琴岛律师事务所", "青岛市养老服务行业协会",
    "青岛市物业管理协会", "市人大代表", "市政协委员", "社区居民代表", "青岛市工商业联合会",
    "青岛市社区志愿服务联合会", "青岛市律师协会", "青岛市老年医学研究所", "青岛市妇女联合会",
)  # fmt: skip
OPINION_OPENINGS = (
    "建议", "希望", "强烈建议", "请政府考虑", "作为居民，我认为", "经过调研，我们建议", "提议",
)  # fmt: skip
OPINION_BODIES = (
    "{topic}的标准应当写得更具体，明确责任部门和完成时限。",
    "{topic}要充分听取居民意见，不宜一刀切。",
    "在{place}先行试点{topic}，总结经验后再全市推开。",
    "{topic}的资金来源应当公开，接受群众监督。",
    "{topic}涉及老年人和残疾人的，应当有特别的照顾措施。",
    "{topic}的收费标准偏高，群众承受能力有限，建议设置过渡期。",
    "对{topic}落实不力的单位，应当明确追责办法。",
    "{topic}方案中的补贴对象范围偏窄，建议扩大覆盖面。",
    "{place}有的小区{topic}问题突出，希望优先安排。",
    "{topic}应当与现有政策衔接，避免重复建设。",
)  # fmt: skip
OPINION_CLOSINGS = ("", "", "谢谢！", "望采纳。", "以上意见供参考。", "盼早日落实。")
RESPONSES = {
    Opinion.Disposition.ADOPTED: "已采纳，在修改稿中作了相应规定。",
    Opinion.Disposition.PARTLY_ADOPTED: "部分采纳，结合财政承受能力分步实施。",
    Opinion.Disposition.NOT_ADOPTED: "经研究暂不采纳，上位法已有规定，将在配套文件中细化。",
    Opinion.Disposition.OUT_OF_SCOPE: "该问题不属于本事项，已转有关部门办理。",
}

KIND_WEIGHTS = {Kind.KEY_MATTER: 35, Kind.DECISION: 35, Kind.LEGISLATIVE: 15, Kind.BUDGET: 15}
YEAR_WEIGHTS = {2019: 8, 2020: 9, 2021: 11, 2022: 12, 2023: 13, 2024: 15, 2025: 16, 2026: 16}
FORMS_BY_KIND = {
    Kind.LEGISLATIVE: (
        StepType.PROPOSAL_CALL, StepType.WRITTEN_SOLICITATION, StepType.LEGISLATIVE_RESEARCH,
        StepType.ARGUMENTATION_MEETING, StepType.SYMPOSIUM, StepType.HEARING,
        StepType.DRAFT_PUBLICATION,
    ),
    Kind.DECISION: (
        StepType.PUBLIC_PARTICIPATION, StepType.EXPERT_ARGUMENTATION, StepType.RISK_ASSESSMENT,
        StepType.HEARING, StepType.SYMPOSIUM,
    ),
    Kind.KEY_MATTER: (
        StepType.STAKEHOLDER_CONSULTATION, StepType.DEMOCRATIC_TALK, StepType.RESIDENTS_FORUM,
        StepType.DEPUTIES_OPINIONS, StepType.SYMPOSIUM,
    ),
    Kind.BUDGET: (
        StepType.CONSULTATIVE_TALK, StepType.QUESTIONNAIRE, StepType.OPINION_POLL,
        StepType.ONLINE_INTERACTION, StepType.PERFORMANCE_SUPERVISION,
    ),
}  # fmt: skip
CHANNEL_WEIGHTS = {
    Opinion.Channel.ONLINE: 60, Opinion.Channel.HOTLINE: 12, Opinion.Channel.MAYOR_MAILBOX: 10,
    Opinion.Channel.LETTER: 7, Opinion.Channel.SYMPOSIUM: 6, Opinion.Channel.HEARING: 3,
    Opinion.Channel.OTHER: 2,
}  # fmt: skip
DISPOSITION_WEIGHTS = {
    "": 35, Opinion.Disposition.ADOPTED: 15, Opinion.Disposition.PARTLY_ADOPTED: 20,
    Opinion.Disposition.NOT_ADOPTED: 22, Opinion.Disposition.OUT_OF_SCOPE: 8,
}  # fmt: skip
MODERATION_WEIGHTS = {
    Opinion.Moderation.SHOWN: 60, Opinion.Moderation.PENDING: 28, Opinion.Moderation.HIDDEN: 12,
}  # fmt: skip


def sizes(scale: float) -> dict[str, int]:
    """The row counts a run at ``scale`` aims for."""
    plan_departments = max(1, round(PLAN_DEPARTMENTS * scale))
    invitations = max(INVITATIONS_PER_ACTIVITY, round(INVITATIONS * scale))
    return {
        "departments": max(plan_departments, round(DEPARTMENTS * scale)),
        "matters": max(HOT_MATTERS, round(MATTERS * scale)),
        "plan_departments": plan_departments,
        "plans": plan_departments * len(YEARS),
        "plan_items": plan_departments * len(YEARS) * ITEMS_PER_PLAN,
        "opinions": max(100, round(OPINIONS * scale)),
        "participants": max(INVITATIONS_PER_ACTIVITY * 2, round(PARTICIPANTS * scale)),
        "activities": invitations // INVITATIONS_PER_ACTIVITY,
        "invitations": invitations // INVITATIONS_PER_ACTIVITY * INVITATIONS_PER_ACTIVITY,
        "proposals": max(40, round(PROPOSALS * scale)),
        "proposal_contacts": max(200, round(PROPOSAL_CONTACTS * scale)),
        "survey_responses": max(500, round(SURVEY_RESPONSES * scale)),
    }
