"""Demo surveys (问卷调查 · 民意测验), seeded after the matters and the participation demo:

- the demo matters' typed questionnaire and poll notes become offline survey records, as
  the data migration makes them on an installation that had them;
- 黄岛区2027年区级预算草案: a 12-question budget-priorities questionnaire on three pages
  (ranking, matrix, number in 万元, single with 其他（请注明）, multiple with at most three
  picks, 满意度 ratings, free text, a question shown on condition), held in October 2026,
  closed, its results public, with 360 responses online, on paper, by phone and from
  invited deputies and members — on the matter's record as its 问卷调查 step;
- 2027年市级预算草案: a one-question poll (民意测验) open now, its results shown while open;
- the general office's survey of the 人大代表 and 政协委员 on next year's 民生实事 projects,
  by personal links, open now, some of them answered.

Every survey is built and answered through ``surveys.services`` (``now`` inside its open
window), the answers drawn from a seeded random generator, so the demo is the same every
time. A survey that exists already (its department and title) is left alone: running the
demo again changes nothing.
"""

import datetime
import random
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.dates import SHANGHAI
from matters.models import Matter, ProcedureStep
from participation.models import Participant

from . import services, tallies
from .legacy import record_offline_surveys
from .models import PanelMember, Response, Survey
from .questions import Spec
from .services import QuestionInput

SEED = 2027
OFFICE = "bgt_wangli"
BUDGET_MATTER = "黄岛区2027年区级预算草案"
BUDGET_TITLE = "黄岛区2027年区级预算重点支出方向问卷调查"
POLL_MATTER = "2027年市级预算草案"
POLL_TITLE = "2027年市级财政最应优先增加投入的领域"
PANEL_TITLE = "2027年民生实事项目人大代表、政协委员意见征询"
# Responses of the budget questionnaire by channel (panel ones come from the invited).
BUDGET_CHANNELS = {
    Response.Channel.ONLINE: 250,
    Response.Channel.PAPER: 60,
    Response.Channel.PHONE: 35,
}
BUDGET_OPENS = datetime.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
BUDGET_CLOSES = datetime.datetime(2026, 11, 9, 0, 0, tzinfo=SHANGHAI)

Q = QuestionInput


def _options(*labels: str, other: str = "") -> list[tuple[str, bool]]:
    return [(label, False) for label in labels] + ([(other, True)] if other else [])


# Sample texts for the free-text questions and the "其他（请注明）" notes, by question text.
TEXTS = {
    "您是通过什么渠道了解区级预算编制的？": [
        "区政府门户网站的预算公开栏目",
        "社区居委会组织的议事会",
        "人大代表联络站",
        "微信公众号“青岛西海岸发布”",
        "报纸上的预算草案解读",
    ],
    "对2027年区级预算的其他意见和建议": [
        "希望老旧小区改造同步加装电梯，并公开每个项目的资金。",
        "建议增加社区食堂的补贴，方便独居老人就餐。",
        "学校周边的交通安全设施要优先安排。",
        "预算执行情况最好每季度公开一次。",
        "农村公路养护资金希望能多一些。",
        "希望增加公共体育设施，晚上也能开放。",
        "建议压减楼堂馆所和公务接待支出。",
        "多听听新市民、外来务工人员的意见。",
    ],
    "other": ["社区志愿服务", "海岸线生态修复", "农贸市场改造", "灵活就业人员社保补贴"],
}


def budget_questions(survey: Survey, by: User) -> None:
    """The twelve questions of the budget questionnaire, on three pages."""
    add = services.question_add
    first = survey.sections.get()
    services.section_update(section=first, by=by, title="基本情况")
    add(
        survey=survey,
        by=by,
        data=Q(
            "single",
            "您的身份",
            options=_options(
                "企业职工", "机关事业单位人员", "个体经营者", "离退休人员", "学生",
                other="其他（请注明）",
            ),
        ),
    )  # fmt: skip
    knows = add(
        survey=survey,
        by=by,
        data=Q(
            "single",
            "您是否了解区级预算的编制过程？",
            options=_options("比较了解", "听说过", "不了解"),
        ),
    )
    add(
        survey=survey,
        by=by,
        data=Q(
            "text",
            "您是通过什么渠道了解区级预算编制的？",
            required=False,
            shown_if=knows.options.get(label="比较了解"),
        ),
    )
    add(
        survey=survey,
        by=by,
        data=Q(
            "rating",
            "您对黄岛区现有公共服务的总体满意度",
            settings={
                "scale_min": 1,
                "scale_max": 5,
                "low_label": "很不满意",
                "high_label": "非常满意",
            },
        ),
    )
    second = services.section_add(
        survey=survey, by=by, title="支出方向", description="请根据您的实际感受回答。"
    )
    add(
        survey=survey,
        by=by,
        section=second,
        data=Q(
            "ranking",
            "请选出您认为2027年最应优先保障的三个支出方向并排序",
            settings={"rank_count": 3},
            options=_options(
                "教育", "医疗卫生", "养老服务", "城市更新和老旧小区改造", "公共交通",
                "就业创业", "生态环境",
            ),
        ),
    )  # fmt: skip
    add(
        survey=survey,
        by=by,
        section=second,
        data=Q(
            "matrix",
            "下列领域增加投入的重要程度",
            options=_options("非常重要", "比较重要", "一般", "不重要"),
            rows=[
                "学前教育和托育", "社区养老服务", "基层医疗卫生", "城市道路和停车", "农村人居环境",
            ],
        ),
    )  # fmt: skip
    add(
        survey=survey,
        by=by,
        section=second,
        data=Q(
            "multiple",
            "您最希望2027年新增的民生实事项目（最多选三项）",
            settings={"min_picks": 1, "max_picks": 3},
            options=_options(
                "社区食堂", "口袋公园", "公办幼儿园扩容", "公共充电桩", "背街小巷整治",
                "社区卫生服务站", other="其他（请注明）",
            ),
        ),
    )  # fmt: skip
    add(
        survey=survey,
        by=by,
        section=second,
        data=Q(
            "number",
            "您建议区财政2027年投入社区养老服务的金额（万元）",
            help_text="2026年为3200万元。",
            settings={"minimum": 0, "maximum": 20000, "unit": "万元"},
        ),
    )
    add(
        survey=survey,
        by=by,
        section=second,
        data=Q(
            "single",
            "您是否支持压减一般性支出用于民生项目？",
            options=_options("支持", "不支持", "说不清"),
        ),
    )
    third = services.section_add(survey=survey, by=by, title="预算公开和参与")
    add(
        survey=survey,
        by=by,
        section=third,
        data=Q(
            "rating",
            "您对区级预算公开透明程度的评价",
            settings={"scale_min": 1, "scale_max": 5, "low_label": "很差", "high_label": "很好"},
        ),
    )
    add(
        survey=survey,
        by=by,
        section=third,
        data=Q(
            "single",
            "您希望通过哪种方式参与今后的预算协商？",
            options=_options("网上问卷", "民主恳谈会", "社区议事会", other="其他（请注明）"),
        ),
    )
    add(
        survey=survey,
        by=by,
        section=third,
        data=Q(
            "text",
            "对2027年区级预算的其他意见和建议",
            required=False,
            settings={"long": True},
        ),
    )


def _weights(n: int, rng: random.Random) -> list[float]:
    """A preference over ``n`` options: some clearly ahead, none at zero."""
    return [rng.uniform(0.3, 1.0) ** 2 for _ in range(n)]


def random_answers(
    specs: Sequence[Spec], rng: random.Random, preferences: dict[int, list[float]]
) -> dict[str, list[str]]:
    """One plausible, valid answer to every question shown (optional ones now and then
    left out), as a submitted form."""
    data: dict[str, list[str]] = {}
    chosen: dict[int, set[int]] = {}
    for spec in specs:
        if spec.shown_if is not None and spec.shown_if not in chosen.get(
            spec.shown_if_question, set()
        ):
            continue
        if not spec.required and rng.random() < 0.6:
            continue
        name = spec.name
        weights = preferences.setdefault(spec.id, _weights(max(len(spec.choices), 1), rng))
        if spec.kind == "single":
            choice = rng.choices(spec.choices, weights=weights)[0]
            data[name] = [str(choice.id)]
            chosen[spec.id] = {choice.id}
            if choice.is_other:
                data[f"{name}_other"] = [rng.choice(TEXTS["other"])]
        elif spec.kind == "multiple":
            most = int(spec.settings.get("max_picks") or len(spec.choices))
            picks: set = set()
            for _ in range(rng.randint(1, most)):
                picks.add(rng.choices(spec.choices, weights=weights)[0])
            data[name] = [str(c.id) for c in picks]
            chosen[spec.id] = {c.id for c in picks}
            if any(c.is_other for c in picks):
                data[f"{name}_other"] = [rng.choice(TEXTS["other"])]
        elif spec.kind == "text":
            data[name] = [
                rng.choice(TEXTS.get(spec.text, TEXTS["对2027年区级预算的其他意见和建议"]))
            ]
        elif spec.kind == "rating":
            low = int(spec.settings.get("scale_min", 1))
            high = int(spec.settings.get("scale_max", 5))
            scores = list(range(low, high + 1))
            data[name] = [str(rng.choices(scores, weights=[1, 2, 4, 6, 3][: len(scores)])[0])]
        elif spec.kind == "matrix":
            for row in spec.rows:
                data[f"{name}_r{row.id}"] = [str(rng.choices(spec.choices, weights=weights)[0].id)]
        elif spec.kind == "ranking":
            places = int(spec.settings.get("rank_count") or len(spec.choices))
            pool = list(spec.choices)
            for place in range(1, places + 1):
                pick = rng.choices(pool, weights=[weights[spec.choices.index(c)] for c in pool])[0]
                pool.remove(pick)
                data[f"{name}_o{pick.id}"] = [str(place)]
        elif spec.kind == "number":
            data[name] = [str(rng.choice([1000, 2000, 3000, 3200, 3500, 4000, 5000, 8000]))]
    return data


def _moment(rng: random.Random, opens: datetime.datetime, closes: datetime.datetime):
    span = (closes - opens).total_seconds()
    return opens + datetime.timedelta(seconds=int(rng.uniform(60, span - 60)))


def _answer(survey, specs, rng, preferences, *, channel, when, **kw) -> Response:
    return services.response_submit(
        survey=survey,
        data=random_answers(specs, rng, preferences),
        channel=channel,
        specs=specs,
        now=when,
        **kw,
    )


def _existing(department_id: int, title: str) -> Survey | None:
    return Survey.objects.filter(department_id=department_id, title=title).first()


def seed_budget_survey(matter: Matter, *, now: datetime.datetime) -> Survey:
    by = matter.created_by
    found = _existing(matter.department_id, BUDGET_TITLE)
    if found:
        return found
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    survey = services.survey_create(
        by=by,
        department=matter.department,
        matter=matter,
        title=BUDGET_TITLE,
        introduction=(
            "为科学编制2027年区级预算，区财政局就民生支出重点向社会公开征求意见。"
            "问卷匿名填写，约需5分钟，结果将在调查结束后公布。"
        ),
        opens_at=BUDGET_OPENS,
        closes_at=BUDGET_CLOSES,
        audience=Survey.Audience.BOTH,
        one_response_per_person=True,
        results_shown=Survey.ResultsShown.AFTER_CLOSE,
        now=BUDGET_OPENS - datetime.timedelta(days=5),
    )
    budget_questions(survey, by)
    services.survey_publish(survey=survey, by=by, now=BUDGET_OPENS - datetime.timedelta(days=2))
    specs = tallies.specs_of(survey)
    preferences: dict[int, list[float]] = {}
    # Invited deputies and members of the district (a dozen), most of whom answered.
    invited = Participant.objects.filter(
        is_active=True,
        category__in=[Participant.Category.NPC_DEPUTY, Participant.Category.CPPCC_MEMBER],
    ).order_by("category", "name")[:12]
    batch = services.panel_invite(
        survey=survey,
        by=by,
        participants=list(invited),
        now=BUDGET_OPENS + datetime.timedelta(hours=1),
    )
    moments = []
    for channel, count in BUDGET_CHANNELS.items():
        moments += [(channel, _moment(rng, BUDGET_OPENS, BUDGET_CLOSES)) for _ in range(count)]
    moments += [
        (member, _moment(rng, BUDGET_OPENS + datetime.timedelta(hours=2), BUDGET_CLOSES))
        for member in batch.created[:10]
    ]
    moments.sort(key=lambda item: item[1])
    last_online = None
    for n, (channel, when) in enumerate(moments):
        if isinstance(channel, PanelMember):
            _answer(survey, specs, rng, preferences, channel=Response.Channel.PANEL, when=when,
                    panel_member=channel)  # fmt: skip
        elif channel == Response.Channel.ONLINE:
            address = f"{rng.getrandbits(128):032x}"
            if n % 60 == 7 and last_online is not None:
                # Now and then a second answer from one address within minutes (a household,
                # an office): taken, and marked a suspected duplicate for staff to look at.
                address = last_online[0]
                when = max(when, last_online[1] + datetime.timedelta(minutes=3))
            _answer(survey, specs, rng, preferences, channel=channel, when=when,
                    client_hash=address, browser=f"demo-{n}")  # fmt: skip
            last_online = (address, when)
        else:
            _answer(survey, specs, rng, preferences, channel=channel, when=when, entered_by=by)
    return services.survey_record_closure(survey=survey, now=now)


def seed_poll(matter: Matter, *, now: datetime.datetime) -> Survey:
    by = matter.created_by
    found = _existing(matter.department_id, POLL_TITLE)
    if found:
        return found
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not secrets
    opens = (now - datetime.timedelta(days=6)).replace(microsecond=0)
    poll = services.survey_create(
        by=by,
        department=matter.department,
        matter=matter,
        kind=Survey.Kind.POLL,
        title=POLL_TITLE,
        introduction="编制2027年市级预算，您认为哪个领域最应优先增加投入？欢迎投票，结果实时公布。",
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=30),
        results_shown=Survey.ResultsShown.WHILE_OPEN,
        now=opens - datetime.timedelta(days=1),
    )
    services.question_add(
        survey=poll,
        by=by,
        data=Q(
            "single",
            POLL_TITLE,
            options=_options("教育", "医疗卫生", "养老托育", "住房保障", "公共交通", "就业创业"),
        ),
    )
    services.survey_publish(survey=poll, by=by, now=opens - datetime.timedelta(hours=2))
    specs = tallies.specs_of(poll)
    preferences: dict[int, list[float]] = {}
    for n in range(86):
        when = _moment(rng, opens, now)
        _answer(poll, specs, rng, preferences, channel=Response.Channel.ONLINE, when=when,
                client_hash=f"{rng.getrandbits(128):032x}", browser=f"poll-{n}")  # fmt: skip
    return poll


def seed_panel_survey(office: User, *, now: datetime.datetime) -> Survey:
    found = _existing(office.department_id, PANEL_TITLE)
    if found:
        return found
    rng = random.Random(SEED + 2)  # noqa: S311 - demo data, not secrets
    opens = (now - datetime.timedelta(days=3)).replace(microsecond=0)
    survey = services.survey_create(
        by=office,
        department=office.department,
        title=PANEL_TITLE,
        introduction=(
            "市政府办公厅就2027年市级民生实事候选项目征求人大代表、政协委员的意见。"
            "请使用邀请邮件中的个人链接填写，每个链接只能提交一次。"
        ),
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=14),
        audience=Survey.Audience.PANEL,
        results_shown=Survey.ResultsShown.STAFF_ONLY,
        allow_resume=True,
        now=opens - datetime.timedelta(days=1),
    )
    add = services.question_add
    add(
        survey=survey,
        by=office,
        data=Q(
            "ranking",
            "请对以下2027年民生实事候选项目排序（前三位）",
            settings={"rank_count": 3},
            options=_options(
                "新建改建公办幼儿园20所", "建设社区食堂100处", "改造老旧小区300个",
                "新增公共停车泊位1万个", "建设口袋公园50处",
            ),
        ),
    )  # fmt: skip
    add(
        survey=survey,
        by=office,
        data=Q(
            "rating",
            "您对2026年民生实事项目办理情况的满意度",
            settings={"scale_min": 1, "scale_max": 5},
        ),
    )
    add(
        survey=survey,
        by=office,
        data=Q(
            "single",
            "您认为民生实事项目最需要改进的环节",
            options=_options(
                "项目征集", "资金保障", "实施进度", "群众监督", other="其他（请注明）"
            ),
        ),
    )
    add(
        survey=survey,
        by=office,
        data=Q("text", "对2027年民生实事项目的其他建议", required=False, settings={"long": True}),
    )
    services.survey_publish(survey=survey, by=office, now=opens - datetime.timedelta(hours=2))
    batch = services.panel_invite(
        survey=survey,
        by=office,
        categories=[Participant.Category.NPC_DEPUTY, Participant.Category.CPPCC_MEMBER],
        now=opens + datetime.timedelta(minutes=10),
    )
    specs = tallies.specs_of(survey)
    preferences: dict[int, list[float]] = {}
    members = list(batch.created)
    rng.shuffle(members)
    for member in members[: len(members) * 3 // 5]:
        when = _moment(rng, opens + datetime.timedelta(minutes=20), now)
        _answer(survey, specs, rng, preferences, channel=Response.Channel.PANEL, when=when,
                panel_member=member)  # fmt: skip
    return survey


@transaction.atomic
def seed_surveys(users: dict[str, User], *, now: datetime.datetime | None = None) -> dict:
    """Seed the demo surveys; returns counts for the command's summary."""
    now = now or timezone.now()
    offline = record_offline_surveys(Survey=Survey, ProcedureStep=ProcedureStep)
    made = []
    budget = Matter.objects.filter(title=BUDGET_MATTER).first()
    if budget is not None:
        made.append(seed_budget_survey(budget, now=now))
    poll_matter = Matter.objects.filter(title=POLL_MATTER, is_published=True).first()
    if poll_matter is not None:
        made.append(seed_poll(poll_matter, now=now))
    office = users.get(OFFICE)
    if office is not None and office.department_id:
        made.append(seed_panel_survey(office, now=now))
    return {
        "surveys": len(made),
        "responses": sum(
            s.response_count for s in Survey.objects.filter(pk__in=[s.pk for s in made])
        ),
        "offline": offline,
    }
