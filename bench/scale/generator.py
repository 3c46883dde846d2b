"""The generator: departments, users, matters and catalogs (participation rows are in
``participation.py``)."""

import datetime as dt
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Department, User
from annual_plans.models import AnnualPlan, PlanItem
from matters.models import Matter, PolicyArea, StageChange
from matters.procedures import Kind, procedure_for
from matters.services import matter_area_names_refresh
from participation.models import Activity, CommentPeriod, Invitation, Opinion, Participant

from .participation import ParticipationRows
from .proposals import PROPOSAL_TABLES, ProposalRows
from .rows import (
    Ids,
    insert,
    insert_chunks,
    reset_sequences,
)
from .surveys import SURVEY_TABLES, SurveyRows
from .text import (
    BUREAUS,
    DEPARTMENT_PREFIX,
    DOCUMENTS,
    FORMS_BY_KIND,
    GIVEN,
    ITEMS_PER_PLAN,
    KEY_FORMS,
    KIND_WEIGHTS,
    OFFICES,
    PLACES,
    REFERENCE_PREFIX,
    SURNAMES,
    TOPICS,
    USERNAME_PREFIX,
    YEAR_WEIGHTS,
    YEARS,
    sizes,
)

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


class Generator(ParticipationRows, ProposalRows, SurveyRows):
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
        self.step("proposals", self.proposals)
        self.step("proposal authors", self.proposal_authors)
        self.step("proposal assignments", self.proposal_assignments)
        self.step("proposal contacts", self.proposal_contacts)
        self.step("proposal replies", self.proposal_replies)
        self.step("proposal ratings", self.proposal_ratings)
        self.step("proposal evaluations", self.proposal_evaluations)
        self.step("survey responses", self.surveys)
        models = [
            Department, User, Matter, Matter.policy_areas.through, StageChange, AnnualPlan,
            PlanItem, CommentPeriod, Opinion, Participant, Activity, Invitation,
            *PROPOSAL_TABLES, *SURVEY_TABLES,
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
