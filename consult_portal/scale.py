"""A city at ten times real size, for performance work (``manage.py seed_scale``).

Rows are generated with one ``random.Random(seed)`` so a run is reproducible, in chunks so
memory stays bounded, and written with PostgreSQL ``COPY`` (``bulk_create`` elsewhere).
Ids are allocated here, so later tables can point at earlier ones without reading them back.

Scale rows are marked so they can be found and replaced: matter references start with
``S-``, department codes with ``scale-``, usernames with ``scale_`` and participants'
e-mail addresses end with ``@scale.example.cn``. No ledger rows are written for them.
"""

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Department, User
from annual_plans.models import AnnualPlan, PlanItem
from matters.models import Matter, PolicyArea, StageChange
from matters.procedures import Kind, StepType, procedure_for
from matters.services import matter_area_names_refresh
from participation.models import Activity, CommentPeriod, Invitation, Opinion, Participant

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
    }


# ---------------------------------------------------------------------------------------
# Finding and deleting scale data
# ---------------------------------------------------------------------------------------


def scale_matters():
    return Matter.objects.filter(reference__startswith=REFERENCE_PREFIX)


def scale_data_present() -> bool:
    return (
        scale_matters().exists()
        or Department.objects.filter(code__startswith=DEPARTMENT_PREFIX).exists()
        or User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
        or Participant.objects.filter(email__endswith=EMAIL_DOMAIN).exists()
    )


@transaction.atomic
def scale_data_delete(log: Callable[[str], None] = print) -> None:
    """Delete every scale row, children first (the foreign keys PROTECT). The ledger is
    never touched: if it holds rows about scale data, deleting that data fails."""
    matters = scale_matters()
    departments = Department.objects.filter(code__startswith=DEPARTMENT_PREFIX)
    steps = [
        ("opinions", Opinion.objects.filter(matter__in=matters)),
        ("invitations", Invitation.objects.filter(activity__matter__in=matters)),
        ("invitations", Invitation.objects.filter(participant__email__endswith=EMAIL_DOMAIN)),
        ("activities", Activity.objects.filter(matter__in=matters)),
        ("comment periods", CommentPeriod.objects.filter(matter__in=matters)),
        ("stage changes", StageChange.objects.filter(matter__in=matters)),
        (
            "plan items",
            PlanItem.objects.filter(Q(plan__department__in=departments) | Q(matter__in=matters)),
        ),
        ("annual plans", AnnualPlan.objects.filter(department__in=departments)),
        ("matter areas", Matter.policy_areas.through.objects.filter(matter__in=matters)),
        ("matter co-departments", Matter.co_departments.through.objects.filter(matter__in=matters)),
        ("matters", matters),
        ("participants", Participant.objects.filter(email__endswith=EMAIL_DOMAIN)),
        ("users", User.objects.filter(username__startswith=USERNAME_PREFIX)),
        ("departments", departments),
    ]
    for label, queryset in steps:
        started = time.monotonic()
        count = queryset.delete()[0]
        log(f"  deleted {label:<22} {count:>10,} rows {time.monotonic() - started:7.1f}s")


# ---------------------------------------------------------------------------------------
# Writing rows
# ---------------------------------------------------------------------------------------


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def insert(model, rows: list[dict]) -> int:
    """Insert ``rows`` (dicts of attname to value, ids included) into ``model``'s table."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
        return len(rows)
    opts = model._meta
    names = list(rows[0])
    columns = ", ".join(connection.ops.quote_name(opts.get_field(n).column) for n in names)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_copy_value(row[name]) for name in names])
    buffer.seek(0)
    table = connection.ops.quote_name(opts.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
    return len(rows)


def insert_chunks(model, rows: Iterable[dict], chunk: int = CHUNK) -> int:
    total = 0
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, chunk)):
        total += insert(model, batch)
    return total


def reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            top = f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}"  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(({top}), 1))", [table]
            )


def analyze(models) -> None:
    """Statistics for the planner and, outside a transaction, the visibility map too
    (VACUUM): without it a count of 70,000 published matters cannot be answered from the
    index alone and reads the whole table (11 ms against 110 ms at scale)."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


class Ids:
    """Allocates ids past each table's largest, so rows can name each other before insert."""

    def __init__(self):
        self._next: dict[type, int] = {}

    def take(self, model) -> int:
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------


@dataclass
class MatterInfo:
    id: int
    kind: str
    year: int
    department_id: int
    user_id: int
    topic: int
    place: str
    title: str
    published: bool
    planned_start: dt.date
    planned_end: dt.date
    created: dt.datetime
    entered: dt.datetime


@dataclass
class Report:
    rows: list[tuple[str, int, float]] = field(default_factory=list)
    top_matter: tuple[int, str, int] | None = None  # id, reference, opinions


class Generator:
    def __init__(self, *, scale: float, seed: int, log: Callable[[str], None] = print, now=None):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.seed = seed
        self.sizes = sizes(scale)
        self.log = log
        self.now = now or timezone.now()
        self.tz = timezone.get_current_timezone()
        self.ids = Ids()
        self.report = Report()
        self.area_ids = dict(PolicyArea.objects.values_list("code", "id"))

    # helpers ---------------------------------------------------------------------------

    def step(self, label: str, fn: Callable[[], int]) -> None:
        started = time.monotonic()
        count = fn()
        seconds = time.monotonic() - started
        self.report.rows.append((label, count, seconds))
        self.log(f"  {label:<24} {count:>10,} rows {seconds:7.1f}s")

    def moment(self, day: dt.date, hour_from: int = 8, hour_to: int = 18) -> dt.datetime:
        naive = dt.datetime.combine(day, dt.time(self.rng.randint(hour_from, hour_to - 1)))
        naive += dt.timedelta(minutes=self.rng.randrange(60))
        return timezone.make_aware(naive, self.tz)

    def day_in(self, start: dt.date, end: dt.date) -> dt.date:
        span = max(0, (end - start).days)
        return start + dt.timedelta(days=self.rng.randint(0, span))

    def person(self) -> str:
        given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.6 else "")
        return self.rng.choice(SURNAMES) + given

    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    # tables ----------------------------------------------------------------------------

    def run(self) -> Report:
        self.step("departments", self.departments)
        self.step("users", self.users)
        self.step("matters", self.matters)
        self.step("matter policy areas", self.matter_areas)
        self.step("stage changes", self.stage_changes)
        self.step("annual plans", self.plans)
        self.step("plan items", self.plan_items)
        self.step("comment periods", self.comment_periods)
        self.step("opinions", self.opinions)
        self.step("participants", self.participants)
        self.step("activities", self.activities)
        self.step("invitations", self.invitations)
        models = [
            Department, User, Matter, Matter.policy_areas.through, StageChange, AnnualPlan,
            PlanItem, CommentPeriod, Opinion, Participant, Activity, Invitation,
        ]  # fmt: skip
        reset_sequences(models)
        return self.report

    def departments(self) -> int:
        existing = list(
            Department.objects.filter(is_active=True)
            .exclude(kind=Department.Kind.GENERAL_OFFICE)
            .exclude(code__startswith=DEPARTMENT_PREFIX)
            .values_list("id", flat=True)
        )
        taken = set(Department.objects.values_list("name", flat=True))
        names = (f"{place}{bureau}" for bureau in BUREAUS for place in PLACES)
        rows = []
        # The city has about DEPARTMENTS bodies; the first scale ones file the annual plans.
        wanted = max(self.sizes["plan_departments"], self.sizes["departments"] - len(existing))
        for n in range(wanted):
            name = next(names, None) or f"第{n + 1}协商单位"
            if name in taken:
                name = f"{name}（{n + 1}）"
            rows.append(
                {
                    "id": self.ids.take(Department),
                    "name": name,
                    "short_name": name[:40],
                    "code": f"{DEPARTMENT_PREFIX}{n + 1:04d}",
                    "kind": Department.Kind.MUNICIPAL_DEPARTMENT,
                    "is_active": True,
                    "sort_order": 1000 + n,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        insert(Department, rows)
        self.plan_department_ids = [row["id"] for row in rows][: self.sizes["plan_departments"]]
        self.department_ids = existing + [row["id"] for row in rows]
        # Some departments are much busier than others: Zipf-like weights, shuffled.
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.department_ids))]
        self.rng.shuffle(weights)
        self.department_weights = list(itertools.accumulate(weights))
        return len(rows)

    def users(self) -> int:
        rows, self.user_of = [], {}
        for department_id in self.department_ids:
            user_id = self.ids.take(User)
            self.user_of[department_id] = user_id
            rows.append(
                {
                    "id": user_id,
                    "username": f"{USERNAME_PREFIX}{department_id}",
                    "password": "!scale-unusable",
                    "full_name": self.person(),
                    "first_name": "",
                    "last_name": "",
                    "email": "",
                    "phone": "",
                    "is_staff": True,
                    "is_superuser": False,
                    "is_active": True,
                    "date_joined": self.now,
                    "department_id": department_id,
                }
            )
        return insert(User, rows)

    def matter_rows(self) -> Iterator[dict]:
        rng = self.rng
        kinds, kind_weights = zip(*KIND_WEIGHTS.items(), strict=True)
        years, year_weights = zip(*YEAR_WEIGHTS.items(), strict=True)
        today = self.today()
        self.matter_infos: list[MatterInfo] = []
        for n in range(self.sizes["matters"]):
            kind = rng.choices(kinds, kind_weights)[0]
            year = rng.choices(years, year_weights)[0]
            department_id = rng.choices(self.department_ids, cum_weights=self.department_weights)[0]
            topic_index = rng.randrange(len(TOPICS))
            topic = TOPICS[topic_index][0]
            place = rng.choice(PLACES)
            title = self.matter_title(kind, year, place, topic)
            start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
            end = start + dt.timedelta(days=rng.randint(30, 400))
            stages = procedure_for(kind).stages
            # Older matters are further along their procedure.
            age = max(0.0, min(1.0, (today - start).days / 900))
            position = min(len(stages) - 1, int(len(stages) * rng.betavariate(1 + 4 * age, 2)))
            stage = stages[position].code
            created = self.moment(min(start, today))
            entered_day = self.day_in(min(start, today), min(end, today))
            entered = max(created, self.moment(entered_day))
            published = rng.random() < 0.7
            user_id = self.user_of[department_id]
            matter_id = self.ids.take(Matter)
            self.matter_infos.append(
                MatterInfo(
                    matter_id,
                    kind,
                    year,
                    department_id,
                    user_id,
                    topic_index,
                    place,
                    title,
                    published,
                    start,
                    end,
                    created,
                    entered,
                )
            )
            self.stage_positions.append(position)
            yield {
                "id": matter_id,
                "reference": f"{REFERENCE_PREFIX}{year}-{n + 1:06d}",
                "title": title,
                "kind": kind,
                "department_id": department_id,
                "year": year,
                "summary": (
                    f"为推进{place}{topic}工作，{rng.choice(('回应群众关切', '落实市委市政府部署', '解决群众急难愁盼问题'))}，"  # noqa: E501
                    f"拟制定{title}。事项涉及{topic}的标准、资金保障和监督考核，"
                    "依照有关规定开展协商，广泛听取社会各界意见。"
                ),
                "legal_basis": "《重大行政决策程序暂行条例》" if kind == Kind.DECISION else "",
                "is_major_decision": kind == Kind.DECISION and rng.random() < 0.5,
                "is_major_public_interest": rng.random() < 0.2,
                "affects_stability": rng.random() < 0.1,
                "is_contested": rng.random() < 0.05,
                "seeks_non_party_opinions": rng.random() < 0.15,
                "planned_start": start,
                "planned_end": end,
                "stage": stage,
                "stage_entered_at": entered,
                "stage_due_on": end if rng.random() < 0.5 else None,
                "is_published": published,
                "published_at": entered if published else None,
                "created_by_id": user_id,
                "created_at": created,
                "updated_at": entered,
            }

    def matter_title(self, kind: str, year: int, place: str, topic: str) -> str:
        rng = self.rng
        if kind == Kind.LEGISLATIVE:
            return rng.choice((f"《青岛市{topic}条例（草案）》", f"《青岛市{topic}管理办法》修订"))
        if kind == Kind.BUDGET:
            return f"{year}年度{place}{topic}专项资金预算"
        if kind == Kind.KEY_MATTER:
            return f"{place}{topic}{rng.choice(KEY_FORMS)}"
        return f"关于{place}{topic}的{rng.choice(DOCUMENTS)}"

    def matters(self) -> int:
        self.stage_positions: list[int] = []
        return insert_chunks(Matter, self.matter_rows())

    def matter_areas(self) -> int:
        through = Matter.policy_areas.through

        def rows():
            for info in self.matter_infos:
                areas = {self.area_ids.get(TOPICS[info.topic][1])}
                if self.rng.random() < 0.3 and self.area_ids:
                    areas.add(self.rng.choice(list(self.area_ids.values())))
                for area_id in sorted(a for a in areas if a):
                    yield {
                        "id": self.ids.take(through),
                        "matter_id": info.id,
                        "policyarea_id": area_id,
                    }

        count = insert_chunks(through, rows())
        # The links went in without the services: copy the names as they would have.
        matter_area_names_refresh(matter_ids=[info.id for info in self.matter_infos])
        return count

    def stage_changes(self) -> int:
        def rows():
            for info, position in zip(self.matter_infos, self.stage_positions, strict=True):
                stages = procedure_for(info.kind).stages
                # Evenly from creation to entering the current stage, which comes last.
                step = (info.entered - info.created) / max(position, 1)
                previous = ""
                for index, stage in enumerate(stages[: position + 1]):
                    yield {
                        "id": self.ids.take(StageChange),
                        "matter_id": info.id,
                        "from_stage": previous,
                        "to_stage": stage.code,
                        "direction": StageChange.Direction.FORWARD,
                        "reason": "",
                        "changed_by_id": info.user_id,
                        "changed_at": info.entered
                        if index == position
                        else info.created + step * index,
                    }
                    previous = stage.code

        return insert_chunks(StageChange, rows())

    def plans(self) -> int:
        rng, rows = self.rng, []
        current = self.today().year
        self.plan_infos: list[tuple[int, int, int, int]] = []  # id, department, year, user
        for department_id in self.plan_department_ids:
            user_id = self.user_of[department_id]
            for year in YEARS:
                if year < current:
                    status = rng.choices(("published", "accepted"), (92, 8))[0]
                else:
                    status = rng.choices(
                        ("draft", "submitted", "returned", "accepted", "published"),
                        (15, 20, 10, 20, 35),
                    )[0]
                submitted = self.moment(dt.date(year - 1, 11, 1) + dt.timedelta(rng.randint(0, 60)))
                filed = status != "draft"
                reviewed = status in ("returned", "accepted", "published")
                plan_id = self.ids.take(AnnualPlan)
                self.plan_infos.append((plan_id, department_id, year, user_id))
                rows.append(
                    {
                        "id": plan_id,
                        "department_id": department_id,
                        "year": year,
                        "status": status,
                        "is_empty": False,
                        "empty_reason": "",
                        "contact_person": self.person(),
                        "contact_phone": f"0532-8{rng.randrange(10_000_000):07d}",
                        "signed_off_by_id": user_id if filed else None,
                        "signed_off_at": submitted if filed else None,
                        "first_submitted_at": submitted if filed else None,
                        "submitted_at": submitted if filed else None,
                        "reviewed_by_id": user_id if reviewed else None,
                        "reviewed_at": submitted + dt.timedelta(days=7) if reviewed else None,
                        "review_comment": "请补充协商形式。" if status == "returned" else "",
                        "published_at": (
                            submitted + dt.timedelta(days=14) if status == "published" else None
                        ),
                        "is_late": rng.random() < 0.08,
                        "version": 1 if status in ("accepted", "published") else 0,
                        "created_by_id": user_id,
                        "created_at": submitted - dt.timedelta(days=20),
                        "updated_at": submitted,
                    }
                )
        return insert(AnnualPlan, rows)

    def plan_items(self) -> int:
        matters_by = defaultdict(list)
        for info in self.matter_infos:
            matters_by[info.department_id, info.year].append(info)
        rng = self.rng

        def rows():
            for plan_id, department_id, year, _user in self.plan_infos:
                linked = matters_by.get((department_id, year), [])
                for order in range(ITEMS_PER_PLAN):
                    if order < len(linked):
                        info = linked[order]
                        title, kind, matter_id = info.title, info.kind, info.id
                        start, end = info.planned_start, info.planned_end
                    else:
                        kind = rng.choices(*zip(*KIND_WEIGHTS.items(), strict=True))[0]
                        topic = rng.choice(TOPICS)[0]
                        title = self.matter_title(kind, year, rng.choice(PLACES), topic)
                        matter_id = None
                        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
                        end = start + dt.timedelta(days=rng.randint(30, 400))
                    forms = rng.sample(FORMS_BY_KIND[kind], rng.randint(1, 3))
                    yield {
                        "id": self.ids.take(PlanItem),
                        "plan_id": plan_id,
                        "matter_id": matter_id,
                        "title": title,
                        "kind": kind,
                        "forms": [str(form) for form in forms],
                        "planned_start": start,
                        "planned_end": end,
                        "responsible_office": rng.choice(OFFICES),
                        "is_major_decision": kind == Kind.DECISION and rng.random() < 0.5,
                        "seeks_non_party_opinions": rng.random() < 0.15,
                        "order": order + 1,
                        "review_comment": "",
                    }

        return insert_chunks(PlanItem, rows())

    def comment_periods(self) -> int:
        rng = self.rng
        published = [info for info in self.matter_infos if info.published]
        count = max(HOT_MATTERS, round(len(published) * COMMENTED_SHARE))
        chosen = rng.sample(published, min(count, len(published)))
        rows, self.periods = [], []
        today = self.today()
        for info in chosen:
            start_day = self.day_in(info.planned_start, min(info.planned_end, today))
            starts = self.moment(start_day)
            ends = starts + dt.timedelta(days=rng.choice((15, 30, 30, 30, 45)))
            period_id = self.ids.take(CommentPeriod)
            self.periods.append((period_id, info, starts, ends))
            closed = ends < self.now
            rows.append(
                {
                    "id": period_id,
                    "matter_id": info.id,
                    "draft_id": None,
                    "title": f"{info.title}公开征求意见",
                    "description": "欢迎社会各界提出意见建议。",
                    "starts_at": starts,
                    "ends_at": ends,
                    "shortened_reason": "",
                    "created_by_id": info.user_id,
                    "created_at": starts - dt.timedelta(days=1),
                    "report_summary": (
                        "本次征求意见收到的意见建议已逐条研究，采纳情况如下。" if closed else ""
                    ),
                    "report_published_at": ends + dt.timedelta(days=20) if closed else None,
                }
            )
        return insert_chunks(CommentPeriod, rows)

    def opinions(self) -> int:
        rng, total = self.rng, self.sizes["opinions"]
        # The hot periods: the first draws TOP_SHARE, the others HOT_SHARE between them,
        # every period shares the rest.
        hot = self.periods[:HOT_MATTERS]
        weights = [0.0] * len(self.periods)
        weights[0] = TOP_SHARE * total
        for index in range(1, len(hot)):
            weights[index] = HOT_SHARE * total / (len(hot) - 1) / index**0.5 * 2
        rest = (1 - TOP_SHARE - HOT_SHARE) * total / len(self.periods)
        weights = [w + rest for w in weights]
        weights[0] = 0.0  # the top period gets its share exactly, below
        cumulative = list(itertools.accumulate(weights))
        indexes = range(len(self.periods))
        channels, channel_weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
        dispositions, disposition_weights = zip(*DISPOSITION_WEIGHTS.items(), strict=True)
        moderations, moderation_weights = zip(*MODERATION_WEIGHTS.items(), strict=True)
        # The top matter gets its share exactly, so the benchmark can count on it.
        top_count = max(1, round(TOP_SHARE * total))
        top_period = self.periods[0]
        per_matter: dict[int, int] = defaultdict(int)

        def rows():
            for n in range(total):
                if n < top_count:
                    period_id, info, starts, ends = top_period
                else:
                    index = rng.choices(indexes, cum_weights=cumulative)[0]
                    period_id, info, starts, ends = self.periods[index]
                per_matter[info.id] += 1
                topic = TOPICS[info.topic][0]
                channel = rng.choices(channels, channel_weights)[0]
                disposition = rng.choices(dispositions, disposition_weights)[0]
                received = self.day_in(starts.date(), min(ends.date(), self.today()))
                created = self.moment(received, 0, 24)
                offline = channel != Opinion.Channel.ONLINE
                content = (
                    rng.choice(OPINION_OPENINGS)
                    + rng.choice(OPINION_BODIES).format(topic=topic, place=rng.choice(PLACES))
                    + rng.choice(OPINION_CLOSINGS)
                )
                yield {
                    "id": self.ids.take(Opinion),
                    "period_id": period_id,
                    "matter_id": info.id,
                    "channel": channel,
                    "content": content,
                    "article": f"第{rng.randint(1, 60)}条" if rng.random() < 0.3 else "",
                    "author_name": self.person() if rng.random() < 0.4 else "",
                    "contact": f"13{rng.randrange(10**9):09d}" if rng.random() < 0.3 else "",
                    "moderation": rng.choices(moderations, moderation_weights)[0],
                    "disposition": disposition,
                    "response": RESPONSES.get(disposition, ""),
                    "disposed_at": created + dt.timedelta(days=10) if disposition else None,
                    "disposed_by_id": info.user_id if disposition else None,
                    "recorded_by_id": info.user_id if offline else None,
                    "received_on": received,
                    "client_hash": (
                        hashlib.sha256(f"{self.seed}-{n}".encode()).hexdigest()
                        if not offline
                        else ""
                    ),
                    "created_at": created,
                }

        count = insert_chunks(Opinion, rows())
        top_id = max(per_matter, key=per_matter.get)
        reference = Matter.objects.filter(pk=top_id).values_list("reference", flat=True).get()
        Matter.objects.filter(pk=top_id).update(is_contested=True)
        self.report.top_matter = (top_id, reference, per_matter[top_id])
        return count

    def participants(self) -> int:
        rng, rows, seen = self.rng, [], set()
        categories = list(Participant.Category)
        self.participant_ids = []
        for n in range(self.sizes["participants"]):
            category = rng.choice(categories)
            organisation = category in (
                Participant.Category.DEMOCRATIC_PARTY,
                Participant.Category.PEOPLES_ORGANISATION,
                Participant.Category.SOCIAL_ORGANISATION,
            )
            affiliation = rng.choice(ORGANISATIONS)
            name = f"{rng.choice(PLACES)}{rng.choice(TOPICS)[0]}协会" if organisation else None
            name = name or self.person()
            while (name, affiliation) in seen:
                affiliation = f"{rng.choice(PLACES)}{rng.choice(ORGANISATIONS)}"
                if (name, affiliation) in seen:
                    name = self.person() + rng.choice(GIVEN)
            seen.add((name, affiliation))
            participant_id = self.ids.take(Participant)
            self.participant_ids.append(participant_id)
            rows.append(
                {
                    "id": participant_id,
                    "name": name,
                    "is_organisation": organisation,
                    "category": category,
                    "affiliation": affiliation,
                    "expertise": rng.choice(TOPICS)[0],
                    "phone": f"0532-8{rng.randrange(10_000_000):07d}",
                    "email": f"p{n + 1:06d}{EMAIL_DOMAIN}",
                    "is_active": rng.random() < 0.95,
                    "created_by_id": self.user_of[self.department_ids[0]],
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        return insert_chunks(Participant, rows)

    def activities(self) -> int:
        rng, rows = self.rng, []
        published = [info for info in self.matter_infos if info.published]
        kinds = list(Activity.Kind)
        today = self.today()
        self.activity_infos = []
        for info in rng.sample(published, min(self.sizes["activities"], len(published))):
            day = self.day_in(info.planned_start, info.planned_end)
            starts = self.moment(day, 9, 16)
            ends = starts + dt.timedelta(hours=rng.randint(1, 4))
            past = day < today
            status = (
                rng.choice((Activity.Status.HELD, Activity.Status.MINUTES_PUBLISHED))
                if past
                else rng.choice((Activity.Status.PLANNED, Activity.Status.NOTICE_PUBLISHED))
            )
            kind = rng.choice(kinds)
            activity_id = self.ids.take(Activity)
            self.activity_infos.append((activity_id, starts, past, info.user_id))
            minutes_published = status == Activity.Status.MINUTES_PUBLISHED
            rows.append(
                {
                    "id": activity_id,
                    "matter_id": info.id,
                    "kind": kind,
                    "title": f"{info.title}{kind.label}",
                    "starts_at": starts,
                    "ends_at": ends,
                    "place": f"{info.place}政务服务中心{rng.randint(1, 9)}楼会议室",
                    "online_url": "",
                    "agenda": "一、介绍事项情况\n二、参加人发表意见\n三、总结",
                    "capacity": rng.choice((None, 20, 30, 50)),
                    "is_public": rng.random() < 0.9,
                    "accepts_registrations": kind == Activity.Kind.HEARING,
                    "registration_closes_at": None,
                    "status": status,
                    "notice_published_at": (
                        starts - dt.timedelta(days=10)
                        if status != Activity.Status.PLANNED
                        else None
                    ),
                    "materials_published_at": None,
                    "schedule_override_reason": "",
                    "minutes": "与会人员围绕事项充分发表了意见。" if minutes_published else "",
                    "minutes_document_id": None,
                    "minutes_published_at": (
                        ends + dt.timedelta(days=5) if minutes_published else None
                    ),
                    "created_by_id": info.user_id,
                    "created_at": starts - dt.timedelta(days=20),
                    "updated_at": starts,
                }
            )
        return insert_chunks(Activity, rows)

    def invitations(self) -> int:
        rng = self.rng

        def rows():
            for activity_id, starts, past, user_id in self.activity_infos:
                for participant_id in rng.sample(self.participant_ids, INVITATIONS_PER_ACTIVITY):
                    invitation_id = self.ids.take(Invitation)
                    status = rng.choices(
                        list(Invitation.Status), (10, 75, 15) if past else (50, 40, 10)
                    )[0]
                    sent = starts - dt.timedelta(days=rng.randint(8, 20))
                    replied = status != Invitation.Status.PENDING
                    token = f"scale-{self.seed}-{invitation_id}".encode()
                    yield {
                        "id": invitation_id,
                        "activity_id": activity_id,
                        "participant_id": participant_id,
                        "token_hash": hashlib.sha256(token).hexdigest(),
                        "reply_deadline": starts - dt.timedelta(days=3),
                        "status": status,
                        "decline_reason": (
                            "时间冲突，无法参加。" if status == Invitation.Status.DECLINED else ""
                        ),
                        "replied_at": sent + dt.timedelta(days=2) if replied else None,
                        "attended": (
                            (rng.random() < 0.9)
                            if past and status == Invitation.Status.ACCEPTED
                            else None
                        ),
                        "sent_at": sent,
                        "created_by_id": user_id,
                        "created_at": sent,
                    }

        return insert_chunks(Invitation, rows())


TABLES = [
    Department, User, Matter, StageChange, AnnualPlan, PlanItem, CommentPeriod, Opinion,
    Participant, Activity, Invitation,
]  # fmt: skip


LINK_TABLES = [Matter.policy_areas.through]


def seed_scale(*, scale: float, seed: int, log: Callable[[str], None] = print) -> Report:
    """Write a city at ``scale`` (1.0 = ten times real size) in one transaction."""
    with transaction.atomic():
        report = Generator(scale=scale, seed=seed, log=log).run()
    started = time.monotonic()
    analyze([*TABLES, *LINK_TABLES])
    report.rows.append(("VACUUM ANALYZE", 0, time.monotonic() - started))
    return report
